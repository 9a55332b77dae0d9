"""Report deadlines on top of the periods (periods.py): a plan's own report dates override the generic regime.

Generic regime: the report is due the N-th working day (Monday–Friday, not a holiday from the admin's list)
after the period's data cut-off. Nghị định 09/2019 leaves at least one working day between the cut-off and the
report, so N defaults to 1 for agencies (`DONDOC_REPORT_WORKING_DAYS`), and the coordinator, who aggregates
the agencies' reports, gets 3 more (`DONDOC_COORDINATOR_REPORT_WORKING_DAYS`, default 4 in all).

A plan's own date (Plan 78: agencies by 10/12/2024, the coordinator by 15/12/2024) is the deadline of the period
it belongs to: the period whose window — from its first day to its generic deadline — holds the date. Windows of
consecutive periods overlap for the days between a cut-off and its report (15/12/2024 is both a reporting day of
2024 and the first day of 2025's data); the date then belongs to the period that is closing. The window runs to
the generic deadline or GRACE_DAYS after the cut-off, whichever is later.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.conf import settings

from . import periods

# A plan's date up to this many days after a cut-off still reports on the period just closed.
GRACE_DAYS = 10


def working_days() -> int:
    """Working days after the cut-off for an agency's report (settings.REPORT_WORKING_DAYS)."""
    return settings.REPORT_WORKING_DAYS


def coordinator_working_days() -> int:
    return settings.REPORT_COORDINATOR_WORKING_DAYS


def holidays() -> frozenset[dt.date]:
    from .models import Holiday

    return frozenset(Holiday.objects.values_list("date", flat=True))


def generic_deadline(period: periods.Period, *, coordinator: bool = False,
                     holidays: Iterable[dt.date] | None = None) -> dt.date:
    days = coordinator_working_days() if coordinator else working_days()
    return periods.report_deadline(period, working_days=days, holidays=_holidays(holidays))


def _holidays(given) -> frozenset[dt.date]:
    return holidays() if given is None else frozenset(given)


def _previous(period: periods.Period) -> periods.Period | None:
    try:
        return periods.period_containing(period.kind, period.start - dt.timedelta(days=1))
    except ValueError:  # nine-month periods leave 15/9–14/12 uncovered: nothing before them overlaps
        return None


def _window_end(period: periods.Period, coordinator: bool, off: frozenset[dt.date]) -> dt.date:
    """The last day a report date can still be about `period`: its generic deadline, or GRACE_DAYS after its
    cut-off when that is later (a plan may give a few more days than the regime)."""
    return max(generic_deadline(period, coordinator=coordinator, holidays=off),
               period.end + dt.timedelta(days=GRACE_DAYS))


def plan_date_applies(date: dt.date | None, period: periods.Period, *, coordinator: bool = False,
                      holidays: Iterable[dt.date] | None = None) -> bool:
    """Whether a plan's own report date belongs to `period`: it lies in the period's window (first day to
    _window_end) and not in the closing days of the period before, which take it."""
    if date is None:
        return False
    off = _holidays(holidays)
    if not period.start <= date <= _window_end(period, coordinator, off):
        return False
    previous = _previous(period)
    return previous is None or date > _window_end(previous, coordinator, off)


def report_deadline_for(plan, period: periods.Period, *, holidays: Iterable[dt.date] | None = None) -> dt.date:
    """When an agency's report on `plan` for `period` is due."""
    off = _holidays(holidays)
    if plan is not None and plan_date_applies(plan.agency_report_date, period, holidays=off):
        return plan.agency_report_date
    return generic_deadline(period, holidays=off)


def coordinator_deadline_for(plan, period: periods.Period, *, holidays: Iterable[dt.date] | None = None) -> dt.date:
    """When the coordinator's consolidated report on `plan` for `period` is due."""
    off = _holidays(holidays)
    if plan is not None and plan_date_applies(plan.coordinator_report_date, period, coordinator=True, holidays=off):
        return plan.coordinator_report_date
    return generic_deadline(period, coordinator=True, holidays=off)


def period_of_date(kind: str, date: dt.date, *, holidays: Iterable[dt.date] | None = None) -> periods.Period:
    """The period of `kind` a report date belongs to: the one closing, when the date falls in the days between
    a cut-off and its report (15/12/2024 → 2024, not 2025)."""
    period = periods.period_containing(kind, date)
    previous = _previous(period)
    if previous is not None and date <= _window_end(previous, True, _holidays(holidays)):
        return previous
    return period


def default_period(plan, today: dt.date) -> periods.Period:
    """The period a plan's report pages open on: the annual period of the plan's own report date, else the
    annual period containing `today`."""
    if plan is not None and plan.agency_report_date:
        return period_of_date(periods.ANNUAL, plan.agency_report_date)
    return periods.period_containing(periods.ANNUAL, today)


def choices(plan, today: dt.date) -> list[periods.Period]:
    """Periods offered for a plan's reports: every kind, from the plan's year (or last year) to the next one."""
    first = (plan.issued_on.year if plan is not None and plan.issued_on else today.year - 1)
    last = max(today.year, plan.agency_report_date.year if plan is not None and plan.agency_report_date else today.year)
    first = min(first, last)
    out: list[periods.Period] = []
    for year in range(first, last + 1):
        for kind in (periods.ANNUAL, periods.NINE_MONTHS, periods.SEMIANNUAL, periods.QUARTERLY, periods.MONTHLY):
            out.extend(periods.periods(kind, year))
    return out
