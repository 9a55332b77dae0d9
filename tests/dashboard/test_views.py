"""Dashboard pages over the hand-counted plan (conftest.figures_plan): figures, click-through, as-of day, charts'
data, ranking and its Excel file, agency page, urging letter (the .docx opened and checked)."""

import datetime as dt
import io
import re

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.dashboard import figures
from dondoc.reports.ranking import agency_ranking
from dondoc.dashboard.models import UrgingLetter
from dondoc.tracking.models import Notification

ROUTES = {"dashboard:urging_file"}  # checked here (needs a recorded letter); the other pages are in tests/test_permissions.py
D = dt.date


def body(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_plan_dashboard_figures_and_click_through(client, users, figures_plan):
    client.force_login(users[Role.LEADER])
    page = body(client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/"))
    assert re.search(r'id="total">5<', page)
    overdue_card = re.search(r'<a class="card[^"]*" href="([^"]+)" id="figure-overdue">.*?display-6 text-danger">(\d+)<',
                             page, re.S)
    assert overdue_card and overdue_card.group(2) == "1"
    listing = body(client.get(overdue_card.group(1).replace("&amp;", "&")))
    assert "T3 số hóa hồ sơ" in listing and "T1 rút ngắn" not in listing and "T2 công khai" not in listing
    assert "Chưa hoàn thành, quá hạn" in listing
    assert "T3 số hóa hồ sơ" in re.search(r'id="overdue-list">(.*?)</table>', page, re.S).group(1)


def test_by_agency_figure_lists_that_agency_s_tasks(client, users, figures_plan, orgs):
    client.force_login(users[Role.COORDINATOR])
    page = body(client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/"))
    table = re.search(r'id="by-agency">(.*?)</table>', page, re.S).group(1)
    row = re.search(r"Sở Y tế</a>.*?</tr>", table, re.S).group(0)
    late = re.findall(r'href="([^"]*trang_thai=done_late[^"]*)"', row)
    listing = body(client.get(late[0].replace("&amp;", "&")))
    assert "T3 số hóa hồ sơ" in listing and "T1 rút ngắn" not in listing  # Sở Y tế's part of T3 was done late


def test_dashboard_as_it_stood_on_a_past_day(client, users, figures_plan, settings):
    client.force_login(users[Role.VIEWER])
    page = body(client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/", {"ngay": "2024-09-27"}))
    assert re.search(r'id="total">6<', page) and "Số liệu như tại ngày 27/09/2024" in page
    future = client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/", {"ngay": "2031-01-01"})
    assert "chỉ có đến hôm nay" in body(future) and re.search(r'id="total">5<', body(future))


def test_period_filter_counts_only_tasks_due_in_it(client, users, figures_plan):
    client.force_login(users[Role.LEADER])
    page = body(client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/", {"ky": "tuy-chon", "tu": "2024-10-01", "den": "2024-10-31"}))
    assert re.search(r'id="total">1<', page)  # T2 only (due 31/10)
    month = body(client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/", {"ky": "thang"}))  # October 2024
    assert re.search(r'id="total">1<', month)


def test_chart_data_matches_the_figures(client, users, figures_plan):
    client.force_login(users[Role.LEADER])
    data = client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/so-lieu.json").json()
    s = figures.summary(figures_plan, D(2024, 10, 5))
    assert dict(zip(data["status"]["codes"], data["status"]["values"])) == {k: s[k] for k in figures.KEYS}
    assert set(data["agencies"]["labels"]) == {"Sở Y tế", "Sở Công Thương", "Sở Tài chính"}
    assert data["progress"]["labels"][-1] >= "10/2024"


def test_draft_plan_has_no_dashboard(client, users, orgs):
    from dondoc.plans import actions as plan_actions
    from tests.plans.conftest import make_structure

    draft = plan_actions.import_structure(make_structure(), user=users[Role.COORDINATOR])
    client.force_login(users[Role.COORDINATOR])
    assert client.get(f"/tong-hop/ke-hoach/{draft.pk}/").status_code == 404


def test_ranking_page_sorts_and_exports(client, users, figures_plan):
    client.force_login(users[Role.FOCAL])
    page = body(client.get("/tong-hop/xep-hang/", {"tu": "2024-01-01", "den": "2024-12-31"}))
    names = re.findall(r'href="/tong-hop/co-quan/\d+/">([^<]+)<', re.search(r'id="ranking">(.*?)</table>', page, re.S).group(1))
    assert names == ["Sở Y tế", "Sở Tài chính", "Sở Công Thương"]
    by_overdue = body(client.get("/tong-hop/xep-hang/", {"tu": "2024-01-01", "den": "2024-12-31", "sap-xep": "qua-han"}))
    assert re.findall(r'href="/tong-hop/co-quan/\d+/">([^<]+)<', by_overdue)[0] == "Sở Công Thương"
    response = client.get("/tong-hop/xep-hang.xlsx", {"tu": "2024-01-01", "den": "2024-12-31"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=5)]
    expected = agency_ranking(D(2024, 1, 1), D(2024, 12, 31))["items"]
    assert [(r[0], r[1], r[3], r[4], r[6], r[7]) for r in rows] == [
        (i["rank"], i["agency"]["name"], i["due"], i["done_on_time"],
         round(i["on_time_rate"] * 100, 1) if i["on_time_rate"] is not None else None, i["overdue"]) for i in expected]
    assert ws["A4"].font.name == "Times New Roman" and ws["B4"].value == "Cơ quan, đơn vị"


def test_agency_page_own_and_others(client, make_user, orgs, users, figures_plan):
    head = make_user("sct.cb", Role.FOCAL, orgs["sct"])
    client.force_login(head)
    page = body(client.get("/tong-hop/co-quan/"))
    assert "Sở Công Thương" in page and re.search(r'id="rank">3/3<', page) and "T3 số hóa hồ sơ" in page
    assert client.get(f"/tong-hop/co-quan/{orgs['syt'].pk}/").status_code == 404  # another agency's page
    client.force_login(users[Role.LEADER])
    assert "Sở Y tế" in body(client.get(f"/tong-hop/co-quan/{orgs['syt'].pk}/"))
    assert client.get("/tong-hop/co-quan/").status_code == 403  # a leader has no agency of their own


def _docx(content) -> Document:
    return Document(io.BytesIO(content))


def test_urging_letter_docx(client, users, figures_plan, orgs):
    client.force_login(users[Role.COORDINATOR])
    page = body(client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/don-doc/"))
    assert "Sở Công Thương (1 nhiệm vụ quá hạn)" in page and "Sở Y tế (" not in page
    response = client.post(f"/tong-hop/ke-hoach/{figures_plan.pk}/don-doc/", {
        "agencies": [orgs["sct"].pk], "number": "/SKHĐT-TH", "reply_by": "2024-10-12", "authority": "KT. GIÁM ĐỐC",
        "position": "PHÓ GIÁM ĐỐC", "signer": "Nguyễn Văn <B>", "tai-ve": "1"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = _docx(response.content)
    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert [round(getattr(section, f"{side}_margin") / Mm(1)) for side in ("top", "bottom", "left", "right")] == [20, 20, 30, 15]
    rfonts = doc.styles["Normal"].element.rPr.rFonts
    assert {rfonts.get(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{k}") for k in ("ascii", "hAnsi", "cs")} == {"Times New Roman"}
    header = "\n".join(c.text for c in doc.tables[0]._cells)
    for line in ("UBND TỈNH TUYÊN QUANG", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "V/v đôn đốc thực hiện Kế hoạch số 12/KH-UBND", "/SKHĐT-TH"):
        assert line in header, line
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kính gửi: Sở Công Thương" in text
    assert "T3 số hóa hồ sơ" in text and "quá hạn 5 ngày" in text and "thời hạn 30/9/2024" in text  # Nghị định 30's date
    assert "T2 công khai" not in text  # not overdue
    assert "trước ngày 12/10/2024" in text
    assert "Nguyễn Văn <B>" in "\n".join(c.text for c in doc.tables[-1]._cells)  # user text verbatim, not markup
    assert not UrgingLetter.objects.exists()  # downloading is not sending


def test_recording_the_letter(client, users, figures_plan, orgs, make_user):
    focal = make_user("sct.canbo", Role.FOCAL, orgs["sct"])
    client.force_login(users[Role.COORDINATOR])
    url = f"/tong-hop/ke-hoach/{figures_plan.pk}/don-doc/"
    response = client.post(url, {"agencies": [orgs["sct"].pk], "number": "125/SKHĐT-TH", "reply_by": "2024-10-12",
                                 "position": "PHÓ GIÁM ĐỐC", "ghi-nhan": "1"})
    assert response.status_code == 302
    letter = UrgingLetter.objects.get()
    assert letter.overdue_count == 1 and list(letter.agencies.all()) == [orgs["sct"]] and letter.as_of == D(2024, 10, 5)
    assert Notification.objects.filter(user=focal, kind="urged").exists()
    assert Event.objects.filter(action="urging.sent", object_id=str(figures_plan.pk)).exists()
    saved = client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/don-doc/{letter.pk}.docx")
    assert "T3 số hóa hồ sơ" in "\n".join(p.text for p in _docx(saved.content).paragraphs)
    assert "125/SKHĐT-TH" in body(client.get(url))
    for role in (Role.LEADER, Role.VIEWER, Role.FOCAL):
        client.force_login(users[role])
        assert client.get(f"/tong-hop/ke-hoach/{figures_plan.pk}/don-doc/{letter.pk}.docx").status_code == 403
        assert client.post(url, {"agencies": [orgs["sct"].pk], "reply_by": "2024-10-12", "position": "X",
                                 "ghi-nhan": "1"}).status_code == 403
    assert UrgingLetter.objects.count() == 1


@pytest.mark.parametrize("data, message", [
    ({"agencies": [], "reply_by": "2024-10-12", "position": "PGĐ"}, "ít nhất một cơ quan"),
    ({"reply_by": "2024-10-01", "position": "PGĐ"}, "không được trước ngày hôm nay"),
    ({"reply_by": "31/02/2024", "position": "PGĐ"}, "Ngày không hợp lệ"),
])
def test_bad_letter_input(client, users, figures_plan, orgs, data, message):
    client.force_login(users[Role.COORDINATOR])
    data = {"agencies": [orgs["sct"].pk], "number": "125/SKHĐT-TH", **data, "ghi-nhan": "1"}
    response = client.post(f"/tong-hop/ke-hoach/{figures_plan.pk}/don-doc/", data)
    assert response.status_code == 400 and message in response.content.decode() and not UrgingLetter.objects.exists()
