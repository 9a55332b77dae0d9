"""Who sees and does what on assignments and their records: the one place these rules live.

Pages, the API, exports and feeds read through the `visible_*` querysets (NetBox's `RestrictedQuerySet.restrict`);
actions check with the `require_*` predicates before they change anything (Zulip's `access_*` then `do_*`).

- The oversight roles (admin, leader, coordinator, viewer) see every agency's assignments and their records.
- An agency's people (head, focal point) see their own agency's; another agency's answer 404, so their existence
  is not revealed.
- A direction scoped to one agency is seen by that agency and the oversight roles only.
- A task's history is what the reader may see of the task, its assignments and its directions (`visible_history`).
- A notification is its addressee's alone.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dondoc.accounts.roles import AGENCY_ROLES, OVERSIGHT_ROLES, Role
from dondoc.core.errors import Forbidden
from dondoc.plans.access import require_role, visible_tasks
from dondoc.plans.models import Assignment

__all__ = ["COORDINATORS", "DECIDE_EXTENSIONS", "DIRECT", "Forbidden", "SEE_ALL", "assignment_or_404", "assignment_scope",
           "directions_for", "is_agency_member", "require_agency_member", "require_lead_member", "require_role",
           "sees_assignment", "visible_assignments", "visible_directions", "visible_evidence", "visible_history",
           "visible_notifications", "visible_updates"]

# Roles that see every agency's work; viewers change nothing.
SEE_ALL = OVERSIGHT_ROLES
COORDINATORS = (Role.ADMIN, Role.COORDINATOR)
DECIDE_EXTENSIONS = (Role.ADMIN, Role.COORDINATOR, Role.LEADER)
DIRECT = (Role.ADMIN, Role.LEADER)


def _own_agency(user) -> int | None:
    """The agency whose work an agency person sees; None for everyone else."""
    return user.agency_id if user.role in AGENCY_ROLES else None


def visible_assignments(user, queryset: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    """The assignments the user sees; `queryset` may also be of rows that belong to one assignment and carry its
    `agency_id` (the status cache's spans), which the same rule filters without a join."""
    # Assignments exist from publishing on, so a draft has none to hide.
    qs = queryset if queryset is not None else Assignment.objects.all()
    if user.role in SEE_ALL:
        return qs
    agency_id = _own_agency(user)
    return qs.filter(agency_id=agency_id) if agency_id is not None else qs.none()


def assignment_scope(user) -> str:
    """What visible_assignments() keeps for this user, as a key (results memoised per scope are shared by everyone
    who sees the same assignments): "all", "agency:<id>" or "none"."""
    if user.role in SEE_ALL:
        return "all"
    agency_id = _own_agency(user)
    return f"agency:{agency_id}" if agency_id is not None else "none"


def sees_assignment(user, assignment) -> bool:
    if user.role in SEE_ALL:
        return True
    agency_id = _own_agency(user)
    return agency_id is not None and assignment.agency_id == agency_id


def assignment_or_404(user, pk, queryset=None):
    """Another agency's assignment answers 404, so its existence is not revealed. Without a queryset: the
    assignment with its task and agency, by the same rule compiled once per kind of scope (every action of the API
    loads its assignment so: the progress report is the most frequent write)."""
    if queryset is None:
        found = _visible_one(user, pk)
    else:
        found = visible_assignments(user, queryset).filter(pk=pk)[:1]
    if not found:
        raise Http404
    return found[0]


_ONE: dict = {}


def _visible_one(user, pk) -> list:
    from types import SimpleNamespace

    from dondoc.core.prepared import Prepared

    kind = assignment_scope(user).partition(":")[0]
    if kind == "none":
        return []
    if kind not in _ONE:
        role = user.role  # any role of the kind: visible_assignments reads the role's kind and the agency
        probes = {"pk": 987_654_321_987, **({"agency": 987_654_321_986} if kind == "agency" else {})}
        _ONE[kind] = Prepared(lambda pk, agency=None: visible_assignments(
            SimpleNamespace(role=role, agency_id=agency), Assignment.objects.select_related("task", "agency")).filter(pk=pk),
            **probes)
    return _ONE[kind].run(pk=pk, **({"agency": user.agency_id} if kind == "agency" else {}))


def visible_updates(user, queryset=None):
    from .models import Update

    qs = queryset if queryset is not None else Update.objects.all()
    return qs if user.role in SEE_ALL else qs.filter(assignment__in=visible_assignments(user))


def visible_evidence(user, queryset=None):
    from .models import Evidence

    qs = queryset if queryset is not None else Evidence.objects.all()
    return qs if user.role in SEE_ALL else qs.filter(update__assignment__in=visible_assignments(user))


def visible_directions(user, queryset=None):
    """Oversight roles: every direction on a task they see. An agency's people: the directions to every agency on
    the tasks their agency is assigned, and those scoped to their own agency."""
    from .models import Direction

    qs = queryset if queryset is not None else Direction.objects.all()
    if user.role in SEE_ALL:
        return qs.filter(task__in=visible_tasks(user))
    agency_id = _own_agency(user)
    if agency_id is None:
        return qs.none()
    return qs.filter(Q(agency__isnull=True) | Q(agency_id=agency_id),
                     task__in=Assignment.objects.filter(agency_id=agency_id).values("task_id"))


def directions_for(user, assignment):
    """The directions shown on one assignment: to every agency on its task, or to this assignment's agency."""
    return visible_directions(user, assignment.task.directions.all()).filter(
        Q(agency__isnull=True) | Q(agency_id=assignment.agency_id))


def visible_notifications(user, queryset=None):
    from .models import Notification

    qs = queryset if queryset is not None else Notification.objects.all()
    return qs.filter(user_id=user.pk)


# A task's history, by the kind of event (the permission table in tests/tracking/test_history.py checks each kind):
# - on the task: "task.*" (draft edits, amendments, cancellation, agencies added or removed) for whoever reads the
#   task's history; "direction.given" when the reader sees that direction; "direction.acknowledged" when the reader
#   sees the direction and is of the oversight roles or of the acknowledging agency; any other kind on a task for the
#   oversight roles only (a kind added later stays hidden from agencies until it is placed here);
# - on an assignment (updates, claims, decisions, extensions, the person in charge): when the reader sees it.
# Who reads a task's history: the oversight roles for every task they see (a draft's: the drafting roles only),
# an agency's people for the tasks their agency is assigned.

def visible_history(user, task, agency_id: int | None = None):
    """Every event of the task the user may read, oldest first; None when the task's history is hidden from them
    (callers answer 404). `agency_id` reads it as one agency's (its assignment's page): that agency's work, the
    directions to it or to every agency and its acknowledgements, beside the events of the task itself — never
    another agency's. An agency's own people always read it as their agency's."""
    from dondoc.audit.models import Event

    if not visible_tasks(user).filter(pk=task.pk).exists():
        return None
    assignments = visible_assignments(user, Assignment.objects.filter(task_id=task.pk))
    if user.role not in SEE_ALL:
        if not assignments.exists():
            return None
        agency_id = _own_agency(user)
    directions = visible_directions(user, task.directions.all())
    if agency_id is not None:
        assignments = assignments.filter(agency_id=agency_id)
        directions = directions.filter(Q(agency__isnull=True) | Q(agency_id=agency_id))
    on_task = Q(object_type="plans.task", object_id=str(task.pk))
    direction_ids = list(directions.values_list("pk", flat=True))
    acknowledged = Q(action="direction.acknowledged", changes__direction__in=direction_ids)
    if agency_id is not None:
        acknowledged &= Q(actor__agency_id=agency_id)
    task_events = Q(action__startswith="task.") | Q(action="direction.given", changes__direction__in=direction_ids) | acknowledged
    if user.role in SEE_ALL:
        task_events |= ~Q(action__startswith="direction.")
    on_assignments = Q(object_type="plans.assignment",
                       object_id__in=[str(pk) for pk in assignments.values_list("pk", flat=True)])
    return (Event.objects.filter((on_task & task_events) | on_assignments).select_related("actor")
            .order_by("at", "id"))


def is_agency_member(user, agency_id) -> bool:
    return user.role in AGENCY_ROLES and user.agency_id is not None and user.agency_id == agency_id


def require_agency_member(user, assignment) -> None:
    if not is_agency_member(user, assignment.agency_id):
        raise Forbidden("Chỉ cán bộ của cơ quan được giao mới thực hiện được thao tác này.")


def require_lead_member(user, assignment) -> None:
    require_agency_member(user, assignment)
    if assignment.role != "lead":
        raise Forbidden("Chỉ cơ quan chủ trì mới báo cáo hoàn thành hoặc đề nghị gia hạn; cơ quan phối hợp gửi báo cáo tiến độ.")
