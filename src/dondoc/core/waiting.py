"""What waits for a person, as each app tells it: the home page lists them (web/views.home)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    text: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Waiting:
    """One kind of thing waiting for the person: how many, the list it belongs to, the first few."""
    key: str
    label: str
    count: int
    url: str = ""
    rows: list[Row] = field(default_factory=list)
    css: str = "primary"


SHOWN = 5  # rows shown per kind on the home page; the link leads to all of them
