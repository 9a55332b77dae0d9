"""The refusals every action may raise, so that pages and the API answer them the same way:
Forbidden (a role that may not act, HTTP 403; in tracking/access.py), Conflict (409), ActionError (400)."""


class ActionError(ValueError):
    """Refused input, with a message for the user in Vietnamese (HTTP 400)."""


class Conflict(ActionError):
    """Someone changed the same thing first, or its state no longer allows this (HTTP 409)."""
