from django.conf import settings
from django.db import models

from dondoc.core import clock


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")


class Event(models.Model):
    """One thing that happened: who, when, to which object, what changed, from which address."""

    # The application's clock (the demo clock in a demo), so history reads in the same days as the statuses.
    at = models.DateTimeField("thời điểm", default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The username is kept as text too, so an event still reads right for failed logins of unknown names.
    actor_name = models.CharField("tài khoản", max_length=150, blank=True)
    action = models.CharField("hành động", max_length=64, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=64, blank=True, db_index=True)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("đối tượng", max_length=255, blank=True)
    changes = models.JSONField("thay đổi", default=dict, blank=True)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "sự kiện"
        verbose_name_plural = "nhật ký sự kiện"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        from .labels import label

        return f"{self.at:%d/%m/%Y %H:%M} {self.who} — {label(self.action)} {self.object_repr}".rstrip()

    @property
    def who(self) -> str:
        """Who acted, as people know them (the account's display name: accounts.User.display_name); the name typed
        at sign-in when no account is behind it (a failed login). Read with select_related("actor")."""
        if self.actor_id is None:
            return self.actor_name
        return getattr(self.actor, "display_name", "") or self.actor_name

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")
