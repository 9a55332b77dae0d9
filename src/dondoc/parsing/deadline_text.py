"""Reading a deadline-only text: what a task's deadline column says, or the `deadline_text` the parser stored.

"10/12/2024", "Trước ngày 15/12/2024", "ngày 15 tháng 12 năm 2024", "Quý IV/2026", "6 tháng cuối năm 2025",
"Tháng 12/2025", "Trong năm 2025", "2025", "Hằng quý", "Định kỳ 6 tháng", "Thường xuyên",
"từ 01/3/2025 đến 31/12/2025", typed with or without accents. The text is only the deadline, so a bare date is
one (unlike deadlines.find, which looks for a deadline inside a task's sentence and needs a word before a date).

Two callers decide on top of these readings: plans.due.due_for (when a task is due, and on what basis) and
plans.excel.read.parse_deadline (a deadline cell, with its errors in Vietnamese). Where they read a text
differently, the difference is an option here, named after the caller that needs it. Pure, standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import fold as _unmarked

_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=4096)
def folded(text: str) -> str:
    """Lowercase ASCII without diacritics, punctuation as single spaces (as core.text.fold); folding twice changes
    nothing, so every function here takes a text as printed or already folded."""
    return _NON_WORD.sub(" ", _unmarked(text)).strip()


# --- Days --------------------------------------------------------------------------------------------------

# On folded text: any punctuation or spaces between the numbers ("10/12/2024", "10.12.2024", "10 12 2024").
_DAY = re.compile(r"\b(\d{1,2}) (\d{1,2}) (\d{4})\b")
# On the text as written: only "/", "." or "-" between the numbers (a spreadsheet cell).
_DAY_WRITTEN = re.compile(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\b")
_DAY_WORDS = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})\b")


@dataclass(frozen=True)
class NamedDay:
    printed: str  # the words matched: as written for "31/02/2025", folded for "ngay 31 thang 2 nam 2025"
    date: dt.date | None  # None: no such day


def _date(d: str, m: str, y: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def named_days(text: str, *, written: bool = False) -> list[NamedDay]:
    """Every day the text names: the numeric ones first, then the ones in words ("ngày 15 tháng 12 năm 2024").

    `written` (a spreadsheet cell): a numeric day has "/", "." or "-" between its numbers, read on the text as
    given; otherwise (a stored deadline text) any punctuation or spaces will do."""
    plain = folded(text)
    numeric = _DAY_WRITTEN.finditer(text) if written else _DAY.finditer(plain)
    return [NamedDay(m[0], _date(*m.groups())) for found in (numeric, _DAY_WORDS.finditer(plain)) for m in found]


def explicit_day(text: str) -> dt.date | None:
    """The last real day named ("từ 01/3/2025 đến 31/12/2025" is due 31/12/2025); an impossible one is passed over."""
    for day in reversed(named_days(text)):
        if day.date is not None:
            return day.date
    return None


# --- Periods and years ---------------------------------------------------------------------------------------

_QUARTER = re.compile(r"\bquy ([ivxl]+|\d+)(?: nam)?(?: (\d{4}))?\b")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}  # read as a quarter
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_HALF = re.compile(r"\b(?:6|06|sau) thang (dau|cuoi)(?: nam)?(?: (\d{4}))?\b")
_NINE = re.compile(r"\b(?:9|09|chin) thang(?: dau)?(?: nam)?(?: (\d{4}))?\b")
_MONTH = re.compile(r"\bthang (\d{1,2})(?: nam)?(?: (\d{4}))?\b")
_AFTER_NUMBER = re.compile(r"\d ")
_YEAR_ONLY = re.compile(r"^(?:(?:trong|het|cuoi|den|ca) )*(?:nam(?: (\d{4}))?|(\d{4}))$")
_YEAR_NAMED = re.compile(r"\bnam (\d{4})\b")
_YEAR_END = re.compile(r"\b(?:trong|het|cuoi) nam (\d{4})\b")


def last_day(year: int, month: int) -> dt.date:
    return (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(days=1)


def _year_or(found: str | None, fallback: int | None) -> int | None:
    return int(found) if found else fallback


def period_end(text: str, year: int | None = None) -> dt.date | None:
    """The last calendar day of the quarter, half-year, nine months or month named, in that order of search.

    A period without its year is read in `year`; without either, or for a month that does not exist
    ("tháng 13/2025"), None. Only "Quý I".."Quý IV" and "Quý 1".."Quý 4" are quarters."""
    plain = folded(text)
    for m in _QUARTER.finditer(plain):
        if quarter := _QUARTERS.get(m[1]):
            y = _year_or(m[2], year)
            return last_day(y, quarter * 3) if y else None
    if m := _HALF.search(plain):
        y = _year_or(m[2], year)
        return (dt.date(y, 6, 30) if m[1] == "dau" else dt.date(y, 12, 31)) if y else None
    if m := _NINE.search(plain):
        y = _year_or(m[1], year)
        return dt.date(y, 9, 30) if y else None
    if m := _MONTH.search(plain):
        y = _year_or(m[2], year)
        return last_day(y, int(m[1])) if y and 1 <= int(m[1]) <= 12 else None
    return None


def impossible_period(text: str) -> tuple[str, str] | None:
    """("quarter", "V") or ("month", "13"): the first quarter, else the first month, named with its year that no
    calendar has ("Quý V/2025", "tháng 13/2025"). A month right after a number ("15 tháng 13 năm 2025") is not
    checked; "Quý 01/2025" is not impossible (though period_end does not read it)."""
    plain = folded(text)
    for m in _QUARTER.finditer(plain):
        number = m[1]
        quarter = int(number) if number.isdigit() else _ROMAN.get(number)
        if m[2] and (quarter is None or not 1 <= quarter <= 4):
            return "quarter", number
    for m in _MONTH.finditer(plain):
        if m[2] and not _AFTER_NUMBER.fullmatch(plain[max(0, m.start() - 2):m.start()]) and not 1 <= int(m[1]) <= 12:
            return "month", m[1]
    return None


def year_of(text: str, year: int | None = None) -> int | None:
    """The year of a text that is only a year ("trong năm 2025", "2024", "hết năm"; a bare "năm" is `year`), else
    of the first "năm 2024" in it; None for an empty text."""
    plain = folded(text)
    if not plain:
        return None
    if m := _YEAR_ONLY.match(plain):
        return _year_or(m[1] or m[2], year)
    m = _YEAR_NAMED.search(plain)
    return int(m[1]) if m else None


def year_end(text: str) -> int | None:
    """The year of the first "trong / hết / cuối năm 2025" anywhere in the text: due on its 31/12."""
    m = _YEAR_END.search(folded(text))
    return int(m[1]) if m else None


# --- Recurrence ------------------------------------------------------------------------------------------------

_MARKER = r"\b(?:hang|dinh ky|moi|tung)"
_RECURRING = re.compile(_MARKER + r" (tuan|thang|quy|nam|6 thang|06 thang|sau thang)\b")
_RECURRING_WORD = re.compile(_MARKER + r"\b")
_CONTINUOUS = re.compile(r"^thuong xuyen\b")
_FIRST_PERIOD = {"tuan": "monthly", "thang": "monthly", "quy": "quarterly", "nam": "annual"}  # else 6 tháng


def recurrence_of(text: str, *, finest: bool = False) -> str | None:
    """"monthly", "quarterly", "semiannual" or "annual" from "hằng / định kỳ / mỗi / từng" and a period; a weekly
    task is followed monthly; "hằng ngày" is none of them.

    By default (tracking) the period right after the first such word that has one ("hằng năm và hằng tháng" ->
    annual); `finest` (a spreadsheet cell) the finest period named anywhere after the first such word, where "6
    tháng", "9 tháng" are spans of the year, not a monthly rhythm ("hằng quý, 6 tháng và cả năm" -> quarterly)."""
    plain = folded(text)
    if not finest:
        m = _RECURRING.search(plain)
        return _FIRST_PERIOD.get(m[1], "semiannual") if m else None
    match = _RECURRING_WORD.search(plain)
    if not match:
        return None
    rest = plain[match.end():]
    if re.search(r"\btuan\b", rest) or re.search(r"\bthang\b", re.sub(r"\b(?:\d+|sau|chin) thang\b", "", rest)):
        return "monthly"
    if re.search(r"\bquy\b", rest):
        return "quarterly"
    if re.search(r"\b(?:6|06|sau) thang\b", rest):
        return "semiannual"
    if re.search(r"\bnam\b", rest):
        return "annual"
    return None


def continuous(text: str) -> bool:
    """The text starts with "Thường xuyên": a task done all along."""
    return bool(_CONTINUOUS.search(folded(text)))
