"""Every list answers {count, items} with `page` and `page_size` (docs/design.md, "The API"), under one rule: `page_size` from 1 to
MAX_PAGE_SIZE (outside: 422 with a message), `page` from 1; a page past the end is an empty `items` with the
`count` (the database is not asked for it)."""

from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Field, Schema

T = TypeVar("T")

MAX_PAGE_SIZE = 200


class Page(Schema, Generic[T]):
    count: int
    items: list[T]


class Paging(Schema):
    """The query parameters of every list (endpoints with filters extend it)."""

    page: int = Field(1, ge=1, description="Trang, từ 1; trang quá cuối trả về danh sách rỗng kèm tổng số")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Số mục mỗi trang, từ 1 đến {MAX_PAGE_SIZE}")


def bounds(paging: Paging, count: int) -> tuple[int, int] | None:
    """The slice [start, stop) of the page, or None when it starts past the end."""
    start = (paging.page - 1) * paging.page_size
    return None if start >= count else (start, start + paging.page_size)


def page_response(count: int, items: list[dict]):
    """A page built to its schema's shape by hand and sent as is: validating every item through the response
    schema cost more than the queries behind the busiest lists (tests check the shape against the OpenAPI schema)."""
    from django.http import JsonResponse

    return JsonResponse({"count": count, "items": items}, json_dumps_params={"ensure_ascii": False})


def paginate(items, paging: Paging) -> dict:
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    window = bounds(paging, count)
    return {"count": count, "items": [] if window is None else list(items[window[0]:window[1]])}
