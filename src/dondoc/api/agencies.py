from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from dondoc.orgs.lookup import search_agencies
from dondoc.orgs.models import Agency, Succession

from .pagination import Page, Paging, paginate

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
