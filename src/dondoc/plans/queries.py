"""Read-side helpers shared by the plan pages and the API (one place for filters; visibility is in access.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat

from dondoc.orgs.names import NEAR, PHRASE, PREFIX, match, search_words

# Visibility lives in access.py; DRAFT_ROLES and plan_for_user_or_404 are imported from here by older callers.
from .access import DRAFT_ROLES, plan_for_user_or_404, visible_plans
from .models import Assignment, Plan, Section, Task, held_on

# Listed so that the re-exports above are explicit (pyflakes reads __all__, not "noqa").
__all__ = ["DRAFT_ROLES", "LIST_FIELDS", "attach_assignments", "filter_tasks", "list_rows", "plan_for_user_or_404",
           "plans_with_counts", "search", "visible_plans", "with_assignments"]


def plans_with_counts(user) -> QuerySet[Plan]:
    return visible_plans(user).annotate(task_count=Count("tasks"))


def section_subtrees(plan: Plan) -> dict[int, tuple[str, set[int]]]:
    """Section id → (its ref, the ids of it and every section under it), by the outline's parent links: a part
    "II" holds its shortcomings "1", "2" whose refs do not start with "II"."""
    parent = dict(Section.objects.filter(plan=plan).values_list("pk", "parent_id"))
    refs = dict(Section.objects.filter(plan=plan).values_list("pk", "ref"))
    out = {pk: (refs[pk], {pk}) for pk in parent}
    for pk in parent:
        up, seen = parent[pk], {pk}
        while up is not None and up not in seen:  # `seen`: a cycle in bad data must not loop forever
            out[up][1].add(pk)
            seen.add(up)
            up = parent.get(up)
    return out


def filter_tasks(plan: Plan, *, section: str = "", agency: int | None = None, lead_kind: str = "", q: str = "",
                 due_from: dt.date | None = None, due_to: dt.date | None = None, needs_lead: bool = False,
                 sort: str = "order", only: Collection[int] | None = None, as_of: dt.date | None = None) -> QuerySet[Task]:
    """`only`: the tasks an upper layer picked (by status, from dashboard.figures.task_ids: a query of task ids, kept
    in the database as a subquery, or ids); with it, `agency` and
    the due period are the ones those were picked by and filter nothing more. The period is on the due date as
    tracking counts it (the stored `due_date`: a task "theo hạn báo cáo" falls due on the plan's report date)."""
    qs = Task.objects.filter(plan=plan)
    if only is not None:
        qs = qs.filter(pk__in=only if isinstance(only, QuerySet) else list(only))
    if section:
        # A section and everything under it in the outline ("II" covers its "1", "2"), and the blocks numbered under
        # it ("2" covers the blocks 2.1, 2.1.3 ...).
        under = set().union(*(ids for ref, ids in section_subtrees(plan).values() if ref == section))
        qs = qs.filter(Q(section_id__in=under) | Q(block_ref=section) | Q(block_ref__startswith=f"{section}."))
    if agency and only is None:
        # EXISTS, not a join: no DISTINCT over whole rows, and the page stops at its last task in the plan's order.
        qs = qs.filter(Exists(held_on(Assignment.objects.filter(task_id=OuterRef("pk"), agency_id=agency), as_of)))
    if lead_kind in ("agency", "group"):
        qs = qs.filter(lead_kind=lead_kind)
    if due_from and only is None:
        qs = qs.filter(due_date__gte=due_from)
    if due_to and only is None:
        qs = qs.filter(due_date__lte=due_to)
    if needs_lead:
        qs = qs.filter(needs_lead=True)
    order = {"order": ("order",), "deadline": ("due_date", "order"), "-deadline": ("-due_date", "order"),
             "ref": ("order",)}.get(sort, ("order",))
    words = search_words(q or "")
    if words:
        qs, rank = search(qs, words)
        order = (rank, *order)
    return qs.order_by(*order)


def search(qs: QuerySet[Task], words: list[str]) -> tuple[QuerySet[Task], Case]:
    """The tasks whose text holds the query words as a phrase, or close together (orgs.names.match), and the
    ranking to sort them by (phrases first). The database keeps the tasks holding every word — whole words, the last
    one possibly unfinished: LIKE over the search text with a space on each side, the same on SQLite and
    PostgreSQL — and the few it keeps are read for where the words stand."""
    padded = Concat(Value(" "), F("search_text"), Value(" "), output_field=TextField())
    qs = qs.annotate(padded_search=padded)
    for k, word in enumerate(words):
        qs = qs.filter(padded_search__contains=f" {word}" if k == len(words) - 1 else f" {word} ")
    ranks = {pk: found for pk, text in qs.values_list("pk", "search_text")
             if (found := match(words, text)) is not None}
    rank = Case(*(When(pk__in=[pk for pk, r in ranks.items() if r == tier], then=Value(tier)) for tier in (PHRASE, PREFIX)),
                default=Value(NEAR), output_field=IntegerField())
    return qs.filter(pk__in=list(ranks)), rank


def with_assignments(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks with their section and assignments in a fixed number of queries, whatever the page size."""
    return tasks.select_related("section").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("agency", "via_group").order_by("role", "agency__sort_key"))
    )


LIST_FIELDS = ("id", "plan_id", "section_id", "section__ref", "ref", "order", "text", "needs_lead", "deadline_date",
               "deadline_text", "recurrence", "due_date", "due_basis", "due_label")


def list_rows(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Only what a task list shows: the big JSON and search columns stay in the database."""
    return tasks.select_related("section").only(*LIST_FIELDS)


def attach_assignments(tasks: list[Task], day: dt.date | None = None) -> list[Task]:
    """One query for the assignments of every listed task that held on `day` (default today: an agency that
    handed its work over, a lead replaced by an amendment, is no longer shown), as plain tuples (no model
    instances: a 50-row page carries about 200 assignments, and building models for them cost more than the rest
    of the page)."""
    by_task: dict[int, list[dict]] = {t.pk: [] for t in tasks}
    rows = (held_on(Assignment.objects.filter(task_id__in=list(by_task)), day)
            .order_by("role", "agency__sort_key")
            .values_list("task_id", "id", "role", "agency_id", "agency__name", "agency__short_name"))
    for task_id, pk, role, agency_id, name, short_name in rows:
        by_task[task_id].append({"id": pk, "role": role, "agency": {"id": agency_id, "name": name},
                                 "label": short_name or name})
    for task in tasks:
        task.assignment_list = by_task[task.pk]
    return tasks


def agencies_on(plan: Plan) -> list:
    """The agencies a plan's work can be given to: those in existence on the plan's date, in Vietnamese order."""
    from dondoc.core import clock
    from dondoc.orgs.models import Agency

    on = plan.issued_on or clock.today()
    return [a for a in Agency.objects.order_by("sort_key") if a.is_active_on(on)]
