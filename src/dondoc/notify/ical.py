"""A small iCalendar (RFC 5545) writer: all-day events, text escaping, line folding. Pure, no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

MAX_OCTETS = 75  # per line, CRLF excluded (RFC 5545, 3.1)


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11): backslash, semicolon, comma, newline."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, continuation lines starting with one space, never
    inside a UTF-8 character (Vietnamese letters take 2 or 3 octets)."""
    out: list[str] = []
    current: list[str] = []
    size, limit = 0, MAX_OCTETS
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # the leading space counts
        current.append(char)
        size += n
    out.append("".join(current))
    return "\r\n ".join(out)


def unfold(text: str) -> str:
    """The inverse of fold() (what a calendar client does before parsing)."""
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def _date(day: dt.date) -> str:
    return f"{day:%Y%m%d}"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Event:
    uid: str
    day: dt.date
    summary: str
    description: str = ""
    url: str = ""
    categories: str = ""


def calendar(name: str, events: Iterable[Event], stamp: dt.datetime, *, description: str = "") -> str:
    """A VCALENDAR of all-day events; CRLF line ends, every line folded."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//dondoc//Nhac viec//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}", "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
             "REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H"]
    if description:
        lines.append(f"X-WR-CALDESC:{escape_text(description)}")
    stamp_text = _stamp(stamp)
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp_text}", f"DTSTART;VALUE=DATE:{_date(e.day)}",
                  f"DTEND;VALUE=DATE:{_date(e.day + dt.timedelta(days=1))}", f"SUMMARY:{escape_text(e.summary)}"]
        if e.description:
            lines.append(f"DESCRIPTION:{escape_text(e.description)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        if e.categories:
            lines.append(f"CATEGORIES:{escape_text(e.categories)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
