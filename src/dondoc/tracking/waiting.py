"""What waits for a person in tracking (the home page, web/views.home): completion claims to confirm and extension
requests to decide for the oversight roles; for an agency's people, what was returned or directed to it and what
is overdue or due this week (the work list's groups, tracking/work.py)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dondoc.accounts.roles import AGENCY_ROLES
from dondoc.core.text import shorten
from dondoc.core.waiting import SHOWN, Row, Waiting

from . import access
from .models import Claim, DecisionState, Extension
from .work import GROUPS, WorkList

TEXT = 110
PENDING_LABELS = {"hoan-thanh": "Báo cáo hoàn thành chờ xác nhận", "gia-han": "Đề nghị gia hạn chờ quyết định"}


def pending(model, user):
    """Claims (or extension requests) waiting for a decision, on the assignments the user sees, oldest first."""
    return (model.objects.filter(state=DecisionState.PENDING, assignment__ended_at__isnull=True,
                                 assignment__task__plan__status="published",
                                 assignment__in=access.visible_assignments(user))
            .select_related("assignment__task", "assignment__agency").order_by("created_at", "pk"))


def _assignment_row(a, note: str) -> Row:
    return Row(f"{a.task.ref} {shorten(a.task.text, TEXT)}", reverse("tracking:assignment", args=[a.pk]),
               f"{a.agency.name} · {note}")


def waiting_for(user, day: dt.date) -> list[Waiting]:
    out = []
    if user.role in access.COORDINATORS:
        claims = pending(Claim, user)
        out.append(Waiting("claims", PENDING_LABELS["hoan-thanh"], claims.count(),
                           f"{reverse('tracking:pending')}?loai=hoan-thanh", rows=[
            _assignment_row(c.assignment, f"hoàn thành ngày {c.completed_on:%d/%m/%Y}") for c in claims[:SHOWN]]))
    if user.role in access.DECIDE_EXTENSIONS:
        extensions = pending(Extension, user)
        out.append(Waiting("extensions", PENDING_LABELS["gia-han"], extensions.count(),
                           f"{reverse('tracking:pending')}?loai=gia-han", css="warning", rows=[
            _assignment_row(e.assignment, f"đề nghị đến {e.new_deadline:%d/%m/%Y}") for e in extensions[:SHOWN]]))
    if user.role in AGENCY_ROLES and user.agency_id:
        work = WorkList(user.agency_id, day)
        counts, items = work.first_of_each_group(SHOWN)
        url = reverse("tracking:my_work")
        for key, label, css in GROUPS:
            if key in ("action", "overdue", "soon"):
                out.append(Waiting(f"work-{key}", label, counts[key], f"{url}?nhom={key}", css=css, rows=[
                    Row(f"{i.ref} {shorten(i.text, TEXT)}", reverse("tracking:assignment", args=[i.pk]), _note(i))
                    for i in items[key]]))
    return out


def _note(item) -> str:
    said = [text for text, on in (("bị trả lại", item.returned), ("có ý kiến chỉ đạo mới", item.directed),
                                  (f"quá hạn {item.days_late} ngày", item.days_late)) if on]
    if not said and item.effective_due:
        said.append(f"hạn {item.effective_due:%d/%m/%Y}")
    return " · ".join([item.plan_label, *said])
