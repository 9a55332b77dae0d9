import datetime as dt

import pytest

from dondoc.accounts.roles import Role
from dondoc.plans import actions as plan_actions
from tests.plans.conftest import make_structure


@pytest.fixture
def today(settings):
    """The demo clock: 15/9/2024, before the first task's deadline (30/9/2024)."""
    settings.DEMO_TODAY = dt.date(2024, 9, 15)
    return settings.DEMO_TODAY


@pytest.fixture
def plan(users, orgs, today):
    return plan_actions.do_publish_plan(plan_actions.import_structure(make_structure(), user=users[Role.COORDINATOR]))


@pytest.fixture
def people(users, orgs, make_user):
    """Everyone the permission matrix needs: oversight roles, and head + focal of a lead, a partner, an unrelated agency."""
    return {
        "admin": users[Role.ADMIN], "leader": users[Role.LEADER], "coordinator": users[Role.COORDINATOR],
        "viewer": users[Role.VIEWER],
        "lead_head": make_user("syt.tt", Role.HEAD, orgs["syt"]), "lead_focal": make_user("syt.cb", Role.FOCAL, orgs["syt"]),
        "partner_head": users[Role.HEAD], "partner_focal": users[Role.FOCAL],  # Sở Tài chính coordinates 1.1#1
        "other_head": make_user("sct.tt", Role.HEAD, orgs["sct"]), "other_focal": make_user("sct.cb", Role.FOCAL, orgs["sct"]),
    }


@pytest.fixture
def lead(plan):
    return plan.tasks.get(ref="1.1#1").assignments.get(role="lead")


@pytest.fixture
def partner(plan):
    return plan.tasks.get(ref="1.1#1").assignments.get(role="coordinating")
