"""Real threads, real PostgreSQL row locks: nobody's work is silently overwritten."""

import datetime as dt
import threading

import pytest
from django.db import connection

from dondoc.plans.models import Task
from dondoc.tracking import actions
from dondoc.tracking.models import Claim, Update

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def in_threads(n, fn):
    """Start n threads at the same moment; collect what each returned or raised."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_concurrent_updates_are_all_kept(lead, people):
    results = in_threads(8, lambda i: actions.do_post_update(lead, people["lead_focal"], text=f"Báo cáo {i}", percent=i * 10))
    assert all(isinstance(r, Update) for r in results), results
    assert sorted(Update.objects.values_list("text", flat=True)) == sorted(f"Báo cáo {i}" for i in range(8))


def test_two_simultaneous_claims_one_wins_one_is_told(lead, people):
    results = in_threads(2, lambda i: actions.do_claim(lead, people["lead_head" if i else "lead_focal"],
                                                       completed_on=dt.date(2024, 9, 10)))
    assert sum(isinstance(r, Claim) for r in results) == 1
    assert sum(isinstance(r, actions.Conflict) for r in results) == 1
    assert Claim.objects.count() == 1


def test_two_coordinators_amending_the_same_version(lead, people):
    version = lead.task.version
    texts = ["Bản của người thứ nhất", "Bản của người thứ hai"]
    results = in_threads(2, lambda i: actions.do_amend_task(lead.task, people["coordinator" if i else "admin"],
                                                            version=version, text=texts[i]))
    assert sum(isinstance(r, Task) for r in results) == 1
    assert sum(isinstance(r, actions.Conflict) for r in results) == 1
    assert Task.objects.get(pk=lead.task_id).text in texts


def test_reports_of_one_agency_on_two_tasks_do_not_wait_for_each_other(lead, people):
    """The lock of a report is its assignment's and its task's: not the plan's or the agency's, which every report of
    that agency (or plan) would otherwise queue behind until the one before it commits."""
    from django.db import transaction

    from dondoc.plans.models import Assignment

    other = Assignment.objects.filter(agency=lead.agency, role="lead", task__plan=lead.task.plan).exclude(
        task=lead.task).first()
    assert other is not None, "the plan fixture gives the lead agency a second task"
    holding, release = threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                actions.do_post_update(lead, people["lead_focal"], text="Báo cáo thứ nhất")
                holding.set()
                release.wait(20)  # the first report's transaction stays open, its locks held
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert holding.wait(20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting on a lock fails instead of passing late
            second = actions.do_post_update(other, people["lead_head"], text="Báo cáo thứ hai")
    finally:
        release.set()
        thread.join(20)
    assert second.pk and sorted(Update.objects.values_list("text", flat=True)) == ["Báo cáo thứ hai", "Báo cáo thứ nhất"]
