"""The plan's task list as an Excel appendix ("Danh mục nhiệm vụ"): export, and import of any sheet of that shape.

Export layout (one sheet "Danh mục nhiệm vụ"):
  title rows, then the header STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |
  Sản phẩm | Ghi chú | (hidden) Mã nhiệm vụ; every section of the outline as a bold row (its ref in STT, its title
  beside), tasks numbered 1..N through the whole plan so that "nhiệm vụ số 37" means one row.
  Leads of a published plan come from its assignments; a lead given through a group ("Ủy ban nhân dân huyện,
  thành phố") is printed once as the group's name, as the plan itself prints it, not as its seven members.
  Names in one cell are one per line.

Import reads the sheet an official sends back, or one typed by hand: the header row is found by its words,
merged cells are carried down, section rows are recognised, deadlines and agency names are checked, and every
problem is reported with its row number before anything is saved.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from dondoc.audit import record
from dondoc.core.text import fold, nfc

from .models import Assignment, AssignmentRole, Plan, PlanStatus, Recurrence, Task
from .resolve import Resolver

SHEET_TITLE = "Danh mục nhiệm vụ"
REPORT_DATE_TEXT = "Theo hạn báo cáo của Kế hoạch"
NOT_XLSX = "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."
FONT_NAME = "Times New Roman"

# (field, header printed on export, column width in characters)
COLUMNS = [
    ("stt", "STT", 6),
    ("text", "Nội dung nhiệm vụ", 62),
    ("lead", "Cơ quan chủ trì", 26),
    ("coordinating", "Cơ quan phối hợp", 26),
    ("deadline", "Thời hạn hoàn thành", 16),
    ("output", "Sản phẩm", 20),
    ("note", "Ghi chú", 16),
    ("ref", "Mã nhiệm vụ", 10),  # hidden: lets a re-import keep each task's identity
]
PRINTED_COLUMNS = 7

# Header words per field, folded (no accents, lowercase). Checked in this order, so "Thời gian thực hiện" is a
# deadline before "thực hiện" can make it a lead, and "Mã nhiệm vụ" a ref before "nhiệm vụ" makes it the text.
# Plans differ (DOMAIN.md: not verified as a standard): pass `headers=` to read_task_sheet to change them.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "so tt", "so thu tu", "tt"),
    "ref": ("ma nhiem vu", "ma nv"),
    "deadline": ("thoi han", "thoi gian", "tien do", "han hoan thanh"),
    "coordinating": ("phoi hop", "co quan phoi hop", "don vi phoi hop"),
    "lead": ("chu tri", "co quan chu tri", "don vi chu tri", "co quan thuc hien", "don vi thuc hien",
             "co quan, don vi thuc hien"),
    "output": ("san pham", "hinh thuc san pham", "ket qua"),
    "note": ("ghi chu",),
    "text": ("noi dung", "nhiem vu", "noi dung nhiem vu", "ten nhiem vu", "cong viec", "noi dung cong viec"),
}
HEADER_SCAN_ROWS = 15
MAX_ROWS, MAX_COLUMNS = 50_000, 60  # bounds memory on a sheet whose formatting claims a million rows
FIELD_LABELS = {"lead": "Cơ quan chủ trì", "coordinating": "Cơ quan phối hợp", "deadline": "Thời hạn hoàn thành"}

# Words a single body's name starts with: "A, B" is split on the comma only when B starts with one of them, so
# "Ủy ban nhân dân huyện, thành phố" and "Sở Văn hóa, Thể thao và Du lịch" stay whole. Case matters ("Các sở,
# ban, ngành" is one class of bodies, not a "ban").
_BODY_WORDS = re.compile(
    r"^(?:Sở|Ban|Ủy ban|Uỷ ban|UBND|HĐND|Hội đồng|Công an|Thanh tra|Văn phòng|Kho bạc|Ngân hàng|Bảo hiểm|"
    r"Trung tâm|Hội|Hiệp hội|Liên đoàn|Liên minh|Đoàn|Mặt trận|Ủy ban MTTQ|Tỉnh ủy|Tỉnh đoàn|Đài|Báo|Cục|"
    r"Chi cục|Bộ|Tòa án|Viện|Trường|Bệnh viện|Phòng|Cảnh sát|Quân sự|Bộ Chỉ huy|Công ty|Tổng công ty|"
    r"Trung ương|Cơ quan|Các cơ quan|Các sở|Các đơn vị)\b"
)
_BULLET = re.compile(r"^\s*(?:[-+•*–]\s*)+")


# --------------------------------------------------------------------------------------------------------------
# Deadlines


@dataclass
class Deadline:
    text: str = ""
    date: dt.date | None = None
    recurrence: str = ""
    error: str = ""


_DAY = re.compile(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\b")
_DAY_WORDS = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})\b")
_END_OF_YEAR = re.compile(r"\b(?:trong|het|cuoi) nam (\d{4})\b")
_QUARTER = re.compile(r"\bquy ([ivxl]+|\d+) (?:nam )?\d{4}\b")
_MONTH = re.compile(r"(?<!\d )\bthang (\d{1,2}) (?:nam )?(\d{4})\b")
_RECURRING = re.compile(r"\b(?:hang|dinh ky|moi|tung)\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Printed for a recurring task without its own wording; parse_deadline reads each back to the same recurrence.
RECURRENCE_TEXT = {Recurrence.MONTHLY: "Hằng tháng", Recurrence.QUARTERLY: "Hằng quý",
                   Recurrence.SEMIANNUAL: "Định kỳ 6 tháng", Recurrence.ANNUAL: "Hằng năm"}


def _clean(value) -> str:
    return " ".join(nfc(str(value)).split()) if value is not None else ""


def format_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _official_date(day: dt.date) -> str:
    """Nghị định 30/2020: a zero before a day under 10 and before months 1 and 2 (23/4/2024, 05/01/2025)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def _make_date(d, m, y) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_deadline(value) -> Deadline:
    """A deadline cell: the text as printed, a date for an explicit day, the recurrence, or an error.

    "Trong năm 2025" is due on 31/12/2025, as the parser reads it (SCHEMA.md); a quarter, a month or a bare year
    keeps its text only (tracking derives the due day); "Theo hạn báo cáo của Kế hoạch" means no own deadline.
    """
    if value is None or value == "":
        return Deadline()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Deadline(text=format_date(value), date=value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return Deadline(text=f"Năm {int(value)}")
        return Deadline(text=str(value), error=f"Thời hạn “{value}” không đọc được.")
    text = _clean(value)
    folded = fold(text)
    if not folded:
        return Deadline()
    if folded.startswith("theo han bao cao"):
        return Deadline()
    days = [(m.group(0), m.groups()) for m in _DAY.finditer(text)] + [(m.group(0), m.groups()) for m in _DAY_WORDS.finditer(folded)]
    if days:
        # "từ 01/3/2025 đến 31/12/2025": the last day is the deadline.
        printed, (d, m, y) = days[-1]
        day = _make_date(d, m, y)
        if day is None:
            return Deadline(text=text, error=f"Thời hạn “{text}” không đọc được: ngày {printed} không có thật.")
        return Deadline(text=text, date=day, recurrence=_recurrence(folded))
    match = _END_OF_YEAR.search(folded)
    if match:
        return Deadline(text=text, date=dt.date(int(match.group(1)), 12, 31), recurrence=_recurrence(folded))
    for match in _QUARTER.finditer(folded):
        number = match.group(1)
        quarter = int(number) if number.isdigit() else _ROMAN.get(number)
        if quarter is None or not 1 <= quarter <= 4:
            return Deadline(text=text, error=f"Thời hạn “{text}” không đọc được: không có quý {number.upper()}.")
    for match in _MONTH.finditer(folded):
        if not 1 <= int(match.group(1)) <= 12:
            return Deadline(text=text, error=f"Thời hạn “{text}” không đọc được: không có tháng {match.group(1)}.")
    return Deadline(text=text, recurrence=_recurrence(folded))


def _recurrence(folded: str) -> str:
    """The finest period named after "hằng/định kỳ/mỗi" ("hằng quý, 6 tháng và cả năm" -> quarterly)."""
    match = _RECURRING.search(folded)
    if not match:
        return ""
    rest = folded[match.end():]
    # "6 tháng", "9 tháng" are spans of the year, not a monthly rhythm.
    if re.search(r"\btuan\b", rest) or re.search(r"\bthang\b", re.sub(r"\b(?:\d+|sau|chin) thang\b", "", rest)):
        return Recurrence.MONTHLY
    if re.search(r"\bquy\b", rest):
        return Recurrence.QUARTERLY
    if re.search(r"\b(?:6|06|sau) thang\b", rest):
        return Recurrence.SEMIANNUAL
    if re.search(r"\bnam\b", rest):
        return Recurrence.ANNUAL
    return ""


def deadline_cell(task: Task) -> str:
    """What the "Thời hạn hoàn thành" column shows for a task; parse_deadline of it gives the task's deadline back."""
    text = task.deadline_text.strip()
    if text:
        parsed = parse_deadline(text)
        # The date wins when a reviewer changed it and left the printed text behind.
        if task.deadline_date is None or parsed.date == task.deadline_date:
            return text[:1].upper() + text[1:]
    if task.deadline_date:
        return format_date(task.deadline_date)
    if task.recurrence:
        return RECURRENCE_TEXT.get(task.recurrence, "")
    return REPORT_DATE_TEXT


# --------------------------------------------------------------------------------------------------------------
# Export


def _names(rows: list[tuple], role: str, printed: list[str]) -> tuple[list[str], bool]:
    """(names for the cell, provisional) of one role of a published task, from its (role, provisional,
    group name, agency name) assignment rows."""
    names: list[str] = []
    provisional = False
    for a_role, a_provisional, group_name, agency_name in rows:
        if a_role != role:
            continue
        if a_provisional:
            provisional = True
            continue
        name = group_name or agency_name
        if name not in names:
            names.append(name)
    if provisional and not names:
        # Provisionally given to the coordinator: print what the plan says, so a re-import flags it again.
        names = list(printed)
    return names, provisional


def _attachment_line(plan: Plan) -> str:
    if not plan.number and not plan.issued_on:
        return ""
    kind = (plan.doc_type or "Kế hoạch").capitalize()
    parts = [f"Kèm theo {kind}"]
    if plan.number:
        parts.append(f"số {plan.number}")
    if plan.issued_on:
        parts.append(f"ngày {_official_date(plan.issued_on)}")
    if plan.issuer:
        parts.append(f"của {plan.issuer}")
    return "(" + " ".join(parts) + ")"


def export_tasks_xlsx(plan: Plan) -> bytes:
    """The plan's appendix "Danh mục nhiệm vụ" as .xlsx bytes, ready to print on A4 landscape."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    from dondoc.core.xlsx import put as put_cell  # typed text is never a formula

    sections = {s.pk: s for s in plan.sections.all()}
    tasks = Task.objects.filter(plan=plan).order_by("order", "id")
    published = plan.status != PlanStatus.DRAFT
    assignments: dict[int, list[tuple]] = defaultdict(list)
    if published:
        # Plain tuples: a 5,000-task plan has ~20,000 assignments, too many to build as model instances.
        for task_id, *row in (Assignment.objects.filter(task__plan=plan).order_by("id")
                              .values_list("task_id", "role", "provisional", "via_group__name", "agency__name")):
            assignments[task_id].append(tuple(row))

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    wb.properties.title = f"Danh mục nhiệm vụ - {plan}"
    wb.properties.creator = "dondoc"

    last_col = get_column_letter(PRINTED_COLUMNS)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    body = Font(name=FONT_NAME, size=12)
    bold = Font(name=FONT_NAME, size=12, bold=True)
    section_fill = PatternFill("solid", fgColor="F2F2F2")

    row = 1
    titles = [("DANH MỤC NHIỆM VỤ", Font(name=FONT_NAME, size=14, bold=True))]
    if plan.title:
        titles.append((plan.title, Font(name=FONT_NAME, size=13, bold=True)))
    attachment = _attachment_line(plan)
    if attachment:
        titles.append((attachment, Font(name=FONT_NAME, size=13, italic=True)))
    for text, font in titles:
        ws.merge_cells(f"A{row}:{last_col}{row}")
        cell = put_cell(ws, row, 1, text)
        cell.font, cell.alignment = font, centre
        if len(text) > 120:  # a long plan title takes two printed lines
            ws.row_dimensions[row].height = 36
        row += 1
    row += 1  # a blank line before the table

    header_row = row
    for col, (_, label, width) in enumerate(COLUMNS, start=1):
        cell = put_cell(ws, row, col, label)
        cell.font, cell.alignment, cell.border = bold, centre, border
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True
    ws.row_dimensions[row].height = 32

    # Named styles: one assignment per cell instead of four (a 5,000-task plan exports ~4x faster).
    top_centre = Alignment(wrap_text=True, vertical="top", horizontal="center")
    styles = {
        "dd-task": (body, wrap_top, None), "dd-task-centre": (body, top_centre, None),
        "dd-section": (bold, wrap_top, section_fill), "dd-section-centre": (bold, top_centre, section_fill),
    }
    for name, (font, align, fill) in styles.items():
        style = NamedStyle(name=name, font=font, alignment=align, border=border)
        if fill is not None:
            style.fill = fill
        wb.add_named_style(style)

    def put(r: int, values: list, kind: str):
        for col, value in enumerate(values, start=1):
            centred = col == 1 or (col == 5 and kind == "dd-task")
            put_cell(ws, r, col, value if value != "" else None, f"{kind}-centre" if centred else kind)

    def path(section) -> list:
        chain = []
        while section is not None and section not in chain:
            chain.append(section)
            section = sections.get(section.parent_id)
        return chain[::-1]

    printed_sections: set[int] = set()
    number = 0
    for task in tasks:
        section = sections.get(task.section_id)
        for s in path(section):
            if s.pk not in printed_sections:
                printed_sections.add(s.pk)
                row += 1
                put(row, [s.ref, s.title, "", "", "", "", "", ""], "dd-section")
        number += 1
        row += 1
        if published:
            leads, provisional = _names(assignments[task.pk], AssignmentRole.LEAD, task.lead_names)
            coordinating, _ = _names(assignments[task.pk], AssignmentRole.COORDINATING, task.coordinating_names)
        else:
            leads, provisional, coordinating = list(task.lead_names), False, list(task.coordinating_names)
        note = ""
        if provisional or task.needs_lead:
            holder = plan.coordinating_agency.name if plan.coordinating_agency_id else ""
            note = "Cần xác định đơn vị chủ trì" + (f" (tạm giao {holder})" if provisional and holder else "")
        put(row, [number, task.text, "\n".join(leads), "\n".join(coordinating), deadline_cell(task),
                  task.expected_output, note, task.ref], "dd-task")

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_col}{max(row, header_row)}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left, ws.page_margins.right = 0.6, 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT_NAME

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------------------
# Import: reading a sheet


@dataclass
class RowError:
    row: int | None
    message: str
    column: str = ""

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.message}" if self.row else self.message


@dataclass
class SheetRow:
    row: int
    kind: str  # "section" | "task"
    stt: str = ""
    text: str = ""
    lead: list[str] = field(default_factory=list)
    coordinating: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)
    output: str = ""
    note: str = ""
    ref: str = ""
    errors: list[RowError] = field(default_factory=list)


@dataclass
class SheetResult:
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # file-level errors (row None) and every row's errors
    sheet_name: str = ""
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)  # field -> 1-based column
    document: dict = field(default_factory=dict)
    skipped_rows: list[int] = field(default_factory=list)  # filled by import_task_sheet(skip_errors=True)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def readable(self) -> bool:
        """The file was read (errors, if any, belong to rows)."""
        return not any(e.row is None for e in self.errors)

    @property
    def tasks(self) -> list[SheetRow]:
        return [r for r in self.rows if r.kind == "task"]

    @property
    def sections(self) -> list[SheetRow]:
        return [r for r in self.rows if r.kind == "section"]

    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


def _match_field(value, headers: dict[str, tuple[str, ...]]) -> str | None:
    folded = fold(_clean(value))
    if not folded or len(folded) > 60:
        return None
    padded = f" {folded} "
    for name, words in headers.items():
        if any(folded == w or padded.startswith(f" {w} ") or f" {w} " in padded for w in words):
            return name
    return None


def _header_map(cells: list, headers) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in enumerate(cells, start=1):
        name = _match_field(value, headers)
        if name and name not in found:
            found[name] = col
    return found


def _grid(ws) -> tuple[list[list], list[list[bool]]]:
    """Cell values and boldness; a merged range's value is carried down the rows it covers (a lead cell merged
    over several tasks) and kept once across columns (a section title spread over the row)."""
    rows = list(ws.iter_rows(max_row=min(ws.max_row, MAX_ROWS), max_col=min(ws.max_column, MAX_COLUMNS)))
    values = [[c.value for c in r] for r in rows]
    bold = [[bool(c.font and c.font.b) for c in r] for r in rows]
    for rng in ws.merged_cells.ranges:
        top = rng.min_row - 1
        if top >= len(values):
            continue
        value, is_bold = values[top][rng.min_col - 1], bold[top][rng.min_col - 1]
        for r in range(top, min(rng.max_row, len(values))):
            for c in range(rng.min_col - 1, min(rng.max_col, len(values[r]))):
                values[r][c] = value if c == rng.min_col - 1 else None
                bold[r][c] = is_bold
    return values, bold


def _find_header(values, headers) -> tuple[int, dict[str, int]] | None:
    best = None
    for r, cells in enumerate(values[:HEADER_SCAN_ROWS]):
        found = _header_map(cells, headers)
        if "text" in found and len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (r, found)
    if best is None:
        return None
    r, found = best
    # A two-line header ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"): the lower line names the columns.
    if r + 1 < len(values):
        below = _header_map(values[r + 1], headers)
        others = [v for c, v in enumerate(values[r + 1], start=1) if _clean(v) and c not in below.values()]
        if below and not others:
            for name, col in below.items():
                found = {n: c for n, c in found.items() if c != col}
                found[name] = col
            r += 1
    return r, found


_ATTACHMENT = re.compile(r"Kèm theo\s+(?P<kind>.+?)\s+số\s*:?\s*(?P<number>[^\s,;)]+)", re.IGNORECASE)
_ISSUER = re.compile(r"\bcủa\s+(?P<issuer>[^()]+?)\s*\)?\s*$", re.IGNORECASE)


def _document(lines: list[str]) -> dict:
    """Number, date and issuer from "(Kèm theo Kế hoạch số 78/KH-UBND ngày 23/4/2024 của ...)"; the title."""
    doc: dict = {}
    titles = []
    for line in lines:
        match = _ATTACHMENT.search(line)
        if match and "number" not in doc:
            doc["type"] = match.group("kind").upper()
            doc["number"] = match.group("number")
            day = parse_deadline(line[match.end():].split(" của ")[0]).date
            if day:
                doc["date"] = day.isoformat()
            issuer = _ISSUER.search(line[match.end():])
            if issuer:
                doc["issuer"] = issuer.group("issuer").strip()
        elif not re.fullmatch(r"(?:phu luc\s*\S*\s*)?danh muc (?:cac )?nhiem vu(?: chu yeu)?", fold(line)):
            titles.append(line)
    if titles:
        doc["title"] = titles[0]
    return doc


def split_agencies(value, resolver: Resolver | None = None) -> list[str]:
    """Names in one agency cell: one per line or per ";", and "A, B" only where B starts a body's name."""
    names: list[str] = []
    for piece in re.split(r"[\n;]+", nfc(str(value or ""))):
        piece = _BULLET.sub("", " ".join(piece.split())).strip(" .,")
        if not piece:
            continue
        if resolver is not None and resolver(piece).kind != "unknown":
            names.append(piece)
            continue
        parts: list[str] = []
        for part in piece.split(","):
            part = part.strip()
            if not part:
                continue
            if parts and not _BODY_WORDS.match(part):
                parts[-1] = f"{parts[-1]}, {part}"
            else:
                parts.append(part)
        names.extend(p.strip(" .") for p in parts if p.strip(" ."))
    return list(dict.fromkeys(names))


def _open_workbook(data):
    from openpyxl import load_workbook

    if hasattr(data, "read"):
        data = data.read()
    if isinstance(data, str):
        return None
    from dondoc.parsing import ParseError
    from dondoc.parsing.archives import check_archive

    try:
        check_archive(bytes(data), ".xlsx")
        return load_workbook(io.BytesIO(bytes(data)), data_only=True)
    except ParseError:
        return None
    except Exception:  # any damage or a different format: the user gets one clear message
        return None


def read_task_sheet(data, *, on: dt.date | None = None, headers: dict[str, tuple[str, ...]] | None = None) -> SheetResult:
    """Read a task list from .xlsx bytes (or a file); never raises on a bad file, reports it in `errors`."""
    headers = headers or HEADER_WORDS
    result = SheetResult()
    wb = _open_workbook(data)
    if wb is None:
        result.errors.append(RowError(None, NOT_XLSX))
        return result
    found = None
    for ws in wb.worksheets:
        if not hasattr(ws, "merged_cells"):  # a chart sheet
            continue
        values, bold = _grid(ws)
        found = _find_header(values, headers)
        if found:
            break
    if not found:
        result.errors.append(RowError(None, "Không tìm thấy dòng tiêu đề cột (STT, Nội dung nhiệm vụ, Cơ quan chủ trì, ...) "
                                            f"trong {HEADER_SCAN_ROWS} dòng đầu của các trang tính."))
        return result
    header_index, columns = found
    result.sheet_name, result.header_row, result.columns = ws.title, header_index + 1, columns
    lines = [_clean(v) for cells in values[:header_index] for v in cells if _clean(v)]
    result.document = _document(lines)
    if on is None and result.document.get("date"):
        on = dt.date.fromisoformat(result.document["date"])
    resolver = Resolver(on)

    def cell(cells, name):
        col = columns.get(name)
        return cells[col - 1] if col and col - 1 < len(cells) else None

    for index in range(header_index + 1, len(values)):
        cells, row_number = values[index], index + 1
        raw = {name: cell(cells, name) for name in columns}
        texts = {name: _clean(v) for name, v in raw.items()}
        if not any(texts.values()):
            continue
        # The "(1) (2) (3) ..." line under a header.
        filled = [t for t in texts.values() if t]
        if len(filled) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in filled):
            continue
        has_agency = bool(texts.get("lead") or texts.get("coordinating"))
        has_detail = has_agency or bool(texts.get("deadline") or texts.get("output"))
        text_bold = bool(columns.get("text") and bold[index][columns["text"] - 1])
        stt = texts.get("stt", "")
        if isinstance(raw.get("stt"), float) and raw["stt"].is_integer():
            stt = str(int(raw["stt"]))
        if texts.get("text") and (not has_detail or (text_bold and not has_agency)):
            result.rows.append(SheetRow(row=row_number, kind="section", stt=stt, text=texts["text"]))
            continue
        if not texts.get("text") and not has_detail:
            continue  # a number or a note alone
        if not texts.get("text") and not stt and not any(
                resolver(n).kind != "unknown" for name in ("lead", "coordinating") for n in split_agencies(raw.get(name), resolver)):
            continue  # a signature line under the table ("NGƯỜI LẬP BIỂU"), not a task without its text
        item = SheetRow(row=row_number, kind="task", stt=stt, text=texts.get("text", ""),
                        output=texts.get("output", ""), note=texts.get("note", ""), ref=texts.get("ref", ""))
        if not item.text:
            item.errors.append(RowError(row_number, "Thiếu nội dung nhiệm vụ.", "text"))
        for name in ("lead", "coordinating"):
            names = split_agencies(raw.get(name), resolver)
            setattr(item, name, names)
            for n in names:
                if resolver(n).kind == "unknown":
                    item.errors.append(RowError(row_number, f"Không tìm thấy cơ quan “{n}” (cột {FIELD_LABELS[name]}).", name))
        item.deadline = parse_deadline(raw.get("deadline"))
        if item.deadline.error:
            item.errors.append(RowError(row_number, item.deadline.error, "deadline"))
        result.rows.append(item)
        result.errors.extend(item.errors)
    if not result.tasks:
        result.errors.append(RowError(None, "Bảng tính không có nhiệm vụ nào dưới dòng tiêu đề cột."))
    return result


# --------------------------------------------------------------------------------------------------------------
# Import: from rows to a draft plan


_ROMAN_REF = re.compile(r"^[IVXLC]+$")


def _section_level(ref: str) -> int:
    if _ROMAN_REF.match(ref):
        return 0
    if re.fullmatch(r"[A-Za-z]", ref):
        return 1
    return 1 + ref.count(".")


def _split_heading(stt: str, text: str) -> tuple[str, str]:
    """A section's ref and title, from the STT cell or from a title printed as "2.1. Về du lịch"."""
    ref = stt.strip().rstrip(".)").strip()
    if not ref:
        match = re.match(r"^(?:Phần\s+)?([IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+(.+)$", text)
        if match:
            return match.group(1), match.group(2).strip()
    return ref, text


def sheet_to_structure(result: SheetResult, *, document: dict | None = None, resolver: Resolver | None = None) -> dict:
    """The rows without errors as a parser structure (plan78/SCHEMA.md) that import_structure() turns into a draft.

    Sections come from section rows (parents from their numbering: "2.1" under "2", Arabic under Roman).
    Tasks are grouped into assignment blocks: rows of one section that share the block of their kept ref
    ("1.2#3" -> "1.2"), or, in a sheet typed by hand, consecutive rows with the same lead.
    """
    doc = {**(result.document or {}), **(document or {})}
    if resolver is None:
        resolver = Resolver(dt.date.fromisoformat(doc["date"]) if doc.get("date") else None)
    sections: list[dict] = []
    refs: set[str] = set()
    stack: list[tuple[int, str]] = []
    blocks: list[dict] = []
    current_section: str | None = None
    block_counts: dict[str | None, int] = defaultdict(int)
    block_key = None
    # Blocks named by kept refs; a block of rows added by hand gets a fresh ref beside them, never the same.
    used_blocks = {r.ref.split("#")[0] for r in result.rows if r.kind == "task" and "#" in r.ref}
    for row in result.rows:
        if row.kind == "section":
            ref, title = _split_heading(row.stt, row.text)
            level = _section_level(ref) if ref else (stack[-1][0] + 1 if stack else 0)
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else None
            if not ref:
                ref = f"{parent}.{len(sections) + 1}" if parent else str(len(sections) + 1)
            if ref in refs:  # part III restarts at "1.": prefix its parent, as the parser does
                ref = f"{parent}.{ref}" if parent else f"{ref}-{row.row}"
            refs.add(ref)
            sections.append({"ref": ref, "title": title, "parent": parent})
            stack.append((level, ref))
            current_section, block_key = ref, None
            continue
        if row.errors:
            continue
        kept = row.ref.split("#")[0] if "#" in row.ref else ""
        key = (current_section, kept) if kept else (current_section, tuple(row.lead))
        if key != block_key:
            block_key = key
            block_counts[current_section] += 1
            if kept:
                block_ref = kept
            else:
                while True:
                    n = block_counts[current_section]
                    block_ref = f"{current_section}.{n}" if current_section else str(n)
                    if block_ref not in used_blocks:
                        break
                    block_counts[current_section] += 1
                used_blocks.add(block_ref)
            kinds = [resolver(n).kind for n in row.lead]
            blocks.append({
                "ref": block_ref, "section": current_section, "heading": ", ".join(row.lead) or None,
                "lead": list(row.lead),
                "lead_kind": "group" if kinds and all(k in ("group", "vague") for k in kinds) else "agency",
                "span": None, "tasks": [],
            })
        block = blocks[-1]
        d = row.deadline
        block["tasks"].append({
            "text": row.text,
            "lead_override": list(row.lead) if row.lead != block["lead"] else None,
            "coordinating": list(row.coordinating),
            "deadline": {"text": d.text, "date": d.date.isoformat() if d.date else None, "recurrence": d.recurrence or None},
            "targets": [], "refs": [], "span": None,
            # Not in SCHEMA.md: read back by import_task_sheet, ignored by import_structure.
            "expected_output": row.output, "sheet_ref": row.ref, "sheet_row": row.row,
        })
    return {
        "document": {"number": doc.get("number") or "", "type": doc.get("type") or "KẾ HOẠCH",
                     "issuer": doc.get("issuer") or "", "place": doc.get("place") or "", "date": doc.get("date"),
                     "title": doc.get("title") or "", "signer": None, "based_on": [], "recipients": []},
        "sections": sections,
        "assignments": blocks,
        "warnings": [],
    }


def import_task_sheet(data, *, user, skip_errors: bool = False, request=None, filename: str = "",
                      document: dict | None = None) -> tuple[Plan | None, SheetResult]:
    """Create a draft plan from a task sheet, in one transaction.

    Nothing is saved while a row has an error, unless `skip_errors`: then those rows are left out and listed in
    `result.skipped_rows`. A file that cannot be read is never imported.
    """
    result = read_task_sheet(data)
    if not result.readable:
        return None, result
    if result.errors and not skip_errors:
        return None, result
    result.skipped_rows = sorted({e.row for e in result.errors if e.row})
    if not any(not r.errors for r in result.tasks):
        return None, result
    from .actions import import_structure

    structure = sheet_to_structure(result, document=document)
    if not structure["document"]["title"]:
        structure["document"]["title"] = f"Danh mục nhiệm vụ {filename}".strip()
    with transaction.atomic():
        plan = import_structure(structure, user=user, source_name=filename or "danh-muc-nhiem-vu.xlsx", request=request)
        sheet_tasks = [t for block in structure["assignments"] for t in block["tasks"]]
        tasks = list(plan.tasks.order_by("order"))
        kept = [t["sheet_ref"] for t in sheet_tasks if t["sheet_ref"]]
        keep_refs = len(kept) == len(set(kept))  # a ref copied onto two rows identifies neither
        changed = []
        for task, item in zip(tasks, sheet_tasks):
            if keep_refs and item["sheet_ref"]:
                task.ref = item["sheet_ref"][:48]
            task.expected_output = item["expected_output"][:500]
            task.fill_search_text()
            changed.append(task)
        Task.objects.bulk_update(changed, ["ref", "expected_output", "search_text"], batch_size=500)
        if plan.coordinating_agency_id is None and getattr(user, "agency_id", None):
            # A sheet has no organisation section naming the coordinator: the coordinator who imports it is.
            plan.coordinating_agency_id = user.agency_id
            plan.save(update_fields=["coordinating_agency"])
        record("plan.imported_sheet", actor=user, obj=plan, request=request,
               changes={"rows": len(result.tasks), "skipped_rows": result.skipped_rows, "sheet": result.sheet_name})
    return plan, result
