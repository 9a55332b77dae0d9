"""When a task is due, and on what basis: read once from its deadline and the plan's report date, stored on the task.

`due_for` is the rule (docs/domain.md, "When a task is due"). The result is kept on the task (`due_date`,
`due_basis`, `due_label`) so tracking, figures and reminders read a date instead of re-reading the printed text:
`Task.save()` refills it when the task's deadline changes, `Plan.save()` when the plan's report date changes,
and `store_dues()` covers the writes that bypass save() (bulk imports, publication).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dondoc.core.text import fold, lower_first
from dondoc.parsing.deadline_text import continuous, explicit_day, period_end, recurrence_of, year_of

REPORT_DATE_LABEL = "theo hạn báo cáo của Kế hoạch"

@dataclass(frozen=True)
class Due:
    date: dt.date | None
    basis: str  # own | period | year | plan_report | recurring | none
    label: str


RECURRENCE_LABELS = {
    "monthly": "Hằng tháng",
    "quarterly": "Hằng quý",
    "semiannual": "Định kỳ 6 tháng",
    "nine_months": "Định kỳ 9 tháng",
    "annual": "Hằng năm",
    "continuous": "Thường xuyên",
}


def _format(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def due_for(deadline_date: dt.date | None, deadline_text: str, recurrence: str | None,
            plan_report_date: dt.date | None) -> Due:
    """When a task is due, and on what basis (docs/domain.md, "When a task is due").

    An explicit date wins; then a recurrence; then what the printed text says (a day, a period's last day,
    a year's 31/12 capped by an earlier plan report date in that year); else the plan's report date.
    A text without a year ("6 tháng cuối năm") is read in the year of the plan's report date.
    """
    text = " ".join((deadline_text or "").split())
    folded = fold(text)
    context_year = plan_report_date.year if plan_report_date else None

    def year_due(year: int) -> Due:
        end = dt.date(year, 12, 31)
        if plan_report_date and plan_report_date.year == year and plan_report_date < end:
            return Due(plan_report_date, "year", text or f"Năm {year}")
        return Due(end, "year", text or f"Năm {year}")

    if deadline_date is not None:
        # The parser stores 31/12 for "trong năm 2025", the period's end for "Quý IV/2026": keep their
        # basis, so a bare year still yields to an earlier plan report date.
        if folded and explicit_day(folded) is None:
            year = year_of(folded, context_year)
            if year and deadline_date == dt.date(year, 12, 31) and period_end(folded, context_year) is None:
                return year_due(year)
            if period_end(folded, context_year) == deadline_date:
                return Due(deadline_date, "period", text)
        # A reviewer may have changed the date and left the printed text behind: the date wins.
        printed = folded and explicit_day(folded) == deadline_date
        return Due(deadline_date, "own", text if printed else _format(deadline_date))
    if recurrence:
        return Due(None, "recurring", RECURRENCE_LABELS.get(recurrence, "Định kỳ"))
    if folded:
        if day := explicit_day(folded):
            return Due(day, "own", text)
        if kind := recurrence_of(folded) or ("continuous" if continuous(folded) else None):
            return Due(None, "recurring", RECURRENCE_LABELS[kind])
        if end := period_end(folded, context_year):
            return Due(end, "period", text)
        if year := year_of(folded, context_year):
            return year_due(year)
    if plan_report_date is not None:
        return Due(plan_report_date, "plan_report", REPORT_DATE_LABEL)
    return Due(None, "none", text)


def explain(due: Due) -> str:
    """The due day with the reason for it, as the task page states it: a year-only deadline reads "31/12/2025 (hết
    năm 2025)" or, when the plan's report date comes first, "10/12/2024 (theo hạn báo cáo của Kế hoạch, trước khi hết
    năm 2024)"."""
    if due.date is None:
        return f"{due.label} (theo từng kỳ)" if due.basis == "recurring" else "Chưa có thời hạn"
    day = _format(due.date)
    if due.basis == "period":
        return f"{day} (hết {lower_first(due.label)})"
    if due.basis == "year":
        year = f"năm {due.date.year}"
        if (due.date.month, due.date.day) == (12, 31):
            return f"{day} (hết {year})"
        return f"{day} ({REPORT_DATE_LABEL}, trước khi hết {year})"
    if due.basis == "plan_report":
        return f"{day} ({REPORT_DATE_LABEL})"
    return day


def public_basis(due: Due) -> str:
    """The basis as the API names it: own, period_end, year_end, plan_report_date (a year-only deadline the plan's
    report date brings forward counts as that), recurring, none."""
    if due.basis == "year" and due.date is not None and (due.date.month, due.date.day) != (12, 31):
        return "plan_report_date"
    return {"period": "period_end", "year": "year_end", "plan_report": "plan_report_date"}.get(due.basis, due.basis)


def fill(task, report_date: dt.date | None) -> bool:
    """Set the task's stored due from its deadline and the plan's report date; True when it changed."""
    due = due_for(task.deadline_date, task.deadline_text, task.recurrence or None, report_date)
    label = due.label[:255]
    if (task.due_date, task.due_basis, task.due_label) == (due.date, due.basis, label):
        return False
    task.due_date, task.due_basis, task.due_label = due.date, due.basis, label
    return True


def stored(task) -> Due:
    return Due(task.due_date, task.due_basis, task.due_label)


DUE_FIELDS = ("due_date", "due_basis", "due_label")


def store_dues(plan) -> int:
    """Refill the stored due of every task of `plan` (its report date as in memory); returns how many changed."""
    from .models import Task

    changed = [t for t in Task.objects.filter(plan_id=plan.pk).only(
        "pk", "deadline_date", "deadline_text", "recurrence", *DUE_FIELDS) if fill(t, plan.agency_report_date)]
    Task.objects.bulk_update(changed, DUE_FIELDS, batch_size=500)
    return len(changed)


def stale(plan_ids=None) -> list[int]:
    """Tasks whose stored due differs from the rule (empty when every stored due is true)."""
    from .models import Task

    qs = Task.objects.all() if plan_ids is None else Task.objects.filter(plan_id__in=plan_ids)
    wrong = []
    for pk, d_date, d_text, recurrence, report, *kept in qs.order_by("pk").values_list(
            "pk", "deadline_date", "deadline_text", "recurrence", "plan__agency_report_date", *DUE_FIELDS).iterator():
        due = due_for(d_date, d_text, recurrence or None, report)
        if (due.date, due.basis, due.label[:255]) != tuple(kept):
            wrong.append(pk)
    return wrong
