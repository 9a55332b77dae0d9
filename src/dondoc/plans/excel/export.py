"""The plan's task list as an Excel appendix ("Danh mục nhiệm vụ"), written for printing and for sending back.

Layout (one sheet "Danh mục nhiệm vụ"):
  title rows, then the header STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |
  Sản phẩm | Ghi chú | (hidden) Mã nhiệm vụ; every section of the outline as a bold row (its ref in STT, its title
  beside), tasks numbered 1..N through the whole plan so that "nhiệm vụ số 37" means one row.
  Leads of a published plan come from its assignments; a lead given through a group ("Ủy ban nhân dân huyện,
  thành phố") is printed once as the group's name, as the plan itself prints it, not as its seven members.
  Names in one cell are one per line.
  The workbook carries the plan it lists in two custom document properties (PLAN_ID_PROPERTY, PLAN_NUMBER_PROPERTY),
  unseen when printed, kept by Excel and LibreOffice when the sheet is edited and saved: read_task_sheet reads them
  back, so that a sheet sent back is compared with the plan it came from (plans.sheets).
"""

from __future__ import annotations

import io
from collections import defaultdict

from ..models import Assignment, AssignmentRole, Plan, PlanStatus, Recurrence, Task
from ..resolve import Resolver
from .read import COLUMN_LABELS, PLAN_ID_PROPERTY, PLAN_NUMBER_PROPERTY, format_date, parse_deadline

SHEET_TITLE = "Danh mục nhiệm vụ"
REPORT_DATE_TEXT = "Theo hạn báo cáo của Kế hoạch"
FONT_NAME = "Times New Roman"

# (field, header printed on export, column width in characters); the headers are the reader's COLUMN_LABELS.
COLUMNS = [(name, COLUMN_LABELS[name], width) for name, width in [
    ("stt", 6), ("text", 62), ("lead", 26), ("coordinating", 26), ("deadline", 16), ("output", 20), ("note", 16),
    ("ref", 10),  # hidden: lets a re-import keep each task's identity
    ("targets", 30),  # hidden: one target per line, read back by a re-import
]]
PRINTED_COLUMNS = 7

# Printed for a recurring task without its own wording; parse_deadline reads each back to the same recurrence.
RECURRENCE_TEXT = {Recurrence.MONTHLY: "Hằng tháng", Recurrence.QUARTERLY: "Hằng quý",
                   Recurrence.SEMIANNUAL: "Định kỳ 6 tháng", Recurrence.ANNUAL: "Hằng năm"}


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


def _names(rows: list[tuple], role: str, printed: list[str], resolver: Resolver) -> tuple[list[str], bool]:
    """(names for the cell, provisional) of one role of a published task, from its (role, provisional,
    group name, agency name, agency id) assignment rows.

    While the assignments are still what the printed names give, the printed names are the cell, as the plan
    wrote them, so an export read back changes nothing. Once the coordinator has given the task to other agencies,
    the cell names those, and keeps each printed name that gave no agency (a phrase such as "các đơn vị được giao
    làm chủ đầu tư"), so a re-import still shows it."""
    names: list[str] = []
    assigned: set[int] = set()
    provisional = False
    for a_role, a_provisional, group_name, agency_name, agency_id in rows:
        if a_role != role:
            continue
        if a_provisional:
            provisional = True
            continue
        assigned.add(agency_id)
        name = group_name or agency_name
        if name not in names:
            names.append(name)
    given: set[int] = set()
    giving_nothing = []
    for name in printed:
        res = resolver(name)
        agencies = {res.agency.pk} if res.agency is not None else {a.pk for a in res.members}
        given |= agencies
        if not agencies:
            giving_nothing.append(name)
    if given == assigned:
        return list(printed), provisional
    return names + [n for n in giving_nothing if n not in names], provisional


def current_names(plan: Plan, tasks) -> dict[int, tuple[list[str], list[str], bool]]:
    """(leads, partners, provisional) of each task as the appendix prints them: the printed names of a draft; of a
    published plan, what its assignments give now (_names). plans.changes compares a plan's tasks by these."""
    tasks = list(tasks)
    if plan.status == PlanStatus.DRAFT:
        return {t.pk: (list(t.lead_names), list(t.coordinating_names), False) for t in tasks}
    resolver = Resolver(plan.issued_on)
    assignments: dict[int, list[tuple]] = defaultdict(list)
    # Plain tuples: a 5,000-task plan has ~20,000 assignments, too many to build as model instances.
    # Only the assignments in force: one an amendment ended (a lead given to another agency) is not printed.
    for task_id, *row in (Assignment.objects.filter(task__plan=plan, ended_at__isnull=True).order_by("id")
                          .values_list("task_id", "role", "provisional", "via_group__name", "agency__name", "agency_id")):
        assignments[task_id].append(tuple(row))
    names = {}
    for t in tasks:
        leads, provisional = _names(assignments[t.pk], AssignmentRole.LEAD, t.lead_names, resolver)
        coordinating, _ = _names(assignments[t.pk], AssignmentRole.COORDINATING, t.coordinating_names, resolver)
        names[t.pk] = (leads, coordinating, provisional)
    return names


def _attachment_line(plan: Plan) -> str:
    if not plan.number and not plan.issued_on:
        return ""
    return f"(Kèm theo {plan.reference()})"


def export_tasks_xlsx(plan: Plan) -> bytes:
    """The plan's appendix "Danh mục nhiệm vụ" as .xlsx bytes, ready to print on A4 landscape."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import IntProperty, StringProperty
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from dondoc.core.xlsx import print_a4_landscape, put as put_cell  # typed text is never a formula

    sections = {s.pk: s for s in plan.sections.all()}
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "id"))
    names = current_names(plan, tasks)

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    wb.properties.title = f"Danh mục nhiệm vụ - {plan}"
    wb.properties.creator = "dondoc"
    wb.custom_doc_props.append(IntProperty(name=PLAN_ID_PROPERTY, value=plan.pk))
    if plan.number:
        wb.custom_doc_props.append(StringProperty(name=PLAN_NUMBER_PROPERTY, value=plan.number))

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
    for col in range(PRINTED_COLUMNS + 1, len(COLUMNS) + 1):
        ws.column_dimensions[get_column_letter(col)].hidden = True
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
                put(row, [s.ref, s.title, "", "", "", "", "", "", ""], "dd-section")
        number += 1
        row += 1
        leads, coordinating, provisional = names[task.pk]
        note = ""
        if provisional or task.needs_lead:
            holder = plan.coordinating_agency.name if plan.coordinating_agency_id else ""
            note = "Cần xác định đơn vị chủ trì" + (f" (tạm giao {holder})" if provisional and holder else "")
        put(row, [number, task.text, "\n".join(leads), "\n".join(coordinating), deadline_cell(task),
                  task.expected_output, note, task.ref, "\n".join(t.get("text", "") for t in task.targets or [])], "dd-task")

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    print_a4_landscape(ws, f"A1:{last_col}{max(row, header_row)}", FONT_NAME)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
