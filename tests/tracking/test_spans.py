"""The status cache (StatusSpan) stays equal to a fresh replay of the records through every action, and its
rebuild and check paths work."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dondoc.plans.models import Assignment
from dondoc.tracking import actions, spans
from dondoc.tracking.models import StatusSpan
from dondoc.tracking.state import annotate, with_records
from dondoc.tracking.status import Status, status_on
from dondoc.tracking.work import WorkList


def cached_status(assignment, day):
    span = spans.on(day, StatusSpan.objects.filter(assignment=assignment)).get()
    return status_on(span.state, span.due, day)


def replayed_status(assignment, day):
    return annotate(with_records(Assignment.objects.filter(pk=assignment.pk)), day)[0].status


def test_publishing_fills_the_cache(plan):
    assert StatusSpan.objects.filter(plan=plan).values("assignment").distinct().count() == \
        Assignment.objects.filter(task__plan=plan).count()
    assert spans.check() == []


def test_every_action_keeps_the_cache_true(plan, lead, partner, people, orgs, settings):
    versions = [spans.version()]

    def step(day):
        settings.DEMO_TODAY = day
        assert spans.check() == []
        versions.append(spans.version())

    settings.DEMO_TODAY = dt.date(2024, 9, 20)
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 19))
    step(dt.date(2024, 9, 22))
    actions.do_return(claim, people["coordinator"], reason="Thiếu văn bản")
    step(dt.date(2024, 9, 25))
    ext = actions.do_request_extension(lead, people["lead_head"], new_deadline=dt.date(2024, 10, 31), reason="Chờ hướng dẫn")
    actions.do_decide_extension(ext, people["coordinator"], approve=True)
    step(dt.date(2024, 10, 30))
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 10, 30))
    actions.do_confirm(claim, people["coordinator"])
    step(dt.date(2024, 11, 2))
    other = plan.tasks.get(ref="1.1#2")
    actions.do_amend_task(other, people["coordinator"], version=other.version, deadline_date=dt.date(2024, 10, 1))
    step(dt.date(2024, 11, 3))
    actions.do_set_agency(lead.task, people["coordinator"], agency=orgs["sct"], role="coordinating", add=True)
    step(dt.date(2024, 11, 4))
    actions.do_set_agency(lead.task, people["coordinator"], agency=partner.agency, role="coordinating", add=False)
    step(dt.date(2024, 11, 5))
    actions.do_cancel_task(other, people["coordinator"], reason="Không còn phù hợp")
    step(dt.date(2024, 11, 6))
    assert versions == sorted(set(versions)), "each change moves the version on"
    # The cache answers for every past day exactly as a replay of the records does.
    for day in (dt.date(2024, 9, 19), dt.date(2024, 9, 21), dt.date(2024, 9, 30), dt.date(2024, 10, 1),
                dt.date(2024, 10, 29), dt.date(2024, 11, 1), dt.date(2024, 11, 6)):
        assert cached_status(lead, day) == replayed_status(lead, day), day
    assert cached_status(lead, dt.date(2024, 9, 21)) is Status.AWAITING
    assert cached_status(lead, dt.date(2024, 10, 1)) is Status.OPEN_IN_TIME  # extended to 31/10
    assert cached_status(lead, dt.date(2024, 11, 6)) is Status.DONE_ON_TIME
    added = Assignment.objects.get(task=lead.task, agency=orgs["sct"])
    assert not spans.on(dt.date(2024, 11, 2), StatusSpan.objects.filter(assignment=added)).exists()  # added 03/11
    assert cached_status(partner, dt.date(2024, 11, 6)) is Status.CANCELLED


def test_orm_writes_outside_actions_keep_the_cache_true(plan, lead):
    lead.task.deadline_date = dt.date(2024, 8, 1)
    lead.task.save()
    assert cached_status(lead, dt.date(2024, 8, 2)) is Status.OVERDUE and spans.check() == []


def test_check_finds_a_stale_cache_and_rebuild_repairs_it(plan, lead):
    StatusSpan.objects.filter(assignment=lead).update(state="done_on_time")
    StatusSpan.objects.filter(assignment__task__ref="1.1#2").delete()
    assert set(spans.check()) == {lead.pk, *plan.tasks.get(ref="1.1#2").assignments.values_list("pk", flat=True)}
    with pytest.raises(CommandError, match="stale"):
        call_command("status_spans", "--check")
    call_command("status_spans", "--rebuild")
    call_command("status_spans", "--check")
    assert spans.check() == []


def test_work_list_counts_agree_with_the_replay(plan, lead, people, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)  # 1.1#1 (due 30/9) is overdue
    work = WorkList(lead.agency_id)
    counts = work.counts()
    # The status groups divide the work, each assignment once ("Cần xử lý" overlays them).
    assert counts["overdue"] == 1 and sum(n for key, n in counts.items() if key != "action") == \
        Assignment.objects.filter(agency=lead.agency).count()
    [item] = work.items(work.rows("overdue"))
    assert item.pk == lead.pk and item.days_late == 5 and item.status is Status.OVERDUE


def _brute_groups(agency, day):
    """The work list's groups from a replay of every assignment's records (the slow way, for comparison)."""
    from dondoc.tracking.models import Direction

    directed = set(Direction.objects.values_list("task_id", flat=True))
    out = set()
    for a in annotate(with_records(Assignment.objects.filter(agency=agency, task__plan__status="published")), day):
        s = a.status
        if s is Status.CANCELLED:
            continue
        kinds = [r.kind for r in sorted(a.records, key=lambda r: r.at) if r.kind in ("claim", "return") and r.local_day <= day]
        returned = kinds[-1:] == ["return"]
        # Every item in one group by its status; one returned or directed and not done also under "Cần xử lý".
        if s is Status.OVERDUE:
            out.add((a.pk, "overdue"))
        elif s.is_done:
            out.add((a.pk, "done"))
        elif s is Status.OPEN_IN_TIME and a.effective_due and a.effective_due <= day + dt.timedelta(days=7):
            out.add((a.pk, "soon"))
        else:
            out.add((a.pk, "rest"))
        if (returned or a.task_id in directed) and not s.is_done:
            out.add((a.pk, "action"))
    return out


def test_work_list_on_the_day_and_on_a_past_day_agree_with_the_replay(plan, lead, people, settings):
    other = plan.tasks.get(ref="1.1#2").assignments.get(role="lead")
    settings.DEMO_TODAY = dt.date(2024, 9, 26)
    actions.do_return(actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 26)),
                      people["coordinator"], reason="Thiếu hồ sơ")
    settings.DEMO_TODAY = dt.date(2024, 10, 3)
    actions.do_confirm(actions.do_claim(other, people["lead_head"], completed_on=dt.date(2024, 10, 3)), people["coordinator"])
    # Today (nothing after it: the current spans, through the partial index) and two past days (the general path).
    found = {}
    for day in (dt.date(2024, 10, 3), dt.date(2024, 9, 27), dt.date(2024, 9, 20)):
        work = WorkList(lead.agency_id, day)
        counts, groups = work.first_of_each_group(50)
        found[day] = {(item.pk, key) for key, items in groups.items() for item in items}
        assert found[day] == _brute_groups(lead.agency, day), day
        assert counts == {key: len(items) for key, items in groups.items()}, day
    # Returned on 26/9, due 30/9: under "Cần xử lý" and under "Đến hạn trong 7 ngày" on 27/9.
    assert {key for pk, key in found[dt.date(2024, 9, 27)] if pk == lead.pk} == {"action", "soon"}
    # Not yet claimed, due 30/9: more than 7 days away.
    assert {key for pk, key in found[dt.date(2024, 9, 20)] if pk == lead.pk} == {"rest"}
    assert {key for pk, key in found[dt.date(2024, 10, 3)] if pk == other.pk} == {"done"}
