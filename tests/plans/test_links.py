"""Link proposals (issue 19) on real pairs of plans, read by the parser as a user's upload would be:

- Plan 78/KH-UBND of Tuyên Quang and Sở Tài chính's plan carrying it out (a document written for the demo: its
  pieces reword the province's tasks, as agencies do; one task is the agency's own internal work);
- Quyết định 22/2013/QĐ-TTg (the Prime Minister: housing support for people with merit) and Quyết định
  3210/QĐ-UBND of Hồ Chí Minh City carrying it out, both public (tests/fixtures/links/), the candidates being the
  parent's tasks given to the provinces.

The expected links are a reader's judgement of which task each piece serves, written here by hand."""

from pathlib import Path

import pytest

from dondoc.parsing import parse
from dondoc.plans import links

pytestmark = pytest.mark.nodb

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def tasks(result, keep=lambda block: True):
    """(key, text, the rest of its item) of every task of a parse, keyed "<block ref>#<n>"."""
    out = []
    for block in result["assignments"]:
        if not keep(block):
            continue
        texts = [t["text"] for t in block["tasks"]]
        for i, text in enumerate(texts, 1):
            out.append((f"{block['ref']}#{i}", text, " ".join(t for t in texts if t != text)))
    return out


def test_an_agency_plan_of_plan_78_links_each_piece_to_the_task_it_serves():
    parent = parse(FIXTURES / "plan78" / "source.txt")
    child = parse(ROOT / "src" / "dondoc" / "demo" / "data" / "ke-hoach-stc-thuc-hien-78.txt")
    found = links.propose(tasks(child), [(k, t) for k, t, _ in tasks(parent)])
    expected = {
        "1.1#1": {"1.4#1"}, "1.1#2": {"1.4#1"},  # "đánh giá kết quả thực hiện Đề án" says which Đề án by its item
        "1.2#1": {"1.4#2"}, "1.3#1": {"1.4#3"}, "1.3#2": {"1.4#6"}, "1.4#1": {"1.4#4"}, "1.5#1": {"1.4#5"},
        "2.1#1": {"4.1.2#1"}, "2.1#2": {"4.1.2#2"}, "2.2#1": {"4.1.2#1", "4.1.2#3"}, "2.2#2": {"4.1.2#3"},
        "2.3#1": {"4.1.2#4"}, "2.4#1": {"4.1.2#5"},  # Văn bản số 661/UBND-KT
        "3.1#1": {"3.1.5#5"}, "3.1#2": {"3.1.5#4"}, "3.2#1": {"8.5#4"}, "3.3#1": {"7.4#2"},
        "3.3#2": {"7.4#1", "7.4#2", "7.4#5"}, "III.1#1": {"III.1#1"}, "III.1#2": {"III.1#2"}, "III.2#2": {"III.1#3"},
        "3.4#1": {None},  # the agency's own spending rules: serves no task of Plan 78
    }
    wrong = {k: (found[k].parent, found[k].score) for k, want in expected.items() if found[k].parent not in want}
    assert not wrong
    assert all(0 < found[k].score <= 1 for k, want in expected.items() if None not in want)


def test_a_city_plan_links_to_the_prime_ministers_decision():
    parent = parse(FIXTURES / "links" / "16_ttg-qd22-2013-nha-o-nguoi-co-cong.txt")
    child = parse(FIXTURES / "links" / "17_hcm-qd3210-2014-kh-nha-o-nguoi-co-cong.txt")
    provinces = [(k, t) for k, t, _ in tasks(parent, keep=lambda b: any("tỉnh" in lead for lead in b["lead"]))]
    assert len(provinces) >= 10  # the decision's tasks for the provinces (Điều 6.2.a, 7.1, 8.2.a-h ...)
    found = links.propose(tasks(child), provinces)
    expected = {
        "1.1#2": {"Điều 8.2#6"},  # bố trí kinh phí quản lý
        "1.1#3": {"Điều 8.2#7"},  # ngoài nguồn vốn ... địa phương hỗ trợ thêm
        "1.1#4": {"Điều 8.2#9"},  # báo cáo 3 tháng một lần
        "1.1#5": {"Điều 8.2#9"},  # báo cáo kết quả về Bộ Xây dựng, Bộ Tài chính
        "1.3#2": {"Điều 8.2#1"},  # rà soát, lập danh sách các hộ
        "III.2.3#2": {"Điều 8.2#3"},  # lập dự toán, giải ngân, quyết toán
        "III.2.1#1": {"Điều 8.2#1", "Điều 8.2#4"},  # rà soát, thẩm tra danh sách (Sở LĐ-TB&XH)
    }
    right = [k for k, want in expected.items() if found[k].parent in want]
    # 6 of 7 on 4 December: "Báo cáo tình hình và tiến độ ... 3 tháng một lần" goes to the yearly deadline (7.1).
    assert len(right) >= 6, {k: found[k] for k in expected}


def test_no_shared_words_no_link_and_the_close_runner_up_is_named():
    found = links.propose([("a", "Sửa chữa trụ sở làm việc"), ("b", "dự toán vốn sự nghiệp chương trình mục tiêu quốc gia")],
                          [(1, "Rà soát dự toán vốn sự nghiệp 03 chương trình mục tiêu quốc gia"),
                           (2, "Điều chỉnh dự toán vốn sự nghiệp chương trình mục tiêu quốc gia năm 2024"),
                           (3, "Tuyên truyền phổ biến giáo dục pháp luật")])
    assert found["a"].parent is None
    assert found["b"].parent in (1, 2) and found["b"].runner_up in (1, 2) and found["b"].runner_up != found["b"].parent
    assert links.terms("Thực hiện Văn bản số 661/UBND-KT")["661"] == 1  # a document number is a term
    assert "thực" not in links.terms("Thực hiện Văn bản số 661/UBND-KT")  # how, not what
