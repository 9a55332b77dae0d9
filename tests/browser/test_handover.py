"""The coordinator hands Sở Kế hoạch và Đầu tư's open Plan 78 work over to Sở Tài chính on 01/03/2025 (issue 18),
in Chromium on the demo data: from the agency's page, one row changed to stay, the rest applied, then undone."""

import datetime as dt

from playwright.sync_api import expect

from dondoc.demo.loader import load_demo
from dondoc.orgs.models import Agency
from dondoc.plans.models import Assignment
from dondoc.tracking import handover

from .test_tracking_flow import login


def test_hand_over_from_the_agency_page(live_server, page, transactional_db, settings):
    settings.DEMO_TODAY = dt.date(2025, 3, 1)
    load_demo()
    skhdt, stc = Agency.objects.get(code="skhdt"), Agency.objects.get(code="stc")
    open_work = [p.assignment for p in handover.propose(skhdt, dt.date(2025, 3, 1))]
    assert len(open_work) > 1
    kept = open_work[0]

    login(page, live_server.url, "tonghop")
    page.goto(f"{live_server.url}/co-quan/{skhdt.pk}/")
    page.get_by_role("link", name="Bàn giao công việc cho cơ quan kế thừa").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bàn giao công việc của Sở Kế hoạch và Đầu tư")
    expect(page.locator("tbody select")).to_have_count(len(open_work))
    page.get_by_label(f"Giao tiếp nhiệm vụ {kept.task.ref} cho").first.select_option("none")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Bàn giao", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text(f"Đã bàn giao {len(open_work) - 1} nhiệm vụ")
    expect(page.locator(".alert-success")).to_contain_text("1 nhiệm vụ chưa chọn cơ quan kế thừa vẫn giữ nguyên")
    kept.refresh_from_db()
    assert kept.ended_at is None
    moved = Assignment.objects.filter(pk__in=[a.pk for a in open_work[1:]], ended_at__isnull=False).count()
    assert moved == len(open_work) - 1
    assert Assignment.objects.filter(predecessor__in=open_work[1:], agency=stc).exists()
    # The one kept is still offered; the hand-over can be undone today.
    expect(page.locator("tbody select")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hoàn tác").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã hoàn tác")
    expect(page.locator("form[data-send-changed] tbody select")).to_have_count(len(open_work))


def test_a_district_hand_over_prepared_in_march_applies_on_1_july(live_server, page, transactional_db, settings):
    """On 01/03/2025 the coordinator prepares Na Hang district's hand-over for 01/07/2025: every row to all the
    communes in one choice, one row to a single commune, the accounts locked; it is scheduled, nothing moves; on
    01/07 the worker's sweep applies it as chosen."""
    settings.DEMO_TODAY = dt.date(2025, 3, 1)
    load_demo()
    nahang = Agency.objects.get(code="ubnd-nahang")
    july = dt.date(2025, 7, 1)
    communes = handover.successors(nahang, july)
    open_work = [p.assignment for p in handover.propose(nahang, july, dt.date(2025, 3, 1))]
    assert len(communes) == 3 and len(open_work) > 2
    single = open_work[0]

    login(page, live_server.url, "tonghop")
    page.goto(f"{live_server.url}/ban-giao/{nahang.pk}/")
    expect(page.get_by_label("Ngày bàn giao có hiệu lực")).to_have_value("2025-07-01")
    page.get_by_label("Chọn cho mọi dòng").select_option("all")
    expect(page.get_by_label(f"Giao tiếp nhiệm vụ {open_work[-1].task.ref} cho").first).to_have_value("all")
    page.get_by_label(f"Giao tiếp nhiệm vụ {single.task.ref} cho").first.select_option(str(communes[1].pk))
    page.get_by_label("Khóa các tài khoản").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Lên lịch bàn giao từ ngày 01/07/2025").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Đã lên lịch bàn giao {len(open_work)} nhiệm vụ")
    expect(page.get_by_role("button", name="Hủy lịch")).to_be_visible()
    assert not Assignment.objects.filter(pk__in=[a.pk for a in open_work], ended_at__isnull=False).exists()

    settings.DEMO_TODAY = july
    assert handover.apply_due() == {"applied": 1, "failed": 0}
    assert list(Assignment.objects.filter(predecessor=single).values_list("agency_id", flat=True)) == [communes[1].pk]
    for a in open_work[1:]:
        assert Assignment.objects.filter(predecessor=a).count() == 3
    page.reload()
    expect(page.locator("table").last).to_contain_text("Đã bàn giao")
