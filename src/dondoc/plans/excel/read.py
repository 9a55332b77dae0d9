"""Reading a task sheet an official sends back, or one typed by hand, into rows checked one by one.

The header row is found by its words, merged cells are carried down, section rows are recognised, deadlines and
agency names are checked, and every problem is reported with its row number; nothing here writes to the database
(plans.actions.do_import_task_sheet does).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from dondoc.core.text import fold, nfc
from dondoc.parsing.deadline_text import impossible_period, named_days, recurrence_of, year_end

from ..models import Recurrence
from ..resolve import Resolver

NOT_XLSX = "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."
# The plan a sheet lists, written by export_tasks_xlsx as custom document properties (never printed).
PLAN_ID_PROPERTY, PLAN_NUMBER_PROPERTY = "dondoc.plan_id", "dondoc.plan_number"

# Header words per field, folded (no accents, lowercase). Checked in this order, so "Thời gian thực hiện" is a
# deadline before "thực hiện" can make it a lead, and "Mã nhiệm vụ" a ref before "nhiệm vụ" makes it the text.
# Plans differ (the column headings are a habit, not a standard): pass `headers=` to read_task_sheet to change them.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "so tt", "so thu tu", "tt"),
    "targets": ("chi tieu",),
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
# Every column the reader knows, headed as the export heads it (export.COLUMNS), named when a column is refused.
COLUMN_LABELS = {"stt": "STT", "text": "Nội dung nhiệm vụ", "lead": "Cơ quan chủ trì", "coordinating": "Cơ quan phối hợp",
                 "deadline": "Thời hạn hoàn thành", "output": "Sản phẩm", "note": "Ghi chú", "ref": "Mã nhiệm vụ",
                 "targets": "Chỉ tiêu"}
FIELD_LABELS = {name: COLUMN_LABELS[name] for name in ("lead", "coordinating", "deadline")}  # in row errors
UNREAD_COLUMNS = ("Bảng tính có cột không đọc được: {problems}. Chỉ đọc được các cột {known}; hãy bỏ hoặc đổi tên các "
                  "cột đó rồi tải lên lại. Chưa có gì được lưu.")

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
#
# Not parsing.deadlines.find: that one looks for a deadline phrase inside a task's sentence and so needs a word
# before a date ("trước ngày ..."), lest a cited document's date become a deadline. A cell holds only the deadline:
# a bare "30/06/2024" (what the export prints), "ngày 15 tháng 12 năm 2024", "30.6.2025", "từ ... đến 31/12/2025",
# "Định kỳ 6 tháng", "mỗi quý", typed without accents, and an impossible day must be reported on its row. The text
# is read by parsing.deadline_text, as plans.due.due_for reads a stored deadline text; what is decided here
# is a cell's: its type, the messages, "theo hạn báo cáo".


@dataclass
class Deadline:
    text: str = ""
    date: dt.date | None = None
    recurrence: str = ""
    error: str = ""


def _clean(value) -> str:
    return " ".join(nfc(str(value)).split()) if value is not None else ""


def format_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def parse_deadline(value) -> Deadline:
    """A deadline cell: the text as printed, a date for an explicit day, the recurrence, or an error.

    "Trong năm 2025" is due on 31/12/2025, as the parser reads it (docs/parser-output.md); a quarter, a month or a bare year
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
    days = named_days(text, written=True)
    if days:
        # "từ 01/3/2025 đến 31/12/2025": the last day is the deadline.
        last = days[-1]
        if last.date is None:
            return Deadline(text=text, error=f"Thời hạn “{text}” không đọc được: ngày {last.printed} không có thật.")
        return Deadline(text=text, date=last.date, recurrence=_recurrence(folded))
    year = year_end(folded)
    if year is not None:
        return Deadline(text=text, date=dt.date(year, 12, 31), recurrence=_recurrence(folded))
    impossible = impossible_period(folded)
    if impossible and impossible[0] == "quarter":
        return Deadline(text=text, error=f"Thời hạn “{text}” không đọc được: không có quý {impossible[1].upper()}.")
    if impossible:
        return Deadline(text=text, error=f"Thời hạn “{text}” không đọc được: không có tháng {impossible[1]}.")
    return Deadline(text=text, recurrence=_recurrence(folded))


def _recurrence(folded: str) -> str:
    """The finest period named after "hằng/định kỳ/mỗi" ("hằng quý, 6 tháng và cả năm" -> quarterly)."""
    kind = recurrence_of(folded, finest=True)
    return Recurrence(kind) if kind else ""


# --------------------------------------------------------------------------------------------------------------
# Rows


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
    targets: list[str] = field(default_factory=list)  # one per line of the "Chỉ tiêu" column, as written
    errors: list[RowError] = field(default_factory=list)


@dataclass
class SheetResult:
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # file-level errors (row None) and every row's errors
    sheet_name: str = ""
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)  # field -> 1-based column
    document: dict = field(default_factory=dict)
    # The plan the workbook says it lists (its custom properties): {"plan_id": int, "number": str}, or empty.
    source: dict = field(default_factory=dict)
    skipped_rows: list[int] = field(default_factory=list)  # filled by actions.do_import_task_sheet(skip_errors=True)

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


def _find_header(values, headers) -> tuple[int, int, dict[str, int]] | None:
    """(first header row, last header row, field -> column), 0-based rows; None when no row heads a task list."""
    best = None
    for r, cells in enumerate(values[:HEADER_SCAN_ROWS]):
        found = _header_map(cells, headers)
        if "text" in found and len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (r, found)
    if best is None:
        return None
    r, found = best
    top = r
    # A two-line header ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"): the lower line names the columns.
    if r + 1 < len(values):
        below = _header_map(values[r + 1], headers)
        others = [v for c, v in enumerate(values[r + 1], start=1) if _clean(v) and c not in below.values()]
        if below and not others:
            for name, col in below.items():
                found = {n: c for n, c in found.items() if c != col}
                found[name] = col
            r += 1
    return top, r, found


def _column_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _unread_columns(values, top: int, bottom: int, columns: dict[str, int], headers) -> list[str]:
    """What the header row(s) name that the reader would not read: a heading it does not know, or a second
    column for a field it already reads from another. Left unsaid, their cells would be dropped in silence."""
    used = set(columns.values())
    problems = []
    width = max(len(values[r]) for r in range(top, bottom + 1))
    for col in range(1, width + 1):
        if col in used:
            continue
        texts = [_clean(values[r][col - 1]) for r in range(top, bottom + 1) if col - 1 < len(values[r])]
        texts = [t for t in texts if t]
        if not texts:
            continue
        heading = texts[-1]
        name = _match_field(heading, headers)
        if name is None:
            problems.append(f"cột {_column_letter(col)} “{heading}” không phải cột của danh mục nhiệm vụ")
        else:
            other = f"cột {_column_letter(columns[name])}" if name in columns else "một cột khác"
            problems.append(f"cột {_column_letter(col)} “{heading}” trùng với {other} "
                            f"(cùng là cột {COLUMN_LABELS.get(name, name)})")
    return problems


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


def _source(wb) -> dict:
    """The plan the workbook says it lists, from the custom properties export_tasks_xlsx writes."""
    props = {p.name: p.value for p in getattr(getattr(wb, "custom_doc_props", None), "props", [])}
    source = {}
    plan_id = props.get(PLAN_ID_PROPERTY)
    if (isinstance(plan_id, int) and not isinstance(plan_id, bool)) or (isinstance(plan_id, str) and plan_id.isdigit()):
        source["plan_id"] = int(plan_id)
    number = props.get(PLAN_NUMBER_PROPERTY)
    if isinstance(number, str) and number.strip():
        source["number"] = " ".join(number.split())
    return source


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
    header_top, header_index, columns = found
    result.sheet_name, result.header_row, result.columns = ws.title, header_index + 1, columns
    result.source = _source(wb)
    unread = _unread_columns(values, header_top, header_index, columns, headers)
    if unread:
        result.errors.append(RowError(None, UNREAD_COLUMNS.format(problems="; ".join(unread),
                                                                  known=", ".join(COLUMN_LABELS.values()))))
        return result
    lines = [_clean(v) for cells in values[:header_top] for v in cells if _clean(v)]
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
                        output=texts.get("output", ""), note=texts.get("note", ""), ref=texts.get("ref", ""),
                        targets=[line.strip() for line in str(raw.get("targets") or "").splitlines() if line.strip()])
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
