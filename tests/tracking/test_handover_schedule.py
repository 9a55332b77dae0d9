"""A hand-over prepared before its day (issue 18): checked and kept as a schedule, nothing moves until the day; the
worker's sweep applies it then, with what was chosen and what opened since; cancelled before; failed with a reason
when the organisation changed meanwhile. On Plan 12/KH-UBND of the tests and the fixture's Sở KH&ĐT → Sở Tài chính
(last day 28/02/2025)."""

import datetime as dt

import pytest
from django.core.management import call_command

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.plans.models import Assignment
from dondoc.tracking import actions, handover, spans
from dondoc.tracking.models import HandOver, HandOverItem, Notification, StatusSpan
from dondoc.tracking.status import Status, status_on

FEB_20, FEB_28, MARCH_1 = dt.date(2025, 2, 20), dt.date(2025, 2, 28), dt.date(2025, 3, 1)


@pytest.fixture
def before(plan, people, orgs, settings):
    """20/02/2025: Sở KH&ĐT still works, its last day (28/02) known; one of its officers."""
    settings.DEMO_TODAY = FEB_20
    officer = User.objects.create(username="khdt.cb", role=Role.FOCAL, agency=orgs["skhdt"])
    return {"officer": officer, "skhdt": orgs["skhdt"], "stc": orgs["stc"]}


def status_of(assignment_id, day):
    span = spans.on(day, StatusSpan.objects.filter(assignment_id=assignment_id)).first()
    return status_on(span.state, span.due, day) if span else None


def theirs(plan, orgs, ref):
    return Assignment.objects.get(task__plan=plan, task__ref=ref, agency=orgs["skhdt"])


def test_prepared_before_the_day_moves_nothing_until_the_worker_applies_it(before, plan, people, orgs, settings):
    skhdt, stc, officer = before["skhdt"], before["stc"], before["officer"]
    first = theirs(plan, orgs, "III.2#1")

    scheduled = handover.do_hand_over(skhdt, people["coordinator"], effective=MARCH_1)

    assert scheduled.state == HandOver.State.SCHEDULED and scheduled.applied_at is None
    assert not scheduled.items.exists() and not Assignment.objects.filter(predecessor__isnull=False).exists()
    assert len([v for v in scheduled.choices.values() if v]) == 4
    officer.refresh_from_db()
    assert officer.agency == skhdt and officer.is_active
    assert Event.objects.filter(action="agency.handover_scheduled").count() == 1
    assert not Event.objects.filter(action="agency.handed_over").exists()
    # Until its last day the agency keeps its work: it still reports.
    settings.DEMO_TODAY = dt.date(2025, 2, 25)
    actions.do_post_update(first, officer, text="Đã họp triển khai", percent=60)
    assert handover.apply_due(FEB_28) == {"applied": 0, "failed": 0}
    assert HandOver.objects.get().state == HandOver.State.SCHEDULED

    # The day comes: the worker's sweep (the same as `dondoc send_reminders` for cron) applies it.
    settings.DEMO_TODAY = MARCH_1
    call_command("send_reminders", "--no-mail", stdout=open("/dev/null", "w"))
    scheduled.refresh_from_db()
    assert scheduled.state == HandOver.State.APPLIED and scheduled.applied_at is not None
    assert scheduled.items.values("old_id").distinct().count() == 4
    first.refresh_from_db()
    new = Assignment.objects.get(predecessor=first)
    assert new.agency == stc and first.ended_at == new.added_at
    assert list(first.updates.values_list("text", flat=True)) == ["Đã họp triển khai"]
    late = theirs(plan, orgs, "III.2#2")
    assert status_of(late.pk, FEB_28) == Status.OVERDUE and status_of(late.pk, MARCH_1) == Status.CANCELLED
    assert status_of(Assignment.objects.get(predecessor=late).pk, MARCH_1) == Status.OVERDUE
    officer.refresh_from_db()
    assert officer.agency == stc
    assert Notification.objects.filter(user=people["partner_focal"], text__startswith="Tiếp nhận 4 nhiệm vụ").exists()
    event = Event.objects.get(action="agency.handed_over")
    assert event.actor_id == people["coordinator"].pk and event.changes["handover"] == scheduled.pk
    # A second sweep the same day finds nothing more to do.
    assert handover.apply_due(MARCH_1) == {"applied": 0, "failed": 0}
    assert HandOver.objects.count() == 1


def test_on_the_day_the_rows_left_stay_work_done_stays_and_work_opened_since_moves(before, plan, people, orgs,
                                                                                   settings):
    skhdt = before["skhdt"]
    kept, done_meanwhile = theirs(plan, orgs, "III.2#2"), theirs(plan, orgs, "III.2#1")
    proposal = handover.propose(skhdt, MARCH_1)
    choices = {p.assignment.pk: [s.pk for s in p.successors] for p in proposal if p.assignment.pk != kept.pk}
    handover.do_hand_over(skhdt, people["coordinator"], effective=MARCH_1, choices=choices, accounts="keep")
    # After it was prepared: one task done and confirmed, one more task given to the agency.
    claim = actions.do_claim(done_meanwhile, before["officer"], completed_on=FEB_20)
    actions.do_confirm(claim, people["coordinator"])
    other = (Assignment.objects.filter(task__plan=plan).exclude(task__assignments__agency=skhdt)
             .exclude(task__assignments__agency=before["stc"]).select_related("task").first())
    added = Assignment.objects.create(task=other.task, agency=skhdt, role="coordinating")
    spans.refresh([added.pk])

    settings.DEMO_TODAY = MARCH_1
    assert handover.apply_due() == {"applied": 1, "failed": 0}
    moved = set(HandOver.objects.get().items.values_list("old_id", flat=True))
    assert kept.pk not in moved and done_meanwhile.pk not in moved and added.pk in moved
    kept.refresh_from_db()
    done_meanwhile.refresh_from_db()
    assert kept.ended_at is None and done_meanwhile.ended_at is None
    assert status_of(done_meanwhile.pk, MARCH_1) in (Status.DONE_ON_TIME, Status.DONE_LATE)  # done, not handed over
    assert Assignment.objects.get(predecessor=added).agency == before["stc"]
    before["officer"].refresh_from_db()
    assert before["officer"].agency == skhdt  # "keep" was chosen


def test_a_schedule_is_cancelled_before_its_day_and_then_never_applies(before, plan, people, orgs, settings):
    scheduled = handover.do_hand_over(before["skhdt"], people["coordinator"], effective=MARCH_1)
    handover.do_undo_hand_over(scheduled, people["coordinator"])
    scheduled.refresh_from_db()
    assert scheduled.state == HandOver.State.CANCELLED and scheduled.undone_by == people["coordinator"]
    assert Event.objects.filter(action="agency.handover_cancelled").count() == 1
    settings.DEMO_TODAY = MARCH_1
    assert handover.apply_due() == {"applied": 0, "failed": 0}
    assert not Assignment.objects.filter(ended_at__isnull=False).exists()
    with pytest.raises(actions.Conflict):
        handover.do_undo_hand_over(scheduled, people["coordinator"])


def test_one_schedule_at_a_time_and_no_hand_over_beside_it(before, people, settings):
    handover.do_hand_over(before["skhdt"], people["coordinator"], effective=MARCH_1)
    with pytest.raises(actions.Conflict, match="Đã có lịch bàn giao"):
        handover.do_hand_over(before["skhdt"], people["coordinator"], effective=dt.date(2025, 3, 2))
    settings.DEMO_TODAY = dt.date(2025, 3, 5)  # the worker has not run yet: the coordinator must not move it twice
    with pytest.raises(actions.Conflict, match="Đã có lịch bàn giao"):
        handover.do_hand_over(before["skhdt"], people["coordinator"], effective=MARCH_1)
    assert HandOver.objects.count() == 1


def test_checked_when_prepared_as_when_applied(before, people, orgs):
    with pytest.raises(actions.TrackingError, match="phải sau ngày cuối cùng"):
        handover.do_hand_over(before["skhdt"], people["coordinator"], effective=FEB_28)
    with pytest.raises(actions.TrackingError, match="không phải cơ quan kế thừa"):
        handover.do_hand_over(before["skhdt"], people["coordinator"], effective=MARCH_1, choices={
            a.pk: [orgs["sxd"].pk] for a in handover.open_assignments(before["skhdt"], FEB_20)})
    assert not HandOver.objects.exists()


def test_a_schedule_the_organisation_overtook_fails_visibly_and_moves_nothing(before, people, orgs, settings):
    scheduled = handover.do_hand_over(before["skhdt"], people["coordinator"], effective=MARCH_1)
    # Meanwhile the successor's own end is recorded the day before (a later decision): it cannot take the work.
    stc = orgs["stc"]
    stc.valid_to = FEB_28
    stc.save(update_fields=["valid_to"])
    settings.DEMO_TODAY = MARCH_1

    assert handover.apply_due() == {"applied": 0, "failed": 1}

    scheduled.refresh_from_db()
    assert scheduled.state == HandOver.State.FAILED and "không phải cơ quan kế thừa" in scheduled.error
    assert not Assignment.objects.filter(ended_at__isnull=False).exists() and not scheduled.items.exists()
    told = Notification.objects.get(user=people["coordinator"], kind="handover")
    assert "không áp dụng được" in told.text and told.url == f"/ban-giao/{before['skhdt'].pk}/"
    assert Event.objects.filter(action="agency.handover_failed").count() == 1
    assert handover.apply_due() == {"applied": 0, "failed": 0}  # told once, not every sweep


def test_the_workers_minute_applies_it_on_the_day(before, people, settings):
    from dondoc.notify import scheduler

    handover.do_hand_over(before["skhdt"], people["coordinator"], effective=MARCH_1, accounts="keep")
    settings.DEMO_TODAY = MARCH_1
    ran = scheduler.tick(handover.start_of(MARCH_1) + dt.timedelta(hours=7))
    assert ran["handovers"] == {"applied": 1, "failed": 0}
    assert HandOver.objects.get().state == HandOver.State.APPLIED


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_day_apply_it_once(plan, people, orgs, settings):
    """Several workers sweep at once (the lease only saves work): the scheduled row's lock, skipped by the other,
    and its state make one of them apply it; the other finds nothing to do."""
    import threading

    from django.db import connection

    settings.DEMO_TODAY = FEB_20
    handover.do_hand_over(orgs["skhdt"], people["coordinator"], effective=MARCH_1, accounts="keep")
    settings.DEMO_TODAY = MARCH_1
    results, start = [], threading.Barrier(2)

    def sweep():
        try:
            start.wait(10)
            results.append(handover.apply_due(MARCH_1))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(r["applied"] for r in results) == [0, 1] and all(r["failed"] == 0 for r in results)
    assert HandOver.objects.get().state == HandOver.State.APPLIED
    assert HandOverItem.objects.count() == 4  # each assignment moved once, not once per worker
    assert Assignment.objects.filter(predecessor__agency=orgs["skhdt"]).count() == 3  # III.1#1: Sở TC already on it
