from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from dondoc.accounts import actions as account_actions
from dondoc.accounts.roles import Role
from dondoc.plans import actions
from tests.plans.conftest import make_structure

PLAN78 = Path(__file__).resolve().parents[1] / "fixtures" / "plan78" / "source.txt"


@pytest.fixture
def auth(users):
    _, raw = account_actions.do_create_token(users[Role.COORDINATOR])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def published(users, orgs):
    return actions.do_publish_plan(actions.import_structure(make_structure(), user=users[Role.COORDINATOR]))


def test_list_plans(client, auth, published):
    body = client.get("/api/v1/plans", **auth).json()
    assert body["count"] == 1
    assert body["items"][0] == {"id": published.pk, "number": "12/KH-UBND", "title": "Thực hiện chuyển đổi số năm 2024",
                                "date": "2024-05-06", "status": "published", "task_count": 8}


def test_plan_detail_with_sections(client, auth, published):
    body = client.get(f"/api/v1/plans/{published.pk}", **auth).json()
    assert [s["ref"] for s in body["sections"]] == ["II", "1", "III"]
    assert body["sections"][1]["parent"] == "II"
    assert body["coordinating_agency"]["name"] == "Sở Kế hoạch và Đầu tư"
    assert body["agency_report_date"] == "2024-12-10"


def test_tasks_with_filters(client, auth, published, orgs):
    body = client.get(f"/api/v1/plans/{published.pk}/tasks?q=benh an", **auth).json()
    assert body["count"] == 1
    task = body["items"][0]
    assert task["ref"] == "1.1#1" and task["section"] == "1"
    assert task["deadline"] == {"date": "2024-09-30", "text": "trước ngày 30/9/2024", "recurrence": None, "basis": "own"}
    roles = {(a["agency"]["name"], a["role"]) for a in task["assignments"]}
    assert roles == {("Sở Y tế", "lead"), ("Sở Tài chính", "coordinating")}
    by_agency = client.get(f"/api/v1/plans/{published.pk}/tasks?agency={orgs['ubnd-nahang'].pk}", **auth).json()
    assert {t["ref"] for t in by_agency["items"]} == {"1.2#1", "1.2#2"}
    page = client.get(f"/api/v1/plans/{published.pk}/tasks?page_size=3&page=3", **auth).json()
    assert page["count"] == 8 and [t["ref"] for t in page["items"]] == ["III.2#2", "III.1#1"]


def test_a_task_without_a_printed_day_has_its_due_date_and_basis(client, auth, published):
    """Issue 17: `deadline.date` was null where the page shows the plan's report date."""
    items = {t["ref"]: t["deadline"] for t in client.get(f"/api/v1/plans/{published.pk}/tasks?page_size=50", **auth).json()["items"]}
    # 1.2#1 prints no deadline: due with the plan's report (10/12/2024); 1.1#2 is quarterly.
    assert items["1.2#1"] == {"date": "2024-12-10", "text": "", "recurrence": None, "basis": "plan_report_date"}
    assert items["1.1#2"] == {"date": None, "text": "hằng quý", "recurrence": "quarterly", "basis": "recurring"}


def test_draft_is_404_for_an_agency(client, users, orgs):
    draft = actions.import_structure(make_structure(), user=users[Role.COORDINATOR])
    _, raw = account_actions.do_create_token(users[Role.FOCAL])
    assert client.get(f"/api/v1/plans/{draft.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_import_job_then_publish(client, auth, orgs):
    upload = SimpleUploadedFile("kh78.txt", PLAN78.read_bytes(), content_type="text/plain")
    response = client.post("/api/v1/plans/import", {"file": upload}, **auth)
    assert response.status_code == 202
    job_id = response.json()["job_id"]
    job = client.get(f"/api/v1/jobs/{job_id}", **auth).json()
    assert job["state"] == "queued" and job["plan_id"] is None
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job = client.get(f"/api/v1/jobs/{job_id}", **auth).json()
    assert job["state"] == "done" and job["progress"] == 100 and job["error"] is None
    published = client.post(f"/api/v1/plans/{job['plan_id']}/publish", **auth)
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = client.post(f"/api/v1/plans/{job['plan_id']}/publish", **auth)
    assert again.status_code == 409


def test_import_refuses_unknown_type_with_400(client, auth):
    upload = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = client.post("/api/v1/plans/import", {"file": upload}, **auth)
    assert response.status_code == 400 and "Định dạng" in response.json()["detail"]


def test_task_list_api_query_count_is_constant(client, auth, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.plans.models import Assignment, Task

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/plans/{published.pk}/tasks?page_size=100", **auth).status_code == 200
        return len(ctx.captured_queries)

    count()  # the first call of a token also records when it was used
    before = count()
    agency = Assignment.objects.filter(task__plan=published).first().agency
    for i in range(20):
        task = Task.objects.create(plan=published, ref=f"9#{i}", order=100 + i, text=f"Nhiệm vụ thêm {i}")
        Assignment.objects.create(task=task, agency=agency, role="lead")
    assert count() == before


def test_task_list_answer_matches_its_declared_schema(client, auth, published):
    """The list is serialised by hand for speed; the declared schema (and so the OpenAPI document) must still hold."""
    from dondoc.api.pagination import Page
    from dondoc.api.plans import TaskOut

    body = client.get(f"/api/v1/plans/{published.pk}/tasks", **auth).json()
    parsed = Page[TaskOut].model_validate(body)
    assert parsed.count == 8 and len(parsed.items) == 8
    assert parsed.model_dump(mode="json") == body  # nothing extra, nothing missing


def test_an_agencys_task_count_follows_a_new_assignment(client, auth, published, orgs):
    """The count of an agency's tasks is memoised under the status version: a new assignment moves it."""
    from dondoc.plans.models import Assignment

    url = f"/api/v1/plans/{published.pk}/tasks"
    agency = orgs["stc"]
    before = client.get(url, {"agency": agency.pk, "page_size": 1}, **auth).json()["count"]
    spare = published.tasks.exclude(assignments__agency=agency).first()
    Assignment.objects.create(task=spare, agency=agency, role="coordinating")
    after = client.get(url, {"agency": agency.pk, "page_size": 1}, **auth).json()
    assert after["count"] == before + 1


def test_an_agencys_task_page_follows_everything_it_shows(client, auth, published, orgs, users):
    """The page of an agency's tasks is memoised under the status version too: the task's text, its section's
    number, an agency's name and the task's assignments each move the version, and the next page shows them."""
    from dondoc.plans.models import Assignment
    from dondoc.tracking import actions as tracking_actions

    url = f"/api/v1/plans/{published.pk}/tasks"
    agency = orgs["syt"]

    def first():
        return client.get(url, {"agency": agency.pk}, **auth).json()["items"][0]

    task = published.tasks.get(pk=first()["id"])
    tracking_actions.do_amend_task(task, users[Role.COORDINATOR], version=task.version, text="Nội dung đã sửa")
    assert first()["text"] == "Nội dung đã sửa"
    section = task.section
    section.ref = "1a"
    section.save()
    assert first()["section"] == "1a"
    partner = orgs["sct"]
    partner.name = "Sở Công Thương tỉnh Tuyên Quang"
    partner.save()
    Assignment.objects.create(task=task, agency=partner, role="coordinating")
    assert {"id": partner.pk, "name": "Sở Công Thương tỉnh Tuyên Quang"} in [a["agency"] for a in first()["assignments"]]

