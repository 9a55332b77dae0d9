"""The agency ranking as an Excel sheet: what provinces feed into their year-end emulation (thi đua) rankings."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dondoc.core.text import official_date
from dondoc.core.xlsx import print_a4_landscape, put

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
HEADERS = ("Hạng", "Cơ quan, đơn vị", "Số nhiệm vụ chủ trì", "Đến hạn", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
           "Tỷ lệ hoàn thành đúng hạn (%)", "Quá hạn chưa hoàn thành", "Báo cáo nộp muộn")
WIDTHS = (7, 46, 12, 10, 13, 13, 14, 14, 12)


def ranking_workbook(result: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    rows = [["BẢNG XẾP HẠNG CƠ QUAN, ĐƠN VỊ THEO KẾT QUẢ THỰC HIỆN NHIỆM VỤ"],
            [f"Nhiệm vụ có thời hạn từ {official_date(result['from'])} đến {official_date(result['to'])}; "
             f"số liệu tính đến ngày {official_date(result['as_of'])}"], [], list(HEADERS)]
    for item in result["items"]:
        rate = item["on_time_rate"]
        rows.append([item["rank"], item["agency"]["name"], item["total"], item["due"], item["done_on_time"],
                     item["done_late"], round(rate * 100, 1) if rate is not None else None, item["overdue"],
                     item["late_reports"]])
    for r, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            put(ws, r, col, value)  # an agency's name is typed by an administrator: text, never a formula
    last = len(rows)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    for row in ws.iter_rows(min_row=1, max_row=last):
        for cell in row:
            cell.font = Font(name=FONT, size=12, bold=cell.row in (1, 4), italic=cell.row == 2)
            if cell.row >= 4:
                cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
                cell.alignment = Alignment(wrap_text=True, vertical="center",
                                           horizontal="left" if cell.column == 2 and cell.row > 4 else "center")
            else:
                cell.alignment = Alignment(horizontal="center")
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.print_title_rows = "4:4"
    print_a4_landscape(ws, f"A1:{get_column_letter(len(WIDTHS))}{ws.max_row}", FONT)
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
