"""Targets (chỉ tiêu) over the API: the same actions and visibility as the pages (targets/access.py)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from dondoc.core import clock
from dondoc.plans.queries import plan_for_user_or_404
from dondoc.targets import access, actions, queries, rules
from dondoc.targets.models import Target

from .errors import run
from .pagination import Page, Paging, paginate

router = Router(tags=["Chỉ tiêu"])

NOT_FOUND = "Không tìm thấy."




def _target(request, target_id: int) -> Target:
    try:
        return access.target_or_404(request.user, target_id, Target.objects.select_related("task", "task__plan", "task__section"))
    except Http404:
        raise HttpError(404, NOT_FOUND)


class ActualOut(Schema):
    id: int
    period: str
    period_label: str
    value: float
    unit: str
    note: str
    agency: str
    entered_at: dt.datetime
    entered_by: str
    counts: bool  # the entry that counts for its period (a later entry for the same period supersedes it)


class TargetTaskRef(Schema):
    id: int
    ref: str


class TargetOut(Schema):
    id: int
    task: TargetTaskRef
    text: str
    op: str
    value: float
    unit: str
    baseline: float | None
    source: str
    lead_agencies: list[str]
    due_date: dt.date | None
    latest: ActualOut | None
    colour: str
    colour_label: str
    reason: str


def _actual(a, counts: bool = True) -> dict:
    return {"id": a.pk, "period": a.period, "period_label": queries.period_label(a.period), "value": a.value,
            "unit": a.unit, "note": a.note, "agency": a.agency.name, "entered_at": a.entered_at,
            "entered_by": a.entered_by.display_name, "counts": counts}


def _row(row: queries.TargetRow) -> dict:
    t = row.target
    return {"id": t.pk, "task": {"id": row.task_id, "ref": row.task_ref}, "text": t.text, "op": t.op, "value": t.value,
            "unit": t.unit, "baseline": t.baseline, "source": t.source, "lead_agencies": row.lead_agencies,
            "due_date": row.due, "latest": _actual(row.latest) if row.latest else None, "colour": row.colour.value,
            "colour_label": row.colour.label, "reason": row.assessment.reason}


ColourName = Literal[tuple(c.value for c in rules.Colour)]


class TargetFilter(Paging):
    colour: ColourName | None = Field(None, description="Chỉ các chỉ tiêu có màu này")


@router.get("/plans/{int:plan_id}/targets", response=Page[TargetOut],
            summary="Chỉ tiêu của một kế hoạch, với số liệu mới nhất và đánh giá (red, orange, green, grey)")
def list_plan_targets(request, plan_id: int, filters: Query[TargetFilter]):
    try:
        plan = plan_for_user_or_404(request.user, plan_id)
    except Http404:
        raise HttpError(404, NOT_FOUND)
    rows = queries.targets_summary(plan, clock.today(), user=request.user, colour=filters.colour)
    result = paginate(rows, filters)
    return {"count": result["count"], "items": [_row(r) for r in result["items"]]}


@router.get("/targets/{int:target_id}", response=TargetOut, summary="Một chỉ tiêu với số liệu mới nhất và đánh giá")
def get_target(request, target_id: int):
    return _row(queries.target_row(_target(request, target_id), clock.today()))


@router.get("/targets/{int:target_id}/actuals", response=Page[ActualOut],
            summary="Số liệu thực hiện của một chỉ tiêu, kỳ mới nhất trước (cả các số liệu đã được đính chính)")
def list_actuals(request, target_id: int, paging: Query[Paging]):
    rows = queries.history(_target(request, target_id))
    result = paginate(rows, paging)
    return {"count": result["count"], "items": [_actual(a, a.counts) for a in result["items"]]}


ACTUAL_BODY = {
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["period", "value", "unit"],
        "properties": {
            "period": {"type": "string", "description": "Mã kỳ báo cáo: 2024-Q3, 2024-H1, 2024-9M, 2024, 2024-M03.",
                       "example": "2024-Q3"},
            "value": {"oneOf": [{"type": "number"}, {"type": "string"}],
                      "description": "Số JSON, hoặc chuỗi viết kiểu Việt Nam: \"95,5\", \"1.200\".", "example": "95,5"},
            "unit": {"type": "string", "description": "Đơn vị tính, phải là đơn vị của chỉ tiêu.", "example": "%"},
            "note": {"type": "string", "default": ""},
        }}}},
    "required": True,
}


@router.post("/targets/{int:target_id}/actuals", response={201: ActualOut},
             summary="Nhập số liệu thực hiện cho một kỳ (cơ quan chủ trì); nhập lại cùng kỳ để đính chính",
             openapi_extra={"requestBody": ACTUAL_BODY})
def post_actual(request, target_id: int):
    target = _target(request, target_id)
    run(access.require_lead_member, request.user, target)  # a role that may not enter is told so before any input check
    try:
        data = json.loads(request.body or b"{}", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or "period" not in data or "value" not in data:
        raise HttpError(400, "Dữ liệu không hợp lệ: cần JSON {period, value, unit, note}.")
    note = data.get("note") or ""
    unit = data.get("unit") or ""
    period = data.get("period")
    if not isinstance(note, str) or not isinstance(unit, str) or not isinstance(period, str):
        raise HttpError(400, "Dữ liệu không hợp lệ: period, unit và note là chuỗi ký tự.")
    actual = run(actions.do_enter_actual, target, request.user, period=period, value=data.get("value"), unit=unit,
                 note=note, request=request)
    return HttpStatus(201, _actual(actual))
