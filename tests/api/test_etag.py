"""ETag / If-None-Match on every GET of the API (issue 17, api/etag.py): a 304 costs one query after
authentication, and the ETag changes whenever the answer could."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.accounts import actions as account_actions
from dondoc.accounts.models import ApiToken
from dondoc.plans.models import Job, JobState
from dondoc.tracking import actions
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)


@pytest.fixture
def token(people):
    def make(role):
        _, raw = account_actions.do_create_token(people[role])
        return raw
    return make


def _auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _get(client, url, raw=None, etag=None, **extra):
    headers = _auth(raw) if raw else {}
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = etag
    return client.get(url, **headers, **extra)


def _revalidate(client, url, raw, etag):
    """The answer to a revalidation: (status, the ETag it carries)."""
    response = _get(client, url, raw, etag)
    return response.status_code, response.get("ETag")


@pytest.mark.parametrize("url", ["/api/v1/plans", "/api/v1/assignments", "detail"])
def test_200_then_304_without_a_body(client, token, lead, url):
    url = f"/api/v1/assignments/{lead.pk}" if url == "detail" else url
    raw = token("coordinator")
    first = _get(client, url, raw)
    assert first.status_code == 200 and first.content
    etag = first["ETag"]
    assert etag.startswith('W/"') and etag.endswith('"')
    assert first["Cache-Control"] == "private, no-cache"
    again = _get(client, url, raw, etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "private, no-cache"
    # The strong form of the same tag, and a list that contains it, match too (If-None-Match compares weakly).
    assert _get(client, url, raw, etag.removeprefix("W/")).status_code == 304
    assert _get(client, url, raw, f'"other", {etag}').status_code == 304
    # Another tag is not a match: the full answer.
    other = _get(client, url, raw, 'W/"0123"')
    assert other.status_code == 200 and other.content == first.content and other["ETag"] == etag


def test_a_304_costs_one_query_after_authentication(client, token, lead):
    raw = token("coordinator")
    url = f"/api/v1/assignments/{lead.pk}"
    etag = _get(client, url, raw)["ETag"]  # also touches the token's last use: not again within the minute
    with CaptureQueriesContext(connection) as auth:
        assert account_actions.user_for_token(raw) is not None
    with CaptureQueriesContext(connection) as full:
        assert _get(client, url, raw).status_code == 200
    with CaptureQueriesContext(connection) as revalidated:
        assert _get(client, url, raw, etag).status_code == 304
    print(f"\ntoken auth: {len(auth)} queries; 200: {len(full)}; 304: {len(revalidated)}")
    assert len(revalidated) == len(auth) + 1 == 2
    assert "audit_event" in revalidated.captured_queries[-1]["sql"]
    assert len(full) > len(revalidated) + 3  # the view's own queries are what a 304 saves


def test_a_304_with_a_session_costs_one_query_after_authentication(client, people, lead):
    client.force_login(people["coordinator"])
    etag = client.get("/api/v1/plans")["ETag"]
    with CaptureQueriesContext(connection) as full:
        assert client.get("/api/v1/plans").status_code == 200
    with CaptureQueriesContext(connection) as revalidated:
        assert client.get("/api/v1/plans", HTTP_IF_NONE_MATCH=etag).status_code == 304
    print(f"\nsession: 200: {len(full)} queries; 304: {len(revalidated)}")
    assert len(revalidated) == 3  # the session, its user, the version
    assert len(full) > len(revalidated)


def test_a_progress_update_changes_the_etag(client, token, lead):
    raw, url = token("lead_focal"), f"/api/v1/assignments/{lead.pk}"
    etag = _get(client, url, raw)["ETag"]
    posted = client.post(f"{url}/updates", {"text": "Đã triển khai", "percent": 40}, content_type="application/json",
                         **_auth(raw))
    assert posted.status_code == 201
    fresh = _get(client, url, raw, etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert [u["text"] for u in fresh.json()["updates"]] == ["Đã triển khai"]


def test_a_confirmed_claim_changes_the_etag_of_the_list_and_the_detail(client, token, people, lead):
    raw = token("coordinator")
    detail, listing = f"/api/v1/assignments/{lead.pk}", f"/api/v1/assignments?agency={lead.agency_id}"
    tags = {url: _get(client, url, raw)["ETag"] for url in (detail, listing)}
    actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 12))
    tags = {url: _revalidate(client, url, raw, tag)[1] for url, tag in tags.items()}  # awaiting confirmation
    assert client.post(f"{detail}/confirm", **_auth(raw)).status_code == 200
    for url, tag in tags.items():
        status, new = _revalidate(client, url, raw, tag)
        assert status == 200 and new != tag
    assert _get(client, detail, raw).json()["status"] == "done_on_time"


def test_an_agency_renamed_in_the_admin_changes_the_etag(client, token, people, lead, orgs):
    raw = token("coordinator")
    agency = orgs["syt"]
    urls = [f"/api/v1/assignments/{lead.pk}", "/api/v1/agencies?q=y%20te", f"/api/v1/plans/{lead.task.plan_id}/summary",
            "/api/v1/summary"]
    tags = {url: _get(client, url, raw)["ETag"] for url in urls}
    assert all(_revalidate(client, url, raw, tag)[0] == 304 for url, tag in tags.items())
    admin = client.__class__()
    admin.force_login(people["admin"])
    response = admin.post(f"/quan-tri/orgs/agency/{agency.pk}/change/", {
        "name": "Sở Y tế tỉnh Tuyên Quang (mới)", "short_name": agency.short_name, "code": agency.code,
        "kind": agency.kind, "parent": agency.parent_id or "", "valid_from": "", "valid_to": "", "aliases": "",
        "succession_links-TOTAL_FORMS": "0", "succession_links-INITIAL_FORMS": "0",
        "succession_links-MIN_NUM_FORMS": "0", "succession_links-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    for url, tag in tags.items():
        fresh = _get(client, url, raw, tag)
        assert fresh.status_code == 200 and fresh["ETag"] != tag, url
        if url != "/api/v1/summary":  # (by plan, no agency in it) the plan's figures are memoised: they follow too
            assert "Sở Y tế tỉnh Tuyên Quang (mới)" in json.dumps(fresh.json(), ensure_ascii=False), url


def test_an_agency_saved_by_the_orm_changes_the_etag(client, token, lead, orgs):
    """The ORM path the admin takes, and `load_orgs`: both leave an audit event."""
    from dondoc.orgs.loader import load_orgs

    raw, url = token("coordinator"), "/api/v1/agencies?q=y%20te"
    etag = _get(client, url, raw)["ETag"]
    load_orgs()
    status, new = _revalidate(client, url, raw, etag)
    assert status == 200 and new != etag


def test_a_day_passing_changes_the_etag(client, token, lead, settings):
    raw, url = token("coordinator"), f"/api/v1/assignments/{lead.pk}"
    settings.DEMO_TODAY = dt.date(2024, 9, 30)
    first = _get(client, url, raw)
    assert first.json()["status"] == "open_in_time"
    assert _revalidate(client, url, raw, first["ETag"])[0] == 304
    settings.DEMO_TODAY = dt.date(2024, 10, 1)  # midnight: the task is overdue, nothing was written
    fresh = _get(client, url, raw, first["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] != first["ETag"] and fresh.json()["status"] == "overdue"


def test_a_revoked_token_gets_401_not_304(client, token, people):
    raw = token("coordinator")
    etag = _get(client, "/api/v1/plans", raw)["ETag"]
    account_actions.do_revoke_token(ApiToken.objects.get(user=people["coordinator"]))
    refused = _get(client, "/api/v1/plans", raw, etag)
    assert refused.status_code == 401 and not refused.has_header("ETag")


def test_people_who_see_differently_never_share_an_etag(client, token, lead):
    url = "/api/v1/assignments"
    answers = {role: _get(client, url, token(role)) for role in ("lead_focal", "lead_head", "other_focal", "coordinator")}
    counts = {role: a.json()["count"] for role, a in answers.items()}
    assert counts["other_focal"] < counts["lead_focal"] < counts["coordinator"], counts
    assert len({a["ETag"] for a in answers.values()}) == 4
    # Nor does one person's tag open another's answer, even where the bodies agree (same agency, same list).
    assert answers["lead_focal"].content == answers["lead_head"].content
    assert _revalidate(client, url, token("lead_head"), answers["lead_focal"]["ETag"])[0] == 200
    # Two tokens of one person: the credential is part of the tag.
    assert _get(client, url, token("lead_focal"))["ETag"] != answers["lead_focal"]["ETag"]


def test_another_query_string_has_another_etag(client, token, lead):
    raw = token("coordinator")
    one = _get(client, "/api/v1/assignments?page_size=1", raw)
    two = _get(client, "/api/v1/assignments?page_size=2", raw)
    assert one["ETag"] != two["ETag"]
    assert _revalidate(client, "/api/v1/assignments?page_size=2", raw, one["ETag"])[0] == 200


def test_refusals_carry_no_etag(client, token, lead, partner):
    raw = token("other_focal")
    for url, status in ((f"/api/v1/assignments/{lead.pk}", 404), ("/api/v1/plans?page_size=0", 422),
                        ("/api/v1/summary", 403), ("/api/v1/assignments?on=2099-01-01", 422)):
        response = _get(client, url, raw, 'W/"x"')
        assert response.status_code == status and not response.has_header("ETag"), url
    anonymous = client.get("/api/v1/plans")
    assert anonymous.status_code == 401 and not anonymous.has_header("ETag")


def test_an_if_none_match_never_hides_a_refusal(client, token, lead):
    """A tag (or "*") sent for an object one may not see: still 404, never 304."""
    raw = token("other_focal")
    for sent in ("*", _get(client, "/api/v1/plans", raw)["ETag"]):
        assert _get(client, f"/api/v1/assignments/{lead.pk}", raw, sent).status_code == 404


def test_downloads_are_not_tagged(client, token, plan):
    response = _get(client, f"/api/v1/plans/{plan.pk}/tasks.xlsx", token("coordinator"))
    assert response.status_code == 200 and response.has_header("Content-Disposition")
    assert not response.has_header("ETag") and response["Cache-Control"] == "no-store"


def test_a_jobs_progress_written_by_the_worker_changes_the_etag(client, token, people):
    raw = token("coordinator")
    job = Job.objects.create(created_by=people["coordinator"], upload_name="kh.pdf", state=JobState.RUNNING, progress=5)
    url = f"/api/v1/jobs/{job.pk}"
    etag = _get(client, url, raw)["ETag"]
    assert _revalidate(client, url, raw, etag)[0] == 304
    Job.objects.filter(pk=job.pk).update(progress=50, message="Đang nhận dạng trang 5/10")  # no audit event
    fresh = _get(client, url, raw, etag)
    assert fresh.status_code == 200 and fresh.json()["progress"] == 50 and fresh["ETag"] != etag


def test_a_tokens_last_use_changes_the_etag_of_the_token_list(client, token, people):
    raw, other = token("coordinator"), token("coordinator")
    url = "/api/v1/me/api-tokens"
    etag = _get(client, url, raw)["ETag"]
    assert _revalidate(client, url, raw, etag)[0] == 304
    account_actions.user_for_token(other)  # its first use: touched, with no audit event
    fresh = _get(client, url, raw, etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert all(t["last_used_at"] for t in fresh.json()["items"])


def test_every_get_operation_is_conditional():
    from dondoc.api.etag import ConditionalGet
    from dondoc.api.urls import api

    operations = [op for router in api._get_bound_routers() for view in router.path_operations.values()
                  for op in view.operations]
    gets = [op for op in operations if "GET" in op.methods]
    assert len(gets) > 20 and all(isinstance(op, ConditionalGet) for op in gets)
    assert not any(isinstance(op, ConditionalGet) for op in operations if "GET" not in op.methods)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_event_committed_after_a_newer_one_still_changes_the_version():
    """Ids come from a sequence at insert: a transaction holding an older id may commit after a newer event was read.
    The newest id is then the same before and after it commits; the version still differs (transactions in progress)."""
    import threading

    from django.db import transaction

    from dondoc.api.etag import data_version
    from dondoc.audit import record

    inserted, release = threading.Event(), threading.Event()

    def slow():
        try:
            with transaction.atomic():
                record("slow", actor_name="a")
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow)
    thread.start()
    assert inserted.wait(10)
    newer = record("fast", actor_name="b")  # committed at once, with the higher id
    before = data_version()
    release.set()
    thread.join(10)
    after = data_version()
    assert before[0] == after[0] == newer.pk  # the newest id alone would not have told
    assert before != after
