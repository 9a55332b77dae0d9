"""Who may open what. Views declare the roles they admit; the check answers 403 to the others.

Objects of another agency answer 404 (docs/design.md, "Visibility"), through `get_for_user_or_404` helpers in each app.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .errors import Outcome, attempt


def role_required(*roles: str):
    """Login required; then the user's role must be one of `roles` (no roles: any signed-in user)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = roles
        return wrapper

    return decorator


login_required = role_required()


def attempt_for_page(fn, /, *args, **kwargs) -> Outcome:
    """Run an action for a page: a role that may not act gets the 403 page; any other refusal comes back in the
    Outcome (its message and 409 or 400) for the page to show beside the form."""
    outcome = attempt(fn, *args, **kwargs)
    if outcome.status == 403:
        raise PermissionDenied(outcome.error)
    return outcome
