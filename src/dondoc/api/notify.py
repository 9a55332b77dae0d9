"""Reminders and calendar feeds: the schedule, a person's settings, calendar feed tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from dondoc.notify import calendar, preferences, schedule
from dondoc.notify.models import CalendarScope
from dondoc.tracking.access import Forbidden

from .etag import varies_with
from .pagination import Page, Paging, paginate
from .params import json_object

router = Router(tags=["Nhắc việc, lịch"])


class ScheduleOut(Schema):
    before_days: list[int]
    on_the_day: bool
    overdue_every: int
    report_before_days: list[int]


class ScheduleIn(Schema):
    """Missing fields keep their value. Integers only: 7.0, "7" and true are refused (400)."""

    before_days: Any = Field(None, description="Số ngày nhắc trước hạn, mỗi số từ 1 đến 90, tối đa 10 số",
                             examples=[[7, 1]])
    on_the_day: Any = Field(None, description="Nhắc đúng ngày đến hạn", examples=[True])
    overdue_every: Any = Field(None, description="Khi quá hạn, nhắc lại sau mỗi n ngày (1–30)", examples=[3])
    report_before_days: Any = Field(None, description="Nhiệm vụ định kỳ: số ngày nhắc trước hạn báo cáo mỗi kỳ",
                                    examples=[[7, 1]])


def _given(request, body: Schema) -> dict:
    """The fields as sent, unknown ones included, so our validator answers every mistake in Vietnamese (400)."""
    return json_object(request)


@router.get("/reminders/schedule", response=ScheduleOut, summary="Lịch nhắc việc hiện hành")
def reminder_schedule(request):
    return schedule.current().as_dict()


@router.put("/reminders/schedule", response=ScheduleOut, summary="Sửa lịch nhắc việc (cơ quan tổng hợp, quản trị)")
def set_reminder_schedule(request, body: ScheduleIn):
    try:
        return schedule.do_set_schedule(request.user, _given(request, body), request=request).as_dict()
    except Forbidden as exc:
        raise HttpError(403, str(exc))
    except schedule.ScheduleError as exc:
        raise HttpError(400, str(exc))


class SettingsOut(Schema):
    digest_hour: int
    email_digest: bool
    only_mandatory: bool
    has_email: bool


class SettingsIn(Schema):
    digest_hour: Any = Field(None, description="Giờ nhận thư tổng hợp, 0–23 (giờ Việt Nam)", examples=[7])
    email_digest: Any = Field(None, description="Nhận thư tổng hợp qua e-mail", examples=[True])
    only_mandatory: Any = Field(None, description="Chỉ nhận nhắc việc bắt buộc (đến hạn hôm nay, quá hạn)",
                                examples=[False])


def _settings(user, prefs) -> dict:
    return {"digest_hour": prefs.digest_hour, "email_digest": prefs.email_digest, "only_mandatory": prefs.only_mandatory,
            "has_email": bool(user.email)}


@router.get("/me/notification-settings", response=SettingsOut, summary="Tùy chọn nhắc việc của tôi")
def notification_settings(request):
    return _settings(request.user, preferences.of(request.user))


@router.put("/me/notification-settings", response=SettingsOut, summary="Đổi tùy chọn nhắc việc của tôi")
def set_notification_settings(request, body: SettingsIn):
    try:
        prefs = preferences.do_set_preferences(request.user, _given(request, body), request=request)
    except preferences.PreferenceError as exc:
        raise HttpError(400, str(exc))
    return _settings(request.user, prefs)


class TokenOut(Schema):
    id: int
    scope: str
    agency_id: int | None
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class TokenCreated(TokenOut):
    url: str = Field(description="Đường dẫn lịch (.ics); chỉ trả về một lần")


class TokenIn(Schema):
    scope: str = Field(CalendarScope.PERSONAL.value, description="personal (cá nhân) hoặc agency (cơ quan)")


def _token(t) -> dict:
    return {"id": t.pk, "scope": t.scope, "agency_id": t.agency_id, "prefix": t.prefix, "created_at": t.created_at,
            "last_used_at": t.last_used_at}


def _feeds_last_used(request):
    # A calendar application's fetch touches its token's last use (calendar.token_for) with no audit event; a use
    # only ever moves a token's time on, so the latest of them changes whenever one does.
    from django.db.models import F

    live = calendar.manageable(request.user).filter(revoked_at__isnull=True).select_related(None)
    return [live.order_by(F("last_used_at").desc(nulls_last=True)).values("last_used_at")[:1]]


@router.get("/me/calendar-tokens", response=Page[TokenOut], summary="Đường dẫn lịch đang dùng của tôi")
@varies_with(_feeds_last_used)
def list_calendar_tokens(request, paging: Query[Paging]):
    result = paginate(calendar.manageable(request.user).filter(revoked_at__isnull=True), paging)
    return {"count": result["count"], "items": [_token(t) for t in result["items"]]}


@router.post("/me/calendar-tokens", response={201: TokenCreated}, summary="Tạo đường dẫn lịch (.ics)")
def create_calendar_token(request, body: TokenIn):
    _given(request, body)  # an object, not a list the schema's defaults would fill in
    try:
        token, raw = calendar.do_create_token(request.user, body.scope, request=request)
    except Forbidden as exc:
        raise HttpError(403, str(exc))
    except calendar.CalendarError as exc:
        raise HttpError(400, str(exc))
    return HttpStatus(201, {**_token(token), "url": calendar.feed_url(raw, request)})


@router.delete("/me/calendar-tokens/{int:token_id}", response={204: None}, summary="Thu hồi đường dẫn lịch")
def revoke_calendar_token(request, token_id: int):
    token = calendar.manageable(request.user).filter(pk=token_id).first()
    if token is None:
        raise HttpError(404, "Không tìm thấy.")
    calendar.do_revoke_token(token, request.user, request=request)
    return HttpStatus(204, None)
