"""A small published plan with targets, and the tracking fixtures (`people`: oversight roles, and head + focal of the
lead agency Sở Y tế, the partner Sở Tài chính and an unrelated Sở Công Thương)."""

import pytest

from dondoc.accounts.roles import Role
from dondoc.plans import actions as plan_actions
from tests.plans.conftest import make_structure
from tests.tracking.conftest import lead, partner, people, today  # noqa: F401  (fixtures)

# On 1.1#1 (Sở Y tế leads, Sở Tài chính coordinates, due 30/9/2024); the last one cannot be measured.
TARGETS_11 = [
    {"text": "100% bệnh viện triển khai bệnh án điện tử", "op": ">=", "value": 100, "unit": "%"},
    {"text": "kết nối ít nhất 120 km cáp quang", "op": ">=", "value": 120.0, "unit": "km"},
    {"text": "chỉ tiêu không đo được", "op": None, "value": None, "unit": None},
]
# On 1.1#2 (Sở Y tế, quarterly: no deadline).
TARGETS_12 = [{"text": "đứng trong nhóm 20 tỉnh dẫn đầu", "op": "<=", "value": 20, "unit": "rank"}]


def structure_with_targets(**overrides):
    structure = make_structure(**overrides)
    tasks = structure["assignments"][0]["tasks"]
    tasks[0]["targets"] = [dict(t) for t in TARGETS_11]
    tasks[1]["targets"] = [dict(t) for t in TARGETS_12]
    return structure


@pytest.fixture
def plan(users, orgs, today):
    from dondoc.targets.actions import sync_targets

    draft = plan_actions.import_structure(structure_with_targets(), user=users[Role.COORDINATOR])
    published = plan_actions.do_publish_plan(draft)
    sync_targets(published)
    return published


@pytest.fixture
def pct(plan):
    """≥ 100 % on 1.1#1."""
    return plan.tasks.get(ref="1.1#1").target_items.get(unit="%")


@pytest.fixture
def km(plan):
    return plan.tasks.get(ref="1.1#1").target_items.get(unit="km")


@pytest.fixture
def rank(plan):
    return plan.tasks.get(ref="1.1#2").target_items.get()
