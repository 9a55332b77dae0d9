"""Tracking actions: updates, completion claims, confirmation, extensions, directions, amendments.

Each checks who may do it (access.py), changes the database in one transaction and records an audit event. Each
also moves on `updated_at` of what it changed and of what that is under (plans.models.touch; an assignment's or a
task's own save does it for them): the API's `updated_since` and its "updated" order read those columns.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from dondoc.accounts.roles import AGENCY_ROLES, Role
from dondoc.audit import record
from dondoc.core import clock, errors
from dondoc.core.limits import check_text
from dondoc.core.prepared import Prepared
from dondoc.plans.models import Assignment, Task, touch

from . import access, spans
from .files import check_evidence_set
from .models import Claim, DecisionState, Direction, DirectionAck, Evidence, Extension, Update
from .notifications import agency_people, coordinators, notify


class TrackingError(errors.ActionError):
    """Refused input, with a message for the user in Vietnamese (HTTP 400)."""


class Conflict(TrackingError, errors.Conflict):
    """Someone else changed the same thing first (HTTP 409)."""


def assignment_url(assignment) -> str:
    return reverse("tracking:assignment", args=[assignment.pk])


# The row lock every action on an assignment takes first; the most frequent write (a progress report) runs it. It
# locks the assignment and its task (a cancellation or an amendment of the task waits for it, and it for them), not
# the joined plan and agency: locking those made every report of one agency, or of one plan, wait for the one
# before it to commit.
_LOCK = Prepared(lambda pk: Assignment.objects.select_for_update(of=("self", "task"))
                 .select_related("task", "task__plan", "agency").filter(pk=pk), pk=987_654_321_987)


def _locked(assignment: Assignment) -> Assignment:
    found = _LOCK.run(pk=assignment.pk)
    if not found:
        raise Assignment.DoesNotExist
    locked = found[0]
    if locked.task.cancelled_at or locked.ended_at:
        raise TrackingError("Nhiệm vụ đã hủy hoặc đã chuyển cho cơ quan khác: không nhận báo cáo mới.")
    return locked


@transaction.atomic
def do_post_update(assignment: Assignment, user, *, text: str, percent=None, difficulties: str = "", proposals: str = "",
                   files=(), request=None) -> Update:
    access.require_agency_member(user, assignment)
    assignment = _locked(assignment)
    text = check_text(text, "Kết quả thực hiện")
    difficulties = check_text(difficulties, "Khó khăn, vướng mắc")
    proposals = check_text(proposals, "Đề xuất, kiến nghị")
    if not text:
        raise TrackingError("Hãy nhập kết quả thực hiện.")
    if percent not in (None, ""):
        if assignment.role != "lead":
            raise TrackingError("Chỉ cơ quan chủ trì báo cáo tỷ lệ hoàn thành.")
        try:
            percent = int(percent)
        except (TypeError, ValueError):
            raise TrackingError("Tỷ lệ hoàn thành phải là số từ 0 đến 100.")
        if not 0 <= percent <= 100:
            raise TrackingError("Tỷ lệ hoàn thành phải là số từ 0 đến 100.")
    else:
        percent = None
    kinds = check_evidence_set(files)  # refuse before anything is written
    update = Update.objects.create(assignment=assignment, author=user, text=text, percent=percent,
                                   difficulties=difficulties, proposals=proposals)
    for f, kind in zip(files, kinds):
        ev = Evidence(update=update, name=f.name[:255], size=f.size, kind=kind)
        ev.file.save(f.name, f, save=True)
    touch(assignment.task_id, [assignment.pk])
    record("update.posted", actor=user, obj=assignment, request=request,
           changes={"update": update.pk, "percent": percent, "files": [f.name for f in files]})
    return update


@transaction.atomic
def do_withdraw_update(update: Update, user, *, reason: str, request=None) -> Update:
    update = Update.objects.select_for_update().select_related("assignment").get(pk=update.pk)
    if not (update.author_id == user.pk or (user.role == Role.HEAD and user.agency_id == update.assignment.agency_id)):
        raise access.Forbidden("Chỉ người gửi hoặc thủ trưởng đơn vị được rút báo cáo.")
    if update.withdrawn_at:
        raise Conflict("Báo cáo này đã được rút.")
    update.withdrawn_at, update.withdrawn_by, update.withdraw_reason = clock.now(), user, (reason or "").strip()[:500]
    update.save()
    touch(update.assignment.task_id, [update.assignment_id])
    record("update.withdrawn", actor=user, obj=update.assignment, request=request,
           changes={"update": update.pk, "reason": update.withdraw_reason})
    return update


@transaction.atomic
def do_claim(assignment: Assignment, user, *, completed_on: dt.date, output: str = "", request=None) -> Claim:
    access.require_lead_member(user, assignment)
    assignment = _locked(assignment)
    if completed_on is None:
        raise TrackingError("Hãy nhập ngày hoàn thành.")
    if completed_on > clock.today():
        raise TrackingError("Ngày hoàn thành không được ở tương lai.")
    states = set(assignment.claims.values_list("state", flat=True))
    if DecisionState.PENDING in states:
        raise Conflict("Đã có báo cáo hoàn thành đang chờ xác nhận.")
    if DecisionState.CONFIRMED in states:
        raise Conflict("Nhiệm vụ đã được xác nhận hoàn thành.")
    claim = Claim.objects.create(assignment=assignment, completed_on=completed_on, output=(output or "").strip()[:500],
                                 created_by=user)
    touch(assignment.task_id, [assignment.pk])
    record("claim.posted", actor=user, obj=assignment, request=request,
           changes={"claim": claim.pk, "completed_on": completed_on.isoformat(), "output": claim.output})
    notify(coordinators(), "claim", f"{assignment.agency} báo cáo hoàn thành nhiệm vụ {assignment.task.ref}",
            assignment_url(assignment))
    return claim


def _decide_claim(claim: Claim, user, state: str, reason: str, request) -> Claim:
    access.require_role(user, access.COORDINATORS, "Chỉ cơ quan theo dõi, tổng hợp xác nhận hoặc trả lại báo cáo hoàn thành.")
    claim = (Claim.objects.select_for_update(of=("self", "assignment", "assignment__task"))  # not the agency (_LOCK)
             .select_related("assignment", "assignment__task", "assignment__agency").get(pk=claim.pk))
    if claim.state != DecisionState.PENDING:
        raise Conflict("Báo cáo hoàn thành này đã được xử lý.")
    claim.state, claim.decided_by, claim.decided_at, claim.reason = state, user, clock.now(), reason
    claim.save()
    a = claim.assignment
    touch(a.task_id, [a.pk])
    record(f"claim.{state}", actor=user, obj=a, request=request, changes={"claim": claim.pk, "reason": reason})
    verb = "xác nhận hoàn thành" if state == DecisionState.CONFIRMED else f"trả lại báo cáo hoàn thành: {reason}"
    notify(agency_people(a.agency_id), f"claim_{state}", f"Nhiệm vụ {a.task.ref}: cơ quan tổng hợp đã {verb}",
            assignment_url(a))
    return claim


@transaction.atomic
def do_confirm(claim: Claim, user, request=None) -> Claim:
    return _decide_claim(claim, user, DecisionState.CONFIRMED, "", request)


@transaction.atomic
def do_return(claim: Claim, user, *, reason: str, request=None) -> Claim:
    reason = check_text(reason, "Lý do trả lại")
    if not reason:
        raise TrackingError("Hãy ghi lý do trả lại.")
    return _decide_claim(claim, user, DecisionState.RETURNED, reason, request)


@transaction.atomic
def do_request_extension(assignment: Assignment, user, *, new_deadline: dt.date, reason: str, request=None) -> Extension:
    from .state import annotate, with_records

    access.require_lead_member(user, assignment)
    _locked(assignment)
    current = annotate(with_records(Assignment.objects.filter(pk=assignment.pk)))[0]
    reason = check_text(reason, "Lý do đề nghị gia hạn")
    if not reason:
        raise TrackingError("Hãy ghi lý do đề nghị gia hạn.")
    if new_deadline is None or (current.effective_due and new_deadline <= current.effective_due):
        raise TrackingError("Thời hạn đề nghị phải sau thời hạn hiện tại.")
    if current.extensions.filter(state=DecisionState.PENDING).exists():
        raise Conflict("Đã có đề nghị gia hạn đang chờ quyết định.")
    ext = Extension.objects.create(assignment=assignment, original_due=current.effective_due, new_deadline=new_deadline,
                                   reason=reason, requested_by=user)
    touch(assignment.task_id, [assignment.pk])
    record("extension.requested", actor=user, obj=assignment, request=request,
           changes={"extension": ext.pk, "new_deadline": new_deadline.isoformat(), "reason": reason})
    notify(coordinators(), "extension", f"{assignment.agency} đề nghị gia hạn nhiệm vụ {current.task.ref}",
            assignment_url(assignment))
    return ext


@transaction.atomic
def do_decide_extension(ext: Extension, user, *, approve: bool, note: str = "", request=None) -> Extension:
    access.require_role(user, access.DECIDE_EXTENSIONS, "Chỉ cơ quan tổng hợp hoặc lãnh đạo quyết định gia hạn.")
    note = check_text(note, "Ý kiến về đề nghị gia hạn")
    ext = Extension.objects.select_for_update().select_related("assignment", "assignment__task").get(pk=ext.pk)
    if ext.state != DecisionState.PENDING:
        raise Conflict("Đề nghị gia hạn này đã được quyết định.")
    ext.state = DecisionState.APPROVED if approve else DecisionState.REJECTED
    ext.decided_by, ext.decided_at, ext.decision_note = user, clock.now(), note
    ext.save()
    a = ext.assignment
    touch(a.task_id, [a.pk])
    record(f"extension.{ext.state}", actor=user, obj=a, request=request, changes={"extension": ext.pk, "note": ext.decision_note})
    word = f"đồng ý gia hạn đến {ext.new_deadline:%d/%m/%Y}" if approve else "không đồng ý gia hạn"
    notify(agency_people(a.agency_id), "extension_decided", f"Nhiệm vụ {a.task.ref}: {word}", assignment_url(a))
    return ext


@transaction.atomic
def do_give_direction(task: Task, user, *, text: str, agency=None, request=None) -> Direction:
    access.require_role(user, access.DIRECT, "Chỉ lãnh đạo UBND cho ý kiến chỉ đạo.")
    text = check_text(text, "Nội dung chỉ đạo")
    if not text:
        raise TrackingError("Hãy nhập nội dung chỉ đạo.")
    direction = Direction.objects.create(task=task, agency=agency, author=user, text=text)
    spans.bump()  # work lists group directed tasks apart (they are memoised under the status version)
    to = task.assignments.filter(agency=agency) if agency else task.assignments.all()
    touch(task.pk, to.values_list("pk", flat=True))
    record("direction.given", actor=user, obj=task, request=request,
           changes={"direction": direction.pk, "agency": agency.code if agency else None, "text": text})
    agencies = [agency.pk] if agency else list(task.assignments.filter(ended_at__isnull=True).values_list("agency_id", flat=True))
    for agency_id in set(agencies):
        first = task.assignments.filter(agency_id=agency_id).first()
        notify(agency_people(agency_id), "direction", f"Ý kiến chỉ đạo về nhiệm vụ {task.ref}: {text[:200]}",
                assignment_url(first) if first else "")
    return direction


@transaction.atomic
def do_acknowledge(direction: Direction, user, request=None) -> DirectionAck:
    if user.role not in AGENCY_ROLES or user.agency_id is None:
        raise access.Forbidden("Chỉ cán bộ của cơ quan được giao xác nhận đã nhận chỉ đạo.")
    if direction.agency_id not in (None, user.agency_id) or not direction.task.assignments.filter(agency_id=user.agency_id).exists():
        raise access.Forbidden("Chỉ đạo này không gửi cho cơ quan của bạn.")
    ack, created = DirectionAck.objects.get_or_create(direction=direction, agency_id=user.agency_id, defaults={"user": user})
    if created:
        spans.bump()
        touch(direction.task_id, direction.task.assignments.filter(agency_id=user.agency_id).values_list("pk", flat=True))
        record("direction.acknowledged", actor=user, obj=direction.task, request=request, changes={"direction": direction.pk})
    return ack


@transaction.atomic
def do_assign_person(assignment: Assignment, user, person, request=None) -> Assignment:
    if user.role != Role.HEAD or user.agency_id != assignment.agency_id:
        raise access.Forbidden("Chỉ thủ trưởng đơn vị phân công cán bộ phụ trách.")
    if person is not None and person.agency_id != assignment.agency_id:
        raise TrackingError("Người phụ trách phải là cán bộ của đơn vị.")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    old = assignment.assignee_id
    assignment.assignee = person
    assignment.save(update_fields=["assignee"])
    record("assignment.assignee_set", actor=user, obj=assignment, request=request,
           changes={"from": old, "to": person.pk if person else None})
    if person is not None:
        notify([person], "assigned", f"Bạn được phân công phụ trách nhiệm vụ {assignment.task.ref}", assignment_url(assignment))
    return assignment


# --- Amendments after publishing (coordinator) ------------------------------------------------------------------

@transaction.atomic
def do_amend_task(task: Task, user, *, version: int, text: str | None = None, deadline_date=..., deadline_text=None,
                  request=None) -> Task:
    access.require_role(user, access.COORDINATORS, "Chỉ cơ quan theo dõi, tổng hợp điều chỉnh nhiệm vụ.")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.version != version:
        raise Conflict("Nhiệm vụ vừa được người khác điều chỉnh, chưa lưu thay đổi của bạn. Nội dung hiện tại: "
                       f"«{task.text[:300]}»; thời hạn: {task.deadline_date:%d/%m/%Y}." if task.deadline_date else
                       f"Nhiệm vụ vừa được người khác điều chỉnh, chưa lưu thay đổi của bạn. Nội dung hiện tại: «{task.text[:300]}».")
    changes = {}
    if text is not None and text.strip() and text.strip() != task.text:
        changes["text"] = [task.text, text.strip()]
        task.text = text.strip()
    if deadline_date is not ... and deadline_date != task.deadline_date:
        changes["deadline_date"] = [str(task.deadline_date), str(deadline_date)]
        task.deadline_date = deadline_date
    if deadline_text is not None and deadline_text != task.deadline_text:
        changes["deadline_text"] = [task.deadline_text, deadline_text]
        task.deadline_text = deadline_text
    if changes:
        task.version += 1
        task.save()
        touch(task.pk, task.assignments.values_list("pk", flat=True))  # what each assignment shows changed with it
        record("task.amended", actor=user, obj=task, request=request, changes=changes)
    return task


@transaction.atomic
def do_cancel_task(task: Task, user, *, reason: str, request=None) -> Task:
    access.require_role(user, access.COORDINATORS, "Chỉ cơ quan theo dõi, tổng hợp hủy nhiệm vụ.")
    reason = (reason or "").strip()
    if not reason:
        raise TrackingError("Hãy ghi lý do hủy nhiệm vụ.")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.cancelled_at:
        raise Conflict("Nhiệm vụ đã bị hủy.")
    task.cancelled_at, task.cancel_reason = clock.now(), reason[:500]
    task.version += 1
    task.save()
    touch(task.pk, task.assignments.values_list("pk", flat=True))  # every assignment's status changed with it
    record("task.cancelled", actor=user, obj=task, request=request, changes={"reason": reason})
    return task


@transaction.atomic
def do_set_agency(task: Task, user, *, agency, role: str, add: bool, request=None) -> None:
    """Add or end one agency's assignment on a task (reassigning a lead is ending one and adding another)."""
    access.require_role(user, access.COORDINATORS, "Chỉ cơ quan theo dõi, tổng hợp giao lại nhiệm vụ.")
    if add:
        assignment, created = Assignment.objects.get_or_create(task=task, agency=agency, role=role,
                                                               defaults={"added_at": clock.now()})
        if not created and assignment.ended_at:
            assignment.ended_at = None
            assignment.save(update_fields=["ended_at"])
        notify(agency_people(agency.pk), "assigned", f"Cơ quan được giao nhiệm vụ {task.ref}", assignment_url(assignment))
    else:
        for assignment in Assignment.objects.filter(task=task, agency=agency, role=role, ended_at__isnull=True):
            assignment.ended_at = clock.now()
            assignment.save(update_fields=["ended_at"])  # the status cache follows (tracking/spans.py)
    record("task.agency_added" if add else "task.agency_removed", actor=user, obj=task, request=request,
           changes={"agency": agency.code, "role": role})
