"""The benchmark data generator, run small."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from dondoc.orgs.models import Agency
from dondoc.plans.models import Assignment, Plan, Section, Task


def run(*args):
    out = io.StringIO()
    call_command("bench_data", *args, stdout=out)
    return out.getvalue()


def test_it_creates_what_was_asked(orgs):
    before = Agency.objects.count()
    output = run("--plans", "3", "--tasks-per-plan", "25", "--agencies", "4")

    plans = Plan.objects.all()
    assert plans.count() == 3
    assert set(plans.values_list("status", flat=True)) == {"published"}
    assert Task.objects.count() == 75
    assert all(p.tasks.count() == 25 for p in plans)
    assert Agency.objects.count() == before + 4
    new = Agency.objects.filter(code__startswith="bench-xa-")
    assert new.count() == 4 and all(a.code.isascii() for a in new)
    assert all(a.sort_key and a.search_text for a in new)  # searchable like any other agency
    # part II and 2 shortcomings (25 // 12) per plan
    assert Section.objects.count() == 3 * 3
    assert not Task.objects.filter(section=None).exists()
    # every task has a lead; none is assigned twice in one role
    assert Task.objects.filter(assignments__role="lead").distinct().count() == 75
    assert Task.objects.filter(assignments__role="coordinating").distinct().count() == 75
    assert not Assignment.objects.values("task", "agency").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert "3 kế hoạch" in output and "75 nhiệm vụ" in output and "4 cơ quan mới" in output
    assert f"{Assignment.objects.count()} lượt giao việc" in output


def test_it_runs_twice_without_clashing(orgs):
    run("--plans", "1", "--tasks-per-plan", "5", "--agencies", "2")
    run("--plans", "1", "--tasks-per-plan", "5", "--agencies", "2")
    assert Plan.objects.values("number").distinct().count() == 2
    assert Agency.objects.filter(code__startswith="bench-xa-").count() == 4


def test_it_needs_agencies(db):
    with pytest.raises(CommandError):
        run("--plans", "1", "--tasks-per-plan", "5")


def test_bench_data_adds_progress_updates(orgs):
    from django.core.management import call_command

    from dondoc.plans.models import Assignment
    from dondoc.tracking.models import Update

    call_command("bench_data", plans=1, tasks_per_plan=10, updates_per_assignment=3, stdout=io.StringIO())
    assert Update.objects.count() == 3 * Assignment.objects.count() > 0
    assert not Update.objects.filter(assignment__role="coordinating", percent__isnull=False).exists()


def test_claims_and_the_status_cache(orgs):
    from dondoc.tracking import spans
    from dondoc.tracking.models import Claim

    run("--plans", "2", "--tasks-per-plan", "60", "--claims", "0.5")
    claims = Claim.objects.all()
    assert claims.exists() and not claims.exclude(assignment__role="lead").exists()
    assert {"confirmed", "pending"} <= set(claims.values_list("state", flat=True))
    assert spans.check() == []  # bulk inserts, then the cache rebuilt for the new assignments


def test_claims_share_must_be_a_fraction(orgs):
    with pytest.raises(CommandError):
        run("--plans", "1", "--tasks-per-plan", "5", "--claims", "1.5")
