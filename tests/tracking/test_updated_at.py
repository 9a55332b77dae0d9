"""When an assignment or a task last changed (issue 17: the API's `updated_since` and its "updated" order): every
action moves on `updated_at` of what it changed and of what that is under, in its own transaction; a migration
fills both columns from the records already there."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from dondoc.plans.models import Assignment, Plan, Task
from dondoc.tracking import actions
from dondoc.tracking.status import LOCAL_TZ
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)

LONG_AGO = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture
def still(plan):
    """Every row as of long ago; returns what moved since: ({task refs}, {(task ref, agency code, role)})."""
    Task.objects.update(updated_at=LONG_AGO)
    Assignment.objects.update(updated_at=LONG_AGO)

    def moved():
        tasks = set(Task.objects.filter(updated_at__gt=LONG_AGO).values_list("ref", flat=True))
        assignments = set(Assignment.objects.filter(updated_at__gt=LONG_AGO)
                          .values_list("task__ref", "agency__code", "role"))
        return tasks, assignments
    return moved


def test_reports_claims_and_their_decisions(still, lead, people):
    mine = {("1.1#1", "syt", "lead")}
    update = actions.do_post_update(lead, people["lead_focal"], text="Đang triển khai")
    assert still() == ({"1.1#1"}, mine)
    Task.objects.update(updated_at=LONG_AGO)
    Assignment.objects.update(updated_at=LONG_AGO)
    actions.do_withdraw_update(update, people["lead_focal"], reason="Nhầm")
    assert still() == ({"1.1#1"}, mine)
    Assignment.objects.update(updated_at=LONG_AGO)
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 10))
    assert still()[1] == mine
    Assignment.objects.update(updated_at=LONG_AGO)
    actions.do_return(claim, people["coordinator"], reason="Thiếu sản phẩm")
    assert still()[1] == mine


def test_extensions_and_the_person_in_charge(still, lead, people):
    extension = actions.do_request_extension(lead, people["lead_focal"], new_deadline=dt.date(2024, 11, 30), reason="Chờ vốn")
    assert still() == ({"1.1#1"}, {("1.1#1", "syt", "lead")})
    Assignment.objects.update(updated_at=LONG_AGO)
    actions.do_decide_extension(extension, people["coordinator"], approve=True)
    assert still()[1] == {("1.1#1", "syt", "lead")}
    Assignment.objects.update(updated_at=LONG_AGO)
    actions.do_assign_person(lead, people["lead_head"], people["lead_focal"])
    assert still()[1] == {("1.1#1", "syt", "lead")}


def test_a_partners_report_moves_its_own_assignment_only(still, partner, people):
    actions.do_post_update(partner, people["partner_focal"], text="Đã cung cấp số liệu")
    assert still() == ({"1.1#1"}, {("1.1#1", "stc", "coordinating")})


def test_directions_to_everyone_or_to_one_and_their_acknowledgement(still, lead, people):
    task = lead.task
    to_one = actions.do_give_direction(task, people["leader"], text="Sở Y tế báo cáo ngay", agency=lead.agency)
    assert still() == ({"1.1#1"}, {("1.1#1", "syt", "lead")})
    actions.do_give_direction(task, people["leader"], text="Khẩn trương")
    assert still()[1] == {("1.1#1", "syt", "lead"), ("1.1#1", "stc", "coordinating")}
    Assignment.objects.update(updated_at=LONG_AGO)
    actions.do_acknowledge(to_one, people["lead_focal"])
    assert still()[1] == {("1.1#1", "syt", "lead")}


def test_amending_or_cancelling_a_task_moves_it_and_its_assignments(still, lead, people, orgs):
    task = lead.task
    actions.do_amend_task(task, people["coordinator"], version=task.version, text="Triển khai bệnh án điện tử")
    assert still() == ({"1.1#1"}, {("1.1#1", "syt", "lead"), ("1.1#1", "stc", "coordinating")})
    Task.objects.update(updated_at=LONG_AGO)
    Assignment.objects.update(updated_at=LONG_AGO)
    actions.do_set_agency(task, people["coordinator"], agency=orgs["sct"], role="coordinating", add=True)
    assert still() == ({"1.1#1"}, {("1.1#1", "sct", "coordinating")})
    other = Task.objects.get(plan=task.plan, ref="1.1#2")
    actions.do_cancel_task(other, people["coordinator"], reason="Không còn phù hợp")
    assert still()[0] == {"1.1#1", "1.1#2"} and ("1.1#2", "syt", "lead") in still()[1]


def test_the_migration_fills_both_from_the_records(still, lead, partner, people, settings):
    settings.DEMO_TODAY = dt.date(2024, 9, 20)
    actions.do_post_update(partner, people["partner_focal"], text="Đã cung cấp số liệu")
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 18))
    settings.DEMO_TODAY = dt.date(2024, 9, 25)
    actions.do_confirm(claim, people["coordinator"])
    Task.objects.update(updated_at=LONG_AGO)
    Assignment.objects.update(updated_at=LONG_AGO)
    published = dt.datetime(2024, 5, 10, 9, 0, tzinfo=dt.timezone.utc)
    Plan.objects.filter(pk=lead.task.plan_id).update(published_at=published)  # published with the real clock
    migration = importlib.import_module("dondoc.tracking.migrations.0004_backfill_updated_at")
    migration.backfill(apps, None)
    claim.refresh_from_db()
    # The confirmation, or its audit event a moment later.
    assert dt.timedelta(0) <= Assignment.objects.get(pk=lead.pk).updated_at - claim.decided_at < dt.timedelta(seconds=1)
    # The demo day is a day in Vietnam: after 17:00 UTC its moments fall on the day before in UTC.
    assert Assignment.objects.get(pk=partner.pk).updated_at.astimezone(LOCAL_TZ).date() == dt.date(2024, 9, 20)
    assert Task.objects.get(pk=lead.task_id).updated_at == Assignment.objects.get(pk=lead.pk).updated_at  # the latest under it
    assert Task.objects.get(plan=lead.task.plan, ref="1.1#2").updated_at == published  # nothing since publication
