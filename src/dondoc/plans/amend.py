"""A published plan's own facts corrected by a dated amendment (issue 15): a title that lost its first word, the
coordinating agency, the report dates.

The amendment is the coordinator's (or the administrator's), carries its date and its basis (the document that
amends the plan, "Văn bản số 12/UBND-TH ngày 05/6/2024", and/or a reason), and is kept in the audit trail
("plan.header_amended"), which is also where the plan's page reads its list of amendments: the trail is append-only,
so the list cannot be edited behind the plan's back. The normalisation, the agency check and the diff are the
draft's (actions.apply_header_changes): one rule for both.

What follows from an amendment follows from the plan's fields, read where they are used: the report dates by
reports/deadlines.py, the reminders and the calendar feed, the status cache (tracking/spans.py refreshes it when
`agency_report_date` is saved). Apps above that keep a copy of a date are told by `plan_header_amended`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from dondoc.audit import record
from dondoc.audit.models import Event
from dondoc.core import clock

from .access import DRAFT_ROLES, require_role
from .actions import HEADER_FIELDS, PlanError, apply_header_changes
from .models import Plan, PlanStatus
from .signals import plan_header_amended

AMENDED = "plan.header_amended"  # the event kind, as recorded below and read by amendments()

# The issue date stays: it decided which agencies received the work (names were read on that day). A wrong date
# is corrected by a revision of the plan (upload again).
AMENDABLE_FIELDS = tuple(f for f in HEADER_FIELDS if f != "issued_on")
DATE_FIELDS = ("issued_on", "agency_report_date", "coordinator_report_date")
BASIS_MAX, REASON_MAX = 500, 1000
DRAFT_REFUSAL = "Kế hoạch còn là bản nháp: hãy sửa thông tin kế hoạch ở màn hình rà soát bản nháp."

__all__ = ["AMENDABLE_FIELDS", "AMENDED", "DRAFT_REFUSAL", "Amendment", "amendments", "do_amend_plan_header",
           "field_label"]


def field_label(name: str) -> str:
    """The field as the plan's page names it ("trích yếu", "hạn các cơ quan báo cáo")."""
    return str(Plan._meta.get_field(name).verbose_name)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _check_date(plan: Plan, amended_on) -> dt.date:
    if not isinstance(amended_on, dt.date):
        raise PlanError("Hãy ghi ngày sửa đổi (ngày của văn bản sửa đổi hoặc ngày quyết định sửa đổi).")
    today = clock.today()
    if amended_on > today:
        raise PlanError(f"Ngày sửa đổi {amended_on:%d/%m/%Y} chưa đến: không được sau hôm nay ({today:%d/%m/%Y}).")
    if plan.issued_on and amended_on < plan.issued_on:
        raise PlanError(f"Ngày sửa đổi {amended_on:%d/%m/%Y} không được trước ngày ban hành kế hoạch "
                        f"({plan.issued_on:%d/%m/%Y}).")
    return amended_on


@transaction.atomic
def do_amend_plan_header(plan: Plan, changes: dict, *, amended_on: dt.date, basis: str = "", reason: str = "",
                         user, request=None) -> Plan:
    """Amend a published plan's header: `changes` of AMENDABLE_FIELDS (what does not differ is left out), dated
    `amended_on` (from the plan's issue date to today), on a `basis` (the amending document) and/or a `reason` (one
    of them required). All of it is written with its audit event, or nothing: a refusal changes nothing."""
    require_role(user, DRAFT_ROLES, "Chỉ cơ quan theo dõi, tổng hợp hoặc quản trị hệ thống được sửa đổi thông tin "
                                    "kế hoạch đã ban hành.")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)  # no join: PostgreSQL locks no nullable outer side
    if plan.status == PlanStatus.DRAFT:
        raise PlanError(DRAFT_REFUSAL)
    if plan.status == PlanStatus.SUPERSEDED:
        raise PlanError("Kế hoạch đã được thay thế bằng bản sửa đổi: hãy sửa đổi kế hoạch đang thực hiện.")
    if plan.status != PlanStatus.PUBLISHED:
        raise PlanError(f"Kế hoạch {plan.get_status_display().lower()}: không sửa đổi thông tin được nữa.")
    if "issued_on" in changes and changes["issued_on"] != plan.issued_on:
        raise PlanError("Không sửa ngày ban hành của kế hoạch đã ban hành (các cơ quan được giao việc theo ngày này); "
                        "nếu ngày sai, hãy tải lên bản sửa đổi của kế hoạch.")
    basis, reason = _clean(basis), _clean(reason)
    if not basis and not reason:
        raise PlanError("Hãy ghi căn cứ sửa đổi (văn bản sửa đổi, ví dụ “Văn bản số 12/UBND-TH ngày 05/6/2024”) "
                        "hoặc lý do sửa đổi.")
    if len(basis) > BASIS_MAX or len(reason) > REASON_MAX:
        raise PlanError(f"Căn cứ sửa đổi tối đa {BASIS_MAX} ký tự, lý do tối đa {REASON_MAX} ký tự.")
    amended_on = _check_date(plan, amended_on)
    before = {name: getattr(plan, name) for name in AMENDABLE_FIELDS}
    diff = apply_header_changes(plan, changes, AMENDABLE_FIELDS)
    if not diff:
        raise PlanError("Thông tin kế hoạch không thay đổi: không có gì để sửa đổi.")
    if "title" in diff and not plan.title:
        raise PlanError("Trích yếu của kế hoạch đã ban hành không được để trống.")
    if "coordinating_agency" in diff and plan.coordinating_agency is None:
        raise PlanError("Kế hoạch đã ban hành phải có cơ quan theo dõi, tổng hợp.")
    plan.save(update_fields=list(diff))
    record("plan.header_amended", actor=user, obj=plan, request=request,
           changes={"fields": diff, "amended_on": amended_on.isoformat(), "basis": basis, "reason": reason})
    plan_header_amended.send(sender=Plan, plan=plan, before={name: before[name] for name in diff}, user=user,
                             request=request)
    return plan


@dataclass
class Amendment:
    """One past amendment as the plan's page lists it: its date, basis and reason, who made it and when, and each
    field changed as (label, old, new), written as the page writes them."""

    amended_on: dt.date | None
    basis: str
    reason: str
    by: str
    at: dt.datetime
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _shown(name: str, value: str) -> str:
    if name in DATE_FIELDS and value:
        try:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return value or "—"


def amendments(plan: Plan) -> list[Amendment]:
    """The plan's amendments, from the audit trail, the latest first (by date, then by when they were recorded)."""
    found = []
    events = (Event.objects.filter(action=AMENDED, object_type=Plan._meta.label_lower, object_id=str(plan.pk))
              .select_related("actor").order_by("-at", "-id"))
    for e in events:
        data = e.changes or {}
        try:
            on = dt.date.fromisoformat(data.get("amended_on") or "")
        except ValueError:
            on = None
        actor = e.actor.display_name if e.actor is not None else e.actor_name
        rows = [(field_label(name), _shown(name, old), _shown(name, new))
                for name, (old, new) in (data.get("fields") or {}).items() if name in HEADER_FIELDS]
        found.append(Amendment(on, data.get("basis") or "", data.get("reason") or "", actor, e.at, rows))
    found.sort(key=lambda a: a.amended_on or dt.date.min, reverse=True)  # stable: same date, latest recorded first
    return found
