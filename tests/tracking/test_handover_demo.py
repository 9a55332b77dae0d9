"""Issue 18 on `make run`'s demo data: Na Hang district, abolished on 30/06/2025, replaced in the demo by three
communes labelled "minh họa"; its open Plan 78 work goes to the communes the coordinator picks."""

import datetime as dt

from dondoc.demo.loader import load_demo
from dondoc.orgs.models import Agency, AgencyGroup
from dondoc.plans.models import Assignment
from dondoc.tracking import handover
from dondoc.accounts.models import User

JULY_1 = dt.date(2025, 7, 1)


def test_a_district_hands_its_work_to_all_its_communes_or_to_one(db, settings):
    settings.DEMO_TODAY = JULY_1
    load_demo()
    nahang = Agency.objects.get(code="ubnd-nahang")
    communes = handover.successors(nahang, JULY_1)
    assert [a.code for a in communes] == ["xa-conlon-mh", "xa-nahang-mh", "xa-thuonglam-mh"]
    assert all("(minh họa)" in a.name for a in communes)
    proposal = handover.propose(nahang, JULY_1)
    assert proposal and all(p.successors == [] for p in proposal)  # three communes, no fields: the coordinator picks
    first, *rest = proposal
    choices = {first.assignment.pk: [communes[1].pk], **{p.assignment.pk: [c.pk for c in communes] for p in rest}}
    coordinator = User.objects.get(username="tonghop")
    done = handover.do_hand_over(nahang, coordinator, choices=choices, accounts="deactivate")
    assert done.items.count() == 1 + 3 * len(rest)
    assert list(Assignment.objects.filter(predecessor=first.assignment).values_list("agency__code", flat=True)) == [
        "xa-nahang-mh"]
    for p in rest:
        assert Assignment.objects.filter(predecessor=p.assignment).count() == 3
    assert not User.objects.filter(agency=nahang, is_active=True).exists()


def test_group_expansion_follows_the_date(db):
    """"Ủy ban nhân dân huyện, thành phố" before 01/07/2025 is the districts; after it, Na Hang is its communes (the
    other districts have no successor recorded in the demo, and drop out)."""
    load_demo()
    districts = AgencyGroup.objects.get(code="ubnd-huyen-thanh-pho")
    before = {a.code for a in districts.members_on(dt.date(2025, 6, 30))}
    after = {a.code for a in districts.members_on(JULY_1)}
    assert "ubnd-nahang" in before and not before & {"xa-nahang-mh", "xa-conlon-mh", "xa-thuonglam-mh"}
    assert {"xa-nahang-mh", "xa-conlon-mh", "xa-thuonglam-mh"} <= after and "ubnd-nahang" not in after
    # And the departments' group on either side of 01/03/2025: Sở KH&ĐT, then Sở Tài chính in its place.
    departments = AgencyGroup.objects.get(code="cac-so-ban-nganh")
    assert "skhdt" in {a.code for a in departments.members_on(dt.date(2025, 2, 28))}
    march = {a.code for a in departments.members_on(dt.date(2025, 3, 1))}
    assert "skhdt" not in march and "stc" in march


def test_figures_as_of_a_day_before_and_after_and_the_successors_work_list(db, settings):
    """Plan 78 on the demo: Sở KH&ĐT's lead work handed to Sở Tài chính from 01/03/2025. Read as of 28/02 the
    figures are those of the old structure, unchanged; as of 01/03 Sở Tài chính carries the work (and its lateness),
    and its officers' work list holds it."""
    from dondoc.dashboard import figures
    from dondoc.tracking.work import WorkList

    march_1, feb_28 = dt.date(2025, 3, 1), dt.date(2025, 2, 28)
    settings.DEMO_TODAY = march_1
    load_demo()
    skhdt, stc = Agency.objects.get(code="skhdt"), Agency.objects.get(code="stc")
    old_before = figures.agency_counts(feb_28)[skhdt.pk]
    stc_before = figures.agency_counts(march_1)[stc.pk]
    work_before = WorkList(stc.pk, march_1).total()
    moving = [p.assignment for p in handover.propose(skhdt, march_1)]
    leads = [a for a in moving if a.role == "lead"
             and not Assignment.objects.filter(task=a.task, agency=stc, role="lead").exists()]
    late = sum(1 for a in leads if a.task.due_date and a.task.due_date < march_1)
    done = handover.do_hand_over(skhdt, User.objects.get(username="tonghop"))

    assert figures.agency_counts(feb_28)[skhdt.pk] == old_before  # the old structure, as it was
    assert skhdt.pk not in figures.agency_counts(march_1)
    stc_after = figures.agency_counts(march_1)[stc.pk]
    total = ("done_on_time", "done_late", "open_in_time", "overdue", "awaiting_confirmation", "ongoing")
    assert sum(stc_after[k] for k in total) == sum(stc_before[k] for k in total) + len(leads)
    assert stc_after["overdue"] >= stc_before["overdue"] + late > stc_before["overdue"]
    received = done.items.filter(created=True).count()  # the rest Sở Tài chính already held on the same task
    assert received and WorkList(stc.pk, march_1).total() == work_before + received
    # The ranking by the day asked: the overview's link and the full ranking agree on the structure shown.
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="tonghop"))
    overview = client.get("/tong-hop/?ngay=2025-02-28").content.decode()
    link = overview.split('href="/tong-hop/xep-hang/?')[1].split('"')[0].replace("&amp;", "&")
    assert "ngay=2025-02-28" in link
    before, now = client.get(f"/tong-hop/xep-hang/?{link}").content.decode(), client.get("/tong-hop/xep-hang/").content.decode()
    assert "Sở Kế hoạch và Đầu tư" in before.split('id="ranking"')[1]
    assert "Sở Kế hoạch và Đầu tư" not in now.split('id="ranking"')[1]
