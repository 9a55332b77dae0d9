"""Action refusals as HTTP answers, for every router."""

from ninja.errors import HttpError

from dondoc.core.errors import attempt


def run(fn, *args, **kwargs):
    """403 for a role that may not act, 409 for a conflict, 400 for bad input; the message is the action's."""
    outcome = attempt(fn, *args, **kwargs)
    if outcome.error:
        raise HttpError(outcome.status, outcome.error)
    return outcome.value
