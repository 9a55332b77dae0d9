# Fill plans.Task.updated_at and plans.Assignment.updated_at (added by plans 0009) from what is already recorded:
# the latest of the row's own moments (publication, added, ended, cancelled), of its audit events, and of the
# records under it (reports and their withdrawal, claims and their decision, extensions and their decision,
# directions and their acknowledgement). A task's is also the latest of its assignments'.

from collections import defaultdict

from django.db import migrations
from django.db.models import Max

BATCH = 2000


def _latest(into: dict, key, *moments) -> None:
    for at in moments:
        if at is not None and (into.get(key) is None or at > into[key]):
            into[key] = at


def backfill(apps, schema_editor):
    Plan, Task, Assignment = (apps.get_model("plans", name) for name in ("Plan", "Task", "Assignment"))
    Update, Claim, Extension, Direction, DirectionAck = (
        apps.get_model("tracking", name) for name in ("Update", "Claim", "Extension", "Direction", "DirectionAck"))
    Event = apps.get_model("audit", "Event")

    plan_at = {pk: published or created for pk, published, created in
               Plan.objects.values_list("pk", "published_at", "created_at")}
    assignment_at: dict[int, object] = {}
    task_of: dict[int, int] = {}
    by_task_agency: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_task: dict[int, list[int]] = defaultdict(list)
    for pk, task_id, agency_id, plan_id, added, ended in Assignment.objects.values_list(
            "pk", "task_id", "agency_id", "task__plan_id", "added_at", "ended_at"):
        _latest(assignment_at, pk, plan_at.get(plan_id), added, ended)
        task_of[pk] = task_id
        by_task_agency[(task_id, agency_id)].append(pk)
        by_task[task_id].append(pk)
    for model, fields in ((Update, ("created_at", "withdrawn_at")), (Claim, ("created_at", "decided_at")),
                          (Extension, ("created_at", "decided_at"))):
        for row in (model.objects.values("assignment_id").order_by()
                    .annotate(**{f"m_{f}": Max(f) for f in fields}).values_list("assignment_id", *(f"m_{f}" for f in fields))):
            _latest(assignment_at, row[0], *row[1:])
    events = Event.objects.filter(object_type__in=("plans.task", "plans.assignment")).values(
        "object_type", "object_id").order_by().annotate(last=Max("at")).values_list("object_type", "object_id", "last")
    task_events = {}
    for kind, object_id, last in events:
        if not object_id.isdigit():
            continue
        if kind == "plans.assignment":
            _latest(assignment_at, int(object_id), last)
        else:
            task_events[int(object_id)] = last

    task_at: dict[int, object] = {}
    for pk, plan_id, cancelled, reviewed in Task.objects.values_list("pk", "plan_id", "cancelled_at", "reviewed_at"):
        _latest(task_at, pk, plan_at.get(plan_id), cancelled, reviewed, task_events.get(pk))
    for direction_id, task_id, agency_id, created in Direction.objects.values_list("pk", "task_id", "agency_id", "created_at"):
        _latest(task_at, task_id, created)
        for pk in by_task_agency.get((task_id, agency_id), []) if agency_id else by_task.get(task_id, []):
            _latest(assignment_at, pk, created)
    for task_id, agency_id, at in DirectionAck.objects.values_list("direction__task_id", "agency_id", "at"):
        _latest(task_at, task_id, at)
        for pk in by_task_agency.get((task_id, agency_id), []):
            _latest(assignment_at, pk, at)
    for pk, at in assignment_at.items():
        if pk in task_of:
            _latest(task_at, task_of[pk], at)

    for model, found, existing in ((Assignment, assignment_at, task_of), (Task, task_at, task_at)):
        changed = []
        for pk, at in found.items():
            if at is not None and pk in existing:
                changed.append(model(pk=pk, updated_at=at))
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, ["updated_at"])
                changed = []
        model.objects.bulk_update(changed, ["updated_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0005_no_delete_no_truncate"),
        ("plans", "0009_updated_at"),
        ("tracking", "0003_text_length_limits"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
