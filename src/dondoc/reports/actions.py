"""The agency report workflow: draft → submitted → approved → accepted, with returns.

    draft ──submit (focal/head)──▶ submitted ──approve (head)──▶ approved ──accept (coordinator)──▶ accepted (locked)
      ▲                               │                             │
      └──── return (head, reason) ────┘                             └── return (coordinator, reason) ──▶ returned
    returned ──submit──▶ submitted                                                       (edited like a draft)

Each action checks who may act (access.py), changes the database in one transaction, records an audit event and
moves the status version on (spans.bump: memoised figures and rankings count late reports). A transition that
is not in the diagram raises Conflict (HTTP 409); an accepted report refuses every change (Locked, 409).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse

from dondoc.accounts.roles import Role
from dondoc.audit import record
from dondoc.core import clock, errors
from dondoc.core.errors import ActionError
from dondoc.core.limits import LONG_TEXT
from dondoc.plans.models import Plan, PlanStatus
from dondoc.tracking import spans
from dondoc.tracking.notifications import agency_people, coordinators, notify

from . import access, deadlines, periods, prefill
from .models import AgencyReport, AgencyReportItem, ReportState

MAX_TEXT = LONG_TEXT  # characters per field (core/limits.py): a report is prose, not an upload


class ReportError(ActionError):
    """Refused input, with a message for the user in Vietnamese (HTTP 400)."""


class Conflict(ReportError, errors.Conflict):
    """The report is not in a state that allows this, or someone changed it first (HTTP 409)."""

    def __init__(self, message: str, report: AgencyReport | None = None):
        super().__init__(message)
        self.report = report


class Locked(Conflict):
    """The coordinator accepted the report: it no longer changes."""


LOCKED_MESSAGE = "Báo cáo đã được cơ quan tổng hợp tiếp nhận nên không thể sửa đổi."
STATE_MESSAGES = {
    ReportState.SUBMITTED: "Báo cáo đang chờ thủ trưởng đơn vị duyệt, chưa sửa được; thủ trưởng có thể trả lại để sửa.",
    ReportState.APPROVED: "Báo cáo đã gửi cơ quan tổng hợp, chưa sửa được; cơ quan tổng hợp có thể trả lại để sửa.",
}


def report_url(report) -> str:
    return reverse("reports:detail", args=[report.pk])


def _text(value) -> str:
    return (value or "").strip()[:MAX_TEXT]


def _locked(report: AgencyReport) -> AgencyReport:
    # The report's row only: the joined plan and agency locked too would make every agency's report of a plan wait.
    return AgencyReport.objects.select_for_update(of=("self",)).select_related("plan", "agency").get(pk=report.pk)


def _require_editable(report: AgencyReport) -> None:
    if report.state == ReportState.ACCEPTED:
        raise Locked(LOCKED_MESSAGE, report)
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise Conflict(STATE_MESSAGES.get(report.state, "Báo cáo không ở trạng thái được sửa."), report)


@transaction.atomic
def do_create_report(plan: Plan, user, *, period: str, request=None) -> AgencyReport:
    """A draft report of the user's agency on `plan` for `period`, pre-filled from the agency's updates."""
    access.require_member(user, user.agency_id)
    if plan.status == PlanStatus.DRAFT:
        raise ReportError("Kế hoạch chưa ban hành giao việc: chưa lập báo cáo được.")
    try:
        chosen = periods.parse_period(period)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    existing = AgencyReport.objects.filter(plan=plan, agency_id=user.agency_id, period=chosen.id).first()
    if existing is not None:
        raise Conflict(f"Đơn vị đã có báo cáo {chosen.label} về {plan}.", existing)
    items = prefill.prefill(plan.pk, user.agency_id, chosen, clock.today())
    if not items:
        raise ReportError("Đơn vị không được giao nhiệm vụ nào trong kế hoạch này.")
    try:
        with transaction.atomic():
            report = AgencyReport.objects.create(plan=plan, agency_id=user.agency_id, period=chosen.id,
                                                 deadline=deadlines.report_deadline_for(plan, chosen), created_by=user)
    except IntegrityError:  # two people of the agency pressed the button at once
        raise Conflict(f"Đơn vị đã có báo cáo {chosen.label} về {plan}.",
                       AgencyReport.objects.filter(plan=plan, agency_id=user.agency_id, period=chosen.id).first())
    AgencyReportItem.objects.bulk_create([
        AgencyReportItem(report=report, assignment_id=i.assignment_id, task_id=i.task_id, order=i.order, role=i.role,
                         results=i.results, difficulties=i.difficulties, proposals=i.proposals, percent=i.percent,
                         status=i.status, from_updates=i.from_updates) for i in items], batch_size=500)
    if not any(i.from_updates for i in items):
        report.summary = prefill.NO_UPDATES_OVERALL
        report.save(update_fields=["summary"])
    record("report.created", actor=user, obj=report, request=request,
           changes={"period": chosen.id, "items": len(items), "deadline": report.deadline.isoformat()})
    return report


@transaction.atomic
def do_edit_report(report: AgencyReport, user, *, version: int, items: dict | None = None, summary=None,
                   difficulties=None, proposals=None, and_submit: bool = False, request=None) -> AgencyReport:
    """Save the focal point's text. `items`: {item id: {"results", "difficulties", "proposals"}} (missing keys kept).
    `and_submit`: the user's "save and send" — saved and sent to the head together, or neither."""
    access.require_member(user, report.agency_id)
    report = _locked(report)
    _require_editable(report)
    if version != report.version:
        raise Conflict("Báo cáo vừa được người khác sửa; hãy tải lại trang để xem bản mới nhất rồi sửa tiếp.", report)
    changed = []
    for name, value in (("summary", summary), ("difficulties", difficulties), ("proposals", proposals)):
        if value is not None and _text(value) != getattr(report, name):
            setattr(report, name, _text(value))
            changed.append(name)
    edited = []
    if items:
        rows = {i.pk: i for i in report.items.filter(pk__in=[int(k) for k in items])}
        for key, values in items.items():
            item = rows.get(int(key))
            if item is None:
                raise ReportError("Nội dung báo cáo không thuộc báo cáo này.")
            dirty = False
            for name in ("results", "difficulties", "proposals"):
                if name in values and values[name] is not None and _text(values[name]) != getattr(item, name):
                    setattr(item, name, _text(values[name]))
                    dirty = True
            if dirty:
                edited.append(item)
        AgencyReportItem.objects.bulk_update(edited, ["results", "difficulties", "proposals"], batch_size=500)
    report.version += 1
    report.save()
    record("report.edited", actor=user, obj=report, request=request,
           changes={"fields": changed, "items": [i.task_id for i in edited][:200]})
    return do_submit(report, user, request=request) if and_submit else report


@transaction.atomic
def do_refill(report: AgencyReport, user, *, version: int, request=None) -> AgencyReport:
    """Take the text again from the agency's updates (what was typed in the report is replaced)."""
    access.require_member(user, report.agency_id)
    report = _locked(report)
    _require_editable(report)
    if version != report.version:
        raise Conflict("Báo cáo vừa được người khác sửa; hãy tải lại trang.", report)
    fresh = {i.assignment_id: i for i in prefill.prefill(report.plan_id, report.agency_id,
                                                          periods.parse_period(report.period), clock.today())}
    existing = {i.assignment_id: i for i in report.items.all()}
    for a_id, item in existing.items():
        new = fresh.get(a_id)
        if new is not None:
            item.results, item.difficulties, item.proposals = new.results, new.difficulties, new.proposals
            item.percent, item.status, item.from_updates = new.percent, new.status, new.from_updates
    AgencyReportItem.objects.bulk_update(list(existing.values()), ["results", "difficulties", "proposals", "percent",
                                                                  "status", "from_updates"], batch_size=500)
    AgencyReportItem.objects.bulk_create([
        AgencyReportItem(report=report, assignment_id=i.assignment_id, task_id=i.task_id, order=i.order, role=i.role,
                         results=i.results, difficulties=i.difficulties, proposals=i.proposals, percent=i.percent,
                         status=i.status, from_updates=i.from_updates) for a, i in fresh.items() if a not in existing])
    report.version += 1
    report.save(update_fields=["version"])
    record("report.refilled", actor=user, obj=report, request=request, changes={"items": len(fresh)})
    return report


def _snapshot_statuses(report: AgencyReport) -> None:
    """Each item's status on the report's day, as it stands when the report is sent."""
    items = list(report.items.all())
    day = prefill.as_of(periods.parse_period(report.period), clock.today())
    found = prefill.statuses([i.assignment_id for i in items], day)
    for i in items:
        i.status = found.get(i.assignment_id, i.status)
    AgencyReportItem.objects.bulk_update(items, ["status"], batch_size=500)


@transaction.atomic
def do_submit(report: AgencyReport, user, *, request=None) -> AgencyReport:
    """The focal point (or the head) sends the report to the head. After the deadline it is accepted, and late."""
    access.require_member(user, report.agency_id)
    report = _locked(report)
    _require_editable(report)
    now = clock.now()
    report.state = ReportState.SUBMITTED
    report.submitted_at, report.submitted_by = now, user
    if report.submitted_on is None:
        report.submitted_on = clock.today()
    report.version += 1
    report.save()
    _snapshot_statuses(report)
    spans.bump()
    record("report.submitted", actor=user, obj=report, request=request,
           changes={"late": report.late, "deadline": report.deadline.isoformat()})
    heads = agency_people(report.agency_id, (Role.HEAD,)).exclude(pk=user.pk)
    notify(heads, "report_submitted", f"Có {report.label} chờ thủ trưởng duyệt", report_url(report))
    return report


@transaction.atomic
def do_approve(report: AgencyReport, user, *, request=None) -> AgencyReport:
    """The head approves: the report goes to the coordinator."""
    access.require_head(user, report.agency_id)
    report = _locked(report)
    if report.state == ReportState.ACCEPTED:
        raise Locked(LOCKED_MESSAGE, report)
    if report.state != ReportState.SUBMITTED:
        raise Conflict("Chỉ duyệt được báo cáo đã gửi thủ trưởng và đang chờ duyệt.", report)
    report.state = ReportState.APPROVED
    report.approved_at, report.approved_by = clock.now(), user
    report.version += 1
    report.save()
    spans.bump()
    record("report.approved", actor=user, obj=report, request=request, changes={})
    notify(coordinators(), "report_approved", f"{report.agency} đã gửi {report.label}", report_url(report))
    return report


@transaction.atomic
def do_accept(report: AgencyReport, user, *, request=None) -> AgencyReport:
    """The coordinator receives the report: from now on it is locked."""
    access.require_coordinator(user)
    report = _locked(report)
    if report.state == ReportState.ACCEPTED:
        raise Locked("Báo cáo đã được tiếp nhận.", report)
    if report.state != ReportState.APPROVED:
        raise Conflict("Chỉ tiếp nhận được báo cáo thủ trưởng đơn vị đã duyệt, gửi cơ quan tổng hợp.", report)
    report.state = ReportState.ACCEPTED
    report.accepted_at, report.accepted_by = clock.now(), user
    report.version += 1
    report.save()
    spans.bump()
    record("report.accepted", actor=user, obj=report, request=request, changes={"late": report.late})
    notify(agency_people(report.agency_id), "report_accepted", f"Cơ quan tổng hợp đã tiếp nhận {report.label}",
            report_url(report))
    return report


@transaction.atomic
def do_return(report: AgencyReport, user, *, reason: str, request=None) -> AgencyReport:
    """Send the report back with a reason: the head returns a submitted report to draft; the coordinator returns
    an approved one (state "returned"). The agency edits and submits again."""
    reason = _text(reason)
    if user.role in access.COORDINATORS:
        expected, new_state = ReportState.APPROVED, ReportState.RETURNED
    else:
        access.require_head(user, report.agency_id)
        expected, new_state = ReportState.SUBMITTED, ReportState.DRAFT
    if not reason:
        raise ReportError("Hãy ghi lý do trả lại.")
    report = _locked(report)
    if report.state == ReportState.ACCEPTED:
        raise Locked(LOCKED_MESSAGE, report)
    if report.state != expected:
        who = "Cơ quan tổng hợp chỉ trả lại báo cáo đã được thủ trưởng duyệt, gửi đến." if new_state == ReportState.RETURNED \
            else "Thủ trưởng chỉ trả lại báo cáo đang chờ duyệt."
        raise Conflict(who, report)
    report.state = new_state
    report.returned_at, report.returned_by, report.return_reason = clock.now(), user, reason
    report.version += 1
    report.save()
    spans.bump()
    record("report.returned", actor=user, obj=report, request=request, changes={"reason": reason, "to": new_state})
    people = agency_people(report.agency_id).exclude(pk=user.pk)
    by = "Cơ quan tổng hợp" if new_state == ReportState.RETURNED else "Thủ trưởng đơn vị"
    notify(people, "report_returned", f"{by} trả lại {report.label}: {reason[:200]}", report_url(report))
    return report
