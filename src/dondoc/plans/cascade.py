"""Plans that cascade (issue 19): an agency's own implementation plan under the plan that gave it work.

Plan 78 (III.1) asks every agency to "căn cứ Kế hoạch này, xây dựng chương trình, kế hoạch thực hiện của cơ quan,
đơn vị". Such a plan is a Plan with `parent` (the plan it carries out) and `owner` (the agency issuing it); each of
its tasks may link to the parent's assignment of that agency it serves (`Task.implements`): proposed from the
words they share (plans/links.py), fixed by a person. A parent assignment may have several child tasks; a child
task serves one or none (its own internal work).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dondoc.accounts.roles import AGENCY_ROLES, Role
from dondoc.audit import record
from dondoc.core.errors import ActionError, Conflict, Forbidden
from dondoc.orgs.models import Agency

from . import links
from .models import Assignment, Plan, PlanStatus, Task, held_on


class CascadeError(ActionError):
    pass


def require_manager(user, owner: Agency) -> None:
    """Who shapes an agency's implementation plan: the province's coordinators and administrators, and the agency's
    own head and focal points. `user` None: the system itself (the demo loader, a command)."""
    if user is None:
        return
    if user.role in (Role.ADMIN, Role.COORDINATOR):
        return
    if user.role in AGENCY_ROLES and user.agency_id == owner.pk:
        return
    raise Forbidden("Chỉ cơ quan ban hành kế hoạch thực hiện (thủ trưởng, cán bộ đầu mối) hoặc cơ quan theo dõi, "
                    "tổng hợp được sửa liên kết của kế hoạch này.")


def candidates(child: Plan) -> QuerySet[Assignment]:
    """What the child plan can carry out: its owner's assignments in the parent plan, held today, on tasks not
    cancelled (lead or partner: an agency also writes its part as a coordinator into its plan)."""
    if child.parent_id is None or child.owner_id is None:
        return Assignment.objects.none()
    return (held_on(Assignment.objects.filter(task__plan_id=child.parent_id, agency_id=child.owner_id))
            .filter(task__cancelled_at__isnull=True).select_related("task"))


def _check_parent(plan: Plan, parent: Plan, owner: Agency) -> None:
    if parent.pk == plan.pk:
        raise CascadeError("Kế hoạch không thể thực hiện chính nó.")
    seen, up = {plan.pk}, parent
    while up is not None:  # A under B under A: refused
        if up.pk in seen:
            raise CascadeError("Vòng kế hoạch: kế hoạch cấp trên đã chọn lại thực hiện kế hoạch này.")
        seen.add(up.pk)
        up = up.parent
    if parent.status != PlanStatus.PUBLISHED:
        raise CascadeError("Kế hoạch cấp trên phải đang được thực hiện (đã ban hành giao việc).")
    if not held_on(Assignment.objects.filter(task__plan=parent, agency=owner)).exists():
        raise CascadeError(f"{owner.name} không được giao nhiệm vụ nào trong {parent}.")


@transaction.atomic
def do_set_parent(plan: Plan, *, parent: Plan, owner: Agency, user, request=None) -> int:
    """Make `plan` the implementation plan of `owner` for `parent`, then propose its links. Returns the number of
    tasks linked by the proposal."""
    require_manager(user, owner)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _check_parent(plan, parent, owner)
    plan.parent, plan.owner = parent, owner
    plan.save(update_fields=["parent", "owner"])
    linked = apply_proposals(plan)
    record("plan.parent_set", actor=user, obj=plan, request=request,
           changes={"parent": parent.pk, "owner": owner.code, "linked": linked})
    return linked


def propose(child: Plan) -> dict[int, links.Proposal]:
    """{child task id: Proposal whose parent is an assignment id}, for every task of the child plan."""
    parents = [(a.pk, a.task.text) for a in candidates(child)]
    tasks = list(child.tasks.filter(cancelled_at__isnull=True).order_by("order").values_list("pk", "block_ref", "text"))
    by_block: dict[str, list[str]] = {}
    for _, block, text in tasks:
        by_block.setdefault(block, []).append(text)
    children = [(pk, text, " ".join(t for t in by_block.get(block, []) if t != text)) for pk, block, text in tasks]
    return links.propose(children, parents)


def apply_proposals(child: Plan) -> int:
    """Link every task a person has not linked yet to its proposed parent assignment; returns how many."""
    found = propose(child)
    linked = 0
    for task in child.tasks.filter(implements__isnull=True, implements_score__isnull=True):
        proposal = found.get(task.pk)
        if proposal and proposal.parent is not None:
            Task.objects.filter(pk=task.pk).update(implements_id=proposal.parent, implements_score=proposal.score)
            linked += 1
    return linked


@transaction.atomic
def do_link(task: Task, assignment: Assignment | None, *, user, request=None) -> Task:
    """A person's choice of the parent assignment a child task serves (None: it serves none)."""
    task = Task.objects.select_for_update(of=("self",)).select_related("plan", "plan__owner").get(pk=task.pk)
    child = task.plan
    if child.parent_id is None:
        raise CascadeError("Kế hoạch này không phải kế hoạch thực hiện của một kế hoạch cấp trên.")
    require_manager(user, child.owner)
    if assignment is not None:
        if assignment.task.plan_id != child.parent_id or assignment.agency_id != child.owner_id:
            raise CascadeError("Chỉ liên kết được với nhiệm vụ giao cho chính cơ quan ban hành kế hoạch này "
                               "trong kế hoạch cấp trên.")
        if assignment.ended_at is not None or assignment.task.cancelled_at is not None:
            after = assignment.continued_by.filter(ended_at__isnull=True).first()
            hint = f" Lượt giao tiếp nối: {after.agency.name} (mã {after.pk})." if after else ""
            raise Conflict("Nhiệm vụ cấp trên này đã hủy hoặc đã bàn giao." + hint)
    task.implements, task.implements_score = assignment, None
    task.save(update_fields=["implements", "implements_score"])
    record("task.link_set", actor=user, obj=task, request=request,
           changes={"implements": assignment.pk if assignment else None})
    return task


def coverage(parent: Plan) -> dict:
    """Who has issued an implementation plan of `parent` and what it covers: {agencies, issued, items, missing} —
    items for the agencies that issued one, missing for the others, one per agency holding work in the parent — its plan (a published child, or None), how many assignments it holds, how
    many no task of its plan carries out, and, for an agency that issued one, which (counted in SQL: a plan of
    thousands of tasks is not read row by row)."""
    children = Plan.objects.filter(parent=parent, status=PlanStatus.PUBLISHED)
    served = Exists(Task.objects.filter(implements=OuterRef("pk"), plan__in=children, cancelled_at__isnull=True))
    held = held_on(Assignment.objects.filter(task__plan=parent)).filter(task__cancelled_at__isnull=True)
    rows = (held.annotate(served=served).values("agency_id").order_by()
            .annotate(n=Count("id"), open=Count("id", filter=Q(served=False))))
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=[r["agency_id"] for r in rows])}
    own = {p.owner_id: p for p in children.order_by("published_at", "pk")}
    items = []
    for r in sorted(rows, key=lambda r: agencies[r["agency_id"]].sort_key):
        plan = own.get(r["agency_id"])
        uncovered = (list(held.filter(agency_id=r["agency_id"]).annotate(served=served).filter(served=False)
                          .select_related("task").order_by("task__order")) if plan is not None else [])
        items.append({"agency": agencies[r["agency_id"]], "plan": plan, "assignments": r["n"], "open": r["open"],
                      "uncovered": uncovered})
    issued = [i for i in items if i["plan"] is not None]
    return {"agencies": len(items), "issued": len(issued), "items": issued,
            "missing": [i for i in items if i["plan"] is None]}
