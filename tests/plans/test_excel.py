"""The task list as an Excel appendix: export, import of the same layout and of sheets typed by hand."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.plans.actions import do_import_task_sheet, do_publish_plan, import_structure
from dondoc.plans.excel import (
    NOT_XLSX,
    export_tasks_xlsx,
    parse_deadline,
    read_task_sheet,
    sheet_to_structure,
    split_agencies,
)
from dondoc.plans.models import Assignment, Plan, Task
from dondoc.plans.resolve import Resolver


def _task(text, deadline=None, coordinating=(), lead_override=None):
    return {"text": text, "lead_override": lead_override, "coordinating": list(coordinating), "deadline": deadline,
            "targets": [], "refs": [], "span": None}


SMALL_PLAN = {
    "document": {"number": "12/KH-UBND", "type": "KẾ HOẠCH", "issuer": "Ủy ban nhân dân tỉnh Tuyên Quang",
                 "place": "Tuyên Quang", "date": "2024-05-06", "title": "Thực hiện chuyển đổi số năm 2024"},
    "sections": [
        {"ref": "II", "title": "NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP", "parent": None},
        {"ref": "1", "title": "Về chuyển đổi số", "parent": "II"},
        {"ref": "2", "title": "Về đất đai", "parent": "II"},
    ],
    "assignments": [
        {"ref": "1.1", "section": "1", "heading": "Sở Thông tin và Truyền thông", "lead": ["Sở Thông tin và Truyền thông"],
         "lead_kind": "agency", "tasks": [
             _task("Xây dựng kế hoạch chuyển đổi số năm 2024", {"text": "trước ngày 30/6/2024", "date": "2024-06-30", "recurrence": None},
                   coordinating=["Sở Tài chính"]),
             _task("Triển khai nền tảng số dùng chung của tỉnh", {"text": "Quý IV/2024", "date": None, "recurrence": None}),
         ]},
        {"ref": "1.2", "section": "1", "heading": "Ủy ban nhân dân huyện, thành phố", "lead": ["Ủy ban nhân dân huyện, thành phố"],
         "lead_kind": "group", "tasks": [
             _task("Rà soát thủ tục hành chính trực tuyến toàn trình", {"text": "hằng tháng", "date": None, "recurrence": "monthly"}),
         ]},
        {"ref": "2.1", "section": "2", "heading": "Sở Tài nguyên và Môi trường", "lead": ["Sở Tài nguyên và Môi trường"],
         "lead_kind": "agency", "tasks": [
             _task("Hoàn thành cơ sở dữ liệu đất đai", coordinating=["Ủy ban nhân dân huyện Na Hang", "Sở Tư pháp"]),
         ]},
    ],
    "warnings": [],
}


@pytest.fixture
def published(orgs):
    plan = import_structure(SMALL_PLAN)
    return do_publish_plan(plan)


def _xlsx(rows, merges=(), bold_rows=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for r in bold_rows:
        for cell in ws[r]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- export ------------------------------------------------------------------------------------------------------

def test_export_is_a_printable_appendix(published):
    wb = load_workbook(io.BytesIO(export_tasks_xlsx(published)))
    assert wb.sheetnames == ["Danh mục nhiệm vụ"]
    ws = wb["Danh mục nhiệm vụ"]
    assert ws["A1"].value == "DANH MỤC NHIỆM VỤ"
    assert ws["A2"].value == "Thực hiện chuyển đổi số năm 2024"
    assert ws["A3"].value == "(Kèm theo Kế hoạch số 12/KH-UBND ngày 06/5/2024 của Ủy ban nhân dân tỉnh Tuyên Quang)"
    assert [c.value for c in ws[5]][:7] == ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                                             "Thời hạn hoàn thành", "Sản phẩm", "Ghi chú"]
    assert ws.column_dimensions["H"].hidden
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$5:$5"
    assert ws.freeze_panes == "A6"
    assert ws["B5"].font.name == "Times New Roman" and ws["B5"].font.b
    assert ws["B8"].font.name == "Times New Roman" and ws["B8"].alignment.wrap_text
    assert ws.column_dimensions["B"].width > ws.column_dimensions["C"].width > ws.column_dimensions["A"].width

    rows = [[c.value for c in r][:8] for r in ws.iter_rows(min_row=6)]
    assert rows == [
        ["II", "NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP", None, None, None, None, None, None],
        ["1", "Về chuyển đổi số", None, None, None, None, None, None],
        [1, "Xây dựng kế hoạch chuyển đổi số năm 2024", "Sở Thông tin và Truyền thông", "Sở Tài chính",
         "Trước ngày 30/6/2024", None, None, "1.1#1"],
        [2, "Triển khai nền tảng số dùng chung của tỉnh", "Sở Thông tin và Truyền thông", None, "Quý IV/2024", None, None, "1.1#2"],
        # seven district committees through the group: printed once, as the plan prints it
        [3, "Rà soát thủ tục hành chính trực tuyến toàn trình", "Ủy ban nhân dân huyện, thành phố", None, "Hằng tháng",
         None, None, "1.2#1"],
        ["2", "Về đất đai", None, None, None, None, None, None],
        [4, "Hoàn thành cơ sở dữ liệu đất đai", "Sở Tài nguyên và Môi trường", "Ủy ban nhân dân huyện Na Hang\nSở Tư pháp",
         "Theo hạn báo cáo của Kế hoạch", None, None, "2.1#1"],
    ]
    assert ws["A6"].font.b and ws["B6"].font.b and not ws["B8"].font.b


def test_export_of_a_draft_uses_the_printed_names(orgs):
    draft = import_structure(SMALL_PLAN)
    ws = load_workbook(io.BytesIO(export_tasks_xlsx(draft))).active
    assert ws["C10"].value == "Ủy ban nhân dân huyện, thành phố"
    assert ws["D12"].value == "Ủy ban nhân dân huyện Na Hang\nSở Tư pháp"


def test_export_then_import_gives_the_same_tasks(published, users):
    plan, result = do_import_task_sheet(export_tasks_xlsx(published), user=users[Role.COORDINATOR])
    assert result.errors == []
    assert plan is not None and plan.pk != published.pk
    assert (plan.number, plan.issued_on, plan.title) == ("12/KH-UBND", dt.date(2024, 5, 6), "Thực hiện chuyển đổi số năm 2024")
    assert plan.revision_of == published  # same number: a revision, as for a re-uploaded document
    tasks = list(plan.tasks.order_by("order").select_related("section"))
    assert [(t.ref, t.text, t.lead_names, t.coordinating_names, t.deadline_date, t.recurrence, t.section.ref) for t in tasks] == [
        ("1.1#1", "Xây dựng kế hoạch chuyển đổi số năm 2024", ["Sở Thông tin và Truyền thông"], ["Sở Tài chính"],
         dt.date(2024, 6, 30), "", "1"),
        ("1.1#2", "Triển khai nền tảng số dùng chung của tỉnh", ["Sở Thông tin và Truyền thông"], [], None, "", "1"),
        ("1.2#1", "Rà soát thủ tục hành chính trực tuyến toàn trình", ["Ủy ban nhân dân huyện, thành phố"], [], None, "monthly", "1"),
        ("2.1#1", "Hoàn thành cơ sở dữ liệu đất đai", ["Sở Tài nguyên và Môi trường"],
         ["Ủy ban nhân dân huyện Na Hang", "Sở Tư pháp"], None, "", "2"),
    ]
    assert [t.deadline_text for t in tasks] == ["Trước ngày 30/6/2024", "Quý IV/2024", "Hằng tháng", ""]
    assert [(s.ref, s.parent.ref if s.parent else None) for s in plan.sections.order_by("order")] == [
        ("II", None), ("1", "II"), ("2", "II")]
    # Publishing the copy gives the same assignments: 2 + 1 + 7 districts + 1 + 2.
    do_publish_plan(plan)
    assert Assignment.objects.filter(task__plan=plan).count() == 13
    assert Event.objects.filter(action="plan.imported_sheet", object_id=str(plan.pk)).exists()


# --- import of sheets typed by hand ----------------------------------------------------------------------------

def hand_sheet():
    return _xlsx(
        [
            ["DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM NĂM 2025"],
            ["(Kèm theo Kế hoạch số 45/KH-UBND ngày 10 tháng 3 năm 2024 của Ủy ban nhân dân tỉnh Tuyên Quang)"],
            [],
            # other order, no accents, other words
            ["Stt", "Noi dung", "Thoi gian hoan thanh", "Don vi chu tri", "Phoi hop", "Ghi chu"],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            ["I", "Cải cách hành chính"],
            [1, "Rà soát, đơn giản hóa thủ tục hành chính", "Quý IV/2025", "Sở Tư pháp", "Văn phòng Ủy ban nhân dân tỉnh"],
            [2, "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", dt.datetime(2025, 6, 30), None, None, "Ưu tiên"],
            ["II", "Chuyển đổi số", "Năm 2025"],  # bold, with a date: still a section (no agency)
            [3, "Triển khai ứng dụng định danh điện tử", "Trong năm 2025", "Công an tỉnh",
             "Sở Thông tin và Truyền thông; Ủy ban nhân dân huyện, thành phố"],
            [4, "Đẩy mạnh thanh toán không dùng tiền mặt", "Hằng tháng",
             "Ngân hàng Nhà nước Chi nhánh tỉnh Tuyên Quang, Sở Tài chính", "UBND huyện, thành phố"],
            [],
            ["", "", "", "NGƯỜI LẬP BIỂU"],  # a footer with no task text
        ],
        merges=["D7:D8"],  # one lead for two tasks
        bold_rows=[9],
    )


def test_hand_sheet_becomes_the_expected_structure(orgs):
    result = read_task_sheet(hand_sheet())
    assert result.errors == []
    assert result.header_row == 4
    assert result.document == {"type": "KẾ HOẠCH", "number": "45/KH-UBND", "date": "2024-03-10",
                               "issuer": "Ủy ban nhân dân tỉnh Tuyên Quang", "title": "DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM NĂM 2025"}
    assert [(r.row, r.kind) for r in result.rows] == [
        (6, "section"), (7, "task"), (8, "task"), (9, "section"), (10, "task"), (11, "task")]

    structure = sheet_to_structure(result)
    assert structure["document"]["number"] == "45/KH-UBND"
    assert structure["sections"] == [
        {"ref": "I", "title": "Cải cách hành chính", "parent": None},
        {"ref": "II", "title": "Chuyển đổi số", "parent": None},
    ]
    blocks = structure["assignments"]
    assert [(b["section"], b["lead"], b["lead_kind"], len(b["tasks"])) for b in blocks] == [
        ("I", ["Sở Tư pháp"], "agency", 2),
        ("II", ["Công an tỉnh"], "agency", 1),
        ("II", ["Ngân hàng Nhà nước Chi nhánh tỉnh Tuyên Quang", "Sở Tài chính"], "agency", 1),
    ]
    tasks = [t for b in blocks for t in b["tasks"]]
    assert [t["text"] for t in tasks] == [
        "Rà soát, đơn giản hóa thủ tục hành chính", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Triển khai ứng dụng định danh điện tử", "Đẩy mạnh thanh toán không dùng tiền mặt"]
    assert [t["coordinating"] for t in tasks] == [
        ["Văn phòng Ủy ban nhân dân tỉnh"], [],
        ["Sở Thông tin và Truyền thông", "Ủy ban nhân dân huyện, thành phố"], ["UBND huyện, thành phố"]]
    assert [t["deadline"] for t in tasks] == [
        {"text": "Quý IV/2025", "date": None, "recurrence": None},
        {"text": "30/06/2025", "date": "2025-06-30", "recurrence": None},
        {"text": "Trong năm 2025", "date": "2025-12-31", "recurrence": None},
        {"text": "Hằng tháng", "date": None, "recurrence": "monthly"},
    ]


def test_hand_sheet_imports_as_a_draft(users):
    plan, result = do_import_task_sheet(hand_sheet(), user=users[Role.COORDINATOR], filename="phu-luc.xlsx")
    assert result.errors == []
    assert plan.status == "draft" and plan.number == "45/KH-UBND" and plan.source_name == "phu-luc.xlsx"
    assert plan.coordinating_agency.code == "skhdt"  # the importing coordinator's agency
    tasks = list(plan.tasks.order_by("order"))
    assert [(t.ref, t.lead_names, t.lead_kind) for t in tasks] == [
        ("I.1#1", ["Sở Tư pháp"], "agency"), ("I.1#2", ["Sở Tư pháp"], "agency"),
        ("II.1#1", ["Công an tỉnh"], "agency"),
        ("II.2#1", ["Ngân hàng Nhà nước Chi nhánh tỉnh Tuyên Quang", "Sở Tài chính"], "agency"),
    ]
    assert not any(t.needs_lead for t in tasks)


def test_header_on_two_lines_and_product_column(orgs):
    data = _xlsx(
        [
            ["STT", "Nhiệm vụ", "Cơ quan thực hiện", None, "Thời hạn", "Sản phẩm"],
            [None, None, "Chủ trì", "Phối hợp", None, None],
            [1, "Ban hành quy chế phối hợp", "Sở Nội vụ", "Sở Tư pháp", "15/11/2024", "Quyết định của UBND tỉnh"],
        ],
        merges=["C1:D1"],
    )
    result = read_task_sheet(data)
    assert result.errors == []
    (row,) = result.tasks
    assert (row.row, row.text, row.lead, row.coordinating, row.deadline.date, row.output) == (
        3, "Ban hành quy chế phối hợp", ["Sở Nội vụ"], ["Sở Tư pháp"], dt.date(2024, 11, 15), "Quyết định của UBND tỉnh")


# --- errors ------------------------------------------------------------------------------------------------------

def bad_sheet():
    return _xlsx([
        ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành"],
        [1, "Tổ chức hội nghị sơ kết", "Sở Nội vụ", None, "30/9/2025"],
        [2, None, "Sở Tư pháp", None, "Quý III/2025"],
        [3, "Kiểm tra công tác cải cách hành chính", "Sở Không Tồn Tại", "Sở Tài chính", None],
        [4, "Báo cáo kết quả thực hiện", "Sở Tài chính", None, "32/13/2025"],
        [5, "Tuyên truyền về chuyển đổi số", "Sở Thông tin và Truyền thông", None, "Hằng quý"],
    ])


def test_row_errors_are_listed_and_nothing_is_saved(users):
    plan, result = do_import_task_sheet(bad_sheet(), user=users[Role.COORDINATOR])
    assert plan is None
    assert [(e.row, e.column) for e in result.errors] == [(3, "text"), (4, "lead"), (5, "deadline")]
    assert result.messages()[0] == "Dòng 3: Thiếu nội dung nhiệm vụ."
    assert result.messages()[1] == "Dòng 4: Không tìm thấy cơ quan “Sở Không Tồn Tại” (cột Cơ quan chủ trì)."
    assert result.messages()[2].startswith("Dòng 5: Thời hạn “32/13/2025” không đọc được")
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


def test_skip_errors_imports_the_other_rows(users):
    plan, result = do_import_task_sheet(bad_sheet(), user=users[Role.COORDINATOR], skip_errors=True)
    assert result.skipped_rows == [3, 4, 5]
    assert [(t.text, t.deadline_date, t.recurrence) for t in plan.tasks.order_by("order")] == [
        ("Tổ chức hội nghị sơ kết", dt.date(2025, 9, 30), ""),
        ("Tuyên truyền về chuyển đổi số", None, "quarterly"),
    ]



def test_an_import_that_fails_at_its_audit_event_leaves_no_trace(users, monkeypatch):
    from dondoc.plans import actions

    real = actions.record

    def failing(kind, **kwargs):
        if kind == "plan.imported_sheet":
            raise RuntimeError("audit down")
        return real(kind, **kwargs)

    monkeypatch.setattr(actions, "record", failing)
    with pytest.raises(RuntimeError):
        do_import_task_sheet(hand_sheet(), user=users[Role.COORDINATOR])
    assert Plan.objects.count() == 0 and Task.objects.count() == 0
    assert not Event.objects.filter(action__startswith="plan.imported").exists()

@pytest.mark.parametrize("data", [
    b"Ke hoach so 78/KH-UBND",
    "Kế hoạch".encode("utf-16"),
    b"PK\x03\x04" + b"\x00" * 40,  # a zip header with nothing behind it
])
def test_a_file_that_is_not_xlsx_gives_one_error(users, data):
    plan, result = do_import_task_sheet(data, user=users[Role.COORDINATOR], skip_errors=True)
    assert plan is None
    assert result.messages() == [NOT_XLSX] == ["Tệp không phải bảng tính Excel (.xlsx) hợp lệ."]
    assert Plan.objects.count() == 0


def test_a_truncated_xlsx_and_a_sheet_without_headers(orgs):
    good = hand_sheet()
    assert read_task_sheet(good[: len(good) // 2]).messages() == [NOT_XLSX]
    result = read_task_sheet(_xlsx([["Họ và tên", "Đơn vị"], ["Nguyễn Văn A", "Sở Tư pháp"]]))
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert "Không tìm thấy dòng tiêu đề cột" in result.messages()[0]


# --- helpers -----------------------------------------------------------------------------------------------------

def test_agency_cells_are_split_only_between_names(orgs):
    resolver = Resolver(dt.date(2024, 4, 23))
    assert split_agencies("Ủy ban nhân dân huyện, thành phố", resolver) == ["Ủy ban nhân dân huyện, thành phố"]
    assert split_agencies("Sở Tài chính, Sở Xây dựng", resolver) == ["Sở Tài chính", "Sở Xây dựng"]
    assert split_agencies("- Sở Văn hóa, Thể thao và Du lịch;\n- Ban Dân tộc.", resolver) == [
        "Sở Văn hóa, Thể thao và Du lịch", "Ban Dân tộc"]
    assert split_agencies("Sở Tư pháp, Sở Văn hóa, Thể thao và Du lịch", resolver) == [
        "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch"]
    assert split_agencies("Các sở, ban, ngành", resolver) == ["Các sở, ban, ngành"]
    assert split_agencies(None, resolver) == []


@pytest.mark.nodb
@pytest.mark.parametrize("value, text, date, recurrence", [
    ("10/12/2024", "10/12/2024", dt.date(2024, 12, 10), ""),
    ("trước ngày 5/1/2025", "trước ngày 5/1/2025", dt.date(2025, 1, 5), ""),
    ("ngày 15 tháng 12 năm 2024", "ngày 15 tháng 12 năm 2024", dt.date(2024, 12, 15), ""),
    (dt.datetime(2025, 3, 31, 0, 0), "31/03/2025", dt.date(2025, 3, 31), ""),
    ("Quý IV/2025", "Quý IV/2025", None, ""),
    ("tháng 12/2025", "tháng 12/2025", None, ""),
    ("năm 2025", "năm 2025", None, ""),
    (2025, "Năm 2025", None, ""),
    ("Trong năm 2025", "Trong năm 2025", dt.date(2025, 12, 31), ""),
    ("Hằng tháng", "Hằng tháng", None, "monthly"),
    ("Hàng quý, 6 tháng và cả năm", "Hàng quý, 6 tháng và cả năm", None, "quarterly"),
    ("Định kỳ 6 tháng", "Định kỳ 6 tháng", None, "semiannual"),
    ("Thường xuyên", "Thường xuyên", None, ""),
    ("Theo hạn báo cáo của Kế hoạch", "", None, ""),
    (None, "", None, ""),
])
def test_deadline_cells(value, text, date, recurrence):
    d = parse_deadline(value)
    assert (d.text, d.date, d.recurrence, d.error) == (text, date, recurrence, "")


@pytest.mark.nodb
@pytest.mark.parametrize("value", ["32/13/2025", "31/02/2025", "Quý V/2025", "tháng 13/2025", 45678.5])
def test_unreadable_deadlines(value):
    assert parse_deadline(value).error


@pytest.mark.nodb
@pytest.mark.parametrize("recurrence", ["monthly", "quarterly", "semiannual", "annual"])
def test_a_bare_recurrence_is_printed_so_it_reads_back(recurrence):
    from dondoc.plans.excel import deadline_cell

    printed = deadline_cell(Task(recurrence=recurrence))
    assert printed and parse_deadline(printed).recurrence == recurrence


def test_plan78_exported_and_read_back_keeps_every_task(orgs, users):
    """Issue 15: a round trip used to drop targets (5 tasks) and the names that give no agency ("Các sở, ban,
    ngành, đơn vị được giao làm chủ đầu tư dự án"), and print agencies' names over the plan's own."""
    from pathlib import Path

    from dondoc.parsing import parse

    source = Path(__file__).resolve().parents[1] / "fixtures" / "plan78" / "source.txt"
    coordinator = users[Role.COORDINATOR]
    plan = do_publish_plan(import_structure(parse(source.read_bytes(), filename="plan78.txt"), user=coordinator),
                           user=coordinator, allow_unresolved=True)
    copy, result = do_import_task_sheet(export_tasks_xlsx(plan), user=coordinator)
    assert result.errors == []

    def facts(p):
        return [(t.text, t.lead_names, t.coordinating_names, t.deadline_date, t.recurrence, t.targets,
                 t.section.ref if t.section else None, t.expected_output, t.deadline_text.casefold())
                for t in p.tasks.order_by("order").select_related("section")]

    before, after = facts(plan), facts(copy)
    assert len(after) == len(before) == plan.tasks.count()
    assert after == before  # the deadline's first letter is printed capitalised in the appendix: compared casefolded
    assert sum(1 for t in before if t[5]) >= 5 and any("chủ đầu tư" in " ".join(t[1]) for t in before)
