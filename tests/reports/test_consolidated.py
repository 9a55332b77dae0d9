"""The consolidated report, opened as real files: the .docx with python-docx (page, margins, Times New Roman, the
header lines, the four figures, every shortcoming, the appendix), the .xlsx with openpyxl row by row against the
database. The plan is the dashboard's hand-counted `figures_plan` (as of 05/10/2024: T1 done on time, T2 open in
time, T3 overdue, T4 awaiting confirmation, T5 ongoing, T6 cancelled)."""

import datetime as dt
import shutil
import subprocess

import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from dondoc.accounts.roles import Role
from dondoc.plans.excel import deadline_cell
from dondoc.plans.models import Assignment, Task
from dondoc.reports import actions, consolidated, nd30
from dondoc.tracking import actions as tracking
from dondoc.tracking.state import task_status

from .conftest import open_docx, open_xlsx

D = dt.date
TNR = "Times New Roman"
DATE = D(2024, 10, 7)
NBSP = "\u00a0"


@pytest.fixture
def setup(figures_plan, orgs, users, make_user, day):
    """Sở Tài chính's report accepted; Sở Y tế's still a draft (not counted) but with an update in the period."""
    plan = figures_plan
    plan.coordinating_agency = orgs["skhdt"]
    plan.save(update_fields=["coordinating_agency"])
    syt_focal = make_user("syt.cb", Role.FOCAL, orgs["syt"])
    t1 = Assignment.objects.get(task__plan=plan, task__text__startswith="T1", role="lead")
    day(2024, 9, 10)  # before the period (Q4 starts 15/9): not in this report
    tracking.do_post_update(t1, syt_focal, text="Cũ, trước kỳ báo cáo")
    day(2024, 10, 1)
    tracking.do_post_update(t1, syt_focal, text="Đã rút ngắn 30% thời gian giải quyết hồ sơ", percent=100,
                            difficulties="Thiếu nhân lực")
    draft = actions.do_create_report(plan, syt_focal, period="2024-Q4")
    actions.do_edit_report(draft, syt_focal, version=draft.version,
                           items={i.pk: {"results": "BẢN NHÁP KHÔNG ĐƯỢC TÍNH"} for i in draft.items.all()})
    day(2024, 10, 2)
    focal, head = users[Role.FOCAL], users[Role.HEAD]  # Sở Tài chính
    report = actions.do_create_report(plan, focal, period="2024-Q4")
    t4 = report.items.get(task__text__startswith="T4")
    report = actions.do_edit_report(report, focal, version=report.version,
                                    items={t4.pk: {"results": "Đã trang bị 20 máy chủ cho Trung tâm dữ liệu",
                                                   "proposals": "Đề nghị bổ sung kinh phí bảo trì"}},
                                    difficulties="Giá thiết bị tăng")
    report = actions.do_approve(actions.do_submit(report, focal), head)
    day(2024, 10, 3)
    actions.do_accept(report, users[Role.COORDINATOR])
    day(2024, 10, 5)
    return plan


@pytest.fixture
def data(setup):
    return consolidated.gather(setup, "2024-Q4")


@pytest.fixture
def document(data):
    return open_docx(consolidated.build_docx(data, date=DATE))


def texts(doc):
    return [p.text for p in doc.paragraphs]


def cells(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_as_of_the_period_end_or_today(data):
    assert data.as_of == D(2024, 10, 5) and data.period.id == "2024-Q4"
    assert [r.agency.code for r in data.received] == ["stc"]


def test_page_size_margins_and_orientation(document):
    first = document.sections[0]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert [round(getattr(first, f"{s}_margin").mm) for s in ("top", "bottom", "left", "right")] == [20, 20, 30, 15]
    appendix = document.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert (round(appendix.page_width.mm), round(appendix.page_height.mm)) == (297, 210)


def test_times_new_roman_black_everywhere(document):
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    for rfonts in [defaults] + [s.element.find(qn("w:rPr")).find(qn("w:rFonts"))
                                for s in (document.styles["Normal"], document.styles["Heading 1"],
                                          document.styles["Heading 2"])]:
        assert {a: rfonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs")} == dict.fromkeys(("ascii", "hAnsi", "cs"), TNR)
        assert not [k for k in rfonts.attrib if "theme" in k.lower()]
    for run in (r for p in document.paragraphs for r in p.runs):
        assert run.font.name in (None, TNR)
        assert run.font.color.rgb in (None, nd30.docx.shared.RGBColor(0, 0, 0))
    for color in document.element.iter(qn("w:color")):
        assert color.get(qn("w:val")) in ("000000", "auto")


def test_header_lines(document, data):
    header = document.tables[0]
    left = [p.text for c in (header.rows[0].cells[0], header.rows[1].cells[0]) for p in c.paragraphs if p.text]
    right = [p.text for c in (header.rows[0].cells[1], header.rows[1].cells[1]) for p in c.paragraphs if p.text]
    assert left == ["UBND TỈNH TUYÊN QUANG", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", f"Số:{NBSP * 7}/BC-SKHĐT"]
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Tuyên Quang, ngày 07 tháng 10 năm 2024"]
    body = texts(document)
    at = body.index("BÁO CÁO")
    assert body[at + 1] == ("Kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 06/5/2024 của Ủy ban nhân dân tỉnh Tuyên "
                            "Quang (quý IV/2024)")
    assert body[at + 3].startswith("Thực hiện Kế hoạch số 12/KH-UBND ngày 06/5/2024 của Ủy ban nhân dân tỉnh Tuyên "
                                   "Quang về thực hiện chuyển đổi số năm 2024 (sau đây gọi tắt là Kế hoạch), Sở Kế "
                                   "hoạch và Đầu tư tổng hợp, báo cáo kết quả thực hiện quý IV/2024 (số liệu tính "
                                   "đến ngày 05/10/2024)")


def test_the_four_official_figures(document):
    body = texts(document)
    assert "Kết quả thực hiện đến ngày 05/10/2024:" in body
    assert "- Đã hoàn thành đúng hạn: 1 nhiệm vụ (20%);" in body
    assert "- Đã hoàn thành quá hạn: 0 nhiệm vụ (0%);" in body
    assert ("- Chưa hoàn thành, trong hạn: 3 nhiệm vụ (60%), trong đó 1 nhiệm vụ đã báo cáo hoàn thành, chờ xác "
            "nhận; 1 nhiệm vụ thực hiện thường xuyên, định kỳ;") in body
    assert "- Chưa hoàn thành, quá hạn: 1 nhiệm vụ (20%)." in body
    assert "Tỷ lệ nhiệm vụ đến hạn đã hoàn thành: 33,3% (1/3 nhiệm vụ đã đến hạn)." in body
    assert any(p.startswith("Đến ngày 05/10/2024, Sở Kế hoạch và Đầu tư đã nhận được báo cáo của 1/3 cơ quan")
               for p in body)


def test_every_shortcoming_summarised_with_its_counts(document, data):
    """Part II sums each shortcoming up; what each task's agencies reported is in Phụ lục I only."""
    body = texts(document)
    at = body.index("II. KẾT QUẢ THỰC HIỆN TỪNG NỘI DUNG, NHIỆM VỤ")
    part = body[at:body.index("III. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN")]
    assert [g.ref for g in data.groups] == ["1", "2"]
    one, two = part.index("1. Cải cách hành chính"), part.index("2. Chuyển đổi số")
    # T1 done on time and reported (Sở Y tế's update), T2 open in time, T3 overdue; neither T2 nor T3 reported.
    assert part[one + 1:two] == [
        "Có 3 nhiệm vụ: đã hoàn thành 1 (1 đúng hạn, 0 quá hạn); chưa hoàn thành 2 (trong hạn 1, quá hạn 1).",
        "Nhiệm vụ đã hoàn thành: T1 rút ngắn thời gian giải quyết hồ sơ (Sở Y tế).",
        "Trong kỳ, 1 nhiệm vụ có báo cáo kết quả; 2 nhiệm vụ chưa có báo cáo kết quả, trong đó 1 nhiệm vụ đã quá hạn "
        "(chi tiết tại Phụ lục I)."]
    # T4 reported in Sở Tài chính's accepted report, T5 not; T6 cancelled is left out.
    assert part[two + 1:] == [
        "Có 2 nhiệm vụ: đã hoàn thành 0; chưa hoàn thành 2 (trong hạn 2, quá hạn 0).",
        "Trong kỳ, 1 nhiệm vụ có báo cáo kết quả; 1 nhiệm vụ chưa có báo cáo kết quả (chi tiết tại Phụ lục I)."]
    assert not any("BẢN NHÁP" in p or "trước kỳ báo cáo" in p for p in body)
    assert not any("20 máy chủ" in p for p in body)  # a task's result: the appendix's, not the body's
    rows = cells(document.tables[2])
    assert next(r for r in rows if r[1].startswith("T4"))[6] == "Đã trang bị 20 máy chủ cho Trung tâm dữ liệu"
    assert next(r for r in rows if r[1].startswith("T1"))[6] == "Đã rút ngắn 30% thời gian giải quyết hồ sơ"
    for g in data.summary["by_section"]:  # every shortcoming the figures count is in the body
        assert any(p.endswith(g["title"]) for p in part)


def test_each_summary_counts_the_rows_it_sums_up(document, data):
    """Part II's counts for a shortcoming are those of its rows in Phụ lục I: live tasks, completed ones (Đạt...),
    those with a result and those without."""
    body = texts(document)
    part = body[body.index("II. KẾT QUẢ THỰC HIỆN TỪNG NỘI DUNG, NHIỆM VỤ"):body.index("III. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN")]
    rows = cells(document.tables[2])[1:]
    starts = [i for i, r in enumerate(rows) if len(set(r)) == 1] + [len(rows)]
    for k, g in enumerate(data.groups):
        listed = [r for r in rows[starts[k] + 1:starts[k + 1]] if r[5] != "Đã hủy"]
        at = part.index(f"{k + 1}. {g.heading_title}")
        counts = part[at + 1]
        assert counts.startswith(f"Có {len(listed)} nhiệm vụ: đã hoàn thành {sum(r[7].startswith('Đạt') for r in listed)}")
        reported = sum(1 for r in listed if r[6])
        following = " ".join(part[at + 2:at + 4])
        assert f"Trong kỳ, {reported} nhiệm vụ có báo cáo kết quả; {len(listed) - reported} nhiệm vụ chưa có" in following


def test_difficulties_proposals_and_closing(document):
    body = texts(document)
    assert "- Giá thiết bị tăng (Sở Tài chính)." in body
    assert "- Thiếu nhân lực (Sở Y tế)." in body
    assert "- Đề nghị bổ sung kinh phí bảo trì (Sở Tài chính)." in body
    assert any(p.startswith("Còn 1 nhiệm vụ quá hạn chưa hoàn thành; các cơ quan, đơn vị có nhiều nhiệm vụ quá hạn: "
                            "Sở Công Thương (1)") for p in body)
    assert body[-1 - body[::-1].index(next(p for p in body if p.startswith("Trên đây")))].endswith(
        "Sở Kế hoạch và Đầu tư báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.")
    closing = document.tables[1]
    left, right = closing.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- UBND tỉnh (b/c);", "- Giám đốc, các Phó Giám đốc Sở;",
                                                 "- Lưu: VT, TH."]
    assert [p.text for p in right.paragraphs if p.text] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


def test_appendix_table(document, data):
    body = texts(document)
    at = body.index("Phụ lục I")
    assert body[at + 1] == "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CỦA KẾ HOẠCH SỐ 12/KH-UBND"
    assert body[at + 2] == f"(Kèm theo Báo cáo số{NBSP * 7}/BC-SKHĐT ngày 07/10/2024 của Sở Kế hoạch và Đầu tư)"
    rows = cells(document.tables[2])
    assert tuple(rows[0]) == consolidated.TASK_HEADERS
    assert rows[1][0] == "1. Cải cách hành chính" and len(set(rows[1])) == 1  # a merged group row
    numbers = [r[0] for r in rows[1:] if len(set(r)) > 1]
    assert numbers == ["1", "2", "3", "4", "5", "6"]
    t3 = next(r for r in rows if r[1].startswith("T3"))
    assert t3[2] == "Sở Công Thương\nSở Y tế" and t3[5] == "Chưa hoàn thành, quá hạn" and t3[7] == "Chậm 5 ngày"
    t6 = next(r for r in rows if r[1].startswith("T6"))
    assert t6[5] == "Đã hủy"


def test_a_chart_by_shortcoming(document, data):
    assert len(document.inline_shapes) == 1
    assert any(p.startswith("Biểu đồ 1. Tình hình thực hiện nhiệm vụ theo từng nội dung") for p in texts(document))
    without = open_docx(consolidated.build_docx(data, date=DATE, chart=False))
    assert len(without.inline_shapes) == 0


def test_reproducible(setup, document):
    again = open_docx(consolidated.build_docx(consolidated.gather(setup, "2024-Q4"), date=DATE))
    assert texts(again) == texts(document)
    assert [cells(t) for t in again.tables] == [cells(t) for t in document.tables]
    assert again.core_properties.created == document.core_properties.created
    assert document.core_properties.created.replace(tzinfo=None) == dt.datetime(2024, 10, 7, 8, 0)


def test_xlsx_rows_match_the_database(setup, data):
    wb = open_xlsx(consolidated.build_xlsx(data, date=DATE))
    assert wb.sheetnames[:2] == ["Phụ lục I", "Tổng hợp"]
    ws = wb["Phụ lục I"]
    assert ws["A1"].value == "PHỤ LỤC I" and ws["A1"].font.name == "Times New Roman"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "STT")
    assert [ws.cell(header, c).value for c in range(1, 10)] == [h for h, _ in consolidated.XLSX_COLUMNS]
    assert ws.column_dimensions["I"].hidden
    tasks = list(Task.objects.filter(plan=setup).order_by("order"))
    rows = [[ws.cell(r, c).value for c in range(1, 10)] for r in range(header + 1, ws.max_row + 1)]
    task_rows = [r for r in rows if r[8]]
    group_rows = [r for r in rows if not r[8]]
    assert [(r[0], r[1]) for r in group_rows] == [("1", "Cải cách hành chính"), ("2", "Chuyển đổi số")]
    assert [r[8] for r in task_rows] == [t.ref for t in tasks]  # one row per task, in plan order
    for number, (row, task) in enumerate(zip(task_rows, tasks), start=1):
        leads = [a.via_group.name if a.via_group_id else a.agency.name for a in
                 task.assignments.filter(role="lead", ended_at__isnull=True).select_related("agency", "via_group")
                 .order_by("agency__sort_key")]
        assert row[0] == number
        assert row[1] == task.text
        assert (row[2] or "").split("\n") == list(dict.fromkeys(leads))
        assert row[4] == deadline_cell(task)
        assert row[5].split("\n")[0] == task_status(task, D(2024, 10, 5)).label
    t1 = next(r for r in task_rows if r[1].startswith("T1"))
    assert t1[6] == "Đã rút ngắn 30% thời gian giải quyết hồ sơ" and t1[7] == "Đạt"
    t4 = next(r for r in task_rows if r[1].startswith("T4"))
    assert t4[6] == "Đã trang bị 20 máy chủ cho Trung tâm dữ liệu"
    summary = wb["Tổng hợp"]
    figures_rows = [[summary.cell(r, c).value for c in range(1, 9)] for r in range(1, summary.max_row + 1)]
    assert ["", "Tổng cộng", 5, 1, 0, 3, 1, round(1 / 3, 4)] in [[v if v is not None else "" for v in r] for r in figures_rows]


def test_a_period_without_updates_says_so(setup):
    data = consolidated.gather(setup, "2024-Q2")  # 15/3–14/6/2024: nothing was reported then
    body = texts(open_docx(consolidated.build_docx(data, date=D(2024, 6, 17))))
    assert "Các nhiệm vụ của nội dung này chưa có báo cáo kết quả trong kỳ (chi tiết tại Phụ lục I)." in body
    assert "Trong kỳ, các cơ quan, đơn vị không báo cáo khó khăn, vướng mắc." in body
    assert any("chưa gửi báo cáo" in p for p in body)
    open_xlsx(consolidated.build_xlsx(data))


def test_libreoffice_opens_it(tmp_path, data):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler-utils is not installed (Debian: libreoffice-writer-nogui, poppler-utils)")
    from dondoc.reports.pdf import to_pdf

    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(to_pdf(consolidated.build_docx(data, date=DATE)))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Phụ lục I" in text and "Chưa hoàn thành, quá hạn" in text


def test_xlsx_rows_are_tall_enough_for_their_text(setup, data):
    ws = open_xlsx(consolidated.build_xlsx(data, date=DATE))["Phụ lục I"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "STT")
    for r in range(header + 1, ws.max_row + 1):
        assert ws.row_dimensions[r].height >= consolidated.LINE_PT  # set, not left to a program that may not size it
    long = consolidated.row_height(["x" * 500], [58])
    assert long >= consolidated.LINE_PT * 7
