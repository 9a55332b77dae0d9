"""Reporting periods: the data cut-offs of Nghị định 09/2019, Điều 12. Expected values written by hand."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.reports import periods as P
from dondoc.reports.periods import (
    KINDS,
    Period,
    label_of,
    parse_period,
    period_containing,
    periods,
    report_deadline,
)

pytestmark = pytest.mark.nodb

D = date


def ids(kind, year, **kw):
    return [p.id for p in periods(kind, year, **kw)]


# --- kinds and labels ----------------------------------------------------------------------------------

def test_kinds_and_their_names():
    assert KINDS == ("monthly", "quarterly", "semiannual", "nine_months", "annual")
    assert [label_of(k) for k in KINDS] == ["Hằng tháng", "Hằng quý", "6 tháng", "9 tháng", "Hằng năm"]


@pytest.mark.parametrize("bad", ["weekly", "", "Monthly", None])
def test_unknown_kind_is_refused(bad):
    with pytest.raises(ValueError, match="Loại kỳ báo cáo"):
        label_of(bad)
    with pytest.raises(ValueError, match="Loại kỳ báo cáo"):
        periods(bad, 2024)
    with pytest.raises(ValueError, match="Loại kỳ báo cáo"):
        period_containing(bad, D(2024, 5, 1))


# --- periods(kind, year) ---------------------------------------------------------------------------------

def test_monthly_periods_of_2024():
    months = periods("monthly", 2024)
    assert [p.id for p in months] == [f"2024-M{m:02d}" for m in range(1, 13)]
    assert [p.number for p in months] == list(range(1, 13))
    assert months[0] == Period("2024-M01", "monthly", 2024, 1, "Tháng 1/2024", D(2023, 12, 15), D(2024, 1, 14))
    assert months[2].label == "Tháng 3/2024"
    assert (months[11].start, months[11].end) == (D(2024, 11, 15), D(2024, 12, 14))
    assert months[9].label == "Tháng 10/2024"


def test_monthly_periods_tile_the_cut_off_year():
    months = periods("monthly", 2024)
    for before, after in zip(months, months[1:]):
        assert after.start == before.end + timedelta(days=1)


def test_leap_february_and_march():
    feb, mar = periods("monthly", 2024)[1:3]
    assert (feb.start, feb.end) == (D(2024, 1, 15), D(2024, 2, 14))
    assert (mar.id, mar.start, mar.end) == ("2024-M03", D(2024, 2, 15), D(2024, 3, 14))
    assert (mar.end - mar.start).days + 1 == 29  # 15/02 … 29/02 … 14/03
    assert (parse_period("2023-M03").end - parse_period("2023-M03").start).days + 1 == 28


def test_quarterly_periods_of_2024():
    assert [(p.id, p.label, p.start, p.end) for p in periods("quarterly", 2024)] == [
        ("2024-Q1", "Quý I/2024", D(2023, 12, 15), D(2024, 3, 14)),
        ("2024-Q2", "Quý II/2024", D(2024, 3, 15), D(2024, 6, 14)),
        ("2024-Q3", "Quý III/2024", D(2024, 6, 15), D(2024, 9, 14)),
        ("2024-Q4", "Quý IV/2024", D(2024, 9, 15), D(2024, 12, 14)),
    ]


def test_semiannual_periods_of_2024():
    assert [(p.id, p.label, p.start, p.end) for p in periods("semiannual", 2024)] == [
        ("2024-H1", "6 tháng đầu năm 2024", D(2023, 12, 15), D(2024, 6, 14)),
        ("2024-H2", "6 tháng cuối năm 2024", D(2024, 6, 15), D(2024, 12, 14)),
    ]


def test_nine_months_and_annual_of_2024():
    assert periods("nine_months", 2024) == [
        Period("2024-9M", "nine_months", 2024, 1, "9 tháng năm 2024", D(2023, 12, 15), D(2024, 9, 14))]
    assert periods("annual", 2024) == [
        Period("2024", "annual", 2024, 1, "Năm 2024", D(2023, 12, 15), D(2024, 12, 14))]


def test_nine_months_end_is_configurable(monkeypatch):
    assert periods("nine_months", 2025, nine_months_end=(9, 30))[0].end == D(2025, 9, 30)
    assert parse_period("2025-9M", nine_months_end=(10, 14)).end == D(2025, 10, 14)
    monkeypatch.setattr(P, "NINE_MONTHS_END", (9, 20))
    assert parse_period("2025-9M").end == D(2025, 9, 20)
    assert period_containing("nine_months", D(2025, 9, 20)).id == "2025-9M"
    # The parameter beats the module setting.
    assert parse_period("2025-9M", nine_months_end=(9, 14)).end == D(2025, 9, 14)


@pytest.mark.parametrize("end", [(2, 30), (13, 1), (12, 15), (12, 31), (0, 5)])
def test_impossible_nine_months_end_is_refused(end):
    with pytest.raises(ValueError, match="9 tháng"):
        periods("nine_months", 2024, nine_months_end=end)


def test_nine_months_end_on_29_february_exists_only_in_leap_years():
    assert parse_period("2024-9M", nine_months_end=(2, 29)).end == D(2024, 2, 29)
    with pytest.raises(ValueError, match="9 tháng"):
        parse_period("2025-9M", nine_months_end=(2, 29))


@pytest.mark.parametrize("year", [0, 1, 10000, -5, "2024", 2024.0, True])
def test_bad_year_is_refused(year):
    with pytest.raises(ValueError, match="Năm"):
        periods("monthly", year)


# --- period_containing -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, day, expected", [
    # monthly: the 14th closes the month, the 15th opens the next one
    ("monthly", D(2024, 3, 14), "2024-M03"),
    ("monthly", D(2024, 3, 15), "2024-M04"),
    ("monthly", D(2024, 3, 1), "2024-M03"),
    ("monthly", D(2024, 3, 31), "2024-M04"),
    ("monthly", D(2024, 2, 15), "2024-M03"),
    ("monthly", D(2024, 2, 29), "2024-M03"),
    ("monthly", D(2023, 2, 28), "2023-M03"),
    ("monthly", D(2024, 12, 14), "2024-M12"),
    ("monthly", D(2024, 12, 15), "2025-M01"),
    ("monthly", D(2024, 12, 20), "2025-M01"),
    ("monthly", D(2024, 12, 31), "2025-M01"),
    ("monthly", D(2025, 1, 1), "2025-M01"),
    ("monthly", D(2025, 1, 14), "2025-M01"),
    ("monthly", D(2025, 1, 15), "2025-M02"),
    # quarterly: 14th of the quarter's last month vs the 15th
    ("quarterly", D(2024, 3, 14), "2024-Q1"),
    ("quarterly", D(2024, 3, 15), "2024-Q2"),
    ("quarterly", D(2024, 2, 29), "2024-Q1"),
    ("quarterly", D(2024, 6, 14), "2024-Q2"),
    ("quarterly", D(2024, 6, 15), "2024-Q3"),
    ("quarterly", D(2024, 9, 14), "2024-Q3"),
    ("quarterly", D(2024, 9, 15), "2024-Q4"),
    ("quarterly", D(2024, 12, 14), "2024-Q4"),
    ("quarterly", D(2024, 12, 15), "2025-Q1"),
    ("quarterly", D(2024, 12, 20), "2025-Q1"),
    ("quarterly", D(2025, 1, 1), "2025-Q1"),
    ("quarterly", D(2024, 1, 20), "2024-Q1"),
    ("quarterly", D(2024, 4, 30), "2024-Q2"),
    # semiannual
    ("semiannual", D(2024, 6, 14), "2024-H1"),
    ("semiannual", D(2024, 6, 15), "2024-H2"),
    ("semiannual", D(2024, 12, 14), "2024-H2"),
    ("semiannual", D(2024, 12, 15), "2025-H1"),
    ("semiannual", D(2025, 1, 1), "2025-H1"),
    ("semiannual", D(2024, 2, 29), "2024-H1"),
    # annual
    ("annual", D(2024, 12, 14), "2024"),
    ("annual", D(2024, 12, 15), "2025"),
    ("annual", D(2024, 12, 20), "2025"),
    ("annual", D(2023, 12, 15), "2024"),
    ("annual", D(2024, 2, 29), "2024"),
    # nine months (default cut-off 14/9)
    ("nine_months", D(2023, 12, 15), "2024-9M"),
    ("nine_months", D(2024, 1, 1), "2024-9M"),
    ("nine_months", D(2024, 2, 29), "2024-9M"),
    ("nine_months", D(2024, 9, 14), "2024-9M"),
    ("nine_months", D(2024, 12, 15), "2025-9M"),
])
def test_period_containing(kind, day, expected):
    period = period_containing(kind, day)
    assert period.id == expected
    assert period.kind == kind
    assert period.start <= day <= period.end


def test_a_day_after_the_year_end_cut_off_belongs_to_next_year_everywhere():
    day = D(2024, 12, 15)
    assert [period_containing(k, day).id for k in KINDS] == ["2025-M01", "2025-Q1", "2025-H1", "2025-9M", "2025"]
    day = D(2024, 12, 14)
    assert [period_containing(k, day).id for k in ("monthly", "quarterly", "semiannual", "annual")] == \
        ["2024-M12", "2024-Q4", "2024-H2", "2024"]


@pytest.mark.parametrize("day", [D(2024, 9, 15), D(2024, 10, 31), D(2024, 12, 14)])
def test_nine_months_leaves_the_rest_of_the_year_uncovered(day):
    with pytest.raises(ValueError, match="9 tháng"):
        period_containing("nine_months", day)


def test_period_containing_wants_a_date_not_a_datetime():
    from datetime import datetime
    with pytest.raises(TypeError):
        period_containing("monthly", datetime(2024, 12, 14, 23, 0))


# --- ids -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pid, kind, number, start, end", [
    ("2024-M03", "monthly", 3, D(2024, 2, 15), D(2024, 3, 14)),
    ("2024-M01", "monthly", 1, D(2023, 12, 15), D(2024, 1, 14)),
    ("2024-M12", "monthly", 12, D(2024, 11, 15), D(2024, 12, 14)),
    ("2024-Q1", "quarterly", 1, D(2023, 12, 15), D(2024, 3, 14)),
    ("2024-Q4", "quarterly", 4, D(2024, 9, 15), D(2024, 12, 14)),
    ("2024-H1", "semiannual", 1, D(2023, 12, 15), D(2024, 6, 14)),
    ("2024-H2", "semiannual", 2, D(2024, 6, 15), D(2024, 12, 14)),
    ("2024-9M", "nine_months", 1, D(2023, 12, 15), D(2024, 9, 14)),
    ("2024", "annual", 1, D(2023, 12, 15), D(2024, 12, 14)),
])
def test_parse_period(pid, kind, number, start, end):
    period = parse_period(pid)
    assert (period.id, period.kind, period.year, period.number, period.start, period.end) == \
        (pid, kind, 2024, number, start, end)


def test_labels_through_ids():
    assert [parse_period(i).label for i in ("2024-M03", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-H1",
                                            "2024-H2", "2024-9M", "2024")] == [
        "Tháng 3/2024", "Quý I/2024", "Quý II/2024", "Quý III/2024", "Quý IV/2024", "6 tháng đầu năm 2024",
        "6 tháng cuối năm 2024", "9 tháng năm 2024", "Năm 2024"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("year", [2023, 2024, 2025, 2100])
def test_ids_round_trip(kind, year):
    for period in periods(kind, year):
        assert parse_period(period.id) == period


@pytest.mark.parametrize("bad", [
    "2024-M13", "2024-M00", "2024-M3", "2024-Q0", "2024-Q5", "2024-H0", "2024-H3", "2024-9m", "2024-q1",
    "24-Q1", "2024-", "2024-Y", " 2024-Q1", "2024-Q1 ", "Q1-2024", "", "0000", "0001-M01", "năm 2024", "2024-M3a",
    None, 2024,
])
def test_bad_ids_are_refused_with_a_clear_message(bad):
    with pytest.raises(ValueError, match="Mã kỳ báo cáo") as info:
        parse_period(bad)
    assert str(bad) in str(info.value)


def test_bad_month_message_says_why():
    with pytest.raises(ValueError, match="không có tháng 13"):
        parse_period("2024-M13")
    with pytest.raises(ValueError, match="không có quý 5"):
        parse_period("2024-Q5")


# --- report_deadline -------------------------------------------------------------------------------------

@pytest.mark.parametrize("pid, kwargs, expected", [
    ("2024-M03", {}, D(2024, 3, 15)),  # cut-off Thu 14/3 → Fri 15/3
    ("2024-H1", {}, D(2024, 6, 17)),  # cut-off Fri 14/6 → Mon 17/6
    ("2024-Q3", {}, D(2024, 9, 16)),  # cut-off Sat 14/9 → Mon 16/9
    ("2024", {}, D(2024, 12, 16)),  # cut-off Sat 14/12 → Mon 16/12
    ("2025-H1", {}, D(2025, 6, 16)),  # cut-off Sat 14/6/2025 → Mon 16/6
    ("2025", {}, D(2025, 12, 15)),  # cut-off Sun 14/12/2025 → Mon 15/12
    ("2024-M08", {"working_days": 3}, D(2024, 8, 19)),  # Thu 15, Fri 16, Mon 19
    ("2024-Q3", {"holidays": {D(2024, 9, 16)}}, D(2024, 9, 17)),
    ("2024-H1", {"holidays": frozenset({D(2024, 6, 17), D(2024, 6, 18)})}, D(2024, 6, 19)),
    ("2024-H1", {"working_days": 2, "holidays": [D(2024, 6, 17)]}, D(2024, 6, 19)),
    ("2024-H1", {"holidays": {D(2024, 6, 15)}}, D(2024, 6, 17)),  # a holiday on a Saturday changes nothing
    ("2024-H1", {"working_days": 5}, D(2024, 6, 21)),
    ("2024-H1", {"working_days": 6}, D(2024, 6, 24)),
    ("2025-M01", {"working_days": 0}, D(2025, 1, 14)),
])
def test_report_deadline(pid, kwargs, expected):
    assert report_deadline(parse_period(pid), **kwargs) == expected


def test_report_deadline_across_the_new_year_holiday():
    period = Period("x", "monthly", 2024, 12, "x", D(2024, 12, 1), D(2024, 12, 31))  # Tue 31/12
    assert report_deadline(period, holidays={D(2025, 1, 1)}) == D(2025, 1, 2)
    assert report_deadline(period) == D(2025, 1, 1)


@pytest.mark.parametrize("bad", [-1, 1.5, "1", True])
def test_report_deadline_refuses_a_bad_count(bad):
    with pytest.raises(ValueError):
        report_deadline(parse_period("2024-M03"), working_days=bad)


# --- properties ------------------------------------------------------------------------------------------

days = st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 12, 14))


@given(day=days, kind=st.sampled_from(["monthly", "quarterly", "semiannual", "annual"]))
def test_period_containing_holds_the_day(day, kind):
    period = period_containing(kind, day)
    assert period.start <= day <= period.end
    assert parse_period(period.id) == period
    assert period in periods(kind, period.year)


@given(day=days)
def test_nine_months_contains_the_day_or_refuses(day):
    try:
        period = period_containing("nine_months", day)
    except ValueError:
        annual = period_containing("annual", day)
        assert day > annual.end.replace(month=9, day=14)
    else:
        assert period.start <= day <= period.end


@given(day=days)
def test_finer_periods_nest_in_coarser_ones(day):
    month, quarter, half, year = (period_containing(k, day) for k in ("monthly", "quarterly", "semiannual", "annual"))
    assert year.start <= half.start <= quarter.start <= month.start <= day
    assert day <= month.end <= quarter.end <= half.end <= year.end


@given(period=st.sampled_from(KINDS).flatmap(
    lambda k: st.integers(1901, 2199).map(lambda y: periods(k, y))).flatmap(st.sampled_from),
       n=st.integers(0, 15), holidays=st.frozensets(st.dates(D(1900, 1, 1), D(2200, 12, 31)), max_size=10))
def test_report_deadline_is_the_nth_working_day_after_the_cut_off(period, n, holidays):
    due = report_deadline(period, working_days=n, holidays=holidays)
    between = [period.end + timedelta(days=i) for i in range(1, (due - period.end).days + 1)]
    working = [d for d in between if d.weekday() < 5 and d not in holidays]
    assert len(working) == n
    assert n == 0 or working[-1] == due


@pytest.mark.parametrize("kind, day, span", [
    (P.MONTHLY, date(2024, 12, 31), (date(2024, 12, 1), date(2024, 12, 31))),
    (P.MONTHLY, date(2024, 2, 10), (date(2024, 2, 1), date(2024, 2, 29))),
    (P.QUARTERLY, date(2024, 11, 15), (date(2024, 10, 1), date(2024, 12, 31))),
    (P.QUARTERLY, date(2025, 4, 1), (date(2025, 4, 1), date(2025, 6, 30))),
    (P.SEMIANNUAL, date(2025, 7, 1), (date(2025, 7, 1), date(2025, 12, 31))),
    (P.ANNUAL, date(2025, 3, 3), (date(2025, 1, 1), date(2025, 12, 31))),
])
def test_calendar_span_is_the_calendar_month_quarter_or_year_not_the_reporting_period(kind, day, span):
    assert P.calendar_span(kind, day) == span


@given(st.sampled_from([P.MONTHLY, P.QUARTERLY, P.SEMIANNUAL, P.ANNUAL]), st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_calendar_span_holds_the_day_and_tiles_the_year(kind, day):
    start, end = P.calendar_span(kind, day)
    assert start <= day <= end and start.day == 1
    assert P.calendar_span(kind, end + timedelta(days=1))[0] == end + timedelta(days=1)


def test_calendar_span_refuses_nine_months():
    with pytest.raises(ValueError):
        P.calendar_span(P.NINE_MONTHS, date(2025, 5, 1))
