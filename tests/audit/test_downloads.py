"""What leaves the system is audited: reports, evidence files and exports, each download one event."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.audit.models import Event
from dondoc.reports import actions as report_actions
from dondoc.tracking import actions
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _downloads():
    return list(Event.objects.filter(action="file.downloaded").order_by("id")
                .values_list("actor_name", "object_type", "changes__kind"))


def test_each_download_leaves_an_event(client, people, plan, lead):
    update = actions.do_post_update(lead, people["lead_focal"], text="Có minh chứng",
                                    files=[SimpleUploadedFile("bien-ban.pdf", PDF)])
    report = report_actions.do_create_report(plan, people["lead_focal"], period="2024-Q3")
    client.force_login(people["lead_focal"])
    assert client.get(f"/minh-chung/{update.evidence.get().pk}/").status_code == 200
    assert client.get(f"/bao-cao/{report.pk}/bao-cao.docx").status_code == 200
    client.force_login(people["coordinator"])
    assert client.get(f"/ke-hoach/{plan.pk}/danh-muc.xlsx").status_code == 200
    assert client.get(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop.xlsx", {"ky": "2024-Q3"}).status_code == 200
    assert client.get("/tong-hop/xep-hang.xlsx").status_code == 200
    got = _downloads()
    assert ("syt.cb", "tracking.evidence", "evidence") in got and ("syt.cb", "reports.agencyreport", "docx") in got
    assert ("th", "plans.plan", "tasks.xlsx") in got and ("th", "plans.plan", "xlsx") in got
    assert ("th", "", "ranking.xlsx") in got
    assert Event.objects.filter(action="file.downloaded", changes__file="bien-ban.pdf").count() == 1


def test_api_downloads_are_audited_too(client, people, plan):
    from dondoc.accounts.actions import do_create_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_token(people['coordinator'])[1]}"}
    assert client.get(f"/api/v1/plans/{plan.pk}/tasks.xlsx", **auth).status_code == 200
    assert client.get(f"/api/v1/plans/{plan.pk}/consolidated.xlsx", {"period": "2024-Q3"}, **auth).status_code == 200
    assert [k for *_, k in _downloads()] == ["tasks.xlsx", "xlsx"]
