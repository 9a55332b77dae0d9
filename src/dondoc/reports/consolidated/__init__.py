"""The coordinator's consolidated report, split by concern; these are the names the pages, the API and the tests
use, so they import `consolidated` as before."""

from .data import (LINE_PT, RECEIVED, TASK_HEADERS, XLSX_COLUMNS, build_docx, build_xlsx, filename, gather,
                   overview_sentences, reports_sentence, row_height, title_line)

__all__ = ["LINE_PT", "RECEIVED", "TASK_HEADERS", "XLSX_COLUMNS", "build_docx", "build_xlsx", "filename", "gather",
           "overview_sentences", "reports_sentence", "row_height", "title_line"]
