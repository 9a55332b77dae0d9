"""Handing an ended agency's open work over to its successors (the 2025 reorganisation, issue 18).

An assignment handed over is ended from the hand-over day and keeps everything it holds (reports, claims,
extensions, directions stay the old agency's); a new assignment of the successor, linked to it (`predecessor`),
continues it from that day. The status cache does the attribution: the old assignment's days before the hand-over
are the old agency's (lateness included), the new one's days from it are the successor's. Work done, or reported
done and awaiting confirmation, stays where it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from dondoc.accounts.models import User
from dondoc.audit import record
from dondoc.core import clock, errors
from dondoc.core.text import fold
from dondoc.orgs.models import Agency
from dondoc.plans.models import Assignment, Plan, Task

from . import access, spans
from .actions import Conflict, TrackingError
from .models import Claim, DecisionState, Extension, HandOver, HandOverItem, StatusSpan, Update
from .notifications import agency_people, notify
from .status import FOREVER, LOCAL_TZ, OPEN, Status

# What is handed over: open work (in time or overdue) and recurring work. Done work, and work reported done and
# awaiting the coordinator's confirmation, stay with the agency that did it.
MOVED_STATES = (OPEN, Status.ONGOING.value)
ACCOUNT_CHOICES = ("move", "deactivate", "keep")
BATCH = 500


@dataclass
class Route:
    """One successor link as of the hand-over day: the agencies it leads to and the fields it takes over."""

    successors: list[Agency]
    fields: list[str]  # folded phrases; empty: everything no other successor takes


@dataclass
class Proposed:
    assignment: Assignment
    successors: list[Agency] = field(default_factory=list)


start_of = clock.start_of


def default_effective(agency: Agency) -> dt.date | None:
    return agency.valid_to + dt.timedelta(days=1) if agency.valid_to else None


def routes(agency: Agency, effective: dt.date) -> list[Route]:
    out = []
    for link in agency.succession_links.select_related("successor").order_by("successor__sort_key"):
        target = link.successor
        found = [target] if target.is_active_on(effective) else target.successors_on(effective)
        if found:
            out.append(Route(found, [fold(p) for p in re.split(r"[,;\n]", link.fields or "") if fold(p)]))
    return out


def successors(agency: Agency, effective: dt.date) -> list[Agency]:
    found = {a.pk: a for r in routes(agency, effective) for a in r.successors}
    return sorted(found.values(), key=lambda a: a.sort_key)


def main_successor(agency: Agency, effective: dt.date) -> Agency | None:
    """Who takes the accounts and the plans the agency coordinated: the only successor, or the only one taking
    "the other fields" (no field of its own)."""
    every = successors(agency, effective)
    if len(every) == 1:
        return every[0]
    general = {a.pk: a for r in routes(agency, effective) if not r.fields for a in r.successors}
    return next(iter(general.values())) if len(general) == 1 else None


def open_assignments(agency: Agency, day: dt.date):
    """The agency's assignments still to be done on `day`, in published plans: what a hand-over moves."""
    holding = spans.on(day, StatusSpan.objects.filter(agency_id=agency.pk, state__in=MOVED_STATES))
    return (Assignment.objects.filter(pk__in=holding.values("assignment_id"), ended_at__isnull=True,
                                      task__cancelled_at__isnull=True)
            .select_related("task", "task__plan", "task__section").order_by("task__plan_id", "task__order", "pk"))


def propose(agency: Agency, effective: dt.date, day: dt.date | None = None) -> list[Proposed]:
    """Each open assignment with the successors proposed for it: those whose fields the task's text or its
    section's title names; else the one successor taking the other fields. None when nothing decides (a district
    split among several communes): the coordinator chooses."""
    found = routes(agency, effective)
    general = [a for r in found if not r.fields for a in r.successors]
    out = []
    for a in open_assignments(agency, day or clock.today()):
        text = fold(" ".join([a.task.text, getattr(a.task.section, "title", "") or ""]))
        named = [s for r in found if any(f" {p} " in f" {text} " for p in r.fields) for s in r.successors]
        chosen = named or (general if len(general) == 1 else [])
        out.append(Proposed(a, list({s.pk: s for s in chosen}.values())))
    return out


def chain(assignment: Assignment) -> dict:
    """What the assignment continues and what continues it, each {assignment, agency, on}: the pages and the API show
    the hand-over (Sở KH&ĐT → Sở Tài chính, from 01/03/2025). Names only: the other agency's work is not shown."""
    def link(a, at):
        return {"assignment": a.pk, "agency": {"id": a.agency_id, "name": a.agency.name},
                "on": at.astimezone(LOCAL_TZ).date()}

    before = (Assignment.objects.select_related("agency").filter(pk=assignment.predecessor_id).first()
              if assignment.predecessor_id else None)
    after = list(assignment.continued_by.select_related("agency").order_by("agency__sort_key"))
    return {"predecessor": link(before, assignment.added_at) if before and assignment.added_at else None,
            "successors": [link(a, a.added_at) for a in after if a.added_at]}


def _check(agency: Agency, effective: dt.date) -> None:
    if agency.valid_to is None:
        raise TrackingError(f"{agency.name} vẫn còn hoạt động: ghi ngày cuối cùng của cơ quan (hiệu lực đến) trước khi "
                            "bàn giao công việc.")
    if effective <= agency.valid_to:
        raise TrackingError(f"Ngày bàn giao phải sau ngày cuối cùng của {agency.name} "
                            f"({agency.valid_to:%d/%m/%Y}).")


def scheduled_of(agency: Agency) -> HandOver | None:
    return agency.handovers.filter(state=HandOver.State.SCHEDULED).order_by("effective").first()


@dataclass
class _Decided:
    """A hand-over checked and ready: what moves where, and who takes the accounts and the coordinated plans."""

    agency: Agency
    effective: dt.date
    allowed: dict[int, Agency]
    choices: dict[int, list[int]]
    accounts: str
    main: Agency | None
    people: list[User]
    coordinated: list[Plan]


def _decide(agency: Agency, user, effective: dt.date | None, choices: dict[int, list[int]] | None, accounts: str,
            accounts_to: Agency | None) -> _Decided:
    access.require_role(user, access.COORDINATORS, "Chỉ cơ quan theo dõi, tổng hợp bàn giao công việc.")
    agency = Agency.objects.select_for_update().get(pk=agency.pk)  # two hand-overs of one agency: one after the other
    effective = effective or default_effective(agency)
    _check(agency, effective or clock.today())
    if accounts not in ACCOUNT_CHOICES:
        raise TrackingError("Cách xử lý tài khoản không hợp lệ.")
    allowed = {a.pk: a for a in successors(agency, effective)}
    if choices is None:
        choices = {p.assignment.pk: [s.pk for s in p.successors] for p in propose(agency, effective)}
        movable = set(choices)
    else:  # the caller chose from a proposal it read: only check that each is still the agency's open work
        movable = set(open_assignments(agency, clock.today()).values_list("pk", flat=True))
    unknown = [pk for pk in choices if pk not in movable]
    if unknown:
        raise Conflict("Có nhiệm vụ không còn để bàn giao (đã hoàn thành, đã chuyển hoặc không thuộc cơ quan này): "
                       "hãy tải lại trang.")
    missing = sum(1 for ids in choices.values() if not ids)
    if missing:
        raise TrackingError(f"Chưa chọn cơ quan kế thừa cho {missing} nhiệm vụ.")
    chosen = {pk for ids in choices.values() for pk in ids}
    foreign = chosen - set(allowed)
    if foreign:
        names = ", ".join(Agency.objects.filter(pk__in=foreign).order_by("sort_key").values_list("name", flat=True))
        raise TrackingError(f"{names or 'Cơ quan đã chọn'} không phải cơ quan kế thừa của {agency.name} có hiệu lực "
                            f"ngày {effective:%d/%m/%Y}.")
    main = accounts_to or main_successor(agency, effective)
    if main is not None and main.pk not in allowed:
        raise TrackingError(f"{main.name} không phải cơ quan kế thừa của {agency.name} có hiệu lực ngày {effective:%d/%m/%Y}.")
    people = list(User.objects.filter(agency=agency).order_by("pk"))
    # The plans being drafted or carried out pass to the successor; a closed or superseded plan keeps who coordinated it.
    coordinated = list(Plan.objects.filter(coordinating_agency=agency, status__in=("draft", "published")).order_by("pk"))
    if main is None and ((accounts == "move" and any(u.is_active for u in people)) or coordinated):
        raise TrackingError("Hãy chọn cơ quan kế thừa nhận tài khoản và vai trò theo dõi, tổng hợp của cơ quan cũ.")
    return _Decided(agency, effective, allowed, choices, accounts, main, people, coordinated)


@transaction.atomic
def do_hand_over(agency: Agency, user, *, effective: dt.date | None = None, choices: dict[int, list[int]] | None = None,
                 accounts: str = "move", accounts_to: Agency | None = None, request=None) -> HandOver:
    """Hand the agency's open assignments over, in one transaction. `choices`: {assignment id: [successor ids]} for
    the assignments to move (default: the proposal; an assignment left out stays). `accounts`: the agency's
    accounts move to `accounts_to` (default: the main successor), are deactivated, or are kept as they are.

    With an effective day still to come the hand-over is checked the same way and scheduled: the worker applies it
    on that day (apply_due), until then the agency keeps its work and its people."""
    decided = _decide(agency, user, effective, choices, accounts, accounts_to)
    agency, effective = decided.agency, decided.effective
    waiting = scheduled_of(agency)
    if waiting is not None:
        raise Conflict(f"Đã có lịch bàn giao của {agency.name} từ ngày {waiting.effective:%d/%m/%Y}: hủy lịch đó "
                       "trước khi bàn giao lại.")
    if effective > clock.today():
        main = decided.main
        handover = HandOver.objects.create(
            agency=agency, effective=effective, state=HandOver.State.SCHEDULED, applied_by=user,
            choices=_stored(agency, decided.choices), accounts_choice=decided.accounts,
            accounts_to=main)
        record("agency.handover_scheduled", actor=user, obj=agency, request=request, changes={
            "handover": handover.pk, "effective": effective.isoformat(), "assignments": len(decided.choices),
            "accounts": decided.accounts, "accounts_to": main.code if main else None})
        return handover
    handover = HandOver(agency=agency, effective=effective, applied_by=user)
    return _apply(decided, user, handover, request=request)


def _stored(agency: Agency, choices: dict[int, list[int]]) -> dict[str, list[int]]:
    """The choices a scheduled hand-over keeps, with [] for the open work the coordinator left with the agency (so
    that on the day only work opened since is proposed anew)."""
    kept = {str(pk): [] for pk in open_assignments(agency, clock.today()).values_list("pk", flat=True)}
    kept.update({str(k): sorted(v) for k, v in choices.items()})
    return dict(sorted(kept.items(), key=lambda kv: int(kv[0])))


def _apply(decided: _Decided, user, handover: HandOver, *, request=None) -> HandOver:
    agency, effective, allowed, choices, main = (decided.agency, decided.effective, decided.allowed, decided.choices,
                                                 decided.main)
    at, now = start_of(effective), clock.now()
    ids = sorted(choices)
    # The rows a progress report locks (tracking/actions._LOCK: the assignment and its task), in one order: a report
    # racing with the hand-over waits for it, then finds its assignment ended.
    for chunk in (ids[i:i + BATCH] for i in range(0, len(ids), BATCH)):
        list(Assignment.objects.select_for_update(of=("self", "task")).select_related("task").filter(pk__in=chunk)
             .order_by("pk").only("id", "task__id"))
    olds = {a.pk: a for a in Assignment.objects.filter(pk__in=ids, ended_at__isnull=True)}
    if len(olds) != len(ids):
        raise Conflict("Có nhiệm vụ vừa được chuyển hoặc kết thúc: hãy tải lại trang.")
    handover.state, handover.applied_at, handover.error = HandOver.State.APPLIED, now, ""
    handover.save()
    wanted = [(olds[pk], allowed[s]) for pk in ids for s in sorted(set(choices[pk]))]
    existing = {(a.task_id, a.agency_id, a.role): a for a in Assignment.objects.filter(
        task_id__in={o.task_id for o, _ in wanted}, agency_id__in={s.pk for _, s in wanted})}
    fresh, items, reopened = [], [], []
    for old, successor in wanted:
        found = existing.get((old.task_id, successor.pk, old.role))
        if found is None:
            found = Assignment(task_id=old.task_id, agency=successor, role=old.role, added_at=at, predecessor=old,
                               updated_at=now)
            existing[(old.task_id, successor.pk, old.role)] = found
            fresh.append(found)
            items.append(HandOverItem(handover=handover, old=old, successor=successor, new=found, created=True))
        else:
            if found.ended_at:
                reopened.append(found.pk)
            items.append(HandOverItem(handover=handover, old=old, successor=successor, new=found, created=False))
    Assignment.objects.bulk_create(fresh, batch_size=BATCH)
    for item in items:
        item.new_id = item.new.pk
    HandOverItem.objects.bulk_create(items, batch_size=BATCH)
    handover.inherited = _inherit_extensions(agency, effective, [i for i in items if i.created], at, now)
    Assignment.objects.filter(pk__in=ids).update(ended_at=at, updated_at=now)
    if reopened:
        Assignment.objects.filter(pk__in=reopened).update(ended_at=None, updated_at=now)
    Task.objects.filter(pk__in={o.task_id for o in olds.values()}).update(updated_at=now)

    coordinated, people, accounts = decided.coordinated, decided.people, decided.accounts
    if main is not None:
        handover.plans = [[p.pk, agency.pk] for p in coordinated]
        Plan.objects.filter(pk__in=[p.pk for p in coordinated]).update(coordinating_agency=main)
    if accounts != "keep":
        handover.accounts = [[u.pk, u.agency_id, u.is_active] for u in people]
        if accounts == "move":  # main is set whenever an active account is to move (checked in _decide)
            User.objects.filter(pk__in=[u.pk for u in people]).update(agency=main or agency)
        else:
            User.objects.filter(pk__in=[u.pk for u in people]).update(is_active=False)
    handover.save(update_fields=["plans", "accounts", "inherited"])
    spans.refresh([*ids, *(a.pk for a in fresh), *reopened])  # the status cache, and every memoised page, follow

    by_successor: dict[int, int] = {}
    for item in items:
        by_successor[item.successor_id] = by_successor.get(item.successor_id, 0) + 1
    for successor_id, n in by_successor.items():
        notify(agency_people(successor_id), "assigned",
               f"Tiếp nhận {n} nhiệm vụ của {agency.name} từ ngày {effective:%d/%m/%Y}", reverse("tracking:my_work"))
    record("agency.handed_over", actor=user, obj=agency, request=request, changes={
        "handover": handover.pk, "effective": effective.isoformat(), "assignments": len(ids),
        "successors": {allowed[k].code: n for k, n in by_successor.items()}, "accounts": accounts,
        "accounts_to": main.code if main else None, "plans": [p.pk for p in coordinated] if main else []})
    return handover


def _inherit_extensions(agency: Agency, effective: dt.date, items: list[HandOverItem], at: dt.datetime,
                        now: dt.datetime) -> list[int]:
    """A deadline the leader extended for the old agency holds for its successor: each new assignment gets the
    latest approved extension of the one it continues, decided at the hand-over (the successor is not late on the
    day it receives work that was in time)."""
    latest: dict[int, Extension] = {}
    for ext in (Extension.objects.filter(assignment_id__in=[i.old_id for i in items], state=DecisionState.APPROVED)
                .order_by("decided_at", "pk")):
        latest[ext.assignment_id] = ext
    # The grace period (state.lifecycle_records) starts the new assignment too: the later of the two deadlines holds.
    # The inherited one is decided a second after the start so that, being later, it is the last word.
    grace = effective + dt.timedelta(days=settings.HANDOVER_GRACE_DAYS) if settings.HANDOVER_GRACE_DAYS else None
    made = [Extension(assignment_id=i.new_id, original_due=ext.original_due, new_deadline=ext.new_deadline,
                      reason=f"Kế thừa gia hạn đã được đồng ý cho {agency.name} (bàn giao từ ngày {effective:%d/%m/%Y})",
                      requested_by_id=ext.requested_by_id, created_at=now, state=DecisionState.APPROVED,
                      decided_by_id=ext.decided_by_id, decided_at=at + dt.timedelta(seconds=1),
                      decision_note=ext.decision_note)
            for i in items if (ext := latest.get(i.old_id)) is not None and (grace is None or ext.new_deadline >= grace)]
    Extension.objects.bulk_create(made, batch_size=BATCH)
    return [e.pk for e in made]


def apply_due(today: dt.date | None = None) -> dict[str, int]:
    """Apply the scheduled hand-overs whose day has come, each in its own transaction (the worker's sweep; safe on
    several workers: the row is locked and its state checked). What was chosen and is still open moves; work opened
    since is moved by the proposal when it decides, else left on the hand-over page. One that can no longer apply
    (a successor ended, the preparer lost the role) is marked failed, its reason kept and told to its preparer."""
    today = today or clock.today()
    done = {"applied": 0, "failed": 0}
    for pk in (HandOver.objects.filter(state=HandOver.State.SCHEDULED, effective__lte=today)
               .order_by("effective", "pk").values_list("pk", flat=True)):
        try:
            if _apply_scheduled(pk, today):
                done["applied"] += 1
        except (errors.ActionError, errors.Forbidden) as e:
            done["failed"] += 1
            _failed(pk, str(e))
    return done


@transaction.atomic
def _apply_scheduled(pk: int, today: dt.date) -> bool:
    handover = (HandOver.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("agency", "applied_by", "accounts_to")
                .filter(pk=pk, state=HandOver.State.SCHEDULED).first())
    if handover is None:  # another worker has it, or it was cancelled meanwhile
        return False
    agency, user = handover.agency, handover.applied_by
    if not user.is_active:
        raise TrackingError(f"tài khoản của người lập lịch ({user.get_username()}) đã bị khóa.")
    open_now = {p.assignment.pk: [s.pk for s in p.successors] for p in propose(agency, handover.effective, today)}
    chosen = {int(k): v for k, v in handover.choices.items() if v and int(k) in open_now}
    chosen.update({k: v for k, v in open_now.items() if str(k) not in handover.choices and v})
    decided = _decide(agency, user, handover.effective, chosen, handover.accounts_choice, handover.accounts_to)
    _apply(decided, user, handover)
    return True


def _failed(pk: int, reason: str) -> None:
    with transaction.atomic():
        handover = HandOver.objects.select_for_update(of=("self",)).select_related("agency").filter(
            pk=pk, state=HandOver.State.SCHEDULED).first()
        if handover is None:
            return
        handover.state, handover.error = HandOver.State.FAILED, reason
        handover.save(update_fields=["state", "error"])
        notify([handover.applied_by], "handover",
               f"Lịch bàn giao của {handover.agency.name} từ ngày {handover.effective:%d/%m/%Y} không áp dụng được: "
               f"{reason}", reverse("tracking:handover", args=[handover.agency_id]))
        record("agency.handover_failed", actor=None, obj=handover.agency,
               changes={"handover": handover.pk, "reason": reason})


@transaction.atomic
def do_undo_hand_over(handover: HandOver, user, *, request=None) -> HandOver:
    """Put everything back, the same day only and while the successors have done nothing on what they received."""
    access.require_role(user, access.COORDINATORS, "Chỉ cơ quan theo dõi, tổng hợp hoàn tác bàn giao.")
    handover = HandOver.objects.select_for_update().get(pk=handover.pk)
    if handover.state == HandOver.State.SCHEDULED:  # nothing moved yet: the schedule is dropped, any day before it
        handover.state, handover.undone_at, handover.undone_by = HandOver.State.CANCELLED, clock.now(), user
        handover.save(update_fields=["state", "undone_at", "undone_by"])
        record("agency.handover_cancelled", actor=user, obj=handover.agency, request=request,
               changes={"handover": handover.pk, "effective": handover.effective.isoformat()})
        return handover
    if handover.undone_at or handover.state != HandOver.State.APPLIED:
        raise Conflict("Lần bàn giao này đã được hoàn tác." if handover.undone_at else
                       "Lần bàn giao này chưa được áp dụng.")
    if handover.applied_at.astimezone(LOCAL_TZ).date() != clock.today():
        raise TrackingError("Chỉ hoàn tác được trong ngày bàn giao.")
    items = list(handover.items.all())
    made = [i.new_id for i in items if i.created and i.new_id]
    if (Update.objects.filter(assignment_id__in=made).exists() or Claim.objects.filter(assignment_id__in=made).exists()
            or Extension.objects.filter(assignment_id__in=made).exclude(pk__in=handover.inherited).exists()):
        raise Conflict("Cơ quan kế thừa đã báo cáo trên nhiệm vụ được giao: không hoàn tác được.")
    olds = [i.old_id for i in items]
    list(Assignment.objects.select_for_update(of=("self",)).filter(pk__in=olds + made).order_by("pk").values_list("pk"))
    now = clock.now()
    Extension.objects.filter(pk__in=handover.inherited).delete()
    Assignment.objects.filter(pk__in=made).delete()
    Assignment.objects.filter(pk__in=olds, ended_at=start_of(handover.effective)).update(ended_at=None, updated_at=now)
    Task.objects.filter(pk__in=Assignment.objects.filter(pk__in=olds).values("task_id")).update(updated_at=now)
    for plan_id, agency_id in handover.plans:
        Plan.objects.filter(pk=plan_id).update(coordinating_agency_id=agency_id)
    for user_id, agency_id, active in handover.accounts:
        User.objects.filter(pk=user_id).update(agency_id=agency_id, is_active=active)
    handover.undone_at, handover.undone_by = now, user
    handover.save(update_fields=["undone_at", "undone_by"])
    spans.refresh(olds)
    spans.bump()
    record("agency.handover_undone", actor=user, obj=handover.agency, request=request,
           changes={"handover": handover.pk, "assignments": len(olds)})
    return handover
