"""What waits for a person in reports (the home page, web/views.home): the agency's reports to approve (its head),
returned or not yet sent (its people), and the agencies' approved reports the coordinator has to accept."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.text import capfirst

from dondoc.accounts.roles import AGENCY_ROLES, Role
from dondoc.core.waiting import SHOWN, Row, Waiting

from . import access
from .models import AgencyReport, ReportState


def _rows(reports, day: dt.date, by_agency: bool) -> list[Row]:
    rows = []
    for r in reports[:SHOWN]:
        due = f"hạn {r.deadline:%d/%m/%Y}" + (" (đã quá hạn)" if r.overdue_on(day) else "")
        rows.append(Row(capfirst(r.label), reverse("reports:detail", args=[r.pk]),
                        f"{r.agency.name} · {due}" if by_agency else due))
    return rows


def waiting_for(user, day: dt.date) -> list[Waiting]:
    reports = (access.visible_reports(user).select_related("plan", "agency").order_by("deadline", "pk"))
    out = []
    if user.role == Role.HEAD and user.agency_id:
        mine = reports.filter(agency_id=user.agency_id, state=ReportState.SUBMITTED)
        out.append(Waiting("reports-approve", "Báo cáo của đơn vị chờ thủ trưởng duyệt", mine.count(),
                           reverse("reports:index"), _rows(mine, day, False)))
    if user.role in AGENCY_ROLES and user.agency_id:
        todo = reports.filter(agency_id=user.agency_id, state__in=(ReportState.RETURNED, ReportState.DRAFT))
        out.append(Waiting("reports-todo", "Báo cáo bị trả lại hoặc chưa gửi", todo.count(), reverse("reports:index"),
                           _rows(todo.order_by("-state", "deadline", "pk"), day, False), css="warning"))
    if user.role in access.COORDINATORS:
        approved = reports.filter(state=ReportState.APPROVED)
        out.append(Waiting("reports-accept", "Báo cáo của các cơ quan chờ tiếp nhận", approved.count(),
                           reverse("reports:index"), _rows(approved, day, True)))
    return out
