"""Calendar feeds (/lich/<token>.ics): tokens, and the events each feed shows.

- Personal feed of an agency person (head, focal point): the due dates of the agency's open assignments that
  concern them (all of them for a head; for a focal point, those with nobody named responsible or with them
  named), the next report dates (12 months) of its recurring tasks, and the agency report date of every
  published plan that gives the agency work.
- Agency feed: the same for the whole agency, whoever is responsible (for a shared office calendar).
- Personal feed of an oversight role (coordinator, leader, admin, viewer): every published plan's two report
  dates — the agencies' (hạn các cơ quan báo cáo) and the coordinator's to the People's Committee. Their task
  deadlines number in the thousands and belong to the agencies' calendars; the dashboard shows who is late.
Done, cancelled and awaiting-confirmation assignments are left out. Every event is an all-day event with a UID
that stays the same while the event stays (so a client updates rather than duplicates it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from dondoc.accounts.roles import AGENCY_ROLES, Role
from dondoc.audit import record
from dondoc.core import clock
from dondoc.core.errors import ActionError
from dondoc.core.text import shorten
from dondoc.orgs.models import Agency
from dondoc.plans.models import Assignment, Plan
from dondoc.tracking import spans
from dondoc.tracking.access import Forbidden
from dondoc.tracking.models import StatusSpan
from dondoc.tracking.status import OPEN, Status

from . import ical
from .digest import base_url
from .models import CalendarScope, CalendarToken, hash_token
from .reminders import plan_report_dates

MAX_EVENTS = 5000
RECURRING_HORIZON = dt.timedelta(days=366)
TOKEN_LENGTHS = range(40, 64)  # token_urlsafe(32) is 43 characters
LAST_USED_EVERY = dt.timedelta(hours=1)


class CalendarError(ActionError):
    """Refused request, with a message in Vietnamese (HTTP 400)."""


# --- Tokens -----------------------------------------------------------------------------------------------

def is_agency_person(user) -> bool:
    return user.role in AGENCY_ROLES and user.agency_id is not None


def feed_path(raw: str) -> str:
    return reverse("notify:feed", args=[raw])


def feed_url(raw: str, request=None) -> str:
    path = feed_path(raw)
    return request.build_absolute_uri(path) if request is not None else base_url() + path


@transaction.atomic
def do_create_token(user, scope: str, request=None) -> tuple[CalendarToken, str]:
    if scope not in CalendarScope.values:
        raise CalendarError("Phạm vi lịch không hợp lệ: dùng “personal” (cá nhân) hoặc “agency” (cơ quan).")
    if scope == CalendarScope.AGENCY and not is_agency_person(user):
        raise Forbidden("Chỉ thủ trưởng và cán bộ đầu mối của một cơ quan mới tạo được lịch của cơ quan.")
    raw = CalendarToken.generate()
    token = CalendarToken.objects.create(user=user, scope=scope, prefix=raw[:8], digest=hash_token(raw),
                                         agency_id=user.agency_id if scope == CalendarScope.AGENCY else None)
    record("calendar.token_created", actor=user, obj=token, request=request, changes={"scope": scope, "prefix": token.prefix})
    return token, raw


def manageable(user):
    """Tokens this person may see and revoke: their own, and (heads) every agency feed of their agency."""
    q = Q(user=user)
    if user.role == Role.HEAD and user.agency_id:
        q |= Q(scope=CalendarScope.AGENCY, agency_id=user.agency_id)
    return CalendarToken.objects.filter(q).select_related("user", "agency")


@transaction.atomic
def do_revoke_token(token: CalendarToken, user, request=None) -> CalendarToken:
    token = CalendarToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        record("calendar.token_revoked", actor=user, obj=token, request=request, changes={"prefix": token.prefix})
    return token


def token_for(raw: str) -> CalendarToken | None:
    """The live token for a URL's secret, or None (unknown, revoked, owner deactivated or moved)."""
    if not isinstance(raw, str) or len(raw) not in TOKEN_LENGTHS:
        return None
    # Looked up by its SHA-256: the comparison is on a digest, never on the secret, so timing reveals nothing.
    token = (CalendarToken.objects.filter(digest=hash_token(raw), revoked_at__isnull=True)
             .select_related("user", "user__agency", "agency").first())
    if token is None or not token.user.is_active:
        return None
    if token.scope == CalendarScope.AGENCY and (not is_agency_person(token.user) or token.user.agency_id != token.agency_id):
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- Events -----------------------------------------------------------------------------------------------

def _plan_label(number: str) -> str:
    return f"Kế hoạch số {number}" if number else "Kế hoạch"


def _who(role: str, agency: str, leads: list[str]) -> str:
    """“chủ trì: Sở Y tế”, or for a partner “phối hợp: Sở Tài chính (chủ trì: Sở Y tế)”."""
    if role == "lead":
        return f"chủ trì: {agency}"
    return f"phối hợp: {agency}" + (f" (chủ trì: {', '.join(leads)})" if leads else "")


def _assignment_events(agency_id: int, day: dt.date, person=None) -> list[ical.Event]:
    base = base_url()
    qs = spans.on(day, StatusSpan.objects.filter(agency_id=agency_id)).filter(state__in=(OPEN, Status.ONGOING.value))
    if person is not None and person.role != Role.HEAD:
        qs = qs.filter(Q(assignment__assignee__isnull=True) | Q(assignment__assignee=person))
    rows = list(qs.order_by("due", "task__order", "assignment_id").values_list(
        "assignment_id", "state", "due", "role", "task_id", "task__ref", "task__text", "task__recurrence",
        "task__plan__number", "task__plan_id")[:MAX_EVENTS])
    agency = Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first() or ""
    # The lead agencies of the tasks this agency coordinates on, named in the partner's events.
    leads: dict[int, list[str]] = defaultdict(list)
    partner_tasks = [task_id for _, _, _, role, task_id, *_ in rows if role != "lead"]
    for task_id, name in (Assignment.objects.filter(task_id__in=partner_tasks, role="lead", ended_at__isnull=True)
                          .order_by("agency__sort_key").values_list("task_id", "agency__name")):
        leads[task_id].append(name)
    events: list[ical.Event] = []
    horizon = day + RECURRING_HORIZON
    report_days = plan_report_dates(day, horizon)
    for a_id, state, due, role, task_id, ref, text, recurrence, number, plan_id in rows:
        url = base + reverse("tracking:assignment", args=[a_id])
        # What the event is, whose, and of which plan, before the task's own words.
        of = f"nhiệm vụ {ref} của {_plan_label(number)} — {_who(role, agency, leads[task_id])}"
        if state == OPEN and due is not None:
            events.append(ical.Event(
                uid=f"giao-viec-{a_id}@dondoc", day=due, summary=f"Hạn: {ref} {shorten(text, 80)}",
                description=f"Hạn {of}\n{shorten(text, 500)}\nThời hạn: {due:%d/%m/%Y}\n{url}",
                url=url, categories="Hạn nhiệm vụ"))
        elif state == Status.ONGOING.value and (recurrence, plan_id) in report_days:
            for period, report_day in report_days[(recurrence, plan_id)]:
                events.append(ical.Event(
                    uid=f"giao-viec-{a_id}-{period.id}@dondoc", day=report_day,
                    summary=f"Báo cáo {period.label}: {ref} {shorten(text, 60)}",
                    description=f"Hạn báo cáo {period.label} về {of}\n{shorten(text, 500)}\n"
                                f"Kỳ báo cáo {period.label} (số liệu đến {period.end:%d/%m/%Y}), hạn báo cáo {report_day:%d/%m/%Y}\n{url}",
                    url=url, categories="Báo cáo định kỳ"))
        if len(events) >= MAX_EVENTS:
            break
    plans = (Plan.objects.filter(status="published", agency_report_date__isnull=False, tasks__assignments__agency_id=agency_id,
                                 tasks__assignments__ended_at__isnull=True)
             .distinct().values_list("pk", "number", "agency_report_date"))
    for pk, number, report_day in plans:
        url = base + reverse("plans:detail", args=[pk])
        events.append(ical.Event(uid=f"ke-hoach-{pk}-bao-cao-co-quan@dondoc", day=report_day,
                                 summary=f"Hạn báo cáo kết quả thực hiện {_plan_label(number)}",
                                 description=f"Hạn các cơ quan báo cáo kết quả thực hiện {_plan_label(number)}.\n{url}",
                                 url=url, categories="Hạn báo cáo kế hoạch"))
    return events[:MAX_EVENTS]


def _oversight_events() -> list[ical.Event]:
    base = base_url()
    events = []
    for pk, number, agency_day, coordinator_day in (Plan.objects.filter(status="published")
                                                    .values_list("pk", "number", "agency_report_date",
                                                                 "coordinator_report_date")):
        url = base + reverse("plans:detail", args=[pk])
        if agency_day:
            events.append(ical.Event(uid=f"ke-hoach-{pk}-bao-cao-co-quan@dondoc", day=agency_day,
                                     summary=f"Hạn các cơ quan báo cáo: {_plan_label(number)}",
                                     description=f"Hạn các cơ quan báo cáo kết quả thực hiện {_plan_label(number)}.\n{url}",
                                     url=url, categories="Hạn báo cáo kế hoạch"))
        if coordinator_day:
            events.append(ical.Event(uid=f"ke-hoach-{pk}-bao-cao-tong-hop@dondoc", day=coordinator_day,
                                     summary=f"Hạn tổng hợp báo cáo UBND: {_plan_label(number)}",
                                     description=f"Hạn cơ quan theo dõi, tổng hợp báo cáo Ủy ban nhân dân về "
                                                 f"{_plan_label(number)}.\n{url}",
                                     url=url, categories="Hạn báo cáo kế hoạch"))
    return events[:MAX_EVENTS]


def feed(token: CalendarToken) -> tuple[str, list[ical.Event]]:
    """(calendar name, events) of a live token."""
    day = clock.today()
    user = token.user
    if token.scope == CalendarScope.AGENCY:
        return f"dondoc – {token.agency.name}", _assignment_events(token.agency_id, day)
    if is_agency_person(user):
        return f"dondoc – {user.display_name}", _assignment_events(user.agency_id, day, person=user)
    return f"dondoc – {user.display_name}", _oversight_events()


def render(token: CalendarToken) -> str:
    name, events = feed(token)
    return ical.calendar(name, events, clock.now(), description="Hạn nhiệm vụ và hạn báo cáo từ hệ thống dondoc")
