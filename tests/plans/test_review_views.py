"""The review screen's pages over plans/draft.py: each correction in one request, refusals shown on the page,
the page's cost pinned for a 500-task plan."""

import pytest

from dondoc.accounts.roles import Role
from dondoc.plans import actions
from dondoc.plans.models import DraftStep, Task

from .conftest import make_structure


@pytest.fixture
def coordinator(client, users):
    client.force_login(users[Role.COORDINATOR])
    return client


@pytest.fixture
def plan(structure, users):
    return actions.import_structure(structure, user=users[Role.COORDINATOR], text="x" * 400)


def _review(plan):
    return f"/ke-hoach/{plan.pk}/ra-soat/"


def test_the_page_counts_reviewed_tasks_and_offers_the_undo_of_the_last_step(coordinator, plan):
    body = coordinator.get(_review(plan)).content.decode()
    assert "<b>0</b> / 8 đã rà soát" in body and 'id="undo"' not in body
    ids = list(plan.tasks.values_list("pk", flat=True)[:2])
    response = coordinator.post(f"{_review(plan)}da-ra-soat/", {"ids": ids[0]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    card = response.content.decode()
    assert f'id="task-{ids[0]}"' in card and "✓ Đã rà soát" in card
    assert 'hx-swap-oob="true"' in card and "<b>1</b> / 8 đã rà soát" in card  # the counter follows
    coordinator.post(f"{_review(plan)}gop/", {"ids": ids})
    body = coordinator.get(_review(plan)).content.decode()
    assert "Hoàn tác: Gộp 2 nhiệm vụ" in body


def test_merge_of_the_chosen_tasks_then_undo(coordinator, plan):
    ids = [plan.tasks.get(ref="1.1#1").pk, plan.tasks.get(ref="1.3#1").pk]
    response = coordinator.post(f"{_review(plan)}gop/", {"ids": ids, "sap-xep": "van-ban"})
    assert response.status_code == 302 and response["Location"] == f"{_review(plan)}?sap-xep=van-ban#task-{ids[0]}"
    assert not Task.objects.filter(pk=ids[1]).exists()
    response = coordinator.post(f"{_review(plan)}hoan-tac/", follow=True)
    assert "Đã hoàn tác: Gộp 2 nhiệm vụ" in response.content.decode()
    assert Task.objects.filter(pk=ids[1]).exists()


def test_a_refused_merge_says_why_and_changes_nothing(coordinator, plan):
    one = plan.tasks.first()
    response = coordinator.post(f"{_review(plan)}gop/", {"ids": [one.pk]}, follow=True)
    assert "ít nhất hai nhiệm vụ" in response.content.decode()
    assert plan.tasks.count() == 8 and not DraftStep.objects.exists()


def test_split_at_the_cursor_through_the_page(coordinator, plan):
    task = plan.tasks.get(ref="1.1#1")
    text = task.text  # "Triển khai bệnh án điện tử tại các bệnh viện"
    response = coordinator.post(f"{_review(plan)}{task.pk}/tach/",
                                {"version": task.version, "text": text, "at": text.index("tại")}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Redirect" in response
    assert list(plan.tasks.filter(block_ref="1.1").order_by("order").values_list("text", flat=True))[:2] == [
        "Triển khai bệnh án điện tử", "tại các bệnh viện"]


def test_add_from_a_selection_in_the_source(coordinator, users):
    text = "Mở đầu.\nSở Tài chính chủ trì bố trí kinh phí thực hiện.\nKết thúc."
    plan = actions.import_structure(make_structure(), user=users[Role.COORDINATOR], text=text)
    start = text.index("Sở Tài chính")
    response = coordinator.post(f"{_review(plan)}them-tu-van-ban/", {"start": start, "end": text.index("\nKết")})
    task = plan.tasks.get(text="Sở Tài chính chủ trì bố trí kinh phí thực hiện.")
    assert response["Location"].endswith(f"#task-{task.pk}") and task.lead_names == ["Sở Tài chính"]
    bad = coordinator.post(f"{_review(plan)}them-tu-van-ban/", {"start": "x", "end": "9999"}, follow=True)
    assert "không nằm trong văn bản gốc" in bad.content.decode()


def test_sections_through_the_page(coordinator, plan):
    section_1 = plan.sections.get(ref="1")
    coordinator.post(f"{_review(plan)}muc/", {"ref": "2", "title": "Dữ liệu số", "after": section_1.pk})
    new = plan.sections.get(ref="2")
    assert new.parent == section_1.parent
    coordinator.post(f"{_review(plan)}muc/{new.pk}/", {"ref": "2", "title": "Dữ liệu số và nền tảng"})
    new.refresh_from_db()
    assert new.title == "Dữ liệu số và nền tảng"
    coordinator.post(f"{_review(plan)}muc/{new.pk}/", {"after_ref": ""})
    assert plan.sections.order_by("order").first() == new
    missing = coordinator.post(f"{_review(plan)}muc/{new.pk}/", {"after_ref": "XX"}, follow=True)
    assert "không có mục số XX" in missing.content.decode()
    body = coordinator.get(f"{_review(plan)}?sap-xep=van-ban").content.decode()
    assert f'id="section-{new.pk}"' in body and "chưa có nhiệm vụ trực tiếp" in body  # an empty section is shown
    coordinator.post(f"{_review(plan)}muc/{new.pk}/", {"delete": "1"})
    assert not plan.sections.filter(ref="2").exists()


def test_another_plans_task_or_section_is_not_found(coordinator, plan, structure, users):
    other = actions.import_structure(make_structure(document={**structure["document"], "number": "77/KH-UBND"}),
                                     user=users[Role.COORDINATOR])
    foreign = other.tasks.first()
    assert coordinator.post(f"{_review(plan)}{foreign.pk}/tach/", {"text": "a\n\nb"}).status_code == 404
    assert coordinator.post(f"{_review(plan)}muc/{other.sections.first().pk}/", {"delete": "1"}).status_code == 302
    assert other.sections.count() == 3  # refused: "Hãy chọn một mục của kế hoạch này."
    coordinator.post(f"{_review(plan)}gop/", {"ids": [plan.tasks.first().pk, foreign.pk]})
    assert Task.objects.filter(pk=foreign.pk).exists()  # another plan's task is never merged in


def test_user_text_is_escaped_on_the_cards_and_the_source(coordinator, users):
    structure = make_structure()
    structure["assignments"][0]["tasks"][0]["text"] = "<script>alert(1)</script> Nhiệm vụ"
    structure["assignments"][0]["lead"] = ['<img src=x onerror="alert(2)">']
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR], text="<b>văn bản</b> gốc" + "x" * 300)
    body = coordinator.get(_review(plan)).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body
    assert "<img src=x" not in body and "<b>văn bản</b>" not in body


def _big_structure(blocks=50, per_block=10):
    leads = ["Sở Y tế", "Sở Tài chính", "Ủy ban nhân dân huyện, thành phố", "Các cơ quan, đơn vị liên quan", "Tên lạ"]
    sections = [{"ref": "II", "title": "NHIỆM VỤ", "parent": None}]
    assignments = []
    for b in range(blocks):
        sections.append({"ref": str(b + 1), "title": f"Nội dung {b + 1}", "parent": "II"})
        assignments.append({"ref": f"{b + 1}.1", "section": str(b + 1), "heading": "", "lead": [leads[b % 5]],
                            "lead_kind": "agency", "confidence": (b % 10) / 10, "basis": "tiêu đề khối",
                            "tasks": [{"text": f"Nhiệm vụ {b}.{i}", "coordinating": ["Sở Tài chính"],
                                       "deadline": {"text": "trước ngày 30/9/2024", "date": "2024-09-30"},
                                       "targets": [{"text": "đạt 100%"}], "refs": [],
                                       "span": [b * 200 + i * 20, b * 200 + i * 20 + 15]} for i in range(per_block)]})
    return make_structure(sections=sections, assignments=assignments)


@pytest.mark.parametrize("order", ["tin-cay", "van-ban"])
def test_the_review_page_of_a_500_task_plan_costs_a_fixed_number_of_queries(coordinator, users, order):
    """The NetBox way: the count is pinned, and it is the same for 50 tasks as for 500 (nothing per task)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for blocks in (5, 50):
        plan = actions.import_structure(_big_structure(blocks), user=users[Role.COORDINATOR], text="y" * 12000)
        url = f"{_review(plan)}?sap-xep={order}"
        coordinator.get(url)  # caches warmed (session, organisation lookups)
        with CaptureQueriesContext(connection) as queries:
            response = coordinator.get(url)
        assert response.content.decode().count('class="card mb-2 task-card') == blocks * 10
        counts[blocks * 10] = len(queries)
    # session and user (with its agency), the plan, its tasks, sections, the last undo step, the unknown names' lookups, the agencies
    assert counts[50] == counts[500] == QUERIES_REVIEW, counts


QUERIES_REVIEW = 21
