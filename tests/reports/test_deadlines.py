"""Report deadlines: a plan's own dates override the generic regime; otherwise working days after the cut-off,
skipping weekends and the holidays the admin lists."""

import datetime as dt
from types import SimpleNamespace

import pytest

from dondoc.reports import deadlines, periods
from dondoc.reports.periods import parse_period

D = dt.date


def plan(agency=None, coordinator=None):
    return SimpleNamespace(agency_report_date=agency, coordinator_report_date=coordinator)


PLAN78 = plan(D(2024, 12, 10), D(2024, 12, 15))


@pytest.mark.nodb
@pytest.mark.parametrize("period, agency, coordinator", [
    ("2024", D(2024, 12, 10), D(2024, 12, 15)),  # Plan 78: both dates belong to the 2024 report
    ("2024-Q4", D(2024, 12, 10), D(2024, 12, 15)),
    ("2024-M12", D(2024, 12, 10), D(2024, 12, 15)),
    ("2024-H2", D(2024, 12, 10), D(2024, 12, 15)),
    # 15/12/2024 is also the first day of 2025's data: it stays with the period that is closing.
    ("2025", D(2025, 12, 15), D(2025, 12, 18)),  # 14/12/2025 is a Sunday: Mon 15/12, and Mon–Thu for the coordinator
    ("2025-M01", D(2025, 1, 15), D(2025, 1, 20)),
    # periods the plan's dates do not touch: the generic regime
    ("2024-Q3", D(2024, 9, 16), D(2024, 9, 19)),  # cut-off Sat 14/9: Mon 16/9; coordinator 4 working days: Thu 19/9
    ("2024-9M", D(2024, 9, 16), D(2024, 9, 19)),
])
def test_plan_dates_override_the_regime(period, agency, coordinator):
    p = parse_period(period)
    assert deadlines.report_deadline_for(PLAN78, p, holidays=()) == agency
    assert deadlines.coordinator_deadline_for(PLAN78, p, holidays=()) == coordinator


@pytest.mark.nodb
def test_without_plan_dates_the_regime_applies():
    p = parse_period("2024")  # cut-off Saturday 14/12/2024
    assert deadlines.report_deadline_for(plan(), p, holidays=()) == D(2024, 12, 16)
    assert deadlines.report_deadline_for(None, p, holidays=()) == D(2024, 12, 16)
    assert deadlines.coordinator_deadline_for(plan(), p, holidays=()) == D(2024, 12, 19)


@pytest.mark.nodb
def test_a_plan_date_a_few_days_after_the_regime_still_reports_on_the_closing_period():
    late = plan(D(2024, 12, 20))  # the regime says 16/12; the plan gives until 20/12
    assert deadlines.report_deadline_for(late, parse_period("2024"), holidays=()) == D(2024, 12, 20)
    assert deadlines.report_deadline_for(late, parse_period("2025"), holidays=()) == D(2025, 12, 15)


@pytest.mark.nodb
@pytest.mark.parametrize("period, holidays, expected", [
    ("2024-Q3", {D(2024, 9, 2), D(2024, 9, 3)}, D(2024, 9, 16)),  # Quốc khánh falls before the cut-off: no effect
    ("2024-M04", {D(2024, 4, 15)}, D(2024, 4, 16)),  # Sun 14/4 cut-off, Giỗ Tổ Hùng Vương on Mon 15/4 (1 day)
    ("2024-M05", {D(2024, 4, 30), D(2024, 5, 1)}, D(2024, 5, 15)),
    ("2025-M01", {D(2025, 1, 15), D(2025, 1, 16)}, D(2025, 1, 17)),
    ("2025-M02", {D(2025, 2, 14) + dt.timedelta(days=i) for i in range(1, 6)}, D(2025, 2, 20)),  # Mon–Wed off
])
def test_holidays_are_skipped(period, holidays, expected):
    assert deadlines.report_deadline_for(plan(), parse_period(period), holidays=holidays) == expected


@pytest.mark.nodb
def test_working_days_are_a_setting(settings):
    p = parse_period("2024-M03")  # cut-off Thursday 14/3/2024
    settings.REPORT_WORKING_DAYS = 1
    assert deadlines.report_deadline_for(None, p, holidays=()) == D(2024, 3, 15)
    settings.REPORT_WORKING_DAYS = 3
    assert deadlines.report_deadline_for(None, p, holidays=()) == D(2024, 3, 19)  # Fri, (weekend), Mon, Tue
    settings.REPORT_COORDINATOR_WORKING_DAYS = 5
    assert deadlines.coordinator_deadline_for(None, p, holidays=()) == D(2024, 3, 21)


@pytest.mark.nodb
def test_period_of_a_report_date():
    def of(kind, day):
        return deadlines.period_of_date(kind, day, holidays=()).id

    assert of(periods.ANNUAL, D(2024, 12, 10)) == "2024"
    assert of(periods.ANNUAL, D(2024, 12, 15)) == "2024"
    assert of(periods.ANNUAL, D(2025, 1, 20)) == "2025"
    assert of(periods.QUARTERLY, D(2024, 12, 10)) == "2024-Q4"


def test_holidays_come_from_the_admins_list(db):
    from dondoc.reports.models import Holiday

    Holiday.objects.create(date=D(2024, 12, 16), name="Nghỉ bù (thử)")
    assert deadlines.report_deadline_for(plan(), parse_period("2024")) == D(2024, 12, 17)
    assert deadlines.report_deadline_for(PLAN78, parse_period("2024")) == D(2024, 12, 10)  # the plan's own date
