"""Bad input never answers 500: one test per class of it (integers, paging, NUL bytes and lone surrogates, lengths,
an empty import, evidence files), through the pages and the API as a user or a script sends it."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from dondoc.accounts import actions as account_actions
from dondoc.accounts.roles import Role
from dondoc.core.params import parse_int
from dondoc.plans import actions as plan_actions
from dondoc.tracking.models import Evidence, Update
from tests.plans.conftest import make_structure
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)

BAD_INTEGERS = ["²", "٣", "３", "1e3", " ", "-", "99999999999999999999", "9223372036854775808"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def bearer(people):
    def make(role):
        return {"HTTP_AUTHORIZATION": f"Bearer {account_actions.do_create_token(people[role])[1]}"}
    return make


@pytest.mark.nodb
def test_the_integer_rule_takes_ascii_digits_within_bigint_only():
    assert [parse_int(v) for v in BAD_INTEGERS] == [None] * len(BAD_INTEGERS)
    assert parse_int("42") == 42 and parse_int(" 7 ") == 7 and parse_int("9223372036854775807") == 2**63 - 1
    assert parse_int("-3") is None and parse_int("-3", minimum=-10) == -3 and parse_int(True) is None


@pytest.mark.parametrize("value", BAD_INTEGERS)
def test_integer_query_and_form_parameters_never_500(client, people, plan, lead, value):
    client.force_login(people["coordinator"])
    assert client.get(f"/ke-hoach/{plan.pk}/nhiem-vu/", {"agency": value}).status_code == 200
    assert client.get(f"/chi-tieu/ke-hoach/{plan.pk}/them/", {"nhiem-vu": value}).status_code == 200
    assert client.post("/nhac-viec/cai-dat/", {"digest_hour": value}).status_code == 400
    assert client.post("/nhac-viec/lich-nhac/", {"before_days": "7", "overdue_every": value}).status_code == 400
    task = lead.task
    assert client.post(f"/nhiem-vu/{task.pk}/dieu-chinh/", {"version": value, "text": "x"}).status_code == 302
    assert client.post(f"/nhiem-vu/{task.pk}/co-quan/", {"agency": value, "role": "lead"}).status_code == 302
    client.force_login(people["lead_head"])
    assert client.post(f"/giao-viec/{lead.pk}/phan-cong/", {"person": value}).status_code == 302
    assert client.post(f"/giao-viec/{lead.pk}/bao-cao/", {"text": "ok", "percent": value}).status_code == 302
    assert not Update.objects.exists()


def test_draft_review_version_parameter(client, users, orgs):
    draft = plan_actions.import_structure(make_structure(), user=users[Role.COORDINATOR])
    task = draft.tasks.first()
    client.force_login(users[Role.COORDINATOR])
    for value in ("²", "99999999999999999999"):
        form = {"version": value, "text": task.text, "lead_names": "Sở Y tế", "coordinating_names": "",
                "deadline_date": "", "deadline_text": "", "recurrence": "", "expected_output": ""}
        assert client.post(f"/ke-hoach/{draft.pk}/ra-soat/{task.pk}/", form, HTTP_HX_REQUEST="true").status_code in (400, 409)
        assert client.post(f"/ke-hoach/{draft.pk}/ra-soat/{task.pk}/gop/", {"version": value}).status_code == 302


@pytest.mark.parametrize("url", ["/ke-hoach/99999999999999999999/", "/giao-viec/9223372036854775808/",
                                 "/minh-chung/99999999999999999999/"])
def test_ids_past_bigint_in_a_page_url_are_404(client, users, url):
    client.force_login(users[Role.COORDINATOR])
    assert client.get(url).status_code == 404


LISTS = ["/api/v1/agencies", "/api/v1/plans", "/api/v1/plans/{plan}/tasks", "/api/v1/me/assignments",
         "/api/v1/plans/{plan}/reports", "/api/v1/plans/{plan}/targets", "/api/v1/me/calendar-tokens",
         "/api/v1/rankings", "/api/v1/tasks/{task}/history"]


@pytest.mark.parametrize("path", LISTS)
def test_one_paging_rule_for_every_api_list(client, plan, lead, bearer, path):
    url = path.format(plan=plan.pk, task=lead.task_id)
    auth = bearer("lead_focal") if "me/" in path else bearer("coordinator")
    too_big = client.get(url, {"page_size": 201}, **auth)
    assert too_big.status_code == 422 and "page_size không được lớn hơn 200" in too_big.json()["message"]
    assert client.get(url, {"page": 0}, **auth).status_code == 422
    assert client.get(url, {"page": "²"}, **auth).status_code == 422
    first = client.get(url, **auth).json()
    past = client.get(url, {"page": 9223372036854775807, "page_size": 200}, **auth)
    assert past.status_code == 200 and past.json() == {**({k: v for k, v in first.items() if k != "items"}), "items": []}


def test_ids_past_bigint_in_the_api_are_404(client, bearer):
    auth = bearer("coordinator")
    assert client.get("/api/v1/plans/99999999999999999999", **auth).status_code == 404
    assert client.get("/api/v1/plans", {"page": 1}, **auth).status_code == 200
    assert client.get("/api/v1/periods", {"plan": "99999999999999999999"}, **auth).status_code in (404, 422)


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "a\udfffb"])
def test_nul_bytes_and_lone_surrogates_in_json_are_400(client, lead, bearer, bad):
    body = json.dumps({"text": f"Đã triển khai{bad}", "percent": 10})  # \u escapes, as a client sends them
    response = client.post(f"/api/v1/assignments/{lead.pk}/updates", body, content_type="application/json",
                           **bearer("lead_focal"))
    assert response.status_code == 400 and "ký tự không hợp lệ" in response.json()["detail"]
    assert not Update.objects.exists()


def test_nul_bytes_in_forms_and_query_strings_are_400(client, people, lead, plan):
    client.force_login(people["lead_focal"])
    response = client.post(f"/giao-viec/{lead.pk}/bao-cao/", {"text": "Đã triển khai\x00"})
    assert response.status_code == 400 and "ký tự không hợp lệ" in response.content.decode()
    assert client.get(f"/ke-hoach/{plan.pk}/nhiem-vu/", {"q": "so\x00"}).status_code == 400
    multipart = client.post(f"/giao-viec/{lead.pk}/bao-cao/",
                            {"text": "a\x00", "files": SimpleUploadedFile("a.pdf", PDF, "application/pdf")})
    assert multipart.status_code == 400
    assert not Update.objects.exists()


def test_long_texts_are_refused_by_the_form_the_api_and_the_database(client, people, lead, bearer):
    long = "x" * 20_001
    client.force_login(people["lead_focal"])
    client.post(f"/giao-viec/{lead.pk}/bao-cao/", {"text": long})
    api = client.post(f"/api/v1/assignments/{lead.pk}/updates", json.dumps({"text": long}),
                      content_type="application/json", **bearer("lead_focal"))
    assert api.status_code == 400
    multipart = client.post(f"/api/v1/assignments/{lead.pk}/updates", {"text": "ok", "difficulties": long},
                            **bearer("lead_focal"))
    assert multipart.status_code == 400 and "dài quá 20.000 ký tự" in multipart.json()["detail"]
    assert not Update.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Update.objects.create(assignment=lead, author=people["lead_focal"], text=long)
    ok = client.post(f"/api/v1/assignments/{lead.pk}/updates", json.dumps({"text": "x" * 20_000}),
                     content_type="application/json", **bearer("lead_focal"))
    assert ok.status_code == 201


def test_an_import_that_found_no_task_refuses_to_publish(client, users, orgs):
    empty = plan_actions.import_structure(make_structure(assignments=[], sections=[]), user=users[Role.COORDINATOR])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {account_actions.do_create_token(users[Role.COORDINATOR])[1]}"}
    response = client.post(f"/api/v1/plans/{empty.pk}/publish", **auth)
    assert response.status_code == 409 and "không có nhiệm vụ nào" in response.json()["detail"]
    empty.refresh_from_db()
    assert empty.status == "draft"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


def _post_files(client, lead, auth, *files):
    return client.post(f"/api/v1/assignments/{lead.pk}/updates", {"text": "Có minh chứng", "files": list(files)}, **auth)


@pytest.mark.parametrize("name,data,accepted", [
    ("bao-cao.pdf", PDF, True),
    ("bao-cao.docx", _zip(DOCX), True),
    ("minh-chung.zip", _zip({"a.pdf": PDF, "b.docx": _zip(DOCX)}), True),
    ("bao-cao.docx", _zip({**DOCX, "word/setup.exe": b"MZ\x90\x00rest"}), False),
    ("bao-cao.docx", _zip({**DOCX, "word/media/x.bin": b"MZ\x90\x00 renamed"}), False),
    ("minh-chung.zip", _zip({"a.pdf": PDF, "run.sh": b"echo"}), False),
    ("minh-chung.zip", _zip({"a.txt": b"plain text"}), False),
    ("minh-chung.zip", _zip({"inner.zip": _zip({"a.pdf": PDF})}), False),
    ("bao-cao.pdf", b"MZ\x90\x00 not a pdf", False),
])
def test_evidence_types_by_content(client, lead, bearer, name, data, accepted):
    response = _post_files(client, lead, bearer("lead_focal"), SimpleUploadedFile(name, data))
    assert response.status_code == (201 if accepted else 400), response.content
    assert Evidence.objects.count() == (1 if accepted else 0)


def test_an_evidence_zip_bomb_is_refused_before_it_is_inflated(client, lead, bearer):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros in ~60 KB
    response = _post_files(client, lead, bearer("lead_focal"), SimpleUploadedFile("bom.docx", buf.getvalue()))
    assert response.status_code == 400 and "giải nén" in response.json()["detail"]


def test_evidence_limits_per_request(client, lead, bearer, settings):
    settings.EVIDENCE_MAX_FILES, settings.EVIDENCE_MAX_REQUEST_MB = 3, 1
    auth = bearer("lead_focal")
    many = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(4)]
    assert "tối đa 3 tệp" in _post_files(client, lead, auth, *many).json()["detail"]
    heavy = [SimpleUploadedFile(f"{i}.pdf", PDF + b"0" * 400_000) for i in range(3)]
    response = _post_files(client, lead, auth, *heavy)
    assert response.status_code == 400 and "Tổng dung lượng" in response.json()["detail"]
    assert not Update.objects.exists() and not Evidence.objects.exists()


def test_an_evidence_file_missing_from_the_disk_is_404_not_500(client, people, lead):
    from dondoc.tracking import actions

    update = actions.do_post_update(lead, people["lead_focal"], text="Có minh chứng",
                                    files=[SimpleUploadedFile("bien-ban.pdf", PDF)])
    evidence = update.evidence.get()
    evidence.file.storage.delete(evidence.file.name)  # a database restored without the media folder
    client.force_login(people["lead_focal"])
    assert client.get(f"/minh-chung/{evidence.pk}/").status_code == 404
