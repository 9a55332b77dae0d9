"""A reorganisation from an Excel sheet (issue 18): which agencies end on which day, who succeeds them, with which
fields — read, checked and shown before anything is written, then written all at once or not at all.

One row per succession, a header row naming the columns (accents and case aside):
  Cơ quan | Ngày cuối cùng | Cơ quan kế thừa | Lĩnh vực tiếp nhận (optional) | Từ ngày (optional: the day after)
Agencies are named by code or by name; they must exist (load the new communes with `dondoc load_orgs` first).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction

from dondoc.core.text import fold

from .lookup import find_agency_by_code_or_name
from .models import Agency, Succession, agencies_changed

MAX_ROWS = 5000
COLUMNS = {"agency": ("co quan", "co quan cu", "don vi"), "last_day": ("ngay cuoi cung", "hieu luc den"),
           "successor": ("co quan ke thua",), "fields": ("linh vuc tiep nhan", "linh vuc"),
           "date": ("tu ngay", "ngay ke thua")}


class SheetRefused(ValueError):
    """The sheet cannot be loaded; the message (Vietnamese) names every row at fault."""


@dataclass
class Change:
    row: int
    agency: Agency
    last_day: dt.date
    successor: Agency
    fields: str
    date: dt.date


@dataclass
class Preview:
    changes: list[Change] = field(default_factory=list)

    def ending(self) -> dict[Agency, dt.date]:
        return {c.agency: c.last_day for c in self.changes}


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for form in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def read(data: bytes) -> Preview:
    """The changes the sheet asks for, every row checked; SheetRefused lists what is wrong."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:
        raise SheetRefused("Không đọc được tệp: cần tệp Excel (.xlsx).") from None
    rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)
    header = next(rows, None) or ()
    where = {}
    for i, title in enumerate(header):
        for key, names in COLUMNS.items():
            if fold(str(title or "")) in names and key not in where:
                where[key] = i
    missing = [label for key, label in (("agency", "Cơ quan"), ("last_day", "Ngày cuối cùng"),
                                        ("successor", "Cơ quan kế thừa")) if key not in where]
    if missing:
        raise SheetRefused("Dòng tiêu đề thiếu cột: " + ", ".join(missing) + ".")
    errors, changes = [], []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise SheetRefused(f"Tệp có quá {MAX_ROWS} dòng.")
        cell = {key: (values[i] if i < len(values) else None) for key, i in where.items()}
        if not any(str(v or "").strip() for v in cell.values()):
            continue
        agency = find_agency_by_code_or_name(str(cell["agency"] or ""))
        successor = find_agency_by_code_or_name(str(cell["successor"] or ""))
        last_day = _day(cell["last_day"])
        date = _day(cell.get("date")) if str(cell.get("date") or "").strip() else (
            last_day + dt.timedelta(days=1) if last_day else None)
        said = []
        if agency is None:
            said.append(f"không có cơ quan “{cell['agency'] or ''}”")
        if successor is None:
            said.append(f"không có cơ quan kế thừa “{cell['successor'] or ''}”")
        if last_day is None:
            said.append("ngày cuối cùng không hợp lệ (dd/mm/yyyy)")
        if date is None:
            said.append("ngày kế thừa không hợp lệ (dd/mm/yyyy)")
        if agency is not None and agency == successor:
            said.append("cơ quan kế thừa chính nó")
        if said:
            errors.append(f"dòng {number}: " + "; ".join(said))
            continue
        changes.append(Change(number, agency, last_day, successor, str(cell.get("fields") or "").strip()[:500], date))
    by_agency: dict[int, dt.date] = {}
    for c in changes:
        if by_agency.setdefault(c.agency.pk, c.last_day) != c.last_day:
            errors.append(f"dòng {c.row}: {c.agency.name} có hai ngày cuối cùng khác nhau")
    for c in changes:
        ends = by_agency.get(c.successor.pk) or c.successor.valid_to
        if c.successor.valid_from and c.successor.valid_from > c.date or (ends and ends < c.date):
            errors.append(f"dòng {c.row}: {c.successor.name} không có hiệu lực ngày {c.date:%d/%m/%Y}")
    cycle = _cycle(changes)
    if cycle:
        errors.append("vòng kế thừa: " + " → ".join(cycle))
    if errors:
        raise SheetRefused("Không nạp được tệp, chưa ghi gì: " + "; ".join(errors) + ".")
    if not changes:
        raise SheetRefused("Tệp không có dòng nào.")
    return Preview(changes)


def _cycle(changes: list[Change]) -> list[str]:
    """A chain of successions, those recorded and those asked, that comes back to where it started (A → B → A)."""
    edges: dict[int, set[int]] = {}
    names = {}
    for p, s in Succession.objects.values_list("predecessor_id", "successor_id"):
        edges.setdefault(p, set()).add(s)
    for c in changes:
        edges.setdefault(c.agency.pk, set()).add(c.successor.pk)
        names[c.agency.pk], names[c.successor.pk] = c.agency.name, c.successor.name

    def walk(start):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in edges.get(node, ()):
                if nxt == start:
                    return path + [start]
                if nxt not in path:
                    stack.append((nxt, path + [nxt]))
        return None

    for c in changes:
        found = walk(c.agency.pk)
        if found:
            missing = set(found) - names.keys()
            names.update(Agency.objects.filter(pk__in=missing).values_list("pk", "name"))
            return [names[pk] for pk in found]
    return []


@transaction.atomic
def apply(preview: Preview, *, actor=None) -> int:
    """Write it all: each agency's last day, each succession (its date and fields). Returns the rows written."""
    from dondoc.audit import record

    for agency, last_day in preview.ending().items():
        Agency.objects.filter(pk=agency.pk).update(valid_to=last_day)
    for c in preview.changes:
        Succession.objects.update_or_create(predecessor=c.agency, successor=c.successor,
                                            defaults={"date": c.date, "fields": c.fields})
    agencies_changed.send(sender=Agency)  # memoised pages print who succeeds whom
    record("orgs.reorganisation_loaded", actor=actor, changes={
        "rows": len(preview.changes), "agencies": sorted(a.code for a in preview.ending())})
    return len(preview.changes)
