"""The plan's task list as an Excel appendix ("Danh mục nhiệm vụ"): `export` writes it, `read` reads any sheet of
that shape row by row, `structure` turns the rows into the parser's sections and tasks. Saving an imported sheet
is an action: plans.actions.do_import_task_sheet."""

from .export import (
    COLUMNS,
    FONT_NAME,
    PRINTED_COLUMNS,
    RECURRENCE_TEXT,
    REPORT_DATE_TEXT,
    SHEET_TITLE,
    current_names,
    deadline_cell,
    export_tasks_xlsx,
)
from .read import (
    COLUMN_LABELS,
    FIELD_LABELS,
    HEADER_SCAN_ROWS,
    HEADER_WORDS,
    MAX_COLUMNS,
    MAX_ROWS,
    NOT_XLSX,
    PLAN_ID_PROPERTY,
    PLAN_NUMBER_PROPERTY,
    Deadline,
    RowError,
    SheetResult,
    SheetRow,
    format_date,
    parse_deadline,
    read_task_sheet,
    split_agencies,
)
from .structure import sheet_to_structure

__all__ = [
    "COLUMN_LABELS", "COLUMNS", "FIELD_LABELS", "FONT_NAME", "HEADER_SCAN_ROWS", "HEADER_WORDS", "MAX_COLUMNS",
    "MAX_ROWS", "NOT_XLSX", "PLAN_ID_PROPERTY", "PLAN_NUMBER_PROPERTY", "PRINTED_COLUMNS", "RECURRENCE_TEXT",
    "REPORT_DATE_TEXT", "SHEET_TITLE", "Deadline", "RowError", "SheetResult", "SheetRow", "current_names",
    "deadline_cell", "export_tasks_xlsx", "format_date", "parse_deadline", "read_task_sheet", "sheet_to_structure",
    "split_agencies",
]
