"""Reporting periods (kỳ báo cáo) and their data cut-offs, Nghị định 09/2019/NĐ-CP, Điều 12.

Pure: dates in, dates out. A period's `start`/`end` are the cut-off range (thời gian chốt số liệu), not
the calendar span: 2025-M01 runs 15/12/2024 → 14/01/2025. The 9-month cut-off is not in the decree; the
body that issues the regime sets it, so it is configurable (module default or a parameter).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

MONTHLY = "monthly"
QUARTERLY = "quarterly"
SEMIANNUAL = "semiannual"
NINE_MONTHS = "nine_months"
ANNUAL = "annual"
KINDS = (MONTHLY, QUARTERLY, SEMIANNUAL, NINE_MONTHS, ANNUAL)

_KIND_LABELS = {
    MONTHLY: "Hằng tháng",
    QUARTERLY: "Hằng quý",
    SEMIANNUAL: "6 tháng",
    NINE_MONTHS: "9 tháng",
    ANNUAL: "Hằng năm",
}

# (month, day) of the 9-month cut-off; 15/12 of the previous year → 14/9 unless the regime says otherwise.
NINE_MONTHS_END = (9, 14)

CUTOFF_DAY = 15  # data from the 15th on belongs to the next month's report
MIN_YEAR = dt.MINYEAR + 1  # every period may start in December of the previous year
MAX_YEAR = dt.MAXYEAR
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    id: str
    kind: str
    year: int
    number: int  # month 1–12, quarter 1–4, half 1–2; 1 for nine_months and annual
    label: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def label_of(kind: str) -> str:
    """The Vietnamese name of a kind: "Hằng quý"."""
    return _KIND_LABELS[_check_kind(kind)]


def _check_kind(kind: str) -> str:
    if kind not in _KIND_LABELS:
        choices = ", ".join(KINDS)
        raise ValueError(f"Loại kỳ báo cáo “{kind}” không hợp lệ; dùng một trong: {choices}.")
    return kind


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"Năm “{year}” không hợp lệ cho kỳ báo cáo.")
    return year


def _nine_months_end(year: int, nine_months_end: tuple[int, int] | None) -> dt.date:
    month, day = NINE_MONTHS_END if nine_months_end is None else nine_months_end
    try:
        end = dt.date(year, month, day)
    except (TypeError, ValueError):
        message = f"Ngày chốt số liệu 9 tháng “{day}/{month}” không có thật trong năm {year}."
        raise ValueError(message) from None
    # It must stay inside the year's cut-off range, or it would overlap next year's periods.
    if end >= dt.date(year, 12, CUTOFF_DAY) or end < dt.date(year, 1, 1):
        raise ValueError(f"Ngày chốt số liệu 9 tháng “{day}/{month}” phải trước ngày 15/12.")
    return end


def _month_start(year: int, month: int) -> dt.date:
    """The 15th of the month before (year, month): where that month's cut-off range begins."""
    return dt.date(year - 1, 12, CUTOFF_DAY) if month == 1 else dt.date(year, month - 1, CUTOFF_DAY)


def _end(year: int, month: int) -> dt.date:
    return dt.date(year, month, CUTOFF_DAY - 1)


def _make(kind: str, year: int, number: int, nine_months_end=None) -> Period:
    if kind == MONTHLY:
        if not 1 <= number <= 12:
            raise ValueError(f"không có tháng {number}.")
        return Period(f"{year}-M{number:02d}", kind, year, number, f"Tháng {number}/{year}",
                      _month_start(year, number), _end(year, number))
    if kind == QUARTERLY:
        if not 1 <= number <= 4:
            raise ValueError(f"không có quý {number}.")
        last = number * 3
        return Period(f"{year}-Q{number}", kind, year, number, f"Quý {_ROMAN[number - 1]}/{year}",
                      _month_start(year, last - 2), _end(year, last))
    if kind == SEMIANNUAL:
        if number not in (1, 2):
            raise ValueError(f"không có nửa năm thứ {number}.")
        label = f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
        last = number * 6
        return Period(f"{year}-H{number}", kind, year, number, label,
                      _month_start(year, last - 5), _end(year, last))
    if kind == NINE_MONTHS:
        return Period(f"{year}-9M", kind, year, 1, f"9 tháng năm {year}",
                      _month_start(year, 1), _nine_months_end(year, nine_months_end))
    return Period(str(year), ANNUAL, year, 1, f"Năm {year}", _month_start(year, 1), _end(year, 12))


def periods(kind: str, year: int, *, nine_months_end: tuple[int, int] | None = None) -> list[Period]:
    """Every period of `kind` whose report belongs to `year`, in order."""
    _check_kind(kind)
    _check_year(year)
    count = {MONTHLY: 12, QUARTERLY: 4, SEMIANNUAL: 2}.get(kind, 1)
    return [_make(kind, year, n, nine_months_end) for n in range(1, count + 1)]


def period_containing(kind: str, day: dt.date, *, nine_months_end: tuple[int, int] | None = None) -> Period:
    """The period of `kind` whose cut-off range holds `day` (20/12/2024 → 2025-M01, 2025-Q1, 2025).

    Nine-month periods do not cover the year (15/9–14/12 by default is in none): ValueError there.
    """
    _check_kind(kind)
    if isinstance(day, dt.datetime):
        raise TypeError("period_containing takes a date, not a datetime: convert to the local day first.")
    # From the 15th on, a day is reported with the next month.
    year, month = day.year, day.month
    if day.day >= CUTOFF_DAY:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    _check_year(year)
    if kind == MONTHLY:
        return _make(kind, year, month)
    if kind == QUARTERLY:
        return _make(kind, year, (month - 1) // 3 + 1)
    if kind == SEMIANNUAL:
        return _make(kind, year, 1 if month <= 6 else 2)
    if kind == ANNUAL:
        return _make(kind, year, 1)
    period = _make(kind, year, 1, nine_months_end)
    if day not in period:
        raise ValueError(f"Ngày {day:%d/%m/%Y} nằm ngoài kỳ báo cáo 9 tháng năm {year} "
                         f"({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}).")
    return period


_ID = re.compile(r"(?P<year>\d{4})(?:-(?:M(?P<month>\d{2})|Q(?P<quarter>\d)|H(?P<half>\d)|(?P<nine>9M)))?")


def parse_period(id: str, *, nine_months_end: tuple[int, int] | None = None) -> Period:
    """The period of a canonical id: `2024-M03`, `2024-Q1`, `2024-H1`, `2024-H2`, `2024-9M`, `2024`."""
    match = _ID.fullmatch(id) if isinstance(id, str) else None
    if match is None:
        raise ValueError(f"Mã kỳ báo cáo “{id}” không hợp lệ; dùng dạng 2024-M03, 2024-Q1, 2024-H1, "
                         f"2024-9M hoặc 2024.")
    try:
        year = _check_year(int(match["year"]))
        if match["month"]:
            return _make(MONTHLY, year, int(match["month"]))
        if match["quarter"]:
            return _make(QUARTERLY, year, int(match["quarter"]))
        if match["half"]:
            return _make(SEMIANNUAL, year, int(match["half"]))
        if match["nine"]:
            return _make(NINE_MONTHS, year, 1, nine_months_end)
        return _make(ANNUAL, year, 1)
    except ValueError as exc:
        raise ValueError(f"Mã kỳ báo cáo “{id}” không hợp lệ: {exc}") from None


def report_deadline(period: Period, *, working_days: int = 1, holidays: Iterable[dt.date] = frozenset()) -> dt.date:
    """The `working_days`-th working day (Mon–Fri, not a holiday) after the cut-off `period.end`.

    The decree leaves at least one working day between the cut-off and the report, so the default is the
    first working day after it: a Friday 14/6 cut-off is reported on Monday 17/6.
    """
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 0:
        raise ValueError(f"Số ngày làm việc “{working_days}” không hợp lệ.")
    off = frozenset(holidays)
    day, left = period.end, working_days
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            left -= 1
    return day


def calendar_span(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month, quarter or year holding `day`, as people say "tháng này", "quý này", "năm nay" — first
    and last day — not the reporting period, which runs from cut-off to cut-off."""
    _check_kind(kind)
    if kind == ANNUAL:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    months = {MONTHLY: 1, QUARTERLY: 3, SEMIANNUAL: 6}.get(kind)
    if months is None:
        raise ValueError(f"Kỳ “{kind}” không có khoảng lịch tương ứng.")
    first = months * ((day.month - 1) // months) + 1
    last = first + months - 1
    after = dt.date(day.year + (last == 12), last % 12 + 1, 1)
    return dt.date(day.year, first, 1), after - dt.timedelta(days=1)
