"""The consolidated report after a hand-over (issue 18): "theo cơ cấu mới" names the successor as the lead and
expects its report, "theo cơ cấu cũ" (a day before the hand-over) names the old agency; either way the task keeps
its status and its percent (the successor continues the old agency's work), and the old agency's text is named."""

import datetime as dt

import pytest

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.reports import consolidated, periods
from dondoc.tracking import actions, handover

from .conftest import open_docx

FEB_10, FEB_28, MARCH_1 = dt.date(2025, 2, 10), dt.date(2025, 2, 28), dt.date(2025, 3, 1)


@pytest.fixture
def handed_over(plan, people, orgs, settings):
    """Sở KH&ĐT reports 55% on III.2#1 in February 2025, then its work goes to Sở Tài chính from 01/03/2025."""
    settings.DEMO_TODAY = FEB_10
    officer = User.objects.create(username="khdt.cb", role=Role.FOCAL, agency=orgs["skhdt"])
    theirs = plan.tasks.get(ref="III.2#1").assignments.get(agency=orgs["skhdt"])
    actions.do_post_update(theirs, officer, text="Đã rà soát danh mục dự án đầu tư công", percent=55)
    settings.DEMO_TODAY = MARCH_1
    handover.do_hand_over(orgs["skhdt"], people["coordinator"], accounts="keep")
    return periods.period_containing(periods.ANNUAL, MARCH_1)


def line(data, ref):
    return next(t for t in data.tasks if t.ref == ref)


def test_by_the_new_structure_and_by_the_old(handed_over, plan, orgs):
    new = consolidated.gather(plan, handed_over)
    old = consolidated.gather(plan, handed_over, structure_on=FEB_28)

    assert "Sở Tài chính" in line(new, "III.2#1").leads and "Sở Kế hoạch và Đầu tư" not in line(new, "III.2#1").leads
    assert "Sở Kế hoạch và Đầu tư" in line(old, "III.2#1").leads and "Sở Tài chính" not in line(old, "III.2#1").leads
    assert orgs["skhdt"] not in new.expected and orgs["stc"] in new.expected
    assert orgs["skhdt"] in old.expected
    for data in (new, old):
        task = line(data, "III.2#1")
        assert task.percent == 55  # the successor carries the work on from where it was
        assert ("Sở Kế hoạch và Đầu tư", "Đã rà soát danh mục dự án đầu tư công") in task.results
    assert line(new, "III.2#2").status == line(old, "III.2#2").status
    assert new.summary == old.summary
    assert not new.old_structure and old.old_structure
    # Agencies, not assignments, are counted: Sở KH&ĐT leads by the old structure only (Sở Tài chính in both).
    assert old.lead_agencies == new.lead_agencies + 1
    # "Most overdue" names the structure's agencies: by the old one, as the figures of its last day counted them
    # (no deadline falls on 28/02 or 01/03 in this plan), by the new one as today's figures do.
    from dondoc.dashboard import figures

    late_old, late_new = dict(old.most_overdue), dict(new.most_overdue)
    def by_agency(day):
        return {r["agency"]["name"]: r["overdue"] for r in figures.summary(plan, day)["by_agency"] if r["overdue"]}
    assert late_old == by_agency(FEB_28) and late_new == by_agency(MARCH_1)
    assert "Sở Kế hoạch và Đầu tư" in late_old and "Sở Kế hoạch và Đầu tư" not in late_new
    assert consolidated.filename(old, "docx") != consolidated.filename(new, "docx")
    assert consolidated.filename(old, "docx").endswith("-co-cau-ngay-20250228.docx")


def test_the_structures_offered_and_said_in_the_document(handed_over, plan):
    assert consolidated.structures(plan, MARCH_1) == [
        (FEB_28, "Theo cơ cấu cũ, trước ngày 01/03/2025 (Sở Kế hoạch và Đầu tư bàn giao)")]
    assert consolidated.structures(plan, FEB_28) == []  # not yet handed over as of that day
    old = consolidated.gather(plan, handed_over, structure_on=FEB_28)
    text = "\n".join(p.text for p in open_docx(consolidated.build_docx(old, date=MARCH_1)).paragraphs)
    assert "theo cơ cấu tổ chức tại ngày 28/02/2025" in text
    new = consolidated.gather(plan, handed_over)
    assert "cơ cấu tổ chức" not in "\n".join(p.text for p in open_docx(consolidated.build_docx(new, date=MARCH_1)).paragraphs)


def test_the_page_offers_the_choice_and_the_download_follows_it(handed_over, client, people, plan):
    client.force_login(people["coordinator"])
    url = f"/bao-cao/ke-hoach/{plan.pk}/tong-hop/?ky={handed_over.id}"
    page = client.get(url).content.decode()
    assert 'name="co_cau"' in page and "Theo cơ cấu cũ, trước ngày 01/03/2025" in page
    old_page = client.get(url + "&co_cau=2025-02-28").content.decode()
    assert 'id="structure-note"' in old_page and 'value="2025-02-28" selected' in old_page
    got = client.get(f"/bao-cao/ke-hoach/{plan.pk}/tong-hop.docx?ky={handed_over.id}&co_cau=2025-02-28")
    assert got.status_code == 200
    assert "cơ cấu tổ chức tại ngày 28/02/2025" in "\n".join(p.text for p in open_docx(got.content).paragraphs)
