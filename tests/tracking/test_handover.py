"""Handing a dissolved agency's open work over to its successors (issue 18), on Plan 12/KH-UBND of the tests
(tests.plans.conftest.make_structure: published in 2024, its tasks given to Sở Kế hoạch và Đầu tư and the sở of
Tuyên Quang), with the fixture's 2025 successions: Sở KH&ĐT into Sở Tài chính on 01/03/2025, Sở LĐ-TB&XH split by
field among Sở Nội vụ (the other fields), Sở Y tế, Sở Nông nghiệp và Môi trường and Sở Giáo dục và Đào tạo."""

import datetime as dt

import pytest

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.plans.models import Assignment, Task
from dondoc.tracking import actions, handover, spans
from dondoc.tracking.models import HandOverItem, StatusSpan, Update
from dondoc.tracking.status import Status, status_on

MARCH_1 = dt.date(2025, 3, 1)


@pytest.fixture
def merged(plan, people, orgs, settings):
    """Before the merger: Sở KH&ĐT reports on its task; then the first day of Sở Tài chính's new structure."""
    settings.DEMO_TODAY = dt.date(2024, 11, 20)
    theirs = Assignment.objects.get(task__plan=plan, task__ref="III.2#1", agency=orgs["skhdt"])
    officer = User.objects.create(username="khdt.cb", role=Role.FOCAL, agency=orgs["skhdt"])
    actions.do_post_update(theirs, officer, text="Đã đôn đốc các sở", percent=40)
    settings.DEMO_TODAY = MARCH_1
    return {"assignment": theirs, "officer": officer}


def status_of(assignment_id, day):
    span = spans.on(day, StatusSpan.objects.filter(assignment_id=assignment_id)).first()
    return status_on(span.state, span.due, day) if span else None


def test_hand_over_to_the_one_successor_keeps_the_history(merged, plan, people, orgs):
    skhdt, stc = orgs["skhdt"], orgs["stc"]
    open_before = list(handover.open_assignments(skhdt, MARCH_1))
    # Its own III.2 tasks, and its part of the groups' tasks (1.3#1 "các cơ quan, đơn vị liên quan", III.1#1 "giám
    # đốc các sở"), none done.
    assert {a.task.ref for a in open_before} == {"III.2#1", "III.2#2", "III.1#1", "1.3#1"}
    proposal = handover.propose(skhdt, MARCH_1)
    assert all([s.code for s in p.successors] == ["stc"] for p in proposal)

    done = handover.do_hand_over(skhdt, people["coordinator"], request=None)

    assert done.effective == MARCH_1 and done.items.count() == 4
    old = merged["assignment"]
    old.refresh_from_db()
    new = Assignment.objects.get(predecessor=old)
    assert (new.agency, new.role, new.task_id) == (stc, old.role, old.task_id)
    assert old.ended_at is not None and new.added_at == old.ended_at
    # The history stays with the old agency; the successor starts clean.
    assert list(Update.objects.filter(assignment=old).values_list("text", flat=True)) == ["Đã đôn đốc các sở"]
    assert not Update.objects.filter(assignment=new).exists()
    # Overdue since 16/12/2024: Sở KH&ĐT's lateness before the day, Sở Tài chính's from it.
    late_old = Assignment.objects.get(task__ref="III.2#2", agency=skhdt)
    late_new = Assignment.objects.get(predecessor=late_old)
    assert status_of(late_old.pk, dt.date(2025, 2, 28)) == Status.OVERDUE
    assert status_of(late_old.pk, MARCH_1) == Status.CANCELLED
    assert status_of(late_new.pk, dt.date(2025, 2, 28)) is None
    assert status_of(late_new.pk, MARCH_1) == Status.OVERDUE
    assert not list(handover.open_assignments(skhdt, MARCH_1))
    # The agency's people and the plan it coordinated went with the work; one audit event says it all.
    merged["officer"].refresh_from_db()
    people["coordinator"].refresh_from_db()
    assert merged["officer"].agency == stc and people["coordinator"].agency == stc
    plan.refresh_from_db()
    assert plan.coordinating_agency == stc
    # Sở Tài chính's people are told, with a link to their work list.
    from dondoc.tracking.models import Notification

    told = Notification.objects.get(user=people["partner_focal"], kind="assigned", text__startswith="Tiếp nhận")
    assert told.text == "Tiếp nhận 4 nhiệm vụ của Sở Kế hoạch và Đầu tư từ ngày 01/03/2025" and told.url == "/viec-cua-toi/"
    event = Event.objects.get(action="agency.handed_over")
    assert event.changes["assignments"] == 4 and event.changes["successors"] == {"stc": 4}


def test_the_old_agency_can_no_longer_report_on_what_it_handed_over(merged, people, orgs):
    handover.do_hand_over(orgs["skhdt"], people["coordinator"])
    with pytest.raises(actions.TrackingError, match="chuyển cho cơ quan khác"):
        actions.do_post_update(merged["assignment"], merged["officer"], text="Muộn")


def test_work_done_is_not_moved(merged, plan, people, orgs, settings):
    settings.DEMO_TODAY = dt.date(2024, 12, 1)
    theirs = Assignment.objects.get(task__plan=plan, task__ref="III.2#2", agency=orgs["skhdt"])
    claim = actions.do_claim(theirs, merged["officer"], completed_on=dt.date(2024, 11, 30))
    actions.do_confirm(claim, people["coordinator"])
    settings.DEMO_TODAY = MARCH_1
    done = handover.do_hand_over(orgs["skhdt"], people["coordinator"])
    assert theirs.pk not in set(done.items.values_list("old_id", flat=True))
    theirs.refresh_from_db()
    assert theirs.ended_at is None and not Assignment.objects.filter(predecessor=theirs).exists()
    assert status_of(theirs.pk, MARCH_1) == Status.DONE_ON_TIME


def test_several_successors_by_field(plan, people, orgs, settings):
    settings.DEMO_TODAY = MARCH_1
    section = plan.tasks.get(ref="III.1#1").section
    poverty = Task.objects.create(plan=plan, section=section, ref="III.9#1", order=900,
                                  text="Rà soát hộ nghèo, hộ cận nghèo và thực hiện chính sách giảm nghèo")
    children = Task.objects.create(plan=plan, section=section, ref="III.9#2", order=901,
                                   text="Bảo vệ trẻ em và bảo trợ xã hội")
    for task in (poverty, children):
        Assignment.objects.create(task=task, agency=orgs["sldtbxh"], role="lead")
    proposed = {p.assignment.task.ref: [s.code for s in p.successors] for p in handover.propose(orgs["sldtbxh"], MARCH_1)}
    assert proposed["III.9#1"] == ["snnmt"]
    assert proposed["III.9#2"] == ["syt"]
    assert proposed["III.1#1"] == ["snv"]  # no field named: the successor of the other fields
    # The coordinator gives the children's task to both Sở Y tế and Sở Nội vụ: each its own assignment, the task
    # open as long as either is (the multi-lead rule).
    children_lead = Assignment.objects.get(task=children, agency=orgs["sldtbxh"])
    choices = {p.assignment.pk: [s.pk for s in p.successors] for p in handover.propose(orgs["sldtbxh"], MARCH_1)}
    choices[children_lead.pk] = [orgs["syt"].pk, orgs["snv"].pk]
    handover.do_hand_over(orgs["sldtbxh"], people["coordinator"], choices=choices)
    assert set(Assignment.objects.filter(predecessor=children_lead).values_list("agency__code", flat=True)) == {"syt", "snv"}
    assert Assignment.objects.get(predecessor__task=poverty).agency.code == "snnmt"


@pytest.mark.parametrize("change, said", [
    ({"effective": dt.date(2025, 2, 28)}, "phải sau ngày cuối cùng"),
    ({"agency": "stc"}, "vẫn còn hoạt động"),
    ({"to": "sxd"}, "không phải cơ quan kế thừa"),
])
def test_refused_with_a_reason_and_nothing_written(merged, people, orgs, change, said):
    agency = orgs[change.get("agency", "skhdt")]
    kwargs = {"effective": change["effective"]} if "effective" in change else {}
    if "to" in change:
        kwargs["choices"] = {a.pk: [orgs[change["to"]].pk] for a in handover.open_assignments(agency, MARCH_1)}
    before = Assignment.objects.count()
    with pytest.raises(actions.TrackingError, match=said):
        handover.do_hand_over(agency, people["coordinator"], **kwargs)
    assert Assignment.objects.count() == before and not HandOverItem.objects.exists()
    assert not Assignment.objects.filter(ended_at__isnull=False).exists()


def test_only_a_coordinator_hands_over(merged, people, orgs):
    from dondoc.tracking.access import Forbidden

    for who in ("leader", "lead_head", "viewer"):
        with pytest.raises(Forbidden):
            handover.do_hand_over(orgs["skhdt"], people[who])


def test_undo_the_same_day_puts_everything_back(merged, plan, people, orgs, settings):
    old_coordinator = plan.coordinating_agency
    before = {a.pk: status_of(a.pk, MARCH_1) for a in handover.open_assignments(orgs["skhdt"], MARCH_1)}
    done = handover.do_hand_over(orgs["skhdt"], people["coordinator"])
    handover.do_undo_hand_over(done, people["coordinator"])
    assert not Assignment.objects.filter(predecessor__isnull=False).exists()
    assert {pk: status_of(pk, MARCH_1) for pk in before} == before
    merged["officer"].refresh_from_db()
    plan.refresh_from_db()
    assert merged["officer"].agency == orgs["skhdt"] and plan.coordinating_agency == old_coordinator
    with pytest.raises(actions.Conflict):
        handover.do_undo_hand_over(done, people["coordinator"])
    assert Event.objects.filter(action="agency.handover_undone").count() == 1


def test_no_undo_once_the_successor_has_reported_or_the_day_is_over(merged, people, orgs, settings):
    done = handover.do_hand_over(orgs["skhdt"], people["coordinator"])
    new = Assignment.objects.get(predecessor=merged["assignment"])
    settings.DEMO_TODAY = dt.date(2025, 3, 2)
    with pytest.raises(actions.TrackingError, match="trong ngày"):
        handover.do_undo_hand_over(done, people["coordinator"])
    settings.DEMO_TODAY = MARCH_1
    merged["officer"].refresh_from_db()  # moved to Sở Tài chính with the work
    actions.do_post_update(new, merged["officer"], text="Sở Tài chính tiếp tục theo dõi")
    with pytest.raises(actions.Conflict, match="đã báo cáo"):
        handover.do_undo_hand_over(done, people["coordinator"])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_hand_over_racing_a_report_waits_for_it_and_loses_nothing(plan, people, orgs, settings):
    """A report on an assignment being handed over: the hand-over waits for the report's row lock, then moves the
    assignment with the report in its history; a report arriving after is told the work has moved."""
    import threading

    from django.db import connection, transaction

    settings.DEMO_TODAY = MARCH_1
    theirs = Assignment.objects.get(task__plan=plan, task__ref="III.2#1", agency=orgs["skhdt"])
    officer = User.objects.create(username="khdt.cb2", role=Role.FOCAL, agency=orgs["skhdt"])
    holding, release, finished = threading.Event(), threading.Event(), threading.Event()
    outcome = {}

    def report():
        try:
            with transaction.atomic():
                actions.do_post_update(theirs, officer, text="Báo cáo trước khi bàn giao")
                holding.set()
                release.wait(20)
        finally:
            connection.close()

    def hand_over():
        try:
            outcome["handover"] = handover.do_hand_over(orgs["skhdt"], people["coordinator"])
        except Exception as exc:  # noqa: BLE001 - the test reads what the thread met
            outcome["handover"] = exc
        finally:
            finished.set()
            connection.close()

    first = threading.Thread(target=report)
    first.start()
    assert holding.wait(20)
    second = threading.Thread(target=hand_over)
    second.start()
    assert not finished.wait(1.5)  # waiting on the report's lock
    release.set()
    first.join(20)
    second.join(20)
    assert not isinstance(outcome["handover"], Exception), outcome
    theirs.refresh_from_db()
    assert theirs.ended_at is not None
    assert list(Update.objects.filter(assignment=theirs).values_list("text", flat=True)) == ["Báo cáo trước khi bàn giao"]
    with pytest.raises(actions.TrackingError, match="chuyển cho cơ quan khác"):
        actions.do_post_update(theirs, officer, text="Báo cáo sau khi bàn giao")


def test_the_successor_has_its_grace_period_and_the_old_agency_keeps_its_lateness(merged, people, orgs, settings):
    """III.2#2 was due 15/12/2024: overdue for Sở KH&ĐT up to its last day; with DONDOC_HANDOVER_GRACE_DAYS=10 Sở Tài
    chính is in time until 11/03/2025 and late from 12/03; the page's status (Python) and the figures' (the status
    cache) agree."""
    from dondoc.tracking.state import annotate, with_records

    settings.HANDOVER_GRACE_DAYS = 10
    handover.do_hand_over(orgs["skhdt"], people["coordinator"])
    old = Assignment.objects.get(task__ref="III.2#2", agency=orgs["skhdt"])
    new = Assignment.objects.get(predecessor=old)
    assert status_of(old.pk, dt.date(2025, 2, 28)) == Status.OVERDUE
    for day, expected in ((MARCH_1, Status.OPEN_IN_TIME), (dt.date(2025, 3, 11), Status.OPEN_IN_TIME),
                          (dt.date(2025, 3, 12), Status.OVERDUE)):
        assert status_of(new.pk, day) == expected, day
        [shown] = annotate(with_records(Assignment.objects.filter(pk=new.pk)), as_of=day)
        assert shown.status == expected, day
    # Without a grace period the successor is late from the first day.
    settings.HANDOVER_GRACE_DAYS = 0
    spans.refresh([new.pk])
    assert status_of(new.pk, MARCH_1) == Status.OVERDUE


@pytest.mark.parametrize("grace, extended_to, expected_due", [
    (0, dt.date(2025, 4, 30), dt.date(2025, 4, 30)),
    (10, dt.date(2025, 4, 30), dt.date(2025, 4, 30)),
    (10, dt.date(2025, 3, 5), dt.date(2025, 3, 11)),  # the grace period ends later: it holds
])
def test_the_successor_keeps_the_deadline_the_leader_extended(merged, plan, people, orgs, settings, grace, extended_to,
                                                              expected_due):
    """III.2#2 (due 15/12/2024) extended for Sở KH&ĐT: Sở Tài chính receives it in time, due the later of the extended
    deadline and its grace period, late the day after — on the page and in the figures; undone, the inherited
    extension goes with the assignment."""
    from dondoc.tracking.models import Extension
    from dondoc.tracking.state import annotate, with_records

    settings.HANDOVER_GRACE_DAYS = grace
    settings.DEMO_TODAY = dt.date(2024, 12, 20)
    old = Assignment.objects.get(task__plan=plan, task__ref="III.2#2", agency=orgs["skhdt"])
    ext = actions.do_request_extension(old, merged["officer"], new_deadline=extended_to, reason="Chờ số liệu")
    actions.do_decide_extension(ext, people["leader"], approve=True, note="Đồng ý")
    settings.DEMO_TODAY = MARCH_1
    done = handover.do_hand_over(orgs["skhdt"], people["coordinator"], accounts="keep")
    new = Assignment.objects.get(predecessor=old)
    [shown] = annotate(with_records(Assignment.objects.filter(pk=new.pk)), as_of=MARCH_1)
    assert shown.status == Status.OPEN_IN_TIME and shown.effective_due == expected_due
    assert status_of(new.pk, expected_due) == Status.OPEN_IN_TIME
    assert status_of(new.pk, expected_due + dt.timedelta(days=1)) == Status.OVERDUE
    inherited = list(Extension.objects.filter(assignment=new))
    if expected_due == extended_to:
        assert [(e.state, e.decided_by) for e in inherited] == [("approved", people["leader"])]
        assert "Kế thừa gia hạn" in inherited[0].reason
    handover.do_undo_hand_over(done, people["coordinator"])
    assert not Assignment.objects.filter(pk=new.pk).exists()
    assert not Extension.objects.filter(pk__in=[e.pk for e in inherited]).exists()
    assert Extension.objects.filter(assignment=old, state="approved").count() == 1
