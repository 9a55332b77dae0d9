"""The refusals every action may raise, so that pages and the API answer them the same way:
Forbidden (a role that may not act, HTTP 403), Conflict (409), ActionError (400). Every app's refusal is one of
these (PlanError, ReportError, TargetInputError ... subclass ActionError); `attempt` sorts them for a caller:
core.permissions.attempt_for_page for pages, api.errors.run for the API.

Framework-free: the pure rule modules (targets/rules.py) raise these too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Forbidden(PermissionError):
    """An action this user may not take, with a message in Vietnamese (HTTP 403)."""


class ActionError(ValueError):
    """Refused input, with a message for the user in Vietnamese (HTTP 400)."""


class Conflict(ActionError):
    """Someone changed the same thing first, or its state no longer allows this (HTTP 409)."""


@dataclass
class Outcome:
    """What an action gave back, or why it refused (error, with the HTTP status a page or the API answers)."""

    value: Any = None
    error: str = ""
    status: int = 200
    exc: Exception | None = None


def attempt(fn, /, *args, **kwargs) -> Outcome:
    """Run an action; its refusal becomes an Outcome: 403 a role that may not act, 409 a conflict, 400 bad input."""
    try:
        return Outcome(fn(*args, **kwargs))
    except Forbidden as exc:
        return Outcome(error=str(exc), status=403, exc=exc)
    except Conflict as exc:
        return Outcome(error=str(exc), status=409, exc=exc)
    except ActionError as exc:
        return Outcome(error=str(exc), status=400, exc=exc)
