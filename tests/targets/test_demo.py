"""The demo's sample actuals on Plan 78 (targets/demo.py) show every colour on the demo day."""

import datetime as dt

import pytest

from dondoc.targets.demo import seed_targets
from dondoc.targets.models import Target, TargetActual
from dondoc.targets.queries import count_by_colour, targets_summary


@pytest.fixture
def demo_plan(db, settings):
    from dondoc.demo.loader import load_demo

    settings.DEMO_TODAY = dt.date(2024, 10, 15)
    return load_demo()["plan"]


def test_plan_78_targets_and_sample_actuals(demo_plan):
    seed_targets(demo_plan, dt.date(2024, 10, 15))
    targets = Target.objects.filter(task__plan=demo_plan)
    assert {(t.op, t.unit) for t in targets} >= {(">", "%"), ("=", "rank"), ("=", "count"), (">=", "count")}
    assert TargetActual.objects.filter(target__task__plan=demo_plan).count() == 4
    assert all(a.note.startswith("[Dữ liệu minh họa]") for a in TargetActual.objects.all())
    counts = count_by_colour(targets_summary(demo_plan, dt.date(2024, 10, 15)))
    assert all(counts.values()), counts  # red, orange, green and grey all shown
    seed_targets(demo_plan, dt.date(2024, 10, 15))  # again: nothing twice
    assert TargetActual.objects.count() == 4
