"""Printed agency names of a plan -> agencies, groups, or nothing (cached per name for one import)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dondoc.orgs.lookup import lookup
from dondoc.orgs.models import Agency, AgencyGroup


@dataclass
class Resolution:
    name: str
    agency: Agency | None = None
    group: AgencyGroup | None = None
    members: list[Agency] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.agency is not None:
            return "agency"
        if self.group is not None:
            return "group" if self.members else "vague"
        return "unknown"


def office_of(name: str) -> str:
    """The body a role names ("Lãnh đạo Sở Y tế" -> "Sở Y tế", "Giám đốc các sở" -> "các sở"): plans assign to the
    people at the head of a body, the tasks go to the body."""
    from dondoc.parsing.agencies import match, tokenize

    toks = tokenize(name)
    n = 0
    while True:
        k = match(toks, n, "role_heads")
        if not k:
            break
        n += k
    return name[toks[n].a:] if 0 < n < len(toks) else ""


class Resolver:
    def __init__(self, on: dt.date | None):
        self.on = on
        self._cache: dict[str, Resolution] = {}

    def __call__(self, name: str) -> Resolution:
        if name not in self._cache:
            match = lookup(name, on=self.on) or lookup(office_of(name), on=self.on)
            if isinstance(match, Agency):
                res = Resolution(name, agency=match)
            elif isinstance(match, AgencyGroup):
                res = Resolution(name, group=match, members=list(match.members.order_by("sort_key")))
            else:
                res = Resolution(name)
            self._cache[name] = res
        return self._cache[name]
