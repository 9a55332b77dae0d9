"""Every operation of the OpenAPI schema carries a realistic example (api/examples.py, issue 17): present for every
operation, valid against its own schema in the same document, and shaped as the live API answers."""

import datetime as dt
import json
import re

import jsonschema_rs
import pytest

from dondoc.accounts import actions as account_actions
from dondoc.api.examples import EXAMPLES
from dondoc.tracking import actions
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)

PREFIX = "/api/v1"


@pytest.fixture(scope="module")
def schema():
    from dondoc.api.urls import api

    return api.get_openapi_schema()


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield f"{method.upper()} {path[len(PREFIX):]}", op


def _success(op):
    return [(str(code), answer) for code, answer in op["responses"].items() if str(code).startswith("2")]


def _errors(schema, fragment, value) -> list[str]:
    """What is wrong with `value` under `fragment`, its $refs read in the components of the same document."""
    validator = jsonschema_rs.Draft202012Validator({**fragment, "components": schema["components"]}, validate_formats=True)
    return [f"{'/'.join(str(p) for p in e.instance_path) or '(root)'}: {e.message}" for e in validator.iter_errors(value)]


def _unknown_keys(schema, fragment, value, where="") -> list[str]:
    """Keys of `value` its schema does not name: the schemas allow them (no additionalProperties), an example must
    not show what the API never answers."""
    while "$ref" in fragment:
        fragment = schema["components"]["schemas"][fragment["$ref"].rsplit("/", 1)[-1]]
    for branch in fragment.get("anyOf", []) + fragment.get("oneOf", []):
        resolved = branch
        while "$ref" in resolved:
            resolved = schema["components"]["schemas"][resolved["$ref"].rsplit("/", 1)[-1]]
        if (resolved.get("type") == "object") == isinstance(value, dict) and \
                (resolved.get("type") == "array") == isinstance(value, list):
            return _unknown_keys(schema, resolved, value, where)
    out = []
    if isinstance(value, dict) and "properties" in fragment:
        out += [f"{where}.{key}" for key in value if key not in fragment["properties"]]
        for key, item in value.items():
            if key in fragment["properties"]:
                out += _unknown_keys(schema, fragment["properties"][key], item, f"{where}.{key}")
    if isinstance(value, list) and "items" in fragment:
        for i, item in enumerate(value):
            out += _unknown_keys(schema, fragment["items"], item, f"{where}[{i}]")
    return out


def _examples(schema):
    """(where, schema fragment, example) for every example the document holds: bodies, answers, query parameters."""
    for key, op in _operations(schema):
        for param in op.get("parameters", []):
            if "example" in param:
                yield f"{key} ?{param['name']}", param["schema"], param["example"]
        for media_type, media in op.get("requestBody", {}).get("content", {}).items():
            if "example" in media:
                yield f"{key} request {media_type}", media["schema"], media["example"]
        for code, answer in op["responses"].items():
            for media_type, media in answer.get("content", {}).items():
                if "example" in media:
                    yield f"{key} {code} {media_type}", media["schema"], media["example"]


@pytest.mark.nodb
def test_every_operation_has_an_example(schema):
    # A new endpoint without an entry in api/examples.py fails here.
    missing = []
    for key, op in _operations(schema):
        entry = EXAMPLES.get(key)
        if entry is None:
            missing.append(f"{key}: no entry")
            continue
        if "application/json" in op.get("requestBody", {}).get("content", {}) and \
                "example" not in op["requestBody"]["content"]["application/json"]:
            missing.append(f"{key}: no request example")
        for code, answer in _success(op):
            content = answer.get("content", {})
            if "application/json" in content:
                if "example" not in content["application/json"]:
                    missing.append(f"{key} {code}: no response example")
            elif not content and not (code == "204" and entry.get("no_content")):
                missing.append(f"{key} {code}: neither a JSON example, a file type nor no_content")
        if not _success(op):
            missing.append(f"{key}: no success answer")
    assert not missing, "\n".join(missing)


@pytest.mark.nodb
def test_no_example_for_an_operation_that_does_not_exist(schema):
    # A renamed or removed endpoint leaves its example behind: it would document nothing.
    keys = {key for key, _ in _operations(schema)}
    assert not set(EXAMPLES) - keys
    unknown = []
    for key, op in _operations(schema):
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        unknown += [f"{key} ?{name}" for name in EXAMPLES[key].get("query", {}) if name not in names]
        if "request" in EXAMPLES[key] and "application/json" not in op.get("requestBody", {}).get("content", {}):
            unknown.append(f"{key}: a request example for an operation without a JSON body")
    assert not unknown


@pytest.mark.nodb
def test_the_schema_is_covered_once_per_operation(schema):
    operations = list(_operations(schema))
    assert len(operations) == len(EXAMPLES) >= 52  # every operation of issue 17, and any added since


@pytest.mark.nodb
def test_every_example_validates_against_its_schema(schema):
    found = list(_examples(schema))
    wrong = [f"{where}: {error}" for where, fragment, example in found for error in _errors(schema, fragment, example)]
    assert not wrong, "\n".join(wrong)
    unknown = [f"{where}: {key}" for where, fragment, example in found for key in _unknown_keys(schema, fragment, example)]
    assert not unknown, "keys the schema does not name:\n" + "\n".join(unknown)
    assert len([w for w, *_ in found if " 20" in w]) == sum(1 for e in EXAMPLES.values() if "response" in e)


@pytest.mark.nodb
def test_a_wrong_example_would_be_reported(schema):
    # The check above can fail: a missing key, a wrong type, a day that is not a day, an unknown status filter.
    answer = schema["paths"][f"{PREFIX}/assignments"]["get"]["responses"][200]["content"]["application/json"]
    good = answer["example"]
    assert not _errors(schema, answer["schema"], good)
    missing = {**good, "items": [{k: v for k, v in good["items"][0].items() if k != "due_basis"}]}
    wrong_type = {**good, "count": "2"}
    not_a_day = {**good, "items": [{**good["items"][0], "due_date": "30/9/2024"}]}
    for bad in (missing, wrong_type, not_a_day):
        assert _errors(schema, answer["schema"], bad)
    extra = {**good, "items": [{**good["items"][0], "task": {**good["items"][0]["task"], "plan": 3}}]}
    assert _unknown_keys(schema, answer["schema"], extra) == [".items[0].task.plan"]
    status = next(p for p in schema["paths"][f"{PREFIX}/assignments"]["get"]["parameters"] if p["name"] == "status")
    assert _errors(schema, status["schema"], "late")


@pytest.mark.nodb
def test_files_are_documented_as_downloads(schema):
    op = schema["paths"][f"{PREFIX}/plans/{{plan_id}}/tasks.xlsx"]["get"]
    assert op["responses"][200]["content"] == {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}


def _key_differences(example, real, where="") -> list[str]:
    """Where the keys of `example` and `real` differ, recursively (a list by its first item; a null or an empty list
    on either side says nothing about the shape under it)."""
    if isinstance(example, dict) and isinstance(real, dict):
        out = [f"{where}: only in the example: {sorted(set(example) - set(real))}"] if set(example) - set(real) else []
        out += [f"{where}: only in the answer: {sorted(set(real) - set(example))}"] if set(real) - set(example) else []
        for key in set(example) & set(real):
            out += _key_differences(example[key], real[key], f"{where}.{key}")
        return out
    if isinstance(example, list) and isinstance(real, list) and example and real:
        return _key_differences(example[0], real[0], f"{where}[0]")
    return []


def test_key_differences_can_fail():
    assert _key_differences({"a": [{"b": 1, "c": {"d": 1}}]}, {"a": [{"b": 2, "c": {"e": 1}}]}) == \
        [".a[0].c: only in the example: ['d']", ".a[0].c: only in the answer: ['e']"]


@pytest.fixture
def bearer(people):
    def make(who):
        _, raw = account_actions.do_create_token(people[who])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


@pytest.fixture
def busy(plan, lead, people, settings):
    """Plan 12/KH-UBND on 5/10/2024 with a report, a completion, an extension and a direction on 1.1#1 (Sở Y tế)."""
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    actions.do_post_update(lead, people["lead_focal"], text="Đã triển khai tại 3 bệnh viện", percent=60)
    actions.do_request_extension(lead, people["lead_head"], new_deadline=dt.date(2024, 12, 15), reason="Chờ kinh phí")
    actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 10, 4), output="Báo cáo số 12/BC-SYT")
    actions.do_give_direction(lead.task, people["leader"], text="Khẩn trương hoàn thành", agency=lead.agency)
    return plan


LIVE = [
    ("GET /assignments", "coordinator", lambda p, a: f"/assignments?plan={p.pk}"),
    ("GET /me/assignments", "lead_focal", lambda p, a: "/me/assignments"),
    ("GET /tasks", "coordinator", lambda p, a: f"/tasks?plan={p.pk}"),
    ("GET /assignments/{assignment_id}", "lead_focal", lambda p, a: f"/assignments/{a.pk}"),
    ("GET /assignments/{assignment_id}/directions", "lead_focal", lambda p, a: f"/assignments/{a.pk}/directions"),
    ("GET /plans/{plan_id}", "coordinator", lambda p, a: f"/plans/{p.pk}"),
    ("GET /plans/{plan_id}/tasks", "coordinator", lambda p, a: f"/plans/{p.pk}/tasks"),
    ("GET /plans/{plan_id}/summary", "coordinator", lambda p, a: f"/plans/{p.pk}/summary"),
    ("GET /summary", "coordinator", lambda p, a: "/summary"),
    ("GET /tasks/{task_id}/history", "coordinator", lambda p, a: f"/tasks/{a.task_id}/history"),
    ("GET /periods", "coordinator", lambda p, a: f"/periods?plan={p.pk}"),
    ("GET /me/notification-settings", "lead_focal", lambda p, a: "/me/notification-settings"),
    ("GET /reminders/schedule", "coordinator", lambda p, a: "/reminders/schedule"),
]


@pytest.mark.parametrize("key, who, url", LIVE, ids=[key for key, *_ in LIVE])
def test_the_example_answer_has_the_keys_of_a_real_one(key, who, url, client, bearer, busy, lead, schema):
    response = client.get(PREFIX + url(busy, lead), **bearer(who))
    assert response.status_code == 200, response.content
    real = response.json()
    if isinstance(real.get("items"), list):
        assert real["items"], "an empty list would check no item's keys"
    assert _key_differences(EXAMPLES[key]["response"], real) == []
    # and the real answer is valid against the schema the example is checked against
    method, path = key.split(" ", 1)
    answer = schema["paths"][PREFIX + path][method.lower()]["responses"][200]["content"]["application/json"]
    assert _errors(schema, answer["schema"], real) == []


def test_the_request_examples_are_taken_by_the_api(client, bearer, busy, lead, people, settings):
    """Each request example, sent as it is: accepted, or refused by a rule of the domain (400, 403, 404, 409), never
    as invalid for the schema (422) nor with a server error. Paths name the live plan and assignment where there is
    one, an id that does not exist elsewhere: ninja checks a declared body before the view looks the object up, so a
    422 would still show; a body read by hand after the lookup (POST /targets/{id}/actuals) meets only the 404 here and
    is checked by its schema above."""
    ids = {"assignment_id": lead.pk, "plan_id": busy.pk}
    seen = {}
    for key, entry in EXAMPLES.items():
        if "request" not in entry:
            continue
        method, path = key.split(" ", 1)
        url = PREFIX + re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 999_999)), path)
        who = "coordinator" if key.startswith(("PUT /reminders", "POST /extensions")) else "lead_head"
        response = getattr(client, method.lower())(url, json.dumps(entry["request"]), content_type="application/json",
                                                   **bearer(who))
        seen[key] = response.status_code
        assert response.status_code in (200, 201, 202, 204, 400, 403, 404, 409), (key, response.content)
    # Some are taken outright: the example body is one the API acts on.
    assert seen["POST /assignments/{assignment_id}/updates"] == 201
    assert seen["PUT /me/notification-settings"] == 200
    assert seen["PUT /reminders/schedule"] == 200
    assert seen["POST /me/api-tokens"] == 201


def test_a_created_answer_has_the_keys_of_its_example(client, bearer, busy, lead):
    response = client.post(f"{PREFIX}/me/api-tokens", json.dumps(EXAMPLES["POST /me/api-tokens"]["request"]),
                           content_type="application/json", **bearer("lead_focal"))
    assert response.status_code == 201
    assert _key_differences(EXAMPLES["POST /me/api-tokens"]["response"], response.json()) == []
    response = client.put(f"{PREFIX}/me/notification-settings",
                          json.dumps(EXAMPLES["PUT /me/notification-settings"]["request"]),
                          content_type="application/json", **bearer("lead_focal"))
    assert _key_differences(EXAMPLES["PUT /me/notification-settings"]["response"], response.json()) == []
