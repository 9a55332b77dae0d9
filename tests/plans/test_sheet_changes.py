"""Issue 15: a task sheet sent back is compared with its plan field by field before anything is written, and a
sheet of another plan or with columns the reader does not know is refused with nothing written."""

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.parsing.targets import from_lines
from dondoc.plans.actions import do_import_task_sheet, do_publish_plan, import_structure
from dondoc.plans.changes import TaskList, compare, revision_diff
from dondoc.plans.excel import PLAN_ID_PROPERTY, PLAN_NUMBER_PROPERTY, export_tasks_xlsx, read_task_sheet
from dondoc.plans.models import Plan, Task
from dondoc.plans.sheets import preview_task_sheet

PLAN78 = Path(__file__).resolve().parents[1] / "fixtures" / "plan78" / "source.txt"
REF_COLUMN, LEAD_COLUMN, DEADLINE_COLUMN = 8, 3, 5  # H (hidden), C, E of the exported sheet


def _task(text, deadline=None, coordinating=(), targets=(), output=""):
    return {"text": text, "lead_override": None, "coordinating": list(coordinating), "deadline": deadline,
            "targets": from_lines(list(targets)), "refs": [], "span": None, "expected_output": output}


def rich_structure(number="21/KH-UBND"):
    """A plan with partners, targets, outputs, a group lead and every kind of deadline."""
    return {
        "document": {"number": number, "type": "KẾ HOẠCH", "issuer": "Ủy ban nhân dân tỉnh Tuyên Quang",
                     "place": "Tuyên Quang", "date": "2024-05-06", "title": "Phát triển kinh tế số năm 2024"},
        "sections": [{"ref": "II", "title": "NHIỆM VỤ, GIẢI PHÁP", "parent": None},
                     {"ref": "1", "title": "Hạ tầng số", "parent": "II"},
                     {"ref": "2", "title": "Dịch vụ công", "parent": "II"}],
        "assignments": [
            {"ref": "1.1", "section": "1", "heading": "Sở Thông tin và Truyền thông", "lead": ["Sở Thông tin và Truyền thông"],
             "lead_kind": "agency", "tasks": [
                 _task("Phủ sóng 4G đến mọi thôn bản", {"text": "trước ngày 30/9/2024", "date": "2024-09-30", "recurrence": None},
                       coordinating=["Sở Tài chính", "Ủy ban nhân dân huyện Na Hang"],
                       targets=["tỷ lệ thôn có sóng 4G đạt 100%", "trên 80% hộ gia đình có cáp quang"],
                       output="Báo cáo kết quả phủ sóng"),
                 _task("Báo cáo tiến độ chuyển đổi số", {"text": "hằng quý", "date": None, "recurrence": "quarterly"},
                       coordinating=["Sở Kế hoạch và Đầu tư"]),
             ]},
            {"ref": "2.1", "section": "2", "heading": "Ủy ban nhân dân huyện, thành phố", "lead": ["Ủy ban nhân dân huyện, thành phố"],
             "lead_kind": "group", "tasks": [
                 _task("Giải quyết hồ sơ trực tuyến toàn trình", {"text": "Trong năm 2024", "date": "2024-12-31", "recurrence": None},
                       targets=["tỷ lệ hồ sơ trực tuyến trên 50%"]),
                 _task("Rà soát thủ tục hành chính", None, coordinating=["Sở Tư pháp"]),
             ]},
        ],
        "warnings": [],
    }


@pytest.fixture
def rich(users):
    return do_publish_plan(import_structure(rich_structure(), user=users[Role.COORDINATOR]))


@pytest.fixture
def plan78(users):
    from dondoc.parsing import parse

    coordinator = users[Role.COORDINATOR]
    return do_publish_plan(import_structure(parse(PLAN78.read_bytes(), filename="plan78.txt"), user=coordinator),
                           user=coordinator, allow_unresolved=True)


def edited(data: bytes, edit) -> bytes:
    """The workbook after `edit(sheet, rows_by_ref)`, saved as Excel would (its properties kept)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    rows = {ws.cell(row=r, column=REF_COLUMN).value: r for r in range(1, ws.max_row + 1)
            if ws.cell(row=r, column=REF_COLUMN).value}
    edit(ws, rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def without_properties(data: bytes) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    wb.custom_doc_props.props = []
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def changes(diff):
    return [(c.ref, [(f.field, f.old, f.new) for f in c.fields]) for c in diff.changed]


# --- identification ----------------------------------------------------------------------------------------------

def test_the_exported_sheet_names_its_plan(rich):
    result = read_task_sheet(export_tasks_xlsx(rich))
    assert result.source == {"plan_id": rich.pk, "number": "21/KH-UBND"}
    props = {p.name: p.value for p in load_workbook(io.BytesIO(export_tasks_xlsx(rich))).custom_doc_props.props}
    assert props == {PLAN_ID_PROPERTY: rich.pk, PLAN_NUMBER_PROPERTY: "21/KH-UBND"}


# --- an unchanged sheet ------------------------------------------------------------------------------------------

def test_plan78_sheet_sent_back_unchanged_shows_no_difference(plan78, users):
    data = export_tasks_xlsx(plan78)
    sheet = preview_task_sheet(data)
    assert sheet.result.errors == []
    assert sheet.target == plan78
    assert sheet.diff.empty and sheet.diff.field_count == 0 and sheet.diff.changed == []
    # The revision the import writes says the same on its review page.
    draft, _ = do_import_task_sheet(data, user=users[Role.COORDINATOR])
    assert draft.revision_of == plan78
    assert revision_diff(draft).empty


def test_a_plan_with_targets_and_partners_sent_back_unchanged_shows_no_difference(rich, users, orgs):
    from dondoc.tracking.actions import do_set_agency

    # An amendment after publishing: the lead of 1.1#2 given to Sở Tài chính instead. The sheet prints it, and the
    # comparison reads the plan's agencies as the sheet prints them, so it is not reported again.
    task = rich.tasks.get(ref="1.1#2")
    coordinator = users[Role.COORDINATOR]
    do_set_agency(task, coordinator, agency=orgs["stc"], role="lead", add=True)
    do_set_agency(task, coordinator, agency=orgs["stttt"], role="lead", add=False)
    data = export_tasks_xlsx(rich)
    ws = load_workbook(io.BytesIO(data)).active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=REF_COLUMN).value == "1.1#2")
    assert ws.cell(row=row, column=LEAD_COLUMN).value == "Sở Tài chính"  # the ended assignment is not printed
    sheet = preview_task_sheet(data)
    assert sheet.result.errors == [] and sheet.target == rich
    assert sheet.diff.empty, changes(sheet.diff)
    assert sum(len(t.targets) for t in rich.tasks.all()) == 3 and rich.tasks.exclude(coordinating_names=[]).count() == 3


# --- one change ---------------------------------------------------------------------------------------------------

def test_plan78_sheet_with_one_lead_changed_shows_exactly_that_difference(plan78):
    task = plan78.tasks.exclude(lead_names=["Sở Tư pháp"]).order_by("order")[7]

    def edit(ws, rows):
        ws.cell(row=rows[task.ref], column=LEAD_COLUMN).value = "Sở Tư pháp"

    sheet = preview_task_sheet(edited(export_tasks_xlsx(plan78), edit))
    assert sheet.result.errors == []
    assert (sheet.diff.added, sheet.diff.removed, sheet.diff.sections) == ([], [], [])
    (change,) = sheet.diff.changed
    assert change.ref == task.ref
    assert [(f.field, f.label, f.new) for f in change.fields] == [("lead_names", "Cơ quan chủ trì", "Sở Tư pháp")]
    assert change.fields[0].old == "; ".join(task.lead_names)


def test_each_field_is_compared_on_what_it_means(rich):
    def edit(ws, rows):
        # Only the case of a deadline's first letter: the same deadline.
        ws.cell(row=rows["1.1#1"], column=DEADLINE_COLUMN).value = "TRƯỚC NGÀY 30/9/2024"
        # Partners in another order, with extra spaces: the same partners.
        ws.cell(row=rows["1.1#1"], column=4).value = "Ủy ban nhân dân huyện  Na Hang\nSở Tài chính"
        # A new day: the date and the printed text change.
        ws.cell(row=rows["2.1#1"], column=DEADLINE_COLUMN).value = "Trước ngày 15/11/2024"
        # One target of two rewritten; the output emptied.
        ws.cell(row=rows["1.1#1"], column=9).value = "tỷ lệ thôn có sóng 4G đạt 100%\ntrên 90% hộ gia đình có cáp quang"
        ws.cell(row=rows["1.1#1"], column=6).value = None

    diff = preview_task_sheet(edited(export_tasks_xlsx(rich), edit)).diff
    assert changes(diff) == [
        ("1.1#1", [("targets", "tỷ lệ thôn có sóng 4G đạt 100%; trên 80% hộ gia đình có cáp quang",
                    "tỷ lệ thôn có sóng 4G đạt 100%; trên 90% hộ gia đình có cáp quang"),
                   ("expected_output", "Báo cáo kết quả phủ sóng", "")]),
        ("2.1#1", [("deadline_date", "31/12/2024", "15/11/2024"),
                   ("deadline_text", "Trong năm 2024", "Trước ngày 15/11/2024")]),
    ]


def test_rows_moved_added_and_removed(rich):
    def edit(ws, rows):
        # 1.1#1 moved to the end of its section (before 1.1#2 swaps them), 2.1#2 deleted, a row typed by hand.
        first, second = rows["1.1#1"], rows["1.1#2"]
        for col in range(1, 10):
            a, b = ws.cell(row=first, column=col), ws.cell(row=second, column=col)
            a.value, b.value = b.value, a.value
        ws.delete_rows(rows["2.1#2"])
        ws.append([None, "Tập huấn kỹ năng số cho cán bộ", "Sở Nội vụ", None, "31/12/2024"])

    diff = preview_task_sheet(edited(export_tasks_xlsx(rich), edit)).diff
    assert [t.ref for t in diff.removed] == ["2.1#2"]
    assert [(t.text, t.lead_names) for t in diff.added] == [("Tập huấn kỹ năng số cho cán bộ", ["Sở Nội vụ"])]
    assert diff.added[0].ref not in set(rich.tasks.values_list("ref", flat=True))  # never taken for a task that was
    # Of two tasks swapped, one moved; nothing after them moved for the row removed.
    assert changes(diff) in ([("1.1#1", [("order", "1", "2")])], [("1.1#2", [("order", "2", "1")])])


@pytest.mark.nodb
def test_only_tasks_out_of_order_are_reported_moved():
    def tasks(refs):
        return TaskList([Task(ref=r, text=f"Nhiệm vụ {r}", order=i) for i, r in enumerate(refs)], [])

    old = tasks(["a", "b", "c", "d", "e"])
    assert changes(compare(old, tasks(["x", "a", "b", "c", "d", "e"]))) == []  # one added in front moves nothing
    assert changes(compare(old, tasks(["a", "c", "d", "e", "b"]))) == [("b", [("order", "2", "5")])]
    assert changes(compare(old, tasks(["a", "b", "c", "d", "e"]))) == []


# --- refusals ----------------------------------------------------------------------------------------------------

@pytest.fixture
def two_plans(users):
    from tests.plans.test_excel import SMALL_PLAN

    coordinator = users[Role.COORDINATOR]
    return (do_publish_plan(import_structure(SMALL_PLAN, user=coordinator)),
            do_publish_plan(import_structure(rich_structure(), user=coordinator)))


def _written():
    return Plan.objects.count(), Task.objects.count(), Event.objects.filter(action__startswith="plan.imported").count()


def test_a_sheet_of_another_plan_is_refused_naming_both(two_plans, users):
    small, rich = two_plans
    before = _written()
    for data in (export_tasks_xlsx(rich), without_properties(export_tasks_xlsx(rich))):
        draft, result = do_import_task_sheet(data, plan=small, skip_errors=True, user=users[Role.COORDINATOR])
        assert draft is None
        (message,) = result.messages()
        assert "21/KH-UBND" in message and "12/KH-UBND" in message and "Chưa có gì được lưu" in message
        assert preview_task_sheet(data, plan=small).structure is None  # the preview refuses it alike
    assert _written() == before


def test_a_sheet_of_an_earlier_version_of_the_plan_is_its_task_list(rich, users):
    coordinator = users[Role.COORDINATOR]
    old_sheet = export_tasks_xlsx(rich)
    revision, _ = do_import_task_sheet(old_sheet, user=coordinator)
    revision = do_publish_plan(revision)  # rich is superseded: the sheet exported from it still belongs to the plan
    draft, result = do_import_task_sheet(old_sheet, plan=revision, user=coordinator)
    assert result.errors == [] and draft.revision_of == revision


def test_reimport_from_the_plans_page_is_a_revision_with_the_plans_facts(rich, users, orgs):
    Plan.objects.filter(pk=rich.pk).update(coordinating_agency=orgs["stc"], agency_report_date=dt.date(2024, 12, 10))
    rich.refresh_from_db()
    other = users[Role.COORDINATOR]  # of Sở Kế hoạch và Đầu tư: the revision keeps the plan's coordinator

    def edit(ws, rows):  # the header line rewritten: the plan's own facts stay
        ws["A3"].value = "(Kèm theo Kế hoạch số 99/KH-UBND ngày 01/01/2030 của Ủy ban nhân dân tỉnh Hà Giang)"

    draft, result = do_import_task_sheet(edited(export_tasks_xlsx(rich), edit), plan=rich, user=other)
    assert result.errors == []
    assert draft.revision_of == rich and draft.status == "draft"
    assert (draft.number, draft.issued_on, draft.title) == (rich.number, rich.issued_on, rich.title)
    assert (draft.coordinating_agency, draft.agency_report_date, draft.issuer) == (
        orgs["stc"], dt.date(2024, 12, 10), "Ủy ban nhân dân tỉnh Tuyên Quang")
    event = Event.objects.get(action="plan.imported_sheet", object_id=str(draft.pk))
    assert event.changes["revision_of"] == rich.pk and event.changes["changed"] == 0


def _with_column(data: bytes, heading: str) -> bytes:
    def edit(ws, rows):
        header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "STT")
        ws.cell(row=header, column=10).value = heading
        ws.cell(row=header + 3, column=10).value = "120 triệu đồng"

    return edited(data, edit)


@pytest.mark.parametrize("heading, reason", [
    ("Kinh phí (triệu đồng)", "cột J “Kinh phí (triệu đồng)” không phải cột của danh mục nhiệm vụ"),
    ("Nội dung công việc", "cột J “Nội dung công việc” trùng với cột B (cùng là cột Nội dung nhiệm vụ)"),
])
def test_a_sheet_with_a_column_the_reader_does_not_read_is_refused(rich, users, heading, reason):
    before = _written()
    data = _with_column(export_tasks_xlsx(rich), heading)
    for plan in (None, rich):
        draft, result = do_import_task_sheet(data, plan=plan, skip_errors=True, user=users[Role.COORDINATOR])
        assert draft is None
        (message,) = result.messages()
        assert reason in message and "Chưa có gì được lưu" in message
    assert _written() == before


def test_a_hand_sheet_with_an_unknown_column_is_refused():
    from tests.plans.test_excel import _xlsx

    result = read_task_sheet(_xlsx([["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Kinh phí"],
                                    [1, "Xây dựng kế hoạch", "Sở Nội vụ", "50"]]))
    assert not result.readable
    assert "cột D “Kinh phí”" in result.messages()[0]


def test_the_preview_of_a_new_plan_compares_nothing(users):
    from tests.plans.test_excel import hand_sheet

    sheet = preview_task_sheet(hand_sheet())
    assert sheet.result.errors == [] and sheet.target is None and sheet.diff is None
    assert [t["text"] for b in sheet.structure["assignments"] for t in b["tasks"]][0] == \
        "Rà soát, đơn giản hóa thủ tục hành chính"
    assert Plan.objects.count() == 0
    assert dt.date.fromisoformat(sheet.structure["document"]["date"]) == dt.date(2024, 3, 10)
