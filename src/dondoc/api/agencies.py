from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from dondoc.orgs.lookup import search_agencies
from dondoc.orgs.models import Agency, Succession
from dondoc.tracking import handover

from .errors import run
from .pagination import Page, Paging, bounds, page_response, paginate
from .params import Day, Id

router = Router(tags=["Cơ quan, đơn vị"])


class SuccessorOut(Schema):
    id: int
    code: str
    name: str
    date: dt.date
    note: str


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successors: list[SuccessorOut]


class AgencyFilter(Paging):
    q: str = Field("", max_length=200)


def _out(agency: Agency, links: dict[int, list[Succession]]) -> dict:
    return {
        "id": agency.pk, "code": agency.code, "name": agency.name, "short_name": agency.short_name,
        "kind": agency.kind, "valid_from": agency.valid_from, "valid_to": agency.valid_to,
        "successors": [
            {"id": s.successor_id, "code": s.successor.code, "name": s.successor.name, "date": s.date, "note": s.note}
            for s in links.get(agency.pk, [])
        ],
    }


@router.get("/agencies", response=Page[AgencyOut], summary="Tìm cơ quan, đơn vị (không phân biệt dấu, hoa thường)")
def list_agencies(request, filters: Query[AgencyFilter]):
    page = paginate(search_agencies(filters.q), filters)
    ids = [a.pk for a in page["items"]]
    links: dict[int, list[Succession]] = {}
    for link in Succession.objects.filter(predecessor_id__in=ids).select_related("successor").order_by("date"):
        links.setdefault(link.predecessor_id, []).append(link)
    return {"count": page["count"], "items": [_out(a, links) for a in page["items"]]}


# --- Hand-over of a dissolved agency's open work (issue 18) --------------------------------------------------

class AgencyRef(Schema):
    id: int
    name: str


class HandOverTask(Schema):
    id: int
    ref: str
    text: str
    plan: int


class HandOverItemOut(Schema):
    assignment: int
    role: str
    task: HandOverTask
    proposed: list[AgencyRef] = Field(description="Cơ quan kế thừa đề xuất (theo lĩnh vực); rỗng: cần chọn")


class HandOverFilter(Paging):
    effective: Day | None = Field(None, description="Ngày bàn giao có hiệu lực (mặc định: ngày sau ngày cuối cùng)")


class HandOverChoice(Schema):
    assignment: Id
    successors: list[Id] = Field(min_length=1, max_length=50)


class HandOverIn(Schema):
    effective: Day | None = Field(None, description="Mặc định: ngày sau ngày cuối cùng của cơ quan")
    choices: list[HandOverChoice] | None = Field(None, max_length=20000,
                                                 description="Mặc định: theo đề xuất; lượt giao không nêu thì giữ nguyên")
    accounts: Literal["move", "deactivate", "keep"] = "move"
    accounts_to: Id | None = Field(None, description="Cơ quan nhận tài khoản và vai trò theo dõi, tổng hợp")


class HandOverDone(Schema):
    id: int
    assignments: int
    effective: dt.date
    state: Literal["applied", "scheduled"] = Field(description="scheduled: ngày có hiệu lực chưa đến, hệ thống tự áp "
                                                               "dụng vào ngày đó (hủy được trước ngày đó)")


def _ended(request, agency_id: int) -> tuple[Agency, dt.date]:
    from dondoc.tracking import access

    if request.user.role not in access.COORDINATORS:
        raise HttpError(403, "Chỉ cơ quan theo dõi, tổng hợp bàn giao công việc.")
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise HttpError(404, "Không tìm thấy cơ quan.")
    return agency, handover.default_effective(agency)


@router.get("/agencies/{int:agency_id}/handover", response=Page[HandOverItemOut],
            summary="Đề xuất bàn giao công việc còn dở của cơ quan đã giải thể cho cơ quan kế thừa")
def handover_proposal(request, agency_id: int, filters: Query[HandOverFilter]):
    agency, default = _ended(request, agency_id)
    effective = filters.effective or default
    if effective is None:
        raise HttpError(400, f"{agency.name} vẫn còn hoạt động: chưa có ngày cuối cùng để bàn giao.")
    found = handover.propose(agency, effective)
    window = bounds(filters, len(found))
    shown = found[window[0]:window[1]] if window else []
    return page_response(len(found), [
        {"assignment": p.assignment.pk, "role": p.assignment.role,
         "task": {"id": p.assignment.task_id, "ref": p.assignment.task.ref, "text": p.assignment.task.text,
                  "plan": p.assignment.task.plan_id},
         "proposed": [{"id": s.pk, "name": s.name} for s in p.successors]} for p in shown])


@router.post("/agencies/{int:agency_id}/handover", response={201: HandOverDone},
             summary="Bàn giao công việc còn dở cho cơ quan kế thừa (một giao dịch; hoàn tác được trong ngày)")
def apply_handover(request, agency_id: int, body: HandOverIn):
    agency, _ = _ended(request, agency_id)
    accounts_to = None
    if body.accounts_to is not None:
        accounts_to = Agency.objects.filter(pk=body.accounts_to).first()
        if accounts_to is None:
            raise HttpError(400, "Không có cơ quan nhận tài khoản đã chọn.")
    choices = None if body.choices is None else {c.assignment: list(c.successors) for c in body.choices}
    done = run(handover.do_hand_over, agency, request.user, effective=body.effective, choices=choices,
               accounts=body.accounts, accounts_to=accounts_to, request=request)
    moved = (sum(1 for v in done.choices.values() if v) if done.state == done.State.SCHEDULED
             else done.items.values("old_id").distinct().count())
    return HttpStatus(201, {"id": done.pk, "assignments": moved, "effective": done.effective, "state": done.state})
