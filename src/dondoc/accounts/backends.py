from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DondocBackend(ModelBackend):
    """Django's password check, plus: demo accounts never sign in in production mode."""

    def user_can_authenticate(self, user):
        if settings.PRODUCTION and getattr(user, "is_demo", False):
            return False
        return super().user_can_authenticate(user)
