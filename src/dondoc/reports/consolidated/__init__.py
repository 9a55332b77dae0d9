"""The coordinator's consolidated report (báo cáo tổng hợp) on a plan for a period: a Word document in the layout
of Nghị định 30/2020 and its Excel appendix, generated from the database. Split by concern so each part reads on
its own; imports go one way: data <- prose <- chart, docx, xlsx (docx draws with chart).

Reproducible: the same database gives the same content, counted as of the period's cut-off or today while it
runs (`as_of`); the only date not derived is the document's own, passed in.

    data = gather(plan, period_id)                    # data: every figure and row, from the database
    build_docx(data, date=..., chart=True) -> bytes   # docx: BÁO CÁO + Phụ lục I (tasks) [+ Phụ lục II (targets)]
    build_xlsx(data, date=...) -> bytes               # xlsx: Phụ lục I, Tổng hợp, [Phụ lục II - Chỉ tiêu]

Re-exported here: the names the pages, the API and the tests use, so they import `consolidated` as before.
"""

from .data import RECEIVED, filename, gather, structures
from .docx import TASK_HEADERS, build_docx
from .prose import implementation_sentence, overview_sentences, reports_sentence, structure_sentence, title_line
from .xlsx import LINE_PT, XLSX_COLUMNS, build_xlsx, row_height

__all__ = ["implementation_sentence", "LINE_PT", "RECEIVED", "TASK_HEADERS", "XLSX_COLUMNS", "build_docx", "build_xlsx", "filename", "gather",
           "overview_sentences", "reports_sentence", "row_height", "structure_sentence", "structures", "title_line"]
