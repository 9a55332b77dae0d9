"""From a name as printed to the agency or group it means, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Union

from django.db.models import Q, QuerySet

from dondoc.core import clock
from dondoc.core.text import fold, nfc

from .models import Agency, AgencyGroup
from .names import name_key, search_words

Match = Union[Agency, AgencyGroup]


def _exact(model, name: str) -> tuple[list, list]:
    """(same letters and accents, case aside; same name key), each a list of rows."""
    target = nfc(name).strip().casefold()
    key = name_key(name)
    candidates = model.objects.filter(name_keys__contains=f"|{key}|")
    return [obj for obj in candidates if any(n.casefold() == target for n in obj.all_names())], list(candidates)


def _prefer_active(agencies: list[Agency], on: dt.date) -> Agency:
    active = [a for a in agencies if a.is_active_on(on)]
    if active:
        return active[0]
    return max(agencies, key=lambda a: a.valid_to or dt.date.max)


def lookup(name: str, on: dt.date | None = None) -> Match | None:
    """The agency or group a printed name means, or None.

    Accents, case, tone placement and the abbreviations UBND/HĐND/TP do not matter; an exact spelling wins over
    an accent-free one, and among namesakes the agency in existence on `on` (default today) wins — a 2024 plan
    still finds a body dissolved in 2025.
    """
    if not name or not name.strip() or not name_key(name):
        return None
    on = on or clock.today()
    exact_agencies, key_agencies = _exact(Agency, name)
    exact_groups, key_groups = _exact(AgencyGroup, name)
    for pool in (exact_agencies, exact_groups, key_agencies, key_groups):
        if pool:
            if isinstance(pool[0], Agency):
                return _prefer_active(pool, on)
            return pool[0]
    return None


def find_agency_by_code_or_name(text: str) -> Agency | None:
    text = (text or "").strip()
    if not text:
        return None
    agency = Agency.objects.filter(code__iexact=text).first()
    if agency is not None:
        return agency
    match = lookup(text)
    return match if isinstance(match, Agency) else None


def search_filter(q: str) -> Q | None:
    """Every word of the query, accents and case aside, in one of the names; None for an empty query."""
    # Abbreviations typed in the query (ubnd, tp) are expanded like the stored names.
    words = search_words(q or "")
    if not words:
        return None
    cond = Q()
    for word in words:
        cond &= Q(search_text__contains=word)
    return cond


def search_agencies(q: str, queryset: QuerySet | None = None) -> list[Agency]:
    """Agencies matching `q`, best first: the whole name, then a name starting with the query, then the rest
    in Vietnamese order. Dissolved agencies are included (callers mark them)."""
    qs = queryset if queryset is not None else Agency.objects.all()
    cond = search_filter(q)
    if cond is None:
        return list(qs.order_by("sort_key"))
    folded = fold(q)
    key = name_key(q)

    def rank(agency: Agency) -> tuple:
        names = [fold(n) for n in agency.all_names()]
        if f"|{key}|" in agency.name_keys:
            tier = 0
        elif any(n.startswith(folded) for n in names):
            tier = 1
        elif any(folded in n for n in names):
            tier = 2
        else:
            tier = 3
        return (tier, agency.sort_key)

    return sorted(qs.filter(cond), key=rank)


def search_groups(q: str) -> list[AgencyGroup]:
    cond = search_filter(q)
    qs = AgencyGroup.objects.all()
    return list(qs.filter(cond) if cond is not None else qs)
