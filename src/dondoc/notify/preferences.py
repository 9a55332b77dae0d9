"""A person's reminder preferences: digest hour (local time), e-mail on or off, only the mandatory reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from dondoc.audit import record
from dondoc.core.errors import ActionError
from dondoc.tracking.status import LOCAL_TZ

from .models import NotificationPreference, Outbox, OutboxState


class PreferenceError(ActionError):
    """Refused preference, with a message in Vietnamese (HTTP 400)."""


@dataclass(frozen=True)
class Preferences:
    digest_hour: int = 7
    email_digest: bool = True
    only_mandatory: bool = False


DEFAULT = Preferences()


def of(user) -> Preferences:
    row = NotificationPreference.objects.filter(user_id=user.pk).first()
    if row is None:
        return DEFAULT
    return Preferences(row.digest_hour, row.email_digest, row.only_mandatory)


def send_time(day: dt.date, hour: int) -> dt.datetime:
    """The moment a digest of `day` may go: `hour` o'clock in Asia/Ho_Chi_Minh."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL_TZ)


def validate(data: dict, base: Preferences = DEFAULT) -> Preferences:
    values = {"digest_hour": base.digest_hour, "email_digest": base.email_digest, "only_mandatory": base.only_mandatory}
    unknown = set(data) - set(values)
    if unknown:
        raise PreferenceError(f"Trường không được hỗ trợ: {', '.join(sorted(unknown))}.")
    if "digest_hour" in data:
        hour = data["digest_hour"]
        if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
            raise PreferenceError(f"Giờ nhận thư tổng hợp phải là số nguyên từ 0 đến 23 (nhận được “{hour}”).")
        values["digest_hour"] = hour
    for key, label in (("email_digest", "Nhận thư qua e-mail"), ("only_mandatory", "Chỉ nhận nhắc việc bắt buộc")):
        if key in data:
            if not isinstance(data[key], bool):
                raise PreferenceError(f"“{label}” phải là có hoặc không.")
            values[key] = data[key]
    return Preferences(**values)


@transaction.atomic
def do_set_preferences(user, data: dict, request=None) -> Preferences:
    before = of(user)
    new = validate(data, before)
    NotificationPreference.objects.update_or_create(
        user_id=user.pk, defaults={"digest_hour": new.digest_hour, "email_digest": new.email_digest,
                                   "only_mandatory": new.only_mandatory})
    if new.digest_hour != before.digest_hour:
        # Digests already waiting (never tried yet) follow the new hour.
        for pk, day in Outbox.objects.filter(user_id=user.pk, state=OutboxState.QUEUED, attempts=0).values_list("pk", "day"):
            Outbox.objects.filter(pk=pk, state=OutboxState.QUEUED, attempts=0).update(
                next_attempt_at=send_time(day, new.digest_hour))
    record("reminders.preferences_changed", actor=user, obj=user, request=request,
           changes={"before": before.__dict__, "after": new.__dict__})
    return new
