"""The ranking of agencies (docs/domain.md): on their lead assignments' figures from the status cache
(dashboard/figures.py), then on their late periodic reports — so it lives here, where both are seen."""

from __future__ import annotations

import datetime as dt

from dondoc.core import clock
from dondoc.dashboard import figures

from .queries import late_reports_by_agency


def agency_ranking(date_from: dt.date, date_to: dt.date, today: dt.date | None = None) -> dict:
    """Agencies ranked on their lead assignments due between the two dates, as they stand on min(date_to, today):
    on-time rate (done on time ÷ due: done, or past the deadline), then fewest overdue, then fewest late reports.
    Agencies with nothing due yet come last, without a rate."""
    day = min(date_to, today or clock.today())
    return figures.memo("ranking", date_from, date_to, day, compute=lambda: _ranking(date_from, date_to, day))


def _ranking(date_from: dt.date, date_to: dt.date, day: dt.date) -> dict:
    counts = figures.agency_counts(day, due__gte=date_from, due__lte=date_to)
    late = late_reports_by_agency(date_from, date_to)
    names = figures.agency_names(set(counts) | set(late))
    items = []
    for agency_id in set(counts) | set(late):
        row = counts.get(agency_id) or {**figures.zero(), "awaiting_late": 0}
        done = row["done_on_time"] + row["done_late"]
        due = done + row["overdue"] + row["awaiting_late"]
        items.append({"agency": {"id": agency_id, "name": names[agency_id][0]},
                      "on_time_rate": round(row["done_on_time"] / due, 4) if due else None,
                      "overdue": row["overdue"], "late_reports": late.get(agency_id, 0),
                      "done_on_time": row["done_on_time"], "done_late": row["done_late"], "due": due,
                      "total": sum(row[k] for k in figures.KEYS), "_sort": names[agency_id][1]})
    items.sort(key=lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0), r["overdue"], r["late_reports"], r["_sort"]))
    previous, rank = None, 0
    for position, item in enumerate(items, 1):
        key = (item["on_time_rate"], item["overdue"], item["late_reports"])
        if key != previous:
            rank, previous = position, key
        item["rank"] = rank  # equal figures, equal rank
        del item["_sort"]
    return {"from": date_from, "to": date_to, "as_of": day, "count": len(items), "items": items}
