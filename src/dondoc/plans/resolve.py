"""Printed agency names of a plan -> agencies, groups, or nothing (cached per name for one import).

Names are read as of the plan's date (docs/domain.md, "The 2025 reorganisation"): a group is its members in existence
then (a dissolved member counts through its successors), and an agency already dissolved then is not assigned —
it is shown with its successors, and publication waits until the reviewer chooses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dondoc.core import clock
from dondoc.orgs.lookup import lookup
from dondoc.orgs.models import Agency, AgencyGroup


@dataclass
class Resolution:
    name: str
    agency: Agency | None = None
    group: AgencyGroup | None = None
    members: list[Agency] = field(default_factory=list)
    dissolved: Agency | None = None  # the agency named, dissolved before the plan's date
    successors: list[Agency] = field(default_factory=list)  # who carries on its work then (a suggestion)
    on: dt.date | None = None  # the plan's date the name was read on
    emptied: bool = False  # a group whose every member had ended by then, none succeeded (district committees)
    tasks: int = 0  # how many tasks of the plan carry the name (actions.unresolved counts them)

    @property
    def kind(self) -> str:
        if self.agency is not None:
            return "agency"
        if self.dissolved is not None or self.emptied:
            return "dissolved"
        if self.group is not None:
            return "group" if self.members else "vague"
        return "unknown"

    def explain(self) -> str:
        """What the reviewer must decide, in Vietnamese (a dissolved agency: when, and who succeeded it)."""
        if self.emptied:
            return f"{self.name} (không còn cơ quan nào trong nhóm vào ngày {self.on:%d/%m/%Y})"
        if self.dissolved is None:
            return self.name
        until = self.dissolved.valid_to.strftime("%d/%m/%Y")
        heirs = ", ".join(a.name for a in self.successors)
        return f"{self.name} (hoạt động đến {until}" + (f"; cơ quan kế thừa: {heirs})" if heirs else ")")


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
        self.on = on or clock.today()  # a plan without a date is read as of today, as lookup() does
        self._cache: dict[str, Resolution] = {}

    def __call__(self, name: str) -> Resolution:
        if name not in self._cache:
            match = lookup(name, on=self.on) or lookup(office_of(name), on=self.on)
            if isinstance(match, Agency) and match.is_dissolved_on(self.on):
                res = Resolution(name, dissolved=match, successors=match.successors_on(self.on), on=self.on)
            elif isinstance(match, Agency):
                res = Resolution(name, agency=match)
            elif isinstance(match, AgencyGroup):
                members = match.members_on(self.on)
                if not members and match.members.exists():  # every member gone by then, none succeeded
                    res = Resolution(name, group=match, emptied=True, on=self.on)
                else:
                    res = Resolution(name, group=match, members=members)
            else:
                res = Resolution(name)
            self._cache[name] = res
        return self._cache[name]

    def needs_lead(self, lead_names: list[str]) -> bool:
        """"cần xác định đơn vị": no lead name gives an agency or a known group (with or without members)."""
        return not any(self(n).kind in ("agency", "group") for n in lead_names)
