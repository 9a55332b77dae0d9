"""API tokens made and revoked by their owner (issue 17): over the API and on the account's page; the token is
shown once, the database keeps its digest, every step is audited, and no one reaches another's."""

import pytest

from dondoc.accounts import actions
from dondoc.accounts.models import ApiToken
from dondoc.accounts.roles import Role
from dondoc.audit.models import Event

URL = "/api/v1/me/api-tokens"


def _auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_make_use_list_and_revoke_over_the_api(client, users):
    _, first = actions.do_create_token(users[Role.FOCAL])
    made = client.post(URL, {"name": "  IOC   tỉnh "}, content_type="application/json", **_auth(first))
    assert made.status_code == 201
    body = made.json()
    assert body["name"] == "IOC tỉnh" and body["token"].startswith("dd_") and len(body["token"]) > 40
    new = body["token"]
    stored = ApiToken.objects.get(pk=body["id"])
    assert new not in (stored.digest, stored.prefix) and new[3:11] == stored.prefix  # only its digest is kept
    assert client.get("/api/v1/plans", **_auth(new)).status_code == 200
    listed = client.get(URL, **_auth(new)).json()
    assert listed["count"] == 2 and all("token" not in t for t in listed["items"])  # never shown again
    assert client.delete(f"{URL}/{body['id']}", **_auth(first)).status_code == 204
    assert client.get("/api/v1/plans", **_auth(new)).status_code == 401
    assert set(Event.objects.filter(object_id=str(body["id"])).values_list("action", flat=True)) == \
        {"token.created", "token.revoked"}


def test_no_one_reaches_anothers_token(client, users):
    _, mine = actions.do_create_token(users[Role.FOCAL])
    theirs, _ = actions.do_create_token(users[Role.HEAD])
    assert client.delete(f"{URL}/{theirs.pk}", **_auth(mine)).status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert theirs.pk not in [t["id"] for t in client.get(URL, **_auth(mine)).json()["items"]]
    with pytest.raises(PermissionError):
        actions.do_revoke_token(theirs, actor=users[Role.FOCAL])
    actions.do_revoke_token(theirs, actor=users[Role.ADMIN])  # an administrator may
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is not None


def test_too_many_tokens_or_a_long_name_are_refused(client, users):
    _, raw = actions.do_create_token(users[Role.FOCAL])
    for _ in range(actions.MAX_ACTIVE_TOKENS - 1):
        actions.do_create_token(users[Role.FOCAL])
    refused = client.post(URL, {"name": "thêm"}, content_type="application/json", **_auth(raw))
    assert refused.status_code == 400 and "thu hồi token không dùng nữa" in refused.json()["detail"]
    long = client.post(URL, {"name": "x" * 101}, content_type="application/json", **_auth(raw))
    assert long.status_code == 422
    assert actions.active_tokens(users[Role.FOCAL]).count() == actions.MAX_ACTIVE_TOKENS


def test_the_page_shows_a_new_token_once_and_revokes(client, users):
    client.force_login(users[Role.FOCAL])
    page = client.post("/tai-khoan/token-api/", {"name": "Hệ thống văn bản"}).content.decode()
    token = ApiToken.objects.get(user=users[Role.FOCAL], name="Hệ thống văn bản")
    assert 'id="new-token-value"' in page and token.prefix in page
    again = client.get("/tai-khoan/token-api/").content.decode()
    assert "Hệ thống văn bản" in again and 'id="new-token-value"' not in again  # shown once
    client.post("/tai-khoan/token-api/", {"revoke": token.pk})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    # Another's token id posted here revokes nothing.
    theirs, _ = actions.do_create_token(users[Role.HEAD])
    client.post("/tai-khoan/token-api/", {"revoke": theirs.pk})
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_a_body_that_is_not_an_object_is_refused(client, users):
    _, raw = actions.do_create_token(users[Role.FOCAL])
    response = client.post(URL, [None, None], content_type="application/json", **_auth(raw))
    assert response.status_code == 400 and "đối tượng JSON" in response.json()["detail"]
    assert actions.active_tokens(users[Role.FOCAL]).count() == 1
