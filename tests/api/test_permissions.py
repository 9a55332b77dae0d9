"""The API's permission table: every operation × every kind of person, with a bearer token as an API client has.

Expected answers come from the rules in plans/access.py, tracking/access.py, reports/access.py, targets/access.py
and the notify actions: 200/201/202/204 for who may, 403 for a role that may not, 404 for another agency's object
or a draft outside the drafting roles, 401 without a token. For a write, the first person allowed does it; the
others allowed may then meet a state that no longer allows it (409), never a refusal of their role."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from dondoc.accounts import actions as account_actions
from dondoc.audit.models import Event
from dondoc.plans import actions as plan_actions
from dondoc.plans.models import Job, JobState
from dondoc.reports import actions as report_actions
from dondoc.targets.actions import do_add_target
from dondoc.tracking import actions
from tests.plans.conftest import make_structure
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)

ROLES = ["admin", "leader", "coordinator", "viewer", "lead_head", "lead_focal", "partner_head", "partner_focal",
         "other_head", "other_focal", "anonymous"]
OVERSIGHT = {"admin", "leader", "coordinator", "viewer"}
COORD = {"admin", "coordinator"}
LEAD = {"lead_head", "lead_focal"}  # Sở Y tế: leads 1.1#1, its report
PARTNER = {"partner_head", "partner_focal"}  # Sở Tài chính: coordinates 1.1#1
OTHER = {"other_head", "other_focal"}  # Sở Công Thương
AGENCY = LEAD | PARTNER | OTHER
EVERYONE = OVERSIGHT | AGENCY


def expect(ok=(), forbidden=(), hidden=()):
    table = {role: "ok" if role in ok else 403 if role in forbidden else 404 if role in hidden else None for role in ROLES}
    table["anonymous"] = 401
    assert None not in table.values(), table
    return table


def _ended_agency(c):
    """An agency that ended the day before (the demo clock's), Sở Tài chính its successor."""
    from dondoc.orgs.models import Agency, Succession

    old = Agency.objects.create(code="so-cu", name="Sở Cũ", valid_to=dt.date(2024, 9, 14))
    Succession.objects.create(predecessor=old, successor=Agency.objects.get(code="stc"), date=dt.date(2024, 9, 15))
    return old


def _failed_job(c):
    return Job.objects.create(created_by=c["people"]["coordinator"], upload_name="x.txt", state=JobState.FAILED,
                              error="Lỗi khi xử lý tệp")


def _claim(c):
    return actions.do_claim(c["lead"], c["people"]["lead_head"], completed_on=dt.date(2024, 9, 10))


def _extension(c):
    return actions.do_request_extension(c["lead"], c["people"]["lead_head"], new_deadline=dt.date(2024, 12, 1),
                                        reason="Chờ vốn")


def _report(state):
    def make(c):
        p = c["people"]
        report = report_actions.do_create_report(c["plan"], p["lead_focal"], period="2024")
        for step, who in (("submit", "lead_focal"), ("approve", "lead_head"))[:["draft", "submitted", "approved"].index(state)]:
            report = getattr(report_actions, f"do_{step}")(report, p[who])
        return report
    return make


def _spare_token(c):
    return account_actions.do_create_token(c["people"]["admin"], name="dự phòng")[0]


def _direction(c):
    return actions.do_give_direction(c["lead"].task, c["people"]["leader"], text="Khẩn trương hoàn thành")


def _target(c):
    return do_add_target(c["lead"].task, c["people"]["coordinator"], op=">=", value="10", unit="km", text="Cáp quang")


def _calendar_token(c):
    from dondoc.notify import calendar

    return calendar.do_create_token(c["people"]["admin"], "personal")[0]


# (url name, variant) -> (method, prepare(ctx) -> obj or None, url(ctx, obj), body(ctx, obj) or None, ok status, table)
OPS = {
    ("list_agencies", ""): ("get", None, lambda c, o: "/api/v1/agencies?q=so", None, 200, expect(ok=EVERYONE)),
    ("handover_proposal", ""): ("get", _ended_agency, lambda c, o: f"/api/v1/agencies/{o.pk}/handover", None, 200,
                                expect(ok=COORD, forbidden=EVERYONE - COORD)),
    ("apply_handover", ""): ("post", _ended_agency, lambda c, o: f"/api/v1/agencies/{o.pk}/handover",
                             lambda c, o: {"accounts": "keep"}, 201, expect(ok=COORD, forbidden=EVERYONE - COORD)),
    ("plan_summary", ""): ("get", None, lambda c, o: f"/api/v1/plans/{c['plan'].pk}/summary", None, 200,
                           expect(ok=OVERSIGHT, forbidden=AGENCY)),
    ("province_summary", ""): ("get", None, lambda c, o: "/api/v1/summary", None, 200, expect(ok=OVERSIGHT, forbidden=AGENCY)),
    ("rankings", ""): ("get", None, lambda c, o: "/api/v1/rankings", None, 200, expect(ok=EVERYONE)),
    ("reminder_schedule", ""): ("get", None, lambda c, o: "/api/v1/reminders/schedule", None, 200, expect(ok=EVERYONE)),
    ("set_reminder_schedule", ""): ("put", None, lambda c, o: "/api/v1/reminders/schedule", lambda c, o: {"overdue_every": 5},
                                    200, expect(ok=COORD, forbidden=(OVERSIGHT - COORD) | AGENCY)),
    ("notification_settings", ""): ("get", None, lambda c, o: "/api/v1/me/notification-settings", None, 200,
                                    expect(ok=EVERYONE)),
    ("set_notification_settings", ""): ("put", None, lambda c, o: "/api/v1/me/notification-settings",
                                        lambda c, o: {"digest_hour": 8}, 200, expect(ok=EVERYONE)),
    ("list_calendar_tokens", ""): ("get", None, lambda c, o: "/api/v1/me/calendar-tokens", None, 200, expect(ok=EVERYONE)),
    ("create_calendar_token", ""): ("post", None, lambda c, o: "/api/v1/me/calendar-tokens", lambda c, o: {"scope": "personal"},
                                    201, expect(ok=EVERYONE)),
    ("revoke_calendar_token", "another's"): ("delete", _calendar_token, lambda c, o: f"/api/v1/me/calendar-tokens/{o.pk}",
                                             None, 204, expect(ok={"admin"}, hidden=EVERYONE - {"admin"})),
    ("list_plans", ""): ("get", None, lambda c, o: "/api/v1/plans", None, 200, expect(ok=EVERYONE)),
    ("get_plan", ""): ("get", None, lambda c, o: f"/api/v1/plans/{c['plan'].pk}", None, 200, expect(ok=EVERYONE)),
    ("get_plan", "draft"): ("get", None, lambda c, o: f"/api/v1/plans/{c['draft'].pk}", None, 200,
                            expect(ok=COORD, hidden=EVERYONE - COORD)),
    ("list_tasks", ""): ("get", None, lambda c, o: f"/api/v1/plans/{c['plan'].pk}/tasks", None, 200, expect(ok=EVERYONE)),
    ("list_tasks", "draft"): ("get", None, lambda c, o: f"/api/v1/plans/{c['draft'].pk}/tasks", None, 200,
                              expect(ok=COORD, hidden=EVERYONE - COORD)),
    ("import_plan", ""): ("multipart", None, lambda c, o: "/api/v1/plans/import",
                          lambda c, o: {"file": SimpleUploadedFile("ke-hoach.txt", "KẾ HOẠCH\nThực hiện\n".encode())},
                          202, expect(ok=COORD, forbidden=EVERYONE - COORD)),
    ("get_job", ""): ("get", None, lambda c, o: f"/api/v1/jobs/{c['job'].pk}", None, 200,
                      expect(ok=COORD, forbidden=EVERYONE - COORD)),
    ("restart_job", ""): ("post", _failed_job, lambda c, o: f"/api/v1/jobs/{o.pk}/restart", None, 202,
                          expect(ok=COORD, forbidden=EVERYONE - COORD)),
    ("publish_plan", ""): ("post", None, lambda c, o: f"/api/v1/plans/{c['draft'].pk}/publish", None, 200,
                           expect(ok=COORD, forbidden=EVERYONE - COORD)),
    ("tasks_xlsx", ""): ("get", None, lambda c, o: f"/api/v1/plans/{c['plan'].pk}/tasks.xlsx", None, 200, expect(ok=EVERYONE)),
    ("tasks_xlsx", "draft"): ("get", None, lambda c, o: f"/api/v1/plans/{c['draft'].pk}/tasks.xlsx", None, 200,
                              expect(ok=COORD, hidden=EVERYONE - COORD)),
    ("list_reports", ""): ("get", None, lambda c, o: f"/api/v1/plans/{c['plan'].pk}/reports", None, 200, expect(ok=EVERYONE)),
    ("list_reports", "draft plan"): ("get", None, lambda c, o: f"/api/v1/plans/{c['draft'].pk}/reports", None, 200,
                                     expect(hidden=EVERYONE)),
    ("create_report", ""): ("post", None, lambda c, o: f"/api/v1/plans/{c['plan'].pk}/reports",
                            lambda c, o: {"period": "2024-Q4"}, 201, expect(ok=AGENCY, forbidden=OVERSIGHT)),
    ("get_report", ""): ("get", _report("draft"), lambda c, o: f"/api/v1/reports/{o.pk}", None, 200,
                         expect(ok=OVERSIGHT | LEAD, hidden=PARTNER | OTHER)),
    ("edit_report", ""): ("put", _report("draft"), lambda c, o: f"/api/v1/reports/{o.pk}",
                          lambda c, o: {"version": o.version, "summary": "Sửa qua API"}, 200,
                          expect(ok=LEAD, forbidden=OVERSIGHT, hidden=PARTNER | OTHER)),
    ("submit_report", ""): ("post", _report("draft"), lambda c, o: f"/api/v1/reports/{o.pk}/submit", None, 200,
                            expect(ok=LEAD, forbidden=OVERSIGHT, hidden=PARTNER | OTHER)),
    ("approve_report", ""): ("post", _report("submitted"), lambda c, o: f"/api/v1/reports/{o.pk}/approve", None, 200,
                             expect(ok={"lead_head"}, forbidden=OVERSIGHT | {"lead_focal"}, hidden=PARTNER | OTHER)),
    ("accept_report", ""): ("post", _report("approved"), lambda c, o: f"/api/v1/reports/{o.pk}/accept", None, 200,
                            expect(ok=COORD, forbidden={"leader", "viewer"} | LEAD, hidden=PARTNER | OTHER)),
    ("return_report", ""): ("post", _report("approved"), lambda c, o: f"/api/v1/reports/{o.pk}/return",
                            lambda c, o: {"reason": "Thiếu số liệu"}, 200,
                            # the head returns only what waits for the head: 409 once it went on (a state, not a role)
                            expect(ok=COORD | {"lead_head"}, forbidden={"leader", "viewer", "lead_focal"},
                                   hidden=PARTNER | OTHER)),
    ("report_docx", ""): ("get", _report("draft"), lambda c, o: f"/api/v1/reports/{o.pk}/report.docx", None, 200,
                          expect(ok=OVERSIGHT | LEAD, hidden=PARTNER | OTHER)),
    ("consolidated_docx", ""): ("get", None, lambda c, o: f"/api/v1/plans/{c['plan'].pk}/consolidated.docx?period=2024",
                                None, 200, expect(ok=OVERSIGHT, forbidden=AGENCY)),
    ("consolidated_xlsx", ""): ("get", None, lambda c, o: f"/api/v1/plans/{c['plan'].pk}/consolidated.xlsx?period=2024",
                                None, 200, expect(ok=OVERSIGHT, forbidden=AGENCY)),
    ("list_plan_targets", ""): ("get", _target, lambda c, o: f"/api/v1/plans/{c['plan'].pk}/targets", None, 200,
                                expect(ok=EVERYONE)),
    ("get_target", ""): ("get", _target, lambda c, o: f"/api/v1/targets/{o.pk}", None, 200,
                         expect(ok=OVERSIGHT | LEAD | PARTNER, hidden=OTHER)),
    ("list_actuals", ""): ("get", _target, lambda c, o: f"/api/v1/targets/{o.pk}/actuals", None, 200,
                           expect(ok=OVERSIGHT | LEAD | PARTNER, hidden=OTHER)),
    ("post_actual", ""): ("post", _target, lambda c, o: f"/api/v1/targets/{o.pk}/actuals",
                          lambda c, o: {"period": "2024-Q3", "value": 5, "unit": "km"}, 201,
                          expect(ok=LEAD, forbidden=OVERSIGHT | PARTNER, hidden=OTHER)),
    ("my_assignments", ""): ("get", None, lambda c, o: "/api/v1/me/assignments", None, 200, expect(ok=EVERYONE)),
    ("list_directions", ""): ("get", None, lambda c, o: f"/api/v1/assignments/{c['lead'].pk}/directions", None, 200,
                              expect(ok=OVERSIGHT | LEAD, hidden=PARTNER | OTHER)),
    ("give_direction", ""): ("post", None, lambda c, o: f"/api/v1/assignments/{c['lead'].pk}/directions",
                             lambda c, o: {"text": "Báo cáo trước thứ Sáu"}, 201,
                             expect(ok={"admin", "leader"}, forbidden={"coordinator", "viewer"} | LEAD,
                                    hidden=PARTNER | OTHER)),
    # To every agency of the task: the partner acknowledges it too; the oversight roles see it, acknowledge nothing.
    ("acknowledge", ""): ("post", _direction, lambda c, o: f"/api/v1/directions/{o.pk}/acknowledge", lambda c, o: {}, 200,
                          expect(ok=LEAD | PARTNER, forbidden=OVERSIGHT, hidden=OTHER)),
    # One's own tokens: everyone (tests/api/test_tokens.py shows no one reaches another's).
    ("list_api_tokens", ""): ("get", None, lambda c, o: "/api/v1/me/api-tokens", None, 200, expect(ok=EVERYONE)),
    ("create_api_token", ""): ("post", None, lambda c, o: "/api/v1/me/api-tokens", lambda c, o: {"name": "IOC"}, 201,
                               expect(ok=EVERYONE)),
    # The admin's spare token: its owner revokes it; to anyone else it does not exist (the admin site is where an
    # administrator revokes another's).
    ("revoke_api_token", ""): ("delete", _spare_token, lambda c, o: f"/api/v1/me/api-tokens/{o.pk}", None, 204,
                               expect(ok={"admin"}, hidden=EVERYONE - {"admin"})),
    # Everyone may list; what each sees is the pages' visibility (tests/api/test_assignment_list.py).
    ("list_assignments", ""): ("get", None, lambda c, o: "/api/v1/assignments", None, 200, expect(ok=EVERYONE)),
    # A published plan's tasks are everyone's (tests/api/test_task_list.py); a status is read over the reader's own
    # agency's tasks, another agency's statuses answer 403 to an agency's people.
    ("list_all_tasks", ""): ("get", None, lambda c, o: "/api/v1/tasks", None, 200, expect(ok=EVERYONE)),
    ("list_all_tasks", "another agency's statuses"): (
        "get", None, lambda c, o: f"/api/v1/tasks?status=overdue&agency={c['lead'].agency_id}", None, 200,
        expect(ok=OVERSIGHT | LEAD, forbidden=PARTNER | OTHER)),
    ("get_assignment", ""): ("get", None, lambda c, o: f"/api/v1/assignments/{c['lead'].pk}", None, 200,
                             expect(ok=OVERSIGHT | LEAD, hidden=PARTNER | OTHER)),
    ("post_update", ""): ("post", None, lambda c, o: f"/api/v1/assignments/{c['lead'].pk}/updates",
                          lambda c, o: {"text": "Tiến độ qua API"}, 201,
                          expect(ok=LEAD, forbidden=OVERSIGHT, hidden=PARTNER | OTHER)),
    ("post_update", "partner"): ("post", None, lambda c, o: f"/api/v1/assignments/{c['partner'].pk}/updates",
                                 lambda c, o: {"text": "Phối hợp"}, 201,
                                 expect(ok=PARTNER, forbidden=OVERSIGHT, hidden=LEAD | OTHER)),
    ("claim", ""): ("post", None, lambda c, o: f"/api/v1/assignments/{c['lead'].pk}/claim",
                    lambda c, o: {"completed_on": "2024-09-10"}, 201,
                    expect(ok=LEAD, forbidden=OVERSIGHT, hidden=PARTNER | OTHER)),
    ("claim", "partner"): ("post", None, lambda c, o: f"/api/v1/assignments/{c['partner'].pk}/claim",
                           lambda c, o: {"completed_on": "2024-09-10"}, 201,
                           expect(forbidden=OVERSIGHT | PARTNER, hidden=LEAD | OTHER)),
    ("confirm", ""): ("post", _claim, lambda c, o: f"/api/v1/assignments/{c['lead'].pk}/confirm", None, 200,
                      expect(ok=COORD, forbidden={"leader", "viewer"} | LEAD, hidden=PARTNER | OTHER)),
    ("return_claim", ""): ("post", _claim, lambda c, o: f"/api/v1/assignments/{c['lead'].pk}/return",
                           lambda c, o: {"reason": "Thiếu văn bản"}, 200,
                           expect(ok=COORD, forbidden={"leader", "viewer"} | LEAD, hidden=PARTNER | OTHER)),
    ("request_extension", ""): ("post", None, lambda c, o: f"/api/v1/assignments/{c['lead'].pk}/extensions",
                                lambda c, o: {"new_deadline": "2024-11-30", "reason": "Chờ vốn"}, 201,
                                expect(ok=LEAD, forbidden=OVERSIGHT, hidden=PARTNER | OTHER)),
    ("decide", ""): ("post", _extension, lambda c, o: f"/api/v1/extensions/{o.pk}/decide", lambda c, o: {"approve": True},
                     200, expect(ok=COORD | {"leader"}, forbidden={"viewer"} | LEAD, hidden=PARTNER | OTHER)),
    ("history", ""): ("get", None, lambda c, o: f"/api/v1/tasks/{c['lead'].task_id}/history", None, 200,
                      expect(ok=OVERSIGHT | LEAD | PARTNER, hidden=OTHER)),
    ("history", "draft"): ("get", None, lambda c, o: f"/api/v1/tasks/{c['draft'].tasks.first().pk}/history", None, 200,
                           expect(ok=COORD, hidden=EVERYONE - COORD)),
    ("list_periods", ""): ("get", None, lambda c, o: "/api/v1/periods?kind=quarterly&year=2024", None, 200,
                           expect(ok=EVERYONE)),
}
NOT_OPERATIONS = {"api-root", "openapi-json", "openapi-view"}


def _api_names():
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            for p in entry.url_patterns:
                if isinstance(p, URLPattern) and p.name:
                    yield p.name


def test_every_api_operation_is_in_the_table():
    names = set(_api_names()) - NOT_OPERATIONS
    assert names, "no API operation found"
    missing = names - {name for name, _ in OPS}
    assert not missing, f"add these API operations to OPS with who may call them: {sorted(missing)}"


@pytest.fixture
def ctx(people, plan, lead, partner):
    draft = plan_actions.import_structure(make_structure(document={"number": "13/KH-UBND", "date": "2024-06-01"}),
                                          user=people["coordinator"])
    job = Job.objects.create(created_by=people["coordinator"], upload_name="x.txt")
    tokens = {role: account_actions.do_create_token(people[role])[1] for role in people}
    return {"people": people, "plan": plan, "lead": lead, "partner": partner, "draft": draft, "job": job, "tokens": tokens}


def _call(client, method, url, body, token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(url, **headers)
    if method == "multipart":
        return client.post(url, body or {}, **headers)
    return getattr(client, method)(url, body or {}, content_type="application/json", **headers)


@pytest.mark.parametrize("key", sorted(OPS), ids=lambda k: f"{k[0]}{'-' + k[1] if k[1] else ''}".replace(" ", "_"))
def test_each_role(client, ctx, key):
    method, prepare, url, body, ok_status, table = OPS[key]
    obj = prepare(ctx) if prepare else None
    # Refused roles first (nothing may change), then the roles allowed; anonymous last.
    order = sorted(ROLES, key=lambda r: (table[r] == "ok", r == "anonymous"))
    done = False
    for role in order:
        token = ctx["tokens"].get(role)
        response = _call(client, method, url(ctx, obj), body(ctx, obj) if body else None, token)
        expected = table[role]
        got = response.status_code
        if expected != "ok":
            assert got == expected, f"{role} {method.upper()} {url(ctx, obj)}: {got} {response.content[:200]!r}"
            if expected == 403:
                assert response.json()["detail"], "a refusal says why, in Vietnamese"
                assert Event.objects.filter(action="access.refused", actor=ctx["people"][role]).exists(), \
                    f"{role}'s refusal left no audit event"
        elif not done:
            assert got == ok_status, f"{role} {method.upper()} {url(ctx, obj)}: {got} {response.content[:200]!r}"
            done = True
        else:  # an allowed role after the first: its role is never refused, the state may be (409)
            assert got in (ok_status, 409), f"{role} {method.upper()} {url(ctx, obj)}: {got} {response.content[:200]!r}"
