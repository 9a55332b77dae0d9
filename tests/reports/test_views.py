"""The report pages and the API: a focal point lays out, edits and sends a report, the head approves, the coordinator
accepts; an accepted report refuses edits (409, in Vietnamese); user text is escaped; downloads are real files."""

import datetime as dt

import pytest

from dondoc.accounts import actions as account_actions
from dondoc.reports import actions
from dondoc.reports.models import AgencyReport, ReportState

from .conftest import open_docx, open_xlsx

D = dt.date
SCRIPT = '<script>alert("x")</script> & <b>đậm</b>'


@pytest.fixture
def bearer(people):
    def make(role):
        _, raw = account_actions.do_create_token(people[role])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


def test_the_pages_of_the_workflow(client, people, plan, lead, day):
    from dondoc.tracking import actions as tracking

    day(2024, 10, 1)
    tracking.do_post_update(lead, people["lead_focal"], text="Đã triển khai tại 12 bệnh viện", percent=80)
    client.force_login(people["lead_focal"])
    page = client.get(f"/bao-cao/ke-hoach/{plan.pk}/?ky=2024").content.decode()
    assert "Lập báo cáo năm 2024" in page and "Sở Y tế" in page and "Sở Tài chính" not in page  # only its own row
    assert "10/12/2024" in page  # the plan's own deadline
    response = client.post(f"/bao-cao/ke-hoach/{plan.pk}/lap/", {"ky": "2024"})
    report = AgencyReport.objects.get()
    assert response.status_code == 302 and response.url == f"/bao-cao/{report.pk}/"
    page = client.get(response.url).content.decode()
    item = report.items.get(task__ref="1.1#1")
    assert f'name="results-{item.pk}"' in page and "Đã triển khai tại 12 bệnh viện" in page
    response = client.post(f"/bao-cao/{report.pk}/sua/", {"version": report.version, f"results-{item.pk}": SCRIPT,
                                                         "summary": "Đánh giá chung", "and_submit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.summary == "Đánh giá chung"
    page = client.get(f"/bao-cao/{report.pk}/").content.decode()
    assert SCRIPT not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;" in page
    assert "Duyệt, gửi cơ quan tổng hợp" not in page  # the focal point does not approve

    client.force_login(people["lead_head"])
    assert "Duyệt, gửi cơ quan tổng hợp" in client.get(f"/bao-cao/{report.pk}/").content.decode()
    assert client.post(f"/bao-cao/{report.pk}/duyet/").status_code == 302
    client.force_login(people["coordinator"])
    page = client.get(f"/bao-cao/ke-hoach/{plan.pk}/?ky=2024").content.decode()
    assert "Đã gửi cơ quan tổng hợp" in page and "Đã nhận 1/" in page
    assert client.post(f"/bao-cao/{report.pk}/tiep-nhan/").status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED

    client.force_login(people["lead_focal"])
    response = client.post(f"/bao-cao/{report.pk}/sua/", {"version": report.version, "summary": "Sửa sau khi khóa"})
    assert response.status_code == 409
    assert "đã được cơ quan tổng hợp tiếp nhận nên không thể sửa đổi" in response.content.decode()
    assert AgencyReport.objects.get(pk=report.pk).summary == "Đánh giá chung"
    page = client.get(f"/bao-cao/{report.pk}/").content.decode()
    assert "report-form" not in page and "đã khóa" in page

    download = client.get(f"/bao-cao/{report.pk}/bao-cao.docx")
    assert download["Content-Disposition"] == 'attachment; filename="Bao-cao-syt-12-KH-UBND-2024.docx"'
    doc = open_docx(download.content)
    body = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in body and SCRIPT in body  # verbatim in Word, escaped by the library
    assert [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text] == ["UBND TỈNH TUYÊN QUANG", "SỞ Y TẾ"]


def test_a_late_report_is_flagged_on_the_pages(client, people, plan, day):
    report = actions.do_create_report(plan, people["lead_focal"], period="2024")
    day(2024, 12, 11)
    actions.do_submit(report, people["lead_focal"])
    client.force_login(people["coordinator"])
    page = client.get(f"/bao-cao/ke-hoach/{plan.pk}/?ky=2024").content.decode()
    assert "Gửi muộn" in page and "Quá hạn chưa lập" in page  # Sở Y tế late; the others have not reported


def test_the_consolidated_page_and_downloads(client, people, plan):
    client.force_login(people["coordinator"])
    page = client.get(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop/?ky=2024").content.decode()
    assert "Tải báo cáo (.docx)" in page and "Tải phụ lục (.xlsx)" in page and "Đã hoàn thành đúng hạn" in page
    response = client.get(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop.docx?ky=2024&ngay=2024-12-13&nguoi_ky=Nguyễn Văn A&bieu_do=0")
    assert response["Content-Disposition"] == 'attachment; filename="Bao-cao-tong-hop-12-KH-UBND-2024.docx"'
    doc = open_docx(response.content)
    right = [p.text for p in doc.tables[0].rows[1].cells[1].paragraphs]
    assert right == ["Tuyên Quang, ngày 13 tháng 12 năm 2024"]
    assert [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text][-1] == "Nguyễn Văn A"
    assert len(doc.inline_shapes) == 0
    wb = open_xlsx(client.get(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop.xlsx?ky=2024").content)
    assert wb.sheetnames[0] == "Phụ lục I"
    assert client.get(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop/?ky=nonsense").status_code == 200  # falls back


def test_api_workflow(client, people, plan, bearer, day):
    url = f"/api/v1/plans/{plan.pk}/reports"
    created = client.post(url, {"period": "2024"}, content_type="application/json", **bearer("lead_focal"))
    assert created.status_code == 201
    body = created.json()
    rid = body["id"]
    assert body["state"] == "draft" and body["late"] is False and body["deadline"] == "2024-12-10"
    assert {i["task_ref"] for i in body["items"]} == {"1.1#1", "1.1#2", "III.1#1"}
    again = client.post(url, {"period": "2024"}, content_type="application/json", **bearer("lead_head"))
    assert again.status_code == 409
    item = body["items"][0]["id"]
    edited = client.put(f"/api/v1/reports/{rid}", {"version": body["version"], "items": [{"id": item, "results": "Qua API"}]},
                        content_type="application/json", **bearer("lead_focal"))
    assert edited.status_code == 200 and edited.json()["items"][0]["results"] == "Qua API"
    stale = client.put(f"/api/v1/reports/{rid}", {"version": body["version"], "summary": "x"},
                       content_type="application/json", **bearer("lead_focal"))
    assert stale.status_code == 409
    day(2024, 12, 11)
    submitted = client.post(f"/api/v1/reports/{rid}/submit", **bearer("lead_focal")).json()
    assert submitted["state"] == "submitted" and submitted["late"] is True  # accepted after the deadline, flagged
    assert client.post(f"/api/v1/reports/{rid}/accept", **bearer("coordinator")).status_code == 409
    returned = client.post(f"/api/v1/reports/{rid}/return", {"reason": "Bổ sung"}, content_type="application/json",
                           **bearer("lead_head")).json()
    assert returned["state"] == "draft"
    client.post(f"/api/v1/reports/{rid}/submit", **bearer("lead_focal"))
    assert client.post(f"/api/v1/reports/{rid}/approve", **bearer("lead_head")).json()["state"] == "approved"
    assert client.post(f"/api/v1/reports/{rid}/return", {"reason": ""}, content_type="application/json",
                       **bearer("coordinator")).status_code == 400
    assert client.post(f"/api/v1/reports/{rid}/accept", **bearer("coordinator")).json()["state"] == "accepted"
    locked = client.put(f"/api/v1/reports/{rid}", {"version": 99, "summary": "x"}, content_type="application/json",
                        **bearer("lead_focal"))
    assert locked.status_code == 409 and "không thể sửa đổi" in locked.json()["detail"]
    listed = client.get(url, **bearer("coordinator")).json()
    assert listed["count"] == 1 and listed["items"][0] == {
        "id": rid, "agency": {"id": people["lead_focal"].agency_id, "name": "Sở Y tế"}, "period": "2024",
        "period_label": "Năm 2024", "state": "accepted", "late": True, "deadline": "2024-12-10",
        "submitted_at": listed["items"][0]["submitted_at"], "version": listed["items"][0]["version"]}
    assert client.get(url, **bearer("other_focal")).json() == {"count": 0, "items": []}
    assert client.get(f"{url}?period=2025", **bearer("coordinator")).json()["count"] == 0
    assert client.get(f"/api/v1/reports/{rid}", **bearer("other_focal")).status_code == 404


def test_api_consolidated_files(client, plan, bearer):
    docx_response = client.get(f"/api/v1/plans/{plan.pk}/consolidated.docx?period=2024&date=2024-12-15",
                               **bearer("leader"))
    assert docx_response.status_code == 200
    assert docx_response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = open_docx(docx_response.content)
    assert "BÁO CÁO" in [p.text for p in doc.paragraphs]
    xlsx_response = client.get(f"/api/v1/plans/{plan.pk}/consolidated.xlsx?period=2024", **bearer("viewer"))
    assert open_xlsx(xlsx_response.content).sheetnames[0] == "Phụ lục I"
    assert client.get(f"/api/v1/plans/{plan.pk}/consolidated.docx?period=2024-Q9", **bearer("leader")).status_code == 400
    assert client.get(f"/api/v1/plans/{plan.pk}/consolidated.docx", **bearer("lead_focal")).status_code == 403
    assert client.get("/api/v1/plans/999999/consolidated.docx", **bearer("leader")).status_code == 404


def test_periods_carry_their_deadline(client, plan, bearer):
    from dondoc.reports.models import Holiday

    body = client.get("/api/v1/periods?kind=quarterly&year=2024", **bearer("viewer")).json()
    assert [i["deadline"] for i in body["items"]] == ["2024-03-15", "2024-06-17", "2024-09-16", "2024-12-16"]
    assert body["items"][0] == {"id": "2024-Q1", "kind": "quarterly", "label": "Quý I/2024", "start": "2023-12-15",
                                "end": "2024-03-14", "deadline": "2024-03-15"}
    Holiday.objects.create(date=D(2024, 12, 16), name="Nghỉ bù (thử)")
    body = client.get(f"/api/v1/periods?kind=quarterly&year=2024&plan={plan.pk}", **bearer("viewer")).json()
    assert [i["deadline"] for i in body["items"]] == ["2024-03-15", "2024-06-17", "2024-09-16", "2024-12-10"]
    body = client.get("/api/v1/periods?kind=annual&year=2024", **bearer("viewer")).json()
    assert body["items"][0]["deadline"] == "2024-12-17"  # Monday 16/12 is a holiday in this test
    assert client.get("/api/v1/periods?kind=annual&plan=999999", **bearer("viewer")).status_code == 404


def test_a_reports_history_names_people(client, people, plan, day):
    """The report's history shows who acted by name (as the rest of the page does), not by login."""
    day(2024, 10, 1)
    people["lead_focal"].full_name = "Nguyễn Thị Lan"
    people["lead_focal"].save()
    client.force_login(people["lead_focal"])
    client.post(f"/bao-cao/ke-hoach/{plan.pk}/lap/", {"ky": "2024"})
    report = AgencyReport.objects.get()
    page = client.get(f"/bao-cao/{report.pk}/").content.decode()
    history = page[page.index('id="history"'):]
    history = history[:history.index("</ul>")]
    assert "Nguyễn Thị Lan · Lập báo cáo định kỳ" in history and "syt.cb" not in history
