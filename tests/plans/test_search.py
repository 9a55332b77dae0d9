"""Accent-free task search: a several-word query finds its words as a phrase first, then close together in any
order, never scattered over a long text; the last word may be unfinished (the list searches as one types). On
SQLite and PostgreSQL alike (the filter is LIKE over the stored search text)."""

import pytest

from dondoc.accounts.roles import Role
from dondoc.orgs.names import NEAR, PHRASE, PREFIX, match, search_text, search_words
from dondoc.plans import actions
from dondoc.plans.models import Task
from dondoc.plans.queries import filter_tasks

from .conftest import make_structure

# Hand-written tasks: two hold "chuyển đổi số" as a phrase, one holds its words close together, and the rest hold
# the three words (or words beginning like them) far apart in a long text, as the false hits of Plan 78 did.
TEXTS = {
    "A": "Đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan nhà nước",
    "B": "Hoàn thiện cơ sở dữ liệu; thúc đẩy Chuyển Đổi Số, phát triển kinh tế số",
    "C": "Số hóa hồ sơ, chuyển đổi quy trình giải quyết thủ tục hành chính",
    "D": ("Chuyển giao các dự án cho chủ đầu tư mới theo quy định; rà soát, đánh giá việc thực hiện các chính sách "
          "hỗ trợ doanh nghiệp, kịp thời đề xuất sửa đổi những quy định không còn phù hợp, đổi mới phương thức "
          "quản lý nhà nước và nâng cao chất lượng, số lượng các dịch vụ công trực tuyến"),
    "E": "Rà soát, chuyển đổi vị trí công tác đối với công chức theo quy định",
    "F": "Tổ chức hội nghị sơ kết công tác chuyển đổi",
}


@pytest.fixture
def tasks(users, orgs):
    plan = actions.import_structure(make_structure(), user=users[Role.COORDINATOR])
    plan.tasks.all().delete()
    for i, (ref, text) in enumerate(TEXTS.items()):
        Task.objects.create(plan=plan, ref=ref, order=i, text=text)
    return plan


def found(plan, q: str) -> list[str]:
    return list(filter_tasks(plan, q=q).values_list("ref", flat=True))


def test_a_phrase_first_then_words_close_together_never_scattered(tasks):
    # A and B (the phrase, in document order), then C (all three words within a few of each other); D holds
    # "chuyển", "đổi" and "số" far apart, E "chuyển đổi" and "soát", F "sơ kết công tác chuyển đổi" (three words
    # between): none is a match.
    assert found(tasks, "chuyen doi so") == ["A", "B", "C"]
    assert found(tasks, "chuyển đổi số") == ["A", "B", "C"]  # accents typed or not
    # The words in another order: C holds "sơ, chuyển đổi" as a phrase now, A and B hold them close together.
    assert found(tasks, "so chuyen doi") == ["C", "A", "B"]


def test_the_last_word_may_be_unfinished(tasks):
    # "chuyen doi s" as one types: the phrases with a word beginning with "s" after "chuyển đổi" (số; not "soát",
    # which comes before it in E), nothing scattered.
    assert found(tasks, "chuyen doi s") == ["A", "B"]
    assert found(tasks, "chuyen do") == ["A", "B", "C", "E", "F"]  # "đổi" unfinished: every "chuyển đổi"
    assert "D" not in found(tasks, "chuyen do")  # "Chuyển giao", then "đổi mới" far away


def test_one_word_whole_words_before_words_that_begin_with_it(tasks):
    # "so": the tasks with the word "số"/"sở"/"sơ" first (A, B, C, D, F in order), then those where only a word
    # begins with it (E: "soát" — D has "soát" too, but also "số").
    assert found(tasks, "so") == ["A", "B", "C", "D", "F", "E"]


def test_the_match_rule():
    text = search_text(TEXTS["C"])
    assert match(search_words("chuyen doi so"), text) == NEAR
    assert match(search_words("chuyen doi"), text) == PHRASE
    assert match(search_words("so hoa ho s"), text) == PREFIX
    assert match(search_words("chuyen doi so"), search_text(TEXTS["D"])) is None
    # Two query words may have two words between them (a window of 2 + NEAR_SLACK = 4 words), not three.
    assert match(["a", "b"], "a x x b") == NEAR and match(["a", "b"], "b x x a") == NEAR
    assert match(["a", "b"], "a x x x b") is None


def test_other_filters_and_sorting_still_apply(tasks):
    assert list(filter_tasks(tasks, q="chuyen doi so", sort="-deadline").values_list("ref", flat=True))[:2] == ["A", "B"]
    assert found(tasks, "chuyen doi so ke hoach") == []
    assert found(tasks, "   ") == list(TEXTS)  # no words: no search


def test_the_task_list_page_ranks_the_same(client, tasks, users):
    client.force_login(users[Role.COORDINATOR])
    body = client.get(f"/ke-hoach/{tasks.pk}/nhiem-vu/", {"q": "chuyen doi so"}).content.decode()
    assert body.index("Đẩy mạnh chuyển đổi số") < body.index("Chuyển Đổi Số") < body.index("Số hóa hồ sơ")
    assert "Rà soát, chuyển đổi vị trí" not in body and "Chuyển giao các dự án" not in body and "sơ kết" not in body
    assert "3 nhiệm vụ" in body
