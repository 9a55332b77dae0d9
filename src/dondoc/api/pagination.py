"""Every list answers {count, items} with `page` and `page_size` (DESIGN.md)."""

from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Schema

T = TypeVar("T")

MAX_PAGE_SIZE = 200


class Page(Schema, Generic[T]):
    count: int
    items: list[T]


def paginate(items, page: int, page_size: int) -> dict:
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    if hasattr(items, "count") and not isinstance(items, list):
        count = items.count()
    else:
        count = len(items)
    return {"count": count, "items": list(items[start:start + page_size])}
