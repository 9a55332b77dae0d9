from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from dondoc.core.prepared import Prepared

# The signed-in account of every page, with its agency (the menu and most pages print it): one query, compiled once.
_USER = Prepared(lambda pk: _user_model().objects.select_related("agency").filter(pk=pk), pk=987_654_321_654)


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


class DondocBackend(ModelBackend):
    """Django's password check, plus: demo accounts never sign in in production mode."""

    def user_can_authenticate(self, user):
        if settings.PRODUCTION and getattr(user, "is_demo", False):
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        found = _USER.run(pk=int(user_id))
        return found[0] if found and self.user_can_authenticate(found[0]) else None
