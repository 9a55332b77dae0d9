"""parsing.deadline_text: one reader of a deadline-only text, shared by tracking.status and the Excel sheet."""

from datetime import date as D

import pytest

from dondoc.parsing.deadline_text import (
    NamedDay,
    continuous,
    explicit_day,
    folded,
    impossible_period,
    named_days,
    period_end,
    recurrence_of,
    year_end,
    year_of,
)

pytestmark = pytest.mark.nodb


def test_folding_drops_marks_and_punctuation_and_is_idempotent():
    assert folded("Trước ngày 15/12/2024") == "truoc ngay 15 12 2024"
    assert folded("Quý IV/2026") == "quy iv 2026"
    assert folded(folded("Đến hết năm 2025.")) == folded("Đến hết năm 2025.") == "den het nam 2025"


@pytest.mark.parametrize("text, day", [
    ("10/12/2024", D(2024, 12, 10)),
    ("Trước ngày 15/12/2024", D(2024, 12, 15)),
    ("truoc ngay 15/12/2024", D(2024, 12, 15)),
    ("ngày 15 tháng 12 năm 2024", D(2024, 12, 15)),
    ("ngay 15 thang 12 nam 2024", D(2024, 12, 15)),
    ("30.6.2025", D(2025, 6, 30)),
    ("1-3-2025", D(2025, 3, 1)),
    ("từ 01/3/2025 đến 31/12/2025", D(2025, 12, 31)),
    ("tu 01/3/2025 den 31/12/2025", D(2025, 12, 31)),
    ("từ 01/3/2025 đến 31/02/2025", D(2025, 3, 1)),  # an impossible last day is passed over
    ("31/02/2025", None),
    ("32/13/2025", None),
    ("29/02/2024", D(2024, 2, 29)),
    ("29/02/2025", None),
    ("Quý IV/2026", None),
    ("", None),
])
def test_explicit_day(text, day):
    assert explicit_day(text) == day


def test_named_days_keep_the_impossible_ones_and_what_was_written():
    assert named_days("từ 01/3/2025 đến 31/02/2025") == [
        NamedDay("01 3 2025", D(2025, 3, 1)), NamedDay("31 02 2025", None)]
    assert named_days("từ 01/3/2025 đến 31 / 02 / 2025", written=True) == [
        NamedDay("01/3/2025", D(2025, 3, 1)), NamedDay("31 / 02 / 2025", None)]
    assert named_days("ngày 31 tháng 2 năm 2025", written=True) == [NamedDay("ngay 31 thang 2 nam 2025", None)]


def test_a_spreadsheet_day_needs_a_slash_a_dot_or_a_dash():
    assert named_days("10 12 2024") == [NamedDay("10 12 2024", D(2024, 12, 10))]
    assert named_days("10 12 2024", written=True) == []
    assert named_days("10, 12, 2024", written=True) == []


@pytest.mark.parametrize("text, year, end", [
    ("Quý IV/2026", None, D(2026, 12, 31)),
    ("quy iv 2026", None, D(2026, 12, 31)),
    ("Quý 1 năm 2025", None, D(2025, 3, 31)),
    ("Trong quý II", 2025, D(2025, 6, 30)),
    ("Quý III", None, None),
    ("Quý V/2025", 2025, None),
    ("Quý 01/2025", None, None),
    ("6 tháng đầu năm 2025", None, D(2025, 6, 30)),
    ("6 thang cuoi nam 2025", None, D(2025, 12, 31)),
    ("Sáu tháng cuối năm", 2024, D(2024, 12, 31)),
    ("6 tháng cuối năm", None, None),
    ("9 tháng đầu năm 2025", None, D(2025, 9, 30)),
    ("chín tháng", 2026, D(2026, 9, 30)),
    ("Tháng 12/2025", None, D(2025, 12, 31)),
    ("tháng 2 năm 2024", None, D(2024, 2, 29)),
    ("tháng 2", 2025, D(2025, 2, 28)),
    ("tháng 13/2025", None, None),
    ("Trong năm 2025", None, None),
    ("Quý IV/2026, tháng 3/2026", None, D(2026, 12, 31)),  # a quarter is looked for first
])
def test_period_end(text, year, end):
    assert period_end(text, year) == end


@pytest.mark.parametrize("text, impossible", [
    ("Quý V/2025", ("quarter", "v")),
    ("quy 5 nam 2025", ("quarter", "5")),
    ("Quý I/2025, Quý VI/2025", ("quarter", "vi")),
    ("Quý V", None),  # without its year, not checked
    ("Quý 01/2025", None),
    ("Quý IV/2025", None),
    ("tháng 13/2025", ("month", "13")),
    ("Tháng 0 năm 2025", ("month", "0")),
    ("15 tháng 13 năm 2025", None),  # a month after a number is a day's
    ("tháng 13", None),
    ("tháng 12/2025", None),
])
def test_impossible_period(text, impossible):
    assert impossible_period(text) == impossible


@pytest.mark.parametrize("text, year, found", [
    ("Trong năm 2025", None, 2025),
    ("trong nam 2025", 2024, 2025),
    ("Đến hết năm 2026", None, 2026),
    ("2025", None, 2025),
    ("năm", 2024, 2024),
    ("Trong năm", None, None),
    ("Hoàn thành năm 2027", None, 2027),
    ("Quý IV/2026", None, None),
    ("", 2025, None),
])
def test_year_of(text, year, found):
    assert year_of(text, year) == found


@pytest.mark.parametrize("text, found", [
    ("Trong năm 2025", 2025),
    ("hết năm 2024", 2024),
    ("Cuối năm 2026", 2026),
    ("Năm 2025", None),
    ("2025", None),
])
def test_year_end(text, found):
    assert year_end(text) == found


@pytest.mark.parametrize("text, first, finest", [
    ("Hằng tháng", "monthly", "monthly"),
    ("hang thang", "monthly", "monthly"),
    ("Hàng tuần", "monthly", "monthly"),
    ("Hằng quý", "quarterly", "quarterly"),
    ("Hàng quý, 6 tháng và cả năm", "quarterly", "quarterly"),
    ("Định kỳ 6 tháng", "semiannual", "semiannual"),
    ("dinh ky 6 thang", "semiannual", "semiannual"),
    ("Định kỳ hằng năm", "annual", "annual"),
    ("Mỗi năm", "annual", "annual"),
    ("Hằng ngày", None, None),
    ("Định kỳ 9 tháng", None, None),
    ("Thường xuyên", None, None),
    ("Quý IV/2026", None, None),
    # where the two rules part: the first period named, or the finest
    ("Hằng năm và hằng tháng", "annual", "monthly"),
    ("Mỗi năm 2 lần, vào tháng 6", "annual", "monthly"),
    ("Định kỳ, báo cáo quý", None, "quarterly"),
])
def test_recurrence_of(text, first, finest):
    assert recurrence_of(text) == first
    assert recurrence_of(text, finest=True) == finest


def test_continuous():
    assert continuous("Thường xuyên")
    assert continuous("thuong xuyen, hang nam")
    assert not continuous("Thực hiện thường xuyên")
