"""Action refusals as HTTP answers, for every router."""

from ninja.errors import HttpError

from dondoc.core.errors import ActionError, Conflict, Forbidden


def run(fn, *args, **kwargs):
    """403 for a role that may not act, 409 for a conflict, 400 for bad input; the message is the action's."""
    try:
        return fn(*args, **kwargs)
    except Forbidden as exc:
        raise HttpError(403, str(exc))
    except Conflict as exc:
        raise HttpError(409, str(exc))
    except ActionError as exc:
        raise HttpError(400, str(exc))
