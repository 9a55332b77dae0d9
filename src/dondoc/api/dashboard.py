"""Follow-up figures for dashboards and a provincial operations centre (IOC): the same numbers the pages show."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from dondoc.core import clock
from dondoc.dashboard import figures
from dondoc.plans.models import PlanStatus
from dondoc.plans.queries import plan_for_user_or_404
from dondoc.reports.ranking import agency_ranking
from dondoc.tracking.access import SEE_ALL

from .pagination import MAX_PAGE_SIZE, Paging, bounds
from .params import Day

router = Router(tags=["Tổng hợp, xếp hạng"])


def parse_day(value: str | dt.date | None, name: str, *, default: dt.date | None = None,
              not_after_today: bool = True) -> dt.date:
    if not value:
        return default or clock.today()
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    except ValueError:
        raise HttpError(400, f"Tham số {name} không hợp lệ: dùng dạng YYYY-MM-DD, ví dụ 2024-12-10.")
    if not_after_today and day > clock.today():
        raise HttpError(400, f"Tham số {name} không được sau ngày hôm nay: số liệu chỉ có đến hôm nay.")
    return day


class AgencyRef(Schema):
    id: int
    name: str


class Counts(Schema):
    total: int
    done_on_time: int
    done_late: int
    open_in_time: int
    overdue: int
    awaiting_confirmation: int
    ongoing: int
    due: int = Field(description="Nhiệm vụ đến hạn tính đến ngày xem: đã hoàn thành, hoặc đã qua thời hạn")
    due_done_rate: float = Field(description="Tỷ lệ đã hoàn thành trên số đến hạn (0–1); 0 khi chưa có nhiệm vụ đến hạn")


class SectionCounts(Counts):
    ref: str
    title: str


class AgencyCounts(Counts):
    """Lượt giao chủ trì của một cơ quan: a task led by several agencies counts once for each of them."""
    agency: AgencyRef


class SummaryOut(Counts):
    """Nhiệm vụ (tasks), each with the status combined over its lead agencies; `by_agency` counts lượt giao."""
    as_of: dt.date
    by_section: list[SectionCounts] = Field(description="Nhiệm vụ theo hạn chế, khuyết điểm (mục)")
    by_agency: list[AgencyCounts] = Field(description="Lượt giao chủ trì theo cơ quan: một nhiệm vụ do nhiều cơ quan "
                                                      "chủ trì được tính cho mỗi cơ quan")


class PlanRef(Schema):
    id: int
    number: str
    title: str


class PlanCounts(Counts):
    plan: PlanRef


class ProvinceOut(Counts):
    as_of: dt.date
    by_plan: list[PlanCounts]


class RankingItem(Schema):
    rank: int
    agency: AgencyRef
    on_time_rate: float | None = Field(description="Hoàn thành đúng hạn ÷ đến hạn (0–1); null khi chưa có việc đến hạn")
    overdue: int
    late_reports: int
    done_on_time: int
    done_late: int
    due: int
    total: int


class RankingOut(Schema):
    count: int
    items: list[RankingItem]
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    as_of: dt.date


class RankingPaging(Paging):
    page_size: int = Field(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Số mục mỗi trang, từ 1 đến {MAX_PAGE_SIZE}")


def _oversight(request) -> None:
    if request.user.role not in SEE_ALL:
        raise HttpError(403, "Chỉ lãnh đạo, cơ quan tổng hợp và người xem được xem số liệu tổng hợp của kế hoạch.")


@router.get("/plans/{int:plan_id}/summary", response=SummaryOut, summary="Số liệu tổng hợp của một kế hoạch (có thể xem lùi ngày)")
def plan_summary(request, plan_id: int, as_of: Day | None = None):
    _oversight(request)
    plan = _plan(request, plan_id)
    return figures.summary(plan, parse_day(as_of, "as_of"))


@router.get("/summary", response=ProvinceOut, summary="Số liệu tổng hợp của mọi kế hoạch đang thực hiện")
def province_summary(request, as_of: Day | None = None):
    _oversight(request)
    return figures.province_summary(parse_day(as_of, "as_of"))


@router.get("/rankings", response=RankingOut, by_alias=True, summary="Xếp hạng cơ quan chủ trì theo tỷ lệ hoàn thành đúng hạn")
def rankings(request, paging: Query[RankingPaging], date_from: Day | None = Query(None, alias="from"),
             date_to: Day | None = Query(None, alias="to")):
    start, end = figures.default_window()
    date_from = parse_day(date_from, "from", default=start, not_after_today=False)
    date_to = parse_day(date_to, "to", default=end, not_after_today=False)
    if date_from > date_to:
        raise HttpError(400, "Khoảng thời gian không hợp lệ: ngày bắt đầu (from) sau ngày kết thúc (to).")
    result = agency_ranking(date_from, date_to)
    window = bounds(paging, result["count"])
    items = [] if window is None else result["items"][window[0]:window[1]]
    return {"count": result["count"], "items": items, "from": date_from, "to": date_to, "as_of": result["as_of"]}


def _plan(request, plan_id):
    from django.http import Http404

    try:
        plan = plan_for_user_or_404(request.user, plan_id)
    except Http404:
        raise HttpError(404, "Không tìm thấy kế hoạch.")
    if plan.status == PlanStatus.DRAFT:
        raise HttpError(404, "Kế hoạch chưa ban hành giao việc: chưa có số liệu.")
    return plan
