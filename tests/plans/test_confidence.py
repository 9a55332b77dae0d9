"""The parser's confidence per assignment block: stored on the draft's tasks, kept through review edits, and the
review screen's "Cần kiểm tra trước" order (least certain first, flagged under 0.5, nothing dropped)."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.accounts.roles import Role
from dondoc.plans import actions, confidence
from dondoc.plans import draft as editing
from dondoc.plans.excel import export_tasks_xlsx
from dondoc.plans.models import Task

from .conftest import make_structure

# Block refs of conftest's structure, in document order, with the confidence and basis given to each here.
KNOWN = {
    "1.1": (0.9, "mục theo từng cơ quan: tiêu đề “Sở Y tế”"),
    "1.2": (0.35, "bảng phụ lục: cột Cơ quan chủ trì"),
    "1.3": (0.6, "đoạn văn: “Giao … chủ trì”"),
    "III.2": (0.2, "tổ chức thực hiện: cơ quan đầu đoạn"),
    # III.1: no keys at all, as from an older parser
}


def structure_with_confidences():
    structure = make_structure()
    for block in structure["assignments"]:
        if block["ref"] in KNOWN:
            block["confidence"], block["basis"] = KNOWN[block["ref"]]
    return structure


@pytest.fixture
def draft(users):
    return actions.import_structure(structure_with_confidences(), user=users[Role.COORDINATOR], text="x" * 400)


@pytest.fixture
def coordinator(client, users):
    client.force_login(users[Role.COORDINATOR])
    return client


# --- reading the parser's values (no database) ----------------------------------------------------------------

@pytest.mark.nodb
@pytest.mark.parametrize("block, expected", [
    ({"confidence": 0.42, "basis": "bảng phụ lục"}, (0.42, "bảng phụ lục")),
    ({"confidence": 1, "basis": "  nhãn   “Cơ quan chủ trì”\n"}, (1.0, "nhãn “Cơ quan chủ trì”")),
    ({}, (None, "")),  # an older structure, the Excel import
    ({"confidence": None, "basis": None}, (None, "")),
    ({"confidence": "cao", "basis": 3}, (None, "")),
    ({"confidence": True}, (None, "")),  # a bool is not a number here
    ({"confidence": float("nan")}, (None, "")),
    ({"confidence": 1.7}, (1.0, "")),
    ({"confidence": -0.2}, (0.0, "")),
])
def test_values_are_read_from_the_block_and_malformed_ones_are_unknown(block, expected):
    assert confidence.from_block(block) == expected


@pytest.mark.nodb
def test_a_long_basis_is_cut_to_the_column():
    assert len(confidence.from_block({"basis": "bảng " * 200})[1]) == 255


@pytest.mark.nodb
@pytest.mark.parametrize("value, code, flagged", [
    (0.0, "low", True), (0.49, "low", True), (0.5, "medium", False), (0.79, "medium", False), (0.8, "high", False),
    (1.0, "high", False), (None, "unknown", False),
])
def test_levels(value, code, flagged):
    assert (confidence.level(value).code, confidence.is_flagged(value)) == (code, flagged)


@pytest.mark.nodb
def test_working_order_puts_the_least_certain_first_and_the_unknown_last():
    def task(order, block, value):
        return SimpleNamespace(order=order, block_ref=block, block_heading=f"Khối {block}:", section=None,
                               parse_confidence=value, parse_basis="")

    tasks = [task(1, "a", 0.9), task(2, "a", 0.9), task(3, "b", None), task(4, "c", 0.3), task(5, "d", 0.6),
             task(6, "e", 0.3), task(7, "e", 0.3)]
    bands = confidence.working_order(tasks)
    assert [b.level.code for b in bands] == ["low", "medium", "high", "unknown"]
    assert [[[t.order for t in block.tasks] for block in band.blocks] for band in bands] == [
        [[4], [6, 7]], [[5]], [[1, 2]], [[3]]]
    assert [band.count for band in bands] == [3, 1, 2, 1]
    assert bands[0].blocks[1].heading == "Khối e"  # the heading's colon is the document's punctuation
    assert sorted(t.order for band in bands for block in band.blocks for t in block.tasks) == list(range(1, 8))


@pytest.mark.nodb
def test_least_certain_of_several():
    assert confidence.least_certain((0.7, "a"), (0.4, "b")) == (0.4, "b")
    assert confidence.least_certain((None, ""), (0.6, "c")) == (0.6, "c")
    assert confidence.least_certain((None, ""), (None, "")) == (None, "")


# --- stored on the draft, kept through review edits ------------------------------------------------------------

def test_import_stores_each_blocks_confidence_and_basis_on_its_tasks(draft):
    stored = {(t.block_ref, t.parse_confidence, t.parse_basis) for t in draft.tasks.all()}
    expected = {(ref, *KNOWN[ref]) for ref in KNOWN} | {("III.1", None, "")}
    assert stored == expected
    assert draft.tasks.filter(block_ref="1.2").count() == 2  # every task of the block carries it


def test_the_excel_import_leaves_them_unknown(draft, users):
    plan = actions.do_publish_plan(draft, allow_unresolved=True)
    copy, result = actions.do_import_task_sheet(export_tasks_xlsx(plan), user=users[Role.COORDINATOR])
    assert result.errors == [] and copy.tasks.count() == plan.tasks.count()
    assert set(copy.tasks.values_list("parse_confidence", "parse_basis")) == {(None, "")}


def test_split_parts_inherit_a_merge_keeps_the_lowest_and_a_task_added_by_hand_has_none(draft):
    task = draft.tasks.get(ref="1.2#1")
    first, second = editing.do_split_task(task, ["Phổ cập kỹ năng số", "cho người dân"], version=task.version)
    assert {(t.parse_confidence, t.parse_basis) for t in Task.objects.filter(pk__in=[first.pk, second.pk])} == {
        KNOWN["1.2"]}

    high = draft.tasks.get(ref="1.1#1")
    Task.objects.filter(pk=draft.tasks.get(ref="1.1#2").pk).update(parse_confidence=0.45, parse_basis="nhãn thời gian")
    merged = editing.do_merge_with_next(high, version=high.version)
    merged.refresh_from_db()
    assert (merged.parse_confidence, merged.parse_basis) == (0.45, "nhãn thời gian")

    added = editing.do_add_task(draft, text="Nhiệm vụ người rà soát thêm", lead_names=["Sở Y tế"], after=merged)
    added.refresh_from_db()
    assert (added.parse_confidence, added.parse_basis) == (None, "")


# --- the review screen -----------------------------------------------------------------------------------------

def _card_ids(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'class="card mb-2 task-card[^"]*" id="task-(\d+)"', body)]


def test_review_lists_the_least_certain_first_and_flags_the_low_ones(coordinator, draft):
    body = coordinator.get(f"/ke-hoach/{draft.pk}/ra-soat/").content.decode()
    by_block = {t.pk: t.block_ref for t in draft.tasks.all()}
    shown = [by_block[pk] for pk in _card_ids(body)]
    # 0.2, 0.35 ×2, 0.6, 0.9 ×2, then the block with no confidence; every task once
    assert shown == ["III.2", "III.2", "1.2", "1.2", "1.3", "1.1", "1.1", "III.1"]
    flagged = draft.tasks.filter(parse_confidence__lt=0.5).count()
    assert flagged == 4 and f"{flagged} nhiệm vụ cần kiểm tra" in body
    assert body.count("Cần kiểm tra · độ tin cậy thấp") == flagged
    assert body.count("low-confidence") == flagged
    assert "độ tin cậy trung bình" in body and "độ tin cậy cao" in body
    assert 'title="Độ tin cậy khi đọc văn bản: 0,35 trên thang 0 – 1"' in body  # the number, on hover
    assert "nhận ra theo: bảng phụ lục: cột Cơ quan chủ trì" in body  # the basis, once above its block
    assert 'aria-current="page" href="?sap-xep=tin-cay"' in body


def test_the_document_order_stays_a_click_away(coordinator, draft):
    url = f"/ke-hoach/{draft.pk}/ra-soat/"
    body = coordinator.get(url, {"sap-xep": "van-ban"}).content.decode()
    assert _card_ids(body) == list(draft.tasks.order_by("order").values_list("pk", flat=True))
    assert 'aria-current="page" href="?sap-xep=van-ban"' in body
    assert "4 nhiệm vụ cần kiểm tra" in body and body.count("Cần kiểm tra · độ tin cậy thấp") == 4  # flagged here too
    assert "Nhận ra theo: bảng phụ lục: cột Cơ quan chủ trì" in body  # on each card: no block heading above it
    assert _card_ids(coordinator.get(url, {"sap-xep": "bat-ky"}).content.decode()) == _card_ids(
        coordinator.get(url).content.decode())  # an unknown value is the default


def test_without_any_confidence_the_review_opens_in_document_order(coordinator, users):
    plan = actions.import_structure(make_structure(), user=users[Role.COORDINATOR])
    body = coordinator.get(f"/ke-hoach/{plan.pk}/ra-soat/").content.decode()
    assert _card_ids(body) == list(plan.tasks.order_by("order").values_list("pk", flat=True))
    assert "cần kiểm tra</a>" not in body and "độ tin cậy thấp" not in body and "độ tin cậy trung bình" not in body
    body = coordinator.get(f"/ke-hoach/{plan.pk}/ra-soat/", {"sap-xep": "tin-cay"}).content.decode()
    assert "Không có độ tin cậy (nhập từ Excel hoặc thêm tay)" in body and len(_card_ids(body)) == plan.tasks.count()


def test_parser_text_is_escaped(coordinator, users):
    structure = structure_with_confidences()
    structure["assignments"][0]["basis"] = "<script>alert(1)</script>"
    structure["assignments"][0]["heading"] = "<b>Sở Y tế</b>"
    structure["assignments"][0]["confidence"] = 0.1
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR])
    for order in ("tin-cay", "van-ban"):
        body = coordinator.get(f"/ke-hoach/{plan.pk}/ra-soat/", {"sap-xep": order}).content.decode()
        assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert "<b>Sở Y tế</b>" not in body


@pytest.mark.parametrize("order", ["tin-cay", "van-ban"])
def test_review_query_count_does_not_grow_with_the_tasks(coordinator, draft, order):
    url = f"/ke-hoach/{draft.pk}/ra-soat/?sap-xep={order}"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    Task.objects.bulk_create([Task(plan=draft, block_ref="9", ref=f"9#{i}", order=100 + i, text=f"Nhiệm vụ thêm {i}",
                                   lead_names=["Sở Y tế"], parse_confidence=i / 20, parse_basis="thử")
                              for i in range(20)])
    assert count() == before


def test_a_structural_edit_returns_to_the_order_the_reviewer_was_in(coordinator, draft):
    task = draft.tasks.get(ref="1.2#1")
    review = f"/ke-hoach/{draft.pk}/ra-soat/"

    def add_after(current_url=None):
        headers = {"HTTP_HX_REQUEST": "true"}
        if current_url:
            headers["HTTP_HX_CURRENT_URL"] = f"http://testserver{current_url}"
        task.refresh_from_db()
        return coordinator.post(f"{review}{task.pk}/them/", {"version": task.version, "new_text": "Tập huấn"},
                                **headers)["HX-Redirect"]

    assert add_after(f"{review}?sap-xep=van-ban").startswith(f"{review}?sap-xep=van-ban#task-")
    assert add_after(f"{review}?sap-xep=tin-cay").startswith(f"{review}?sap-xep=tin-cay#task-")
    assert add_after(f"{review}?sap-xep=%22%3E%3Cscript%3E").startswith(f"{review}#task-")  # only the two orders
    assert add_after().startswith(f"{review}#task-")
