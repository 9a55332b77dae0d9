"""No generated document cuts a text inside a word or reads ".;": each one (an agency's report, the consolidated
report and its workbook, the urging letter) built over tasks and reports of long sentences ending in periods, and
its text scanned. Where a document shortens (the consolidated report's completed tasks), what comes before the "…"
must end where a word of the original ends; the appendix keeps every task whole.

As of 05/10/2024: L1 (Sở Y tế) done on time; L2 (Sở Tài chính) open, reported on twice in the quarter in lines
ending with periods, with difficulties and a proposal, in its report the coordinator accepted; L3 (the district
committees) and L4 (Sở Tài chính) overdue."""

import datetime as dt
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from dondoc.accounts.roles import Role
from dondoc.plans import actions as plan_actions
from dondoc.plans.models import Assignment
from dondoc.reports import actions, agency_docx, consolidated, urging
from dondoc.tracking import actions as tracking
from tests.plans.conftest import make_structure

D = dt.date
L1 = ("Tiếp tục đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động khám bệnh, chữa bệnh tại các "
      "cơ sở y tế công lập trên địa bàn tỉnh; triển khai bệnh án điện tử, thanh toán viện phí không dùng tiền mặt, "
      "kết nối liên thông dữ liệu khám chữa bệnh bảo hiểm y tế với Cổng tiếp nhận dữ liệu hệ thống thông tin giám "
      "định bảo hiểm y tế.")
L2 = ("Tập trung chỉ đạo quyết liệt công tác thu ngân sách nhà nước, bao quát đầy đủ các nguồn thu, chống thất thu, "
      "xử lý nợ đọng thuế; rà soát, sắp xếp lại các khoản chi theo hướng tiết kiệm, hiệu quả, ưu tiên bố trí vốn "
      "cho các dự án trọng điểm, các chương trình mục tiêu quốc gia.")
L3 = ("Chủ động tổ chức thực hiện các giải pháp phát triển sản xuất nông, lâm nghiệp hàng hóa gắn với xây dựng "
      "nông thôn mới, phát triển sản phẩm OCOP, nâng cao thu nhập cho người dân vùng đồng bào dân tộc thiểu số.")
L4 = ("Hoàn thành việc thẩm định, phê duyệt quyết toán vốn đầu tư các dự án hoàn thành sử dụng vốn nhà nước còn "
      "tồn đọng, xử lý dứt điểm các dự án chậm quyết toán theo quy định.")
UPDATES = ["Đã ban hành văn bản chỉ đạo các đơn vị thu ngân sách triển khai các giải pháp chống thất thu.\n"
           "Đã tổ chức hội nghị đánh giá tiến độ thu ngân sách 9 tháng.",
           "Thu ngân sách đến ngày 30/9/2024 đạt 78% dự toán năm.\nĐã rà soát các khoản chi thường xuyên."]
DIFFICULTY = "Một số khoản thu lớn phụ thuộc tiến độ đấu giá quyền sử dụng đất."
PROPOSAL = "Đề nghị Ủy ban nhân dân tỉnh chỉ đạo đẩy nhanh tiến độ đấu giá đất."


def _block(ref, lead, kind, text, due):
    return {"ref": ref, "section": "1", "heading": lead, "lead": [lead], "lead_kind": kind, "span": None,
            "tasks": [{"text": text, "lead_override": None, "coordinating": [], "targets": [], "refs": [], "span": None,
                       "deadline": {"text": f"trước ngày {due:%d/%m/%Y}", "date": due.isoformat(), "recurrence": None}}]}


@pytest.fixture
def documents(users, orgs, make_user, settings):
    coordinator, focal, head = users[Role.COORDINATOR], users[Role.FOCAL], users[Role.HEAD]  # Sở Tài chính's people
    settings.DEMO_TODAY = D(2024, 9, 1)
    structure = make_structure(assignments=[
        _block("1.1", "Sở Y tế", "agency", L1, D(2024, 9, 30)), _block("1.2", "Sở Tài chính", "agency", L2, D(2024, 12, 31)),
        _block("1.3", "Ủy ban nhân dân huyện, thành phố", "group", L3, D(2024, 9, 30)),
        _block("1.4", "Sở Tài chính", "agency", L4, D(2024, 9, 30))])
    plan = plan_actions.do_publish_plan(plan_actions.import_structure(structure, user=coordinator))
    plan.coordinating_agency = orgs["skhdt"]
    plan.save(update_fields=["coordinating_agency"])

    def lead(text, code):
        return Assignment.objects.get(task__plan=plan, task__text=text, agency__code=code, role="lead")

    settings.DEMO_TODAY = D(2024, 9, 25)
    actions_done = tracking.do_claim(lead(L1, "syt"), make_user("syt.tt", Role.HEAD, orgs["syt"]), completed_on=D(2024, 9, 25))
    tracking.do_confirm(actions_done, coordinator)
    for day, text in zip((D(2024, 9, 20), D(2024, 10, 1)), UPDATES):
        settings.DEMO_TODAY = day
        tracking.do_post_update(lead(L2, "stc"), focal, text=text, percent=60, difficulties=DIFFICULTY, proposals=PROPOSAL)
    settings.DEMO_TODAY = D(2024, 10, 2)
    report = actions.do_approve(actions.do_submit(actions.do_create_report(plan, focal, period="2024-Q4"), focal), head)
    actions.do_accept(report, coordinator)
    settings.DEMO_TODAY = D(2024, 10, 5)
    data = consolidated.gather(plan, "2024-Q4")
    day = D(2024, 10, 5)
    late = urging.overdue_by_agency(plan, day, orgs["skhdt"])
    letter = urging.Letter("", None, D(2024, 10, 12), "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "")
    return {
        "agency report": _docx(agency_docx.build(report)),
        "consolidated report": _docx(consolidated.build_docx(data, date=day, chart=False)),
        "consolidated workbook": _xlsx(consolidated.build_xlsx(data, date=day)),
        "urging letter": _docx(urging.letter_docx(plan, late, letter, day, issuer=orgs["skhdt"])),
    }


def _docx(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _xlsx(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content))
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


SOURCES = [" ".join(t.split()).lower() for t in (L1, L2, L3, L4, DIFFICULTY, PROPOSAL, *UPDATES)]


def _ends_a_word(fragment: str) -> bool:
    """`fragment` (what a document printed before "…") ends where a word of some source text ends."""
    fragment = " ".join(fragment.split()).lower()
    for source in SOURCES:
        for found in re.finditer(re.escape(fragment), source):
            after = source[found.end():found.end() + 1]
            if not after or not after.isalnum():
                return True
    return False


@pytest.mark.parametrize("name", ["agency report", "consolidated report", "consolidated workbook", "urging letter"])
def test_no_text_cut_inside_a_word_and_no_period_semicolon(documents, name):
    text = documents[name]
    assert ".;" not in text, text[max(0, text.index(".;") - 80):text.index(".;") + 20]
    assert not re.search(r"\w…\w", text)
    for cut in re.finditer("…", text):
        before = text[max(0, cut.start() - 24):cut.start()].split("\n")[-1]
        assert _ends_a_word(before[-20:]), before


def test_only_the_report_body_shortens_and_the_record_keeps_every_task_whole(documents):
    body = documents["consolidated report"]
    assert "…" in body  # L1's text, longer than a summary line, among the completed tasks
    for text in (L1, L2, L3, L4):
        assert text in body and text in documents["consolidated workbook"]  # Phụ lục I: whole
    for name in ("agency report", "urging letter"):
        assert "…" not in documents[name]
    assert L2.rstrip(".") in documents["agency report"] and L3.rstrip(".") in documents["urging letter"]
