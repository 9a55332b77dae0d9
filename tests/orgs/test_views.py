import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.orgs.models import Agency


@pytest.fixture
def focal_client(client, users):
    client.force_login(users[Role.FOCAL])
    return client


def test_search_page_finds_without_accents_and_marks_dissolved(focal_client, orgs):
    body = focal_client.get("/co-quan/", {"q": "so ke hoach"}).content.decode()
    assert "Sở Kế hoạch và Đầu tư" in body
    assert "Đã giải thể" in body and "Sở Tài chính" in body  # its successor


def test_htmx_request_gets_only_the_results_fragment(focal_client, orgs):
    full = focal_client.get("/co-quan/", {"q": "y te"}).content.decode()
    fragment = focal_client.get("/co-quan/", {"q": "y te"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in fragment
    assert "Sở Y tế" in fragment and 'id="agency-table"' in fragment


def test_filter_by_kind(focal_client, orgs):
    body = focal_client.get("/co-quan/", {"kind": "district"}).content.decode()
    assert "Ủy ban nhân dân huyện Na Hang" in body
    assert "Sở Y tế" not in body


def test_user_text_is_escaped(focal_client, orgs):
    body = focal_client.get("/co-quan/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_search_page_query_count_does_not_grow_with_rows(focal_client, orgs):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert focal_client.get("/co-quan/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(30):
        Agency.objects.create(code=f"them-{i}", name=f"Trung tâm thử nghiệm {i}")
    assert count() == before


def test_admin_change_of_an_agency_is_audited(client, users, orgs):
    client.force_login(users[Role.ADMIN])
    agency = orgs["syt"]
    response = client.post(f"/quan-tri/orgs/agency/{agency.pk}/change/", {
        "name": agency.name, "short_name": "SYT", "code": agency.code, "kind": agency.kind,
        "parent": agency.parent_id or "", "valid_from": "", "valid_to": "", "aliases": "Sở Y tế tỉnh\nSYT",
        "succession_links-TOTAL_FORMS": "0", "succession_links-INITIAL_FORMS": "0",
        "succession_links-MIN_NUM_FORMS": "0", "succession_links-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    agency.refresh_from_db()
    assert agency.short_name == "SYT"
    event = Event.objects.get(action="agency.changed", object_id=str(agency.pk))
    assert event.actor == users[Role.ADMIN] and "short_name" in event.changes
    # The new alias is searchable at once, accents aside.
    from dondoc.orgs.lookup import lookup

    assert lookup("so y te tinh") == agency


def test_search_pages_keep_the_query(focal_client, orgs):
    for i in range(60):
        Agency.objects.create(code=f"tt-{i}", name=f"Trung tâm Dịch vụ {i:02d}")
    body = focal_client.get("/co-quan/", {"q": "trung tam dich vu"}).content.decode()
    assert "Trang 1/2" in body and "?q=trung+tam+dich+vu&page=2" in body
    second = focal_client.get("/co-quan/", {"q": "trung tam dich vu", "page": 2}).content.decode()
    assert "Trang 2/2" in second and "Trung tâm Dịch vụ 59" in second


def test_suggestions_carry_the_agency_id_and_read_dissolution_on_the_date_asked(focal_client, orgs):
    def first(**params):
        items = focal_client.get("/co-quan/goi-y/", {"q": "so ke hoach", **params}).json()["items"]
        return items[0]

    before = first(ngay="2024-05-06")
    assert before == {"id": orgs["skhdt"].pk, "name": "Sở Kế hoạch và Đầu tư", "kind": "agency", "code": "skhdt",
                      "dissolved": False, "active": True}
    after = first(ngay="2025-11-20")
    assert (after["id"], after["dissolved"], after["active"]) == (orgs["skhdt"].pk, True, False)
    assert first(ngay="không phải ngày")["dissolved"] == first()["dissolved"]  # an unreadable date: today


def test_a_short_name_equal_to_the_name_is_not_repeated(focal_client, orgs):
    """Sở Y tế's short name is its name: the "Viết tắt" column stays empty rather than say it twice."""
    assert orgs["syt"].short_name == orgs["syt"].name == "Sở Y tế"
    body = focal_client.get("/co-quan/", {"q": "so y te"}).content.decode()
    row = body[body.index(f'/co-quan/{orgs["syt"].pk}/'):]
    row = row[:row.index("</tr>")]
    assert row.count("Sở Y tế") == 1 and "<td></td>" in row
    assert "<td>Sở KH&amp;ĐT</td>" in focal_client.get("/co-quan/", {"q": "so ke hoach"}).content.decode()
