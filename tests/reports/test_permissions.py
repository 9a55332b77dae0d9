"""The permission matrix of the report pages, actions and API, for every kind of person.

Oversight roles see every agency report and the consolidated report; an agency's people see their own agency's
reports and get 404 on another's; focal point and head write and submit, the head approves or sends back, the
coordinator (and the admin) accepts or returns. `ROUTES` lists every route checked here, for the project-wide table."""

import shutil

import pytest

from dondoc.reports import actions
from dondoc.reports.models import AgencyReport, ReportState

ROLES = ["admin", "leader", "coordinator", "viewer", "lead_head", "lead_focal", "partner_head", "partner_focal",
         "other_head", "other_focal", "anonymous"]
OVERSIGHT = {"admin", "leader", "coordinator", "viewer"}
COORD = {"admin", "coordinator"}
LEAD = {"lead_head", "lead_focal"}  # Sở Y tế, whose report it is
OTHERS = {"partner_head", "partner_focal", "other_head", "other_focal"}  # Sở Tài chính, Sở Công Thương
AGENCY = LEAD | OTHERS


def expect(ok=(), forbidden=(), hidden=(), conflict=()):
    table = {role: "ok" if role in ok else 403 if role in forbidden else 404 if role in hidden else 409 if role in conflict
             else None for role in ROLES}
    table["anonymous"] = "login"
    assert None not in table.values(), table
    return table


@pytest.fixture
def report(people, plan):
    """Sở Y tế's report for 2024, a draft."""
    return actions.do_create_report(plan, people["lead_focal"], period="2024")


def advance(report, people, state):
    steps = [("submit", "lead_focal"), ("approve", "lead_head"), ("accept", "coordinator")]
    order = ["draft", "submitted", "approved", "accepted"]
    for name, who in steps[: order.index(state)]:
        report = getattr(actions, f"do_{name}")(report, people[who])
    return report


# name -> (url(plan, report), table)
PAGES = {
    "reports:index": (lambda p, r: "/bao-cao/", expect(ok=OVERSIGHT | AGENCY)),
    "reports:plan": (lambda p, r: f"/bao-cao/ke-hoach/{p.pk}/?ky=2024", expect(ok=OVERSIGHT | AGENCY)),
    "reports:detail": (lambda p, r: f"/bao-cao/{r.pk}/", expect(ok=OVERSIGHT | LEAD, hidden=OTHERS)),
    "reports:docx": (lambda p, r: f"/bao-cao/{r.pk}/bao-cao.docx", expect(ok=OVERSIGHT | LEAD, hidden=OTHERS)),
    "reports:consolidated": (lambda p, r: f"/bao-cao/ke-hoach/{p.pk}/tong-hop/?ky=2024",
                             expect(ok=OVERSIGHT, forbidden=AGENCY)),
    "reports:consolidated_docx": (lambda p, r: f"/bao-cao/ke-hoach/{p.pk}/tong-hop.docx?ky=2024",
                                  expect(ok=OVERSIGHT, forbidden=AGENCY)),
    "reports:consolidated_xlsx": (lambda p, r: f"/bao-cao/ke-hoach/{p.pk}/tong-hop.xlsx?ky=2024",
                                  expect(ok=OVERSIGHT, forbidden=AGENCY)),
    "api:list_reports": (lambda p, r: f"/api/v1/plans/{p.pk}/reports", expect(ok=OVERSIGHT | AGENCY)),
    "api:get_report": (lambda p, r: f"/api/v1/reports/{r.pk}", expect(ok=OVERSIGHT | LEAD, hidden=OTHERS)),
    "api:report_docx": (lambda p, r: f"/api/v1/reports/{r.pk}/report.docx", expect(ok=OVERSIGHT | LEAD, hidden=OTHERS)),
    "api:consolidated_docx": (lambda p, r: f"/api/v1/plans/{p.pk}/consolidated.docx?period=2024",
                              expect(ok=OVERSIGHT, forbidden=AGENCY)),
    "api:consolidated_xlsx": (lambda p, r: f"/api/v1/plans/{p.pk}/consolidated.xlsx?period=2024",
                              expect(ok=OVERSIGHT, forbidden=AGENCY)),
}


def _state(r):
    return AgencyReport.objects.get(pk=r.pk).state


# name -> (state before, url(plan, report), data, did_it(report) -> bool, table)
ACTIONS = {
    "reports:create": (None, lambda p, r: f"/bao-cao/ke-hoach/{p.pk}/lap/", {"ky": "2024-Q4"},
                       lambda r: AgencyReport.objects.filter(period="2024-Q4").exists(),
                       expect(ok=AGENCY, forbidden=OVERSIGHT)),
    "reports:edit": ("draft", lambda p, r: f"/bao-cao/{r.pk}/sua/", lambda r: {"version": r.version, "summary": "Đã sửa"},
                     lambda r: AgencyReport.objects.get(pk=r.pk).summary == "Đã sửa",
                     expect(ok=LEAD, forbidden=OVERSIGHT, hidden=OTHERS)),
    "reports:refill": ("draft", lambda p, r: f"/bao-cao/{r.pk}/lay-lai/", lambda r: {"version": r.version},
                       lambda r: AgencyReport.objects.get(pk=r.pk).version > r.version,
                       expect(ok=LEAD, forbidden=OVERSIGHT, hidden=OTHERS)),
    "reports:submit": ("draft", lambda p, r: f"/bao-cao/{r.pk}/gui/", {},
                       lambda r: _state(r) == ReportState.SUBMITTED, expect(ok=LEAD, forbidden=OVERSIGHT, hidden=OTHERS)),
    "reports:approve": ("submitted", lambda p, r: f"/bao-cao/{r.pk}/duyet/", {},
                        lambda r: _state(r) == ReportState.APPROVED,
                        expect(ok={"lead_head"}, forbidden=OVERSIGHT | {"lead_focal"}, hidden=OTHERS)),
    "reports:accept": ("approved", lambda p, r: f"/bao-cao/{r.pk}/tiep-nhan/", {},
                       lambda r: _state(r) == ReportState.ACCEPTED,
                       expect(ok=COORD, forbidden={"leader", "viewer"} | LEAD, hidden=OTHERS)),
    "reports:return": ("approved", lambda p, r: f"/bao-cao/{r.pk}/tra-lai/", {"reason": "Thiếu số liệu"},
                       lambda r: _state(r) == ReportState.RETURNED,
                       # the head may return only what waits for the head: 409 on a report already sent on
                       expect(ok=COORD, forbidden={"leader", "viewer", "lead_focal"}, hidden=OTHERS, conflict={"lead_head"})),
    "api:create_report": (None, lambda p, r: f"/api/v1/plans/{p.pk}/reports", {"period": "2024-Q4"},
                          lambda r: AgencyReport.objects.filter(period="2024-Q4").exists(),
                          expect(ok=AGENCY, forbidden=OVERSIGHT)),
    "api:submit_report": ("draft", lambda p, r: f"/api/v1/reports/{r.pk}/submit", {},
                          lambda r: _state(r) == ReportState.SUBMITTED, expect(ok=LEAD, forbidden=OVERSIGHT, hidden=OTHERS)),
    "api:approve_report": ("submitted", lambda p, r: f"/api/v1/reports/{r.pk}/approve", {},
                           lambda r: _state(r) == ReportState.APPROVED,
                           expect(ok={"lead_head"}, forbidden=OVERSIGHT | {"lead_focal"}, hidden=OTHERS)),
    "api:accept_report": ("approved", lambda p, r: f"/api/v1/reports/{r.pk}/accept", {},
                          lambda r: _state(r) == ReportState.ACCEPTED,
                          expect(ok=COORD, forbidden={"leader", "viewer"} | LEAD, hidden=OTHERS)),
    "api:return_report": ("approved", lambda p, r: f"/api/v1/reports/{r.pk}/return", {"reason": "Thiếu số liệu"},
                          lambda r: _state(r) == ReportState.RETURNED,
                          expect(ok=COORD, forbidden={"leader", "viewer", "lead_focal"}, hidden=OTHERS,
                                 conflict={"lead_head"})),
}

ROUTES = set(PAGES) | set(ACTIONS) | {"reports:consolidated_pdf", "reports:pdf_job", "reports:pdf_file",  # test_pdf.py
                                         "api:edit_report"}


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages(client, people, plan, report, name, role):
    build, table = PAGES[name]
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(build(plan, report))
    expected = table[role]
    if expected == "login":
        if name.startswith("api:"):
            assert response.status_code == 401
        else:
            assert response.status_code == 302 and response.url.startswith("/dang-nhap/")
    else:
        assert response.status_code == (200 if expected == "ok" else expected), f"{role}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_actions(client, people, plan, report, name, role):
    state, url, data, did_it, table = ACTIONS[name]
    if state:
        report = advance(report, people, state)
    if callable(data):
        data = data(report)
    if role != "anonymous":
        client.force_login(people[role])
    if name.startswith("api:"):
        response = client.post(url(plan, report), data, content_type="application/json")
    else:
        response = client.post(url(plan, report), data)
    expected = table[role]
    if expected == "ok":
        assert response.status_code in (200, 201, 302) and did_it(report), f"{role} could not {name}: {response.status_code}"
    else:
        code = (401 if name.startswith("api:") else 302) if expected == "login" else expected
        assert response.status_code == code, f"{role} on {name}: {response.status_code}"
        assert not did_it(report), f"{role} managed to {name}"


@pytest.mark.parametrize("role", ROLES)
def test_api_edit(client, people, report, role):
    table = expect(ok=LEAD, forbidden=OVERSIGHT, hidden=OTHERS)
    if role != "anonymous":
        client.force_login(people[role])
    response = client.put(f"/api/v1/reports/{report.pk}", {"version": report.version, "summary": "Sửa qua API"},
                          content_type="application/json")
    expected = table[role]
    assert response.status_code == {"ok": 200, "login": 401}.get(expected, expected), role
    assert (AgencyReport.objects.get(pk=report.pk).summary == "Sửa qua API") == (expected == "ok")


@pytest.mark.parametrize("name", ["reports:create", "reports:edit", "reports:submit", "reports:approve",
                                  "reports:accept", "reports:return", "reports:refill"])
def test_actions_are_post_only(client, people, plan, report, name):
    client.force_login(people["lead_focal"])
    assert client.get(ACTIONS[name][1](plan, report)).status_code == 405


def test_pdf_is_for_oversight_roles(client, people, plan, report):
    # Asked for by POST and made by a worker (test_pdf.py follows it to the file).
    url = f"/bao-cao/ke-hoach/{plan.pk}/tong-hop.pdf"
    for role in AGENCY:
        client.force_login(people[role])
        assert client.post(url, {"ky": "2024"}).status_code == 403, role
    client.logout()
    assert client.post(url, {"ky": "2024"}).status_code == 302
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
    client.force_login(people["coordinator"])
    response = client.post(url, {"ky": "2024"})
    assert response.status_code == 302 and response.url.startswith("/bao-cao/pdf/")


@pytest.mark.parametrize("url", ["/quan-tri/reports/holiday/", "/quan-tri/reports/holiday/add/",
                                 "/quan-tri/reports/agencyreport/"])
def test_admin_pages(client, people, report, url):
    for role in ROLES[:-1]:
        client.force_login(people[role])
        assert client.get(url).status_code == (200 if role == "admin" else 403), role
