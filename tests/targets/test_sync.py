"""Targets of a published plan come from Task.targets; syncing again creates nothing twice."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.plans import actions as plan_actions
from dondoc.targets import actions
from dondoc.targets.models import Source, Target

from .conftest import structure_with_targets


def test_published_plan_targets_from_the_parser(plan):
    targets = list(Target.objects.filter(task__plan=plan).order_by("task__order", "order"))
    assert [(t.task.ref, t.op, t.value, t.unit, t.source) for t in targets] == [
        ("1.1#1", ">=", Decimal(100), "%", Source.PARSER),
        ("1.1#1", ">=", Decimal(120), "km", Source.PARSER),
        ("1.1#2", "<=", Decimal(20), "rank", Source.PARSER),
    ]
    assert targets[0].text == "100% bệnh viện triển khai bệnh án điện tử"
    assert targets[2].lower_is_better and not targets[0].lower_is_better


def test_sync_is_idempotent_and_keeps_what_was_entered(plan, pct, people):
    actions.do_set_baseline(pct, people["coordinator"], baseline="20")
    before = list(Target.objects.order_by("pk").values_list("pk", "baseline"))
    result = actions.sync_targets(plan)
    assert (result.created, result.kept) == (0, 3)
    assert result.skipped == [("1.1#1", "chỉ tiêu không đo được")]
    assert list(Target.objects.order_by("pk").values_list("pk", "baseline")) == before
    assert Event.objects.filter(action="targets.synced").count() == 1  # the first sync only


def test_sync_reports_what_it_could_not_measure(users, orgs, today):
    plan = plan_actions.do_publish_plan(plan_actions.import_structure(structure_with_targets(),
                                                                     user=users[Role.COORDINATOR]))
    Target.objects.filter(task__plan=plan).delete()  # as if publishing had not synced yet
    result = actions.sync_targets(plan, user=users[Role.COORDINATOR])
    assert result.created == 3 and result.skipped == [("1.1#1", "chỉ tiêu không đo được")]
    event = Event.objects.filter(action="targets.synced", object_id=str(plan.pk)).latest("id")
    assert event.changes["created"] == 3 and event.actor == users[Role.COORDINATOR]


def test_drafts_are_left_alone(users, orgs, today):
    draft = plan_actions.import_structure(structure_with_targets(), user=users[Role.COORDINATOR])
    result = actions.sync_targets(draft)
    assert result.created == 0 and not Target.objects.filter(task__plan=draft).exists()


def test_a_manual_target_is_not_touched_by_sync(plan, people):
    task = plan.tasks.get(ref="1.2#1")
    manual = actions.do_add_target(task, people["coordinator"], op=">=", value="50", unit="xã", text="50 xã có điểm Wi-Fi")
    actions.sync_targets(plan)
    assert Target.objects.get(pk=manual.pk).source == Source.MANUAL
    assert Target.objects.filter(task=task).count() == 1


def test_command_syncs_every_published_plan(plan):
    Target.objects.filter(task__plan=plan).delete()
    out = StringIO()
    call_command("sync_targets", stdout=out)
    assert Target.objects.filter(task__plan=plan).count() == 3
    assert "3 targets created." in out.getvalue() and "1.1#1: chỉ tiêu không đo được" in out.getvalue()
    out = StringIO()
    call_command("sync_targets", "--plan", str(plan.pk), stdout=out)
    assert "0 targets created." in out.getvalue()


def test_command_refuses_an_unknown_plan(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="999999"):
        call_command("sync_targets", "--plan", "999999", stdout=StringIO())


def test_data_migration_fills_plans_published_before(plan):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dondoc.targets.migrations.0002_targets_of_published_plans")
    Target.objects.filter(task__plan=plan).delete()
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # twice: nothing created twice
    assert Target.objects.filter(task__plan=plan).count() == 3
