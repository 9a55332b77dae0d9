"""The Excel appendix: the same rows as Phụ lục I of the Word report, for the coordinator to sort and filter."""

from __future__ import annotations

import datetime as dt
import io

from dondoc.core import clock
from dondoc.plans.excel import FONT_NAME
from dondoc.targets.queries import report_table

from .. import documents
from .data import Data
from .prose import appendix_subtitle, title_line

XLSX_COLUMNS = [  # (header, width in characters)
    ("STT", 6), ("Nhiệm vụ", 58), ("Cơ quan chủ trì", 24), ("Cơ quan phối hợp", 24), ("Thời hạn", 16),
    ("Tình hình thực hiện", 20), ("Kết quả", 48), ("Đánh giá", 14), ("Mã nhiệm vụ", 10),
]
PRINTED = 8  # the last column (task ref) is hidden: it ties each row to its task
LINE_PT = 15.5  # one line of Times New Roman 12, with its leading


def row_height(values, widths) -> float:
    """A row's height for its wrapped text, in points: Excel and LibreOffice do not size rows written by openpyxl
    when the file opens, so a long task would show as one clipped line. About 1.2 characters of Times New Roman 12
    per unit of column width."""
    import math

    lines = 1
    for value, width in zip(values, widths):
        if value is None or value == "":
            continue
        per_line = max(1.0, width * 1.2 - 1)
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n")))
    return round(LINE_PT * lines + 4, 1)


def build_xlsx(data: Data, *, date: dt.date | None = None) -> bytes:
    """Phụ lục I as a workbook (one row per task, grouped by shortcoming), the figures by shortcoming, and the
    targets: Times New Roman, A4 landscape, header row repeated on every printed page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from dondoc.core.xlsx import print_a4_landscape, put  # what agencies typed is text in the coordinator's workbook, never a formula

    date = date or clock.today()
    wb = Workbook()
    wb.properties.title = f"Phụ lục I - {title_line(data)}"
    wb.properties.creator = "dondoc"
    stamp = dt.datetime.combine(date, dt.time(8, 0))
    wb.properties.created = wb.properties.modified = stamp
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT_NAME, size=12)
    bold = Font(name=FONT_NAME, size=12, bold=True)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    top_centre = Alignment(wrap_text=True, vertical="top", horizontal="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    fill = PatternFill("solid", fgColor="F2F2F2")
    for name, font, align, shade in (("r-cell", body, wrap_top, None), ("r-cell-centre", body, top_centre, None),
                                     ("r-group", bold, wrap_top, fill), ("r-group-centre", bold, top_centre, fill),
                                     ("r-head", bold, centre, None)):
        style = NamedStyle(name=name, font=font, alignment=align, border=border)
        if shade is not None:
            style.fill = shade
        wb.add_named_style(style)

    def titles(ws, lines, last_col):
        row = 1
        for text, font in lines:
            ws.merge_cells(f"A{row}:{last_col}{row}")
            cell = put(ws, row, 1, text)
            cell.font, cell.alignment = font, centre
            if len(text) > 110:
                ws.row_dimensions[row].height = 34
            row += 1
        return row + 1

    def header_row(ws, row, columns):
        for col, (label, width) in enumerate(columns, start=1):
            put(ws, row, col, label, "r-head")
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.row_dimensions[row].height = 32

    def page(ws, header, last_row, last_col):
        ws.freeze_panes = ws.cell(row=header + 1, column=1)
        ws.print_title_rows = f"{header}:{header}"
        print_a4_landscape(ws, f"A1:{last_col}{max(last_row, header)}", FONT_NAME)

    plan_short = documents.plan_short(data.plan)
    heading_lines = [
        ("PHỤ LỤC I", Font(name=FONT_NAME, size=14, bold=True)),
        (f"KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CỦA {plan_short.upper()}", Font(name=FONT_NAME, size=14, bold=True)),
        (f"({appendix_subtitle(data, date)})", Font(name=FONT_NAME, size=13, italic=True)),
        (f"Kỳ báo cáo: {data.period.label}; số liệu tính đến ngày {documents.short_date(data.as_of)}",
         Font(name=FONT_NAME, size=12, italic=True)),
    ]
    ws = wb.active
    ws.title = "Phụ lục I"
    last_col = get_column_letter(PRINTED)
    row = titles(ws, heading_lines, last_col)
    header = row
    header_row(ws, row, XLSX_COLUMNS)
    ws.column_dimensions[get_column_letter(len(XLSX_COLUMNS))].hidden = True
    widths = [w for _, w in XLSX_COLUMNS[:PRINTED]]
    for g in data.groups:
        row += 1
        values = [g.ref, g.heading_title] + [None] * (len(XLSX_COLUMNS) - 2)
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, "r-group-centre" if col == 1 else "r-group")
        ws.row_dimensions[row].height = row_height(values, widths)
        for t in g.tasks:
            row += 1
            values = [t.number, t.text, "\n".join(t.leads), "\n".join(t.partners), t.deadline, t.situation,
                      t.result_text or None, t.evaluation, t.ref]
            for col, value in enumerate(values, start=1):
                put(ws, row, col, value if value != "" else None, "r-cell-centre" if col in (1, 5) else "r-cell")
            ws.row_dimensions[row].height = row_height(values, widths)
    page(ws, header, row, last_col)

    # Tổng hợp: the figures by shortcoming (dashboard.figures.summary), as the body's overview counts them.
    ws2 = wb.create_sheet("Tổng hợp")
    columns = [("STT", 6), ("Nội dung", 60), ("Tổng số nhiệm vụ", 12), ("Hoàn thành đúng hạn", 13),
               ("Hoàn thành quá hạn", 13), ("Chưa hoàn thành, trong hạn", 14), ("Chưa hoàn thành, quá hạn", 14),
               ("Tỷ lệ hoàn thành nhiệm vụ đến hạn", 16)]
    last2 = get_column_letter(len(columns))
    row = titles(ws2, [(f"TỔNG HỢP KẾT QUẢ THỰC HIỆN {plan_short.upper()} THEO TỪNG NỘI DUNG",
                        Font(name=FONT_NAME, size=14, bold=True)),
                       (f"(Số liệu tính đến ngày {documents.short_date(data.as_of)})",
                        Font(name=FONT_NAME, size=12, italic=True))], last2)
    header2 = row
    header_row(ws2, row, columns)

    def figures_row(r, label_ref, label, f, style):
        in_time = f["open_in_time"] + f["awaiting_confirmation"] + f["ongoing"]
        values = [label_ref, label, f["total"], f["done_on_time"], f["done_late"], in_time, f["overdue"],
                  f["due_done_rate"]]
        for col, value in enumerate(values, start=1):
            cell = put(ws2, r, col, value, style if col == 2 else f"{style}-centre")
            if col == 8:
                cell.number_format = "0.0%"

    for g in data.groups:
        row += 1
        figures_row(row, g.ref, g.heading_title, g.figures, "r-cell")
        ws2.row_dimensions[row].height = row_height([g.ref, g.heading_title], [w for _, w in columns])
    row += 1
    figures_row(row, "", "Tổng cộng", data.summary, "r-group")
    page(ws2, header2, row, last2)

    if data.targets:
        headers, rows = report_table(data.targets)
        ws3 = wb.create_sheet("Phụ lục II - Chỉ tiêu")
        widths = (6, 12, 50, 26, 18, 24, 20)
        last3 = get_column_letter(len(headers))
        row = titles(ws3, [("PHỤ LỤC II", Font(name=FONT_NAME, size=14, bold=True)),
                           (f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA {plan_short.upper()}", Font(name=FONT_NAME, size=14, bold=True)),
                           (f"({appendix_subtitle(data, date)})", Font(name=FONT_NAME, size=13, italic=True))], last3)
        header3 = row
        header_row(ws3, row, list(zip(headers, widths)))
        for values in rows:
            row += 1
            for col, value in enumerate(values, start=1):
                put(ws3, row, col, value or None, "r-cell-centre" if col in (1, 2) else "r-cell")
            ws3.row_dimensions[row].height = row_height(values, widths)
        page(ws3, header3, row, last3)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
