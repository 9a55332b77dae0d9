from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from dondoc.accounts.actions import TokenRefused, user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` from `dondoc token USERNAME`."""

    def authenticate(self, request, token):
        try:
            user = user_for_token(token)
        except TokenRefused as exc:  # said as it is: the client's owner must know why (401)
            raise AuthenticationError(message=str(exc))
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """A signed-in browser session (pages and /api/v1/docs); CSRF is checked on unsafe methods."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
