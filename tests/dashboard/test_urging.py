"""The urging letter over a plan with group-led tasks (as of 05/10/2024, every task due 30/9/2024, so 5 days late):

- R1 "Rà soát thủ tục..." led by "Các sở, ban, ngành": its 20 members on the plan's date, all late; one of them,
  Sở Kế hoạch và Đầu tư, coordinates the plan and issues the letter;
- P1 "Phổ cập kỹ năng số..." led by "Ủy ban nhân dân huyện, thành phố" (7 members): Na Hang done on time;
- T1 "Tăng thu ngân sách..." led by Sở Tài chính alone;
- K1 "Tổng hợp, báo cáo..." led by Sở Kế hoạch và Đầu tư alone: the issuer's own, never in its letter.

So 19 sở and 6 district committees are late: 25 agencies, 3 tasks. Numbering and idempotence are checked through
the page, the race for a number through the action."""

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from docx import Document

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.dashboard.models import UrgingLetter
from dondoc.plans import actions as plan_actions
from dondoc.plans.models import Assignment
from dondoc.reports import urging
from dondoc.tracking import actions
from dondoc.tracking.models import Notification
from tests.plans.conftest import make_structure

D = dt.date
SO = "Các sở, ban, ngành"
HUYEN = "Ủy ban nhân dân huyện, thành phố"
R1 = "Rà soát, cắt giảm thủ tục hành chính thuộc phạm vi quản lý của ngành"
P1 = "Phổ cập kỹ năng số cho người dân trên địa bàn"
T1 = "Tăng thu ngân sách nhà nước trên địa bàn tỉnh"
K1 = "Tổng hợp, báo cáo kết quả thực hiện Kế hoạch"
DISTRICTS_LATE = ["Ủy ban nhân dân huyện Chiêm Hóa", "Ủy ban nhân dân huyện Hàm Yên", "Ủy ban nhân dân huyện Lâm Bình",
                  "Ủy ban nhân dân huyện Sơn Dương", "Ủy ban nhân dân huyện Yên Sơn",
                  "Ủy ban nhân dân thành phố Tuyên Quang"]


def _block(ref, heading, lead, kind, text):
    return {"ref": ref, "section": "1", "heading": heading, "lead": [lead], "lead_kind": kind, "span": None,
            "tasks": [{"text": text, "lead_override": None, "coordinating": [], "targets": [], "refs": [], "span": None,
                       "deadline": {"text": "trước ngày 30/9/2024", "date": "2024-09-30", "recurrence": None}}]}


@pytest.fixture
def group_plan(users, orgs, make_user, settings):
    settings.DEMO_TODAY = D(2024, 9, 1)
    structure = make_structure(assignments=[
        _block("1.1", SO, SO, "group", R1), _block("1.2", HUYEN, HUYEN, "group", P1),
        _block("1.3", "Sở Tài chính", "Sở Tài chính", "agency", T1),
        _block("1.4", "Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư", "agency", K1)])
    coordinator = users[Role.COORDINATOR]
    plan = plan_actions.do_publish_plan(plan_actions.import_structure(structure, user=coordinator))
    plan.coordinating_agency = orgs["skhdt"]
    plan.save(update_fields=["coordinating_agency"])
    settings.DEMO_TODAY = D(2024, 9, 20)
    na_hang = Assignment.objects.get(task__plan=plan, task__text=P1, agency__code="ubnd-nahang", role="lead")
    claim = actions.do_claim(na_hang, make_user("nahang.tt", Role.HEAD, orgs["ubnd-nahang"]), completed_on=D(2024, 9, 20))
    actions.do_confirm(claim, coordinator)
    settings.DEMO_TODAY = D(2024, 10, 5)
    return plan


def url(plan):
    return f"/tong-hop/ke-hoach/{plan.pk}/don-doc/"


def form(orgs, codes, **extra):
    return {"agencies": [orgs[c].pk for c in codes], "number": "     /SKHĐT-TH", "reply_by": "2024-10-12",
            "authority": "KT. GIÁM ĐỐC", "position": "PHÓ GIÁM ĐỐC", "signer": "", **extra}


def late_codes(plan, day=D(2024, 10, 5)):
    return [a.code for a in urging.overdue_by_agency(plan, day, plan.coordinating_agency)]


def paragraphs(content) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_a_group_led_task_is_listed_once(client, users, group_plan, orgs):
    client.force_login(users[Role.COORDINATOR])
    codes = late_codes(group_plan)
    assert len(codes) == 25  # 19 sở (20 members, the issuer aside) and 6 district committees
    response = client.post(url(group_plan), form(orgs, codes, **{"tai-ve": "1"}))
    assert response.status_code == 200
    text = paragraphs(response.content)
    for task in (R1, P1, T1):
        assert sum(task in p for p in text) == 1, task
    at = text.index("Kính gửi:")
    assert text[at + 1:at + 8] == [f"- {SO};"] + [f"- {n};" for n in DISTRICTS_LATE[:-1]] + [f"- {DISTRICTS_LATE[-1]}."]
    assert any(p.startswith("Qua theo dõi trên hệ thống, tính đến ngày 05/10/2024, còn 3 nhiệm vụ đã quá thời hạn")
               for p in text)
    blocks = [p for p in text if p[:2] in ("1.", "2.", "3.", "4.")]
    assert blocks == [f"1. {SO} (1 nhiệm vụ):",
                      f"2. {HUYEN} (trừ Ủy ban nhân dân huyện Na Hang) (1 nhiệm vụ):",
                      "3. Sở Tài chính (1 nhiệm vụ):"]
    assert text[text.index(blocks[0]) + 1] == f"- {R1} (mục 1.1; thời hạn 30/9/2024, quá hạn 5 ngày)."


def test_the_issuer_is_never_addressed(client, users, group_plan, orgs):
    client.force_login(users[Role.COORDINATOR])
    page = client.get(url(group_plan)).content.decode()
    assert "Sở Tài chính (2 nhiệm vụ quá hạn)" in page and "Sở Kế hoạch và Đầu tư (" not in page
    assert "skhdt" not in late_codes(group_plan)
    text = paragraphs(client.post(url(group_plan), form(orgs, late_codes(group_plan), **{"tai-ve": "1"})).content)
    assert K1 not in "\n".join(text)  # the issuer's own overdue task is not its letter's business
    addressed = text[text.index("Kính gửi:") + 1:text.index("Kính gửi:") + 8]
    assert not any("Kế hoạch và Đầu tư" in line for line in addressed)
    response = client.post(url(group_plan), form(orgs, ["skhdt"], **{"tai-ve": "1"}))  # forced in by hand
    assert response.status_code == 400 and "cơ quan ban hành văn bản" in response.content.decode()


def test_a_few_members_of_a_group_are_named(client, users, group_plan, orgs):
    client.force_login(users[Role.COORDINATOR])
    response = client.post(url(group_plan), form(orgs, ["ubnd-lambinh", "ubnd-hamyen"], **{"tai-ve": "1"}))
    text = paragraphs(response.content)
    two = "Ủy ban nhân dân huyện Hàm Yên; Ủy ban nhân dân huyện Lâm Bình"
    assert f"1. {two} (1 nhiệm vụ):" in text  # 2 of the 7: by their names, not "(trừ ...)" five others
    at = text.index("Kính gửi:")
    assert text[at + 1:at + 3] == ["- Ủy ban nhân dân huyện Hàm Yên;", "- Ủy ban nhân dân huyện Lâm Bình."]
    assert R1 not in "\n".join(text) and T1 not in "\n".join(text)


def _urged():
    return Notification.objects.filter(kind="urged").count()


def test_recording_needs_a_number(client, users, group_plan, orgs):
    client.force_login(users[Role.COORDINATOR])
    for number in ("", "     /SKHĐT-TH", "Số: /SKHĐT-TH"):
        response = client.post(url(group_plan), form(orgs, ["stc"], number=number, **{"ghi-nhan": "1"}))
        assert response.status_code == 400, number
        assert "Hãy nhập số văn bản" in response.content.decode()
    response = client.post(url(group_plan), form(orgs, ["stc"], number="số 12a", **{"ghi-nhan": "1"}))
    assert response.status_code == 400 and "không đúng: ghi số thứ tự rồi ký hiệu" in response.content.decode()
    assert not UrgingLetter.objects.exists() and _urged() == 0
    # Downloading to sign needs none: the clerk writes it in.
    assert client.post(url(group_plan), form(orgs, ["stc"], **{"tai-ve": "1"})).status_code == 200


def test_the_same_letter_twice_is_recorded_once(client, users, group_plan, orgs):
    client.force_login(users[Role.COORDINATOR])
    data = form(orgs, ["stc"], number="125/SKHĐT-TH", **{"ghi-nhan": "1"})
    assert client.post(url(group_plan), data).status_code == 302
    assert _urged() == 2  # Sở Tài chính's head and focal point (the users fixture)
    response = client.post(url(group_plan), data, follow=True)  # a second click, a page sent again
    assert response.status_code == 200 and "đã được ghi nhận trước đó" in response.content.decode()
    assert UrgingLetter.objects.count() == 1 and _urged() == 2
    assert Event.objects.filter(action="urging.sent").count() == 1
    letter = UrgingLetter.objects.get()
    assert (letter.number, letter.serial, letter.year, letter.issuer.code) == ("125/SKHĐT-TH", 125, 2024, "skhdt")
    assert letter.overdue_count == 2  # R1 and T1: tasks, each once


def test_a_number_is_its_issuers_once_a_year(client, users, group_plan, orgs, make_user, settings):
    make_user("hamyen.cb", Role.FOCAL, orgs["ubnd-hamyen"])
    client.force_login(users[Role.COORDINATOR])
    assert client.post(url(group_plan), form(orgs, ["stc"], number="125/SKHĐT-TH", **{"ghi-nhan": "1"})).status_code == 302
    for number in ("125/SKHĐT-TH", "Số: 125/SKHĐT-VP", "0125"):  # the number, whatever the symbol, is taken
        response = client.post(url(group_plan), form(orgs, ["ubnd-hamyen"], number=number, **{"ghi-nhan": "1"}))
        assert response.status_code == 409, number
        assert "Số 125/" in response.content.decode() and "đã dùng cho một văn bản đôn đốc khác" in response.content.decode()
    assert UrgingLetter.objects.count() == 1 and _urged() == 2
    settings.DEMO_TODAY = D(2025, 1, 6)  # a new year, a new series
    response = client.post(url(group_plan), form(orgs, ["ubnd-hamyen"], number="125/SKHĐT-TH", reply_by="2025-01-13",
                                                 **{"ghi-nhan": "1"}))
    assert response.status_code == 302
    assert sorted(UrgingLetter.objects.values_list("year", "serial")) == [(2024, 125), (2025, 125)]
    assert _urged() == 3


def test_the_database_holds_the_number_when_two_race(group_plan, users, orgs, monkeypatch):
    coordinator, stc = users[Role.COORDINATOR], orgs["stc"]
    day = D(2024, 10, 5)
    chosen = {a: rows for a, rows in urging.overdue_by_agency(group_plan, day, orgs["skhdt"]).items() if a == stc}
    letter = urging.Letter("7/SKHĐT-TH", None, D(2024, 10, 12), "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "")
    first, recorded = urging.do_record_letter(group_plan, coordinator, chosen, letter, b"docx", day, orgs["skhdt"])
    assert recorded and first.number == "07/SKHĐT-TH"
    # The other submission checked before the first was written: only the unique constraint stops it.
    real = urging._same_number
    calls = []
    monkeypatch.setattr(urging, "_same_number", lambda *a: calls.append(1) or (None if len(calls) == 1 else real(*a)))
    again, recorded = urging.do_record_letter(group_plan, coordinator, chosen, letter, b"docx", day, orgs["skhdt"])
    assert (again.pk, recorded) == (first.pk, False) and len(calls) == 2
    assert UrgingLetter.objects.count() == 1 and _urged() == 2


def test_the_unique_constraint(group_plan, users, orgs):
    base = dict(plan=group_plan, as_of=D(2024, 10, 5), overdue_count=1, created_by=users[Role.COORDINATOR])
    UrgingLetter.objects.create(issuer=orgs["skhdt"], year=2024, serial=3, **base)
    UrgingLetter.objects.create(issuer=orgs["vp-ubnd"], year=2024, serial=3, **base)  # another issuer's series
    UrgingLetter.objects.create(issuer=orgs["skhdt"], year=2025, serial=3, **base)
    UrgingLetter.objects.create(issuer=orgs["skhdt"], year=2024, serial=None, **base)  # recorded before numbering
    UrgingLetter.objects.create(issuer=orgs["skhdt"], year=2024, serial=None, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        UrgingLetter.objects.create(issuer=orgs["skhdt"], year=2024, serial=3, **base)
