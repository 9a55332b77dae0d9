"""Pages: my reminders, my reminder settings, the reminder schedule (coordinator, admin), my calendar feeds, and
the feed itself (no login: the token in the URL is the key)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from dondoc.accounts.roles import Role
from dondoc.core import clock, mail
from dondoc.core.params import MAX_ID, parse_int
from dondoc.core.permissions import login_required, role_required
from dondoc.tracking.access import Forbidden

from . import calendar, digest, live, preferences, schedule
from .models import MANDATORY_KINDS, CalendarScope, Reminder

NEW_URL_SESSION_KEY = "notify_new_calendar_url"


@login_required
def reminders(request):
    today = clock.today()
    try:
        day = dt.date.fromisoformat(request.GET.get("ngay", "")) if request.GET.get("ngay") else today
    except ValueError:
        day = today
    made = Reminder.objects.filter(user=request.user, occurrence=day)
    # The morning's reminders as they stand now (on a past day: as they stood at its end): a task confirmed, awaiting
    # confirmation or given more time since is not shown overdue (live.py, the digest's own reading).
    lines = live.lines(made, day).get(None, [])
    reminded = made.values("assignment_id").distinct().count()
    settled = reminded - len({line.assignment_id for line in lines})
    recent = (Reminder.objects.filter(user=request.user, occurrence__gte=today - dt.timedelta(days=30),
                                      occurrence__lte=today)
              .order_by("-occurrence").values_list("occurrence", flat=True).distinct())
    return render(request, "notify/reminders.html", {
        "day": day, "today": today, "groups": digest.groups(lines, day, ""), "total": len(lines), "settled": settled,
        "recent": list(recent)[:30], "agency_person": calendar.is_agency_person(request.user),
        "mail_folder": mail.folder() is not None})


def _number_or_text(value: str):
    """A whole number, or the text as typed for the validator to name in its message."""
    number = parse_int(value, minimum=-MAX_ID)
    return value if number is None else number


def _checked(request, name: str) -> bool:
    return request.POST.get(name) in ("on", "1", "true")


@login_required
def notification_settings(request):
    prefs = preferences.of(request.user)
    status = 200
    if request.method == "POST":
        hour = request.POST.get("digest_hour", "")
        data = {"digest_hour": _number_or_text(hour),
                "email_digest": _checked(request, "email_digest"), "only_mandatory": _checked(request, "only_mandatory")}
        try:
            preferences.do_set_preferences(request.user, data, request=request)
        except preferences.PreferenceError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            messages.success(request, "Đã lưu tùy chọn nhắc việc.")
            return redirect("notify:settings")
    return render(request, "notify/settings.html", {
        "prefs": prefs, "hours": range(24), "has_email": bool(request.user.email),
        "agency_person": calendar.is_agency_person(request.user), "mandatory": sorted(MANDATORY_KINDS),
        "schedule": schedule.current(), "can_edit_schedule": schedule.can_edit(request.user)}, status=status)


@role_required(*schedule.EDITORS)
def reminder_schedule(request):
    current = schedule.current()
    values = {"before_days": ", ".join(map(str, current.before_days)), "on_the_day": current.on_the_day,
              "overdue_every": str(current.overdue_every),
              "report_before_days": ", ".join(map(str, current.report_before_days))}
    status = 200
    if request.method == "POST":
        values = {"before_days": request.POST.get("before_days", ""), "on_the_day": _checked(request, "on_the_day"),
                  "overdue_every": request.POST.get("overdue_every", ""),
                  "report_before_days": request.POST.get("report_before_days", "")}
        try:
            every = values["overdue_every"].strip()
            data = {"before_days": schedule.parse_offsets(values["before_days"], "before_days"),
                    "on_the_day": values["on_the_day"],
                    "overdue_every": _number_or_text(every),
                    "report_before_days": schedule.parse_offsets(values["report_before_days"], "report_before_days")}
            schedule.do_set_schedule(request.user, data, request=request)
        except schedule.ScheduleError as exc:
            messages.error(request, str(exc))
            status = 400
        except Forbidden:
            raise PermissionDenied
        else:
            messages.success(request, "Đã lưu lịch nhắc việc; áp dụng từ lượt nhắc tiếp theo.")
            return redirect("notify:schedule")
    return render(request, "notify/schedule.html", {"values": values, "limits": schedule}, status=status)


@login_required
def my_calendar(request):
    tokens = calendar.manageable(request.user).filter(revoked_at__isnull=True).order_by("scope", "-created_at")
    return render(request, "notify/calendar.html", {
        "tokens": tokens, "new_url": request.session.pop(NEW_URL_SESSION_KEY, None),
        "agency_person": calendar.is_agency_person(request.user)})


@require_POST
@login_required
def calendar_create(request):
    scope = request.POST.get("scope", CalendarScope.PERSONAL)
    try:
        _, raw = calendar.do_create_token(request.user, scope, request=request)
    except Forbidden:
        raise PermissionDenied
    except calendar.CalendarError as exc:
        messages.error(request, str(exc))
        return redirect("notify:calendar")
    request.session[NEW_URL_SESSION_KEY] = calendar.feed_url(raw, request)
    return redirect("notify:calendar")


@require_POST
@login_required
def calendar_revoke(request, pk: int):
    token = get_object_or_404(calendar.manageable(request.user), pk=pk)
    calendar.do_revoke_token(token, request.user, request=request)
    messages.success(request, "Đã thu hồi đường dẫn lịch; ứng dụng lịch dùng đường dẫn này sẽ không cập nhật được nữa.")
    return redirect("notify:calendar")


@login_required
def mail_folder(request):
    """The e-mail a laptop run wrote to its folder instead of sending it (DONDOC_EMAIL_FOLDER): the administrator
    reads everyone's, anyone else the messages to their own address. No such page where e-mail is sent (404)."""
    path = mail.folder()
    if path is None:
        raise Http404
    everyone = request.user.role == Role.ADMIN
    if everyone or request.user.email:
        total, shown = mail.written(path, to=None if everyone else request.user.email)
    else:
        total, shown = 0, []
    return render(request, "notify/mail_folder.html", {
        "folder": path, "total": total, "messages": shown, "everyone": everyone, "address": request.user.email})


@require_GET
def feed(request, token: str):
    live = calendar.token_for(token)
    if live is None:
        raise Http404
    response = HttpResponse(calendar.render(live), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dondoc.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
