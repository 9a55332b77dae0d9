import io

import pytest
from django.core.management import call_command

from dondoc.accounts import actions
from dondoc.accounts.models import ApiToken
from dondoc.accounts.roles import Role
from dondoc.audit.models import Event


@pytest.fixture
def token(users):
    _, raw = actions.do_create_token(users[Role.COORDINATOR])
    return raw


def get(client, url, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url, **headers)


def test_anonymous_call_is_401(client, orgs):
    assert get(client, "/api/v1/agencies").status_code == 401


def test_wrong_or_revoked_token_is_401(client, users):
    token, raw = actions.do_create_token(users[Role.FOCAL])
    assert get(client, "/api/v1/agencies", raw).status_code == 200
    assert get(client, "/api/v1/agencies", raw + "x").status_code == 401
    actions.do_revoke_token(token)
    assert get(client, "/api/v1/agencies", raw).status_code == 401
    assert Event.objects.filter(action="token.revoked", object_id=str(token.pk)).exists()


def test_token_of_a_deactivated_account_is_refused(client, users):
    user = users[Role.FOCAL]
    _, raw = actions.do_create_token(user)
    actions.do_set_active(None, user, False)
    assert get(client, "/api/v1/agencies", raw).status_code == 401


def test_tokens_are_stored_hashed(users):
    token, raw = actions.do_create_token(users[Role.FOCAL])
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.digest, stored.prefix) and len(stored.digest) == 64
    assert Event.objects.filter(action="token.created", object_id=str(token.pk)).exists()


def test_search_without_accents(client, token, orgs):
    body = get(client, "/api/v1/agencies?q=so ke hoach", token).json()
    assert body["count"] >= 1
    first = body["items"][0]
    assert first["name"] == "Sở Kế hoạch và Đầu tư" and first["code"] == "skhdt"
    assert set(first) == {"id", "code", "name", "short_name", "kind", "valid_from", "valid_to", "successors"}
    assert first["valid_to"] == "2025-02-28"
    assert [s["code"] for s in first["successors"]] == ["stc"]
    assert first["successors"][0]["date"] == "2025-03-01"


def test_list_is_paginated_with_count(client, token, orgs):
    total = len(orgs)
    page1 = get(client, "/api/v1/agencies?page_size=5", token).json()
    page2 = get(client, "/api/v1/agencies?page_size=5&page=2", token).json()
    assert page1["count"] == page2["count"] == total
    assert len(page1["items"]) == 5 and len(page2["items"]) == 5
    assert not {a["id"] for a in page1["items"]} & {a["id"] for a in page2["items"]}
    beyond = get(client, f"/api/v1/agencies?page_size=5&page={total}", token).json()
    assert beyond == {"count": total, "items": []}


def test_bad_page_parameter_is_422(client, token, orgs):
    assert get(client, "/api/v1/agencies?page=abc", token).status_code == 422


def test_openapi_schema_is_served_and_describes_the_list(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/agencies"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "page", "page_size"}
    assert client.get("/api/v1/docs").status_code == 200


def test_dondoc_token_command_prints_the_token_alone_on_its_last_line(client, users, orgs):
    out = io.StringIO()
    call_command("token", users[Role.COORDINATOR].username, stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    assert " " not in raw
    response = get(client, "/api/v1/agencies?q=so ke hoach", raw)
    assert response.status_code == 200 and response.json()["items"][0]["code"] == "skhdt"


def test_dondoc_token_command_refuses_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No account"):
        call_command("token", "khong-co", stdout=io.StringIO())
