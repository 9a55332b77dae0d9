"""Read side of the agency reports: lists for the pages and the API, late counts for the ranking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from dondoc.orgs.models import Agency
from dondoc.plans.models import Assignment, Plan

from . import access
from .access import visible_reports
from .models import AgencyReport


def late_reports_by_agency(date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """{agency id: reports submitted after their deadline}, for the reports whose deadline falls in the window
    (the agency ranking's third criterion, dashboard/figures.py)."""
    rows = (AgencyReport.objects.filter(AgencyReport.late_q(), deadline__gte=date_from, deadline__lte=date_to)
            .values("agency_id").order_by().annotate(n=Count("id")).values_list("agency_id", "n"))
    return dict(rows)


def plan_reports(plan: Plan, user, period: str | None = None) -> QuerySet[AgencyReport]:
    qs = visible_reports(user, AgencyReport.objects.filter(plan=plan))
    if period:
        qs = qs.filter(period=period)
    return qs.select_related("agency").order_by("period", "agency__sort_key", "pk")


@dataclass
class AgencyRow:
    agency: Agency
    leads: int
    partners: int
    report: AgencyReport | None


def agency_rows(plan: Plan, period: str, user) -> list[AgencyRow]:
    """Every agency with live assignments on the plan (or only the user's, for agency people), with its report
    for the period if it has one: the coordinator sees who has not reported yet."""
    qs = Assignment.objects.filter(task__plan=plan, ended_at__isnull=True, task__cancelled_at__isnull=True)
    if user.role not in access.SEE_ALL:
        qs = qs.filter(agency_id=user.agency_id or 0)
    counts: dict[int, dict] = {}
    for agency_id, role, n in qs.values("agency_id", "role").order_by().annotate(n=Count("id")).values_list(
            "agency_id", "role", "n"):
        counts.setdefault(agency_id, {"lead": 0, "coordinating": 0})[role] = n
    reports = {r.agency_id: r for r in AgencyReport.objects.filter(plan=plan, period=period, agency_id__in=list(counts))}
    agencies = Agency.objects.filter(pk__in=list(counts)).order_by("sort_key")
    return [AgencyRow(a, counts[a.pk]["lead"], counts[a.pk]["coordinating"], reports.get(a.pk)) for a in agencies]
