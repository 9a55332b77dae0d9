"""The due date and its basis are read once and stored on the task (plans/due.py); every way a task's deadline or a
plan's report date changes keeps the stored due true, and the status cache follows it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.accounts.roles import Role
from dondoc.plans import actions, amend, draft
from dondoc.plans.due import stale
from dondoc.plans.models import Task
from dondoc.tracking import actions as tracking
from dondoc.tracking.models import StatusSpan

from .conftest import make_structure


@pytest.fixture
def today(settings):
    settings.DEMO_TODAY = dt.date(2024, 6, 20)
    return settings.DEMO_TODAY


@pytest.fixture
def imported(orgs, users, today):
    return actions.import_structure(make_structure(), user=users[Role.COORDINATOR])


def _due(task):
    task = Task.objects.get(pk=task.pk)
    return task.due_date, task.due_basis, task.due_label


def _span_dues(task):
    return set(StatusSpan.objects.filter(task=task).values_list("due", flat=True))


def test_an_imported_draft_has_every_due_stored(imported):
    tasks = {t.text[:20]: t for t in imported.tasks.all()}
    # Written from the fixture's deadlines: a printed day, a recurrence, none (the plan's report date, 10/12/2024).
    assert _due(tasks["Triển khai bệnh án đ"]) == (dt.date(2024, 9, 30), "own", "trước ngày 30/9/2024")
    assert _due(tasks["Báo cáo kết quả hằng"]) == (None, "recurring", "Hằng quý")
    assert _due(tasks["Phổ cập kỹ năng số c"]) == (dt.date(2024, 12, 10), "plan_report", "theo hạn báo cáo của Kế hoạch")
    assert stale([imported.pk]) == []


def test_a_reviewers_deadline_edit_and_its_undo_keep_the_due(imported, users):
    task = imported.tasks.get(text__startswith="Phổ cập")
    draft.do_edit_draft_task(task, version=task.version, changes={"deadline_text": "Quý III/2024"},
                             user=users[Role.COORDINATOR])
    assert _due(task) == (dt.date(2024, 9, 30), "period", "Quý III/2024")
    draft.do_undo(imported, user=users[Role.COORDINATOR])
    assert _due(task)[1] == "plan_report"
    assert stale([imported.pk]) == []


def test_amending_a_published_tasks_deadline_moves_its_due_and_its_status(imported, users):
    plan = actions.do_publish_plan(imported)
    task = plan.tasks.get(text__startswith="Triển khai bệnh án")
    assert _span_dues(task) == {dt.date(2024, 9, 30)}
    tracking.do_amend_task(task, users[Role.COORDINATOR], version=task.version, deadline_date=dt.date(2024, 6, 1),
                           deadline_text="trước ngày 01/6/2024")
    assert _due(task) == (dt.date(2024, 6, 1), "own", "trước ngày 01/6/2024")
    assert _span_dues(task) == {dt.date(2024, 6, 1)}
    assert StatusSpan.objects.filter(task=task, end__gt=dt.date(2024, 6, 20), state="open").exists()


def test_a_new_report_date_moves_the_dues_that_follow_it_and_no_other(imported, users):
    plan = actions.do_publish_plan(imported)
    follows = plan.tasks.get(text__startswith="Phổ cập")
    own = plan.tasks.get(text__startswith="Triển khai bệnh án")
    amend.do_amend_plan_header(plan, {"agency_report_date": dt.date(2024, 11, 30)}, user=users[Role.COORDINATOR],
                               amended_on=dt.date(2024, 6, 5), basis="Văn bản số 12/UBND-TH ngày 05/6/2024")
    assert _due(follows)[:2] == (dt.date(2024, 11, 30), "plan_report")
    assert _span_dues(follows) == {dt.date(2024, 11, 30)}
    assert _due(own)[0] == dt.date(2024, 9, 30)
    assert stale([plan.pk]) == []


def test_a_save_that_leaves_the_deadline_alone_reads_nothing_more(imported):
    task = Task.objects.get(pk=imported.tasks.first().pk)
    with CaptureQueriesContext(connection) as queries:
        task.text = task.text + " (sửa)"
        task.save()
    assert not [q for q in queries.captured_queries if "agency_report_date" in q["sql"]], queries.captured_queries


def test_the_check_command_finds_a_stale_due_and_rebuild_makes_it_true(imported):
    plan = actions.do_publish_plan(imported)
    task = plan.tasks.get(text__startswith="Triển khai bệnh án")
    Task.objects.filter(pk=task.pk).update(deadline_date=dt.date(2024, 7, 1))  # behind save()'s back
    with pytest.raises(CommandError, match="1 tasks have a stale due date"):
        call_command("status_spans", "--check")
    call_command("status_spans", "--rebuild")
    assert _due(task)[0] == dt.date(2024, 7, 1) and _span_dues(task) == {dt.date(2024, 7, 1)}
    call_command("status_spans", "--check")
