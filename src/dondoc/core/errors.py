"""The refusals every action may raise, so that pages and the API answer them the same way:
Forbidden (a role that may not act, HTTP 403), Conflict (409), ActionError (400)."""


class Forbidden(PermissionError):
    """An action this user may not take, with a message in Vietnamese (HTTP 403)."""


class ActionError(ValueError):
    """Refused input, with a message for the user in Vietnamese (HTTP 400)."""


class Conflict(ActionError):
    """Someone changed the same thing first, or its state no longer allows this (HTTP 409)."""
