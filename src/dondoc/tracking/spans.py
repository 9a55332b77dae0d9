"""The status cache: StatusSpan rows derived from the records by status.spans(), and queries over them.

Everything that changes what decides a status (a claim or its decision, an approved extension, a task's
deadline or cancellation, an assignment added or ended, a plan's report date) calls refresh() for the
assignments concerned inside the same transaction — through the signals at the bottom, so ORM writes from
anywhere keep the cache true — and bump() moves StatusVersion on. rebuild() recomputes everything;
check() compares the cache with a fresh computation (`dondoc status_spans --check`).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver

from dondoc.orgs.models import Agency, agencies_changed
from dondoc.plans.models import Assignment, Plan, Section, Task

from .models import Claim, DecisionState, Extension, StatusSpan, StatusVersion
from .state import lifecycle_records
from .status import BEGINNING, LOCAL_TZ, Record, Span, spans

BATCH = 2000


def _records(assignment_ids: list[int], claim_model=Claim, extension_model=Extension) -> dict[int, list[Record]]:
    out: dict[int, list[Record]] = defaultdict(list)
    for a_id, state, completed_on, created_at, decided_at in (
            claim_model.objects.filter(assignment_id__in=assignment_ids).order_by("created_at", "id")
            .values_list("assignment_id", "state", "completed_on", "created_at", "decided_at")):
        out[a_id].append(Record("claim", created_at, completed_on=completed_on))
        if state == DecisionState.CONFIRMED and decided_at:
            out[a_id].append(Record("confirm", decided_at))
        elif state == DecisionState.RETURNED and decided_at:
            out[a_id].append(Record("return", decided_at))
    for a_id, new_deadline, decided_at in (
            extension_model.objects.filter(assignment_id__in=assignment_ids, state=DecisionState.APPROVED,
                                           decided_at__isnull=False)
            .order_by("decided_at", "id").values_list("assignment_id", "new_deadline", "decided_at")):
        out[a_id].append(Record("extension", decided_at, new_due=new_deadline))
    return out


def compute(assignment_ids: Iterable[int], *, models=None) -> dict[int, tuple[tuple, list[Span]]]:
    """{assignment id: ((task, plan, agency, role, order), spans)} for published plans' assignments, from the records."""
    A, C, E = models or (Assignment, Claim, Extension)
    continuing = any(f.name == "predecessor" for f in A._meta.get_fields())
    ids = list(assignment_ids)
    out: dict[int, tuple[tuple, list[Span]]] = {}
    for chunk in (ids[i:i + BATCH] for i in range(0, len(ids), BATCH)):
        rows = (A.objects.filter(pk__in=chunk, task__plan__status__in=("published", "superseded", "closed"))
                .values_list("pk", "task_id", "task__plan_id", "agency_id", "role", "task__order", "added_at", "ended_at",
                             "task__cancelled_at", "task__due_date", "task__due_basis",
                             # (the migration that first filled the cache ran before hand-overs existed)
                             "predecessor_id" if continuing else "ended_at"))
        records = _records(chunk, C, E)
        for (pk, task_id, plan_id, agency_id, role, order, added_at, ended_at, cancelled_at, due_date,
             due_basis, predecessor_id) in rows:
            predecessor_id = predecessor_id if continuing else None
            history = records.get(pk, []) + lifecycle_records(
                task_cancelled_at=cancelled_at, ended_at=ended_at, added_at=added_at,
                continues=predecessor_id is not None, due_date=due_date)
            start = added_at.astimezone(LOCAL_TZ).date() if added_at else BEGINNING
            out[pk] = ((task_id, plan_id, agency_id, role, order),
                       spans(due_date, history, recurring=due_basis == "recurring", start=start))
    return out


def _rows(computed: dict, span_model=StatusSpan) -> list[StatusSpan]:
    return [span_model(assignment_id=pk, task_id=task_id, plan_id=plan_id, agency_id=agency_id, role=role, order=order,
                       start=s.start, end=s.end, state=s.state, due=s.due, completed_on=s.completed_on,
                       returned=s.returned)
            for pk, ((task_id, plan_id, agency_id, role, order), found) in computed.items() for s in found]


def bump(version_model=StatusVersion) -> None:
    if not version_model.objects.filter(pk=1).update(n=F("n") + 1):
        version_model.objects.create(pk=1, n=1)


_read = contextvars.ContextVar("status_version_read", default=None)


def version() -> int:
    known = _read.get()
    if known:
        return known[0]
    n = StatusVersion.objects.filter(pk=1).values_list("n", flat=True).first() or 0
    if known is not None:
        known.append(n)  # the first read inside version_read(): the rest of the block reuses it
    return n


@contextlib.contextmanager
def version_read():
    """Within the block, version() is read once: the value put in the list it yields (the API's ETag reads it with
    the rest of the data version, before the view), or else the first version() read. A read-only request then asks
    for it once, not once per memoised result (StatusVersionMiddleware: every GET page)."""
    token = _read.set([])
    try:
        yield _read.get()
    finally:
        _read.reset(token)


MEMO_SECONDS = 600


def memoised(*key, compute, at: int | None = None):
    """compute() memoised under (key, status version). The version is read first: data committed while
    computing can only make the stored result newer than its key, never older. Whatever a result depends on
    must bump() the version when it changes (status records do, through refresh(); directions do too).
    `at`: the version the caller read before (one read for several memoised results of one request)."""
    from django.core.cache import cache

    import hashlib

    at = version() if at is None else at
    name = f"memo:{hashlib.sha1(repr(key).encode()).hexdigest()}:{at}"  # any key, safe for any cache backend
    found = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, MEMO_SECONDS)
    return found


@transaction.atomic
def refresh(assignment_ids: Iterable[int]) -> None:
    """Recompute the spans of these assignments (all of each one's history: the records are few)."""
    ids = list(set(assignment_ids))
    if not ids:
        return
    for chunk in (ids[i:i + BATCH] for i in range(0, len(ids), BATCH)):
        StatusSpan.objects.filter(assignment_id__in=chunk).delete()
        StatusSpan.objects.bulk_create(_rows(compute(chunk)), batch_size=1000)
    bump()


def rebuild(ids: Iterable[int] | None = None, *, models=None, out=None) -> int:
    """Recompute the spans of these assignments (default: all), a batch per transaction. Returns how many."""
    A, C, E, S, V = models or (Assignment, Claim, Extension, StatusSpan, StatusVersion)
    # No orphans to sweep: a span goes with its assignment (foreign key, on delete cascade).
    ids = list(A.objects.order_by("pk").values_list("pk", flat=True)) if ids is None else sorted(ids)
    for i in range(0, len(ids), BATCH):
        chunk = ids[i:i + BATCH]
        with transaction.atomic():
            S.objects.filter(assignment_id__in=chunk).delete()
            S.objects.bulk_create(_rows(compute(chunk, models=(A, C, E)), S), batch_size=1000)
            bump(V)
        if out and (i // BATCH) % 50 == 49:
            out(f"  {i + len(chunk)}/{len(ids)}")
    return len(ids)


def check() -> list[int]:
    """Assignments whose stored spans differ from a fresh computation (empty when the cache is true)."""
    wrong = []
    ids = list(Assignment.objects.order_by("pk").values_list("pk", flat=True))
    for chunk in (ids[i:i + BATCH] for i in range(0, len(ids), BATCH)):
        fresh = {pk: [(s.start, s.end, s.state, s.due, s.completed_on, s.returned) for s in found]
                 for pk, (_, found) in compute(chunk).items()}
        stored: dict[int, list] = defaultdict(list)
        for row in (StatusSpan.objects.filter(assignment_id__in=chunk).order_by("assignment_id", "start")
                    .values_list("assignment_id", "start", "end", "state", "due", "completed_on", "returned")):
            stored[row[0]].append(tuple(row[1:]))
        wrong += [pk for pk in chunk if fresh.get(pk, []) != stored.get(pk, [])]
    return wrong


# --- Queries ----------------------------------------------------------------------------------------------

def published_plans() -> list[int]:
    # A list of a few ids: a filter the planner gets right, where a join with the plans table misled it. Memoised
    # under the status version, which a plan's change of status moves (_plan_saved); not inside a transaction,
    # where a write not yet committed (publishing a plan) may have changed it.
    def ids():
        return list(Plan.objects.filter(status="published").values_list("pk", flat=True))

    from django.db import connection

    return ids() if connection.in_atomic_block else memoised("published-plans", compute=ids)


def province_plans() -> list[int]:
    """The published plans that are not an agency's implementation plan of another (issue 19): what figures across
    plans count (a province's overview, rankings, an agency's totals), since a child plan details work its agency
    already holds, and is counted, in the plan above. Memoised as published_plans()."""
    def ids():
        return list(Plan.objects.filter(status="published", parent__isnull=True).values_list("pk", flat=True))

    from django.db import connection

    return ids() if connection.in_atomic_block else memoised("province-plans", compute=ids)


def on(day: dt.date, queryset=None, *, plans: list[int] | None = None):
    """Spans holding on `day`, of published plans (a superseded plan's figures are its revision's). `plans`: the
    published plans' ids, when the caller has read them already (published_plans())."""
    qs = StatusSpan.objects.all() if queryset is None else queryset
    return qs.filter(start__lte=day, end__gt=day, plan_id__in=published_plans() if plans is None else plans)


def task_statuses(day: dt.date, queryset=None, *, plans: list[int] | None = None):
    """One row per task with lead spans holding on `day` — `task_id` and its `status` (status.combine_counts(), in
    SQL: status_sql.combined_status) — as a grouped query: filter it on `status` (a HAVING) and take its
    `task_id`s as a subquery, so a list filters and counts tasks by status without reading them into Python.
    `queryset`: spans to start from (one plan's, a period's). A task with no lead span on `day` has no row."""
    from .status_sql import combined_status, lead_counts

    leads = on(day, (StatusSpan.objects.all() if queryset is None else queryset).filter(role="lead"), plans=plans)
    return leads.values("task_id").order_by().annotate(**lead_counts(day)).annotate(status=combined_status())


# --- Keeping the cache true -------------------------------------------------------------------------------

@receiver(post_save, sender=Claim)
@receiver(post_save, sender=Extension)
def _record_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh([instance.assignment_id])


@receiver(post_save, sender=Assignment)
def _assignment_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and (update_fields is None or {"ended_at", "added_at", "agency", "role", "task"} & set(update_fields)):
        refresh([instance.pk])


@receiver(post_save, sender=Task)
def _task_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        refresh(Assignment.objects.filter(task_id=instance.pk).values_list("pk", flat=True))


@receiver(post_save, sender=Plan)
def _plan_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or created or instance.status == "draft":
        return
    if update_fields is None or {"status", "agency_report_date"} & set(update_fields):
        ids = list(Assignment.objects.filter(task__plan_id=instance.pk).values_list("pk", flat=True))
        refresh(ids) if ids else bump()  # a plan of no assignment still changes the published plans
    elif {"number", "title", "parent", "owner"} & set(update_fields):  # parent: it leaves the province's figures
        bump()  # memoised pages (the plan's dashboard, an agency's work list) print the plan's number and title


@receiver(post_save, sender=Section)
def _section_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        bump()  # memoised task pages print their section's number (api/plans.list_tasks)


@receiver(agencies_changed)
@receiver(post_save, sender=Agency)
def _agency_saved(sender, instance=None, raw=False, **kwargs):
    if not raw:
        bump()  # memoised figures, rankings and work lists print agencies' names (an admin renames one, load_orgs)
