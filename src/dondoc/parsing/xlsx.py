"""Excel task lists (.xlsx): every sheet read as a table, merged cells carried to the cells they cover."""
import io
import zipfile

from .errors import ParseError
from .extract import Extracted
from .tables import table_lines


def read_xlsx(data: bytes) -> Extracted:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover
        raise ParseError('reading .xlsx needs the openpyxl package')
    from .archives import check_archive

    check_archive(data, ".xlsx")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except zipfile.BadZipFile:
        raise ParseError('the .xlsx file is damaged (not a valid zip archive)')
    except Exception as e:
        raise ParseError(f'the .xlsx file cannot be opened ({type(e).__name__})')
    try:
        lines, hints = _read_sheets(wb)
    except Exception as e:
        raise ParseError(f'the .xlsx file has an unexpected structure ({type(e).__name__})')
    if not any(line.strip() for line in lines):
        raise ParseError('the spreadsheet contains no text')
    return Extracted(lines, wrapped=False, hints=hints)


def _read_sheets(wb):
    lines, hints = [], {}
    for ws in wb.worksheets:
        grid = [[('' if v is None else '\n'.join(' '.join(x.split()) for x in str(v).splitlines())) for v in row]
                for row in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            value = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(grid) else ''
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, rng.max_col):
                    if c < len(grid[r]):
                        # horizontal spans keep the value once; vertical spans repeat it on each row
                        grid[r][c] = value if c == rng.min_col - 1 else ''
        for line in table_lines(grid):
            hints[len(lines)] = {'table': True}
            lines.append(line)
            lines.append('')
    return lines, hints
