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


@pytest.fixture
def mixed(plan, people, orgs, settings):
    """Plan 12/KH-UBND on 5/10/2024 with one task in each status (the multi-lead rule, status.combine), by hand:

    1.1#1 (Sở Y tế leads, Sở Tài chính coordinates; due 30/9)  completed 3/10, confirmed       → done_late
    1.1#2 (Sở Y tế; quarterly)                                                                 → ongoing
    1.2#1 (7 huyện lead; due 10/12)    Na Hang's completion confirmed, six others open          → open_in_time
    1.2#2 (Na Hang; due 10/12)         completed 1/10, confirmed                                → done_on_time
    1.3#1 (Sở KH&ĐT, provisionally; due 10/12)                                                  → open_in_time
    III.2#1 (Sở KH&ĐT; due 10/12)      completed 2/10, awaiting confirmation                    → awaiting_confirmation
    III.2#2 (Sở KH&ĐT; due 15/12)                                                               → open_in_time
    III.1#1 (20 sở lead, Sở Y tế and Sở Tài chính among them; due amended to 1/10)
                                       Sở Y tế completed 4/10, confirmed late; 19 others open   → overdue

    On 2/10 (before any of these records, made on 5/10): 1.1#1 and III.1#1 overdue, 1.1#2 ongoing, the rest
    open in time."""
    from dondoc.tracking import actions

    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    task = {t.ref: t for t in plan.tasks.all()}

    def lead_of(ref, code):
        return task[ref].assignments.get(role="lead", agency=orgs[code])

    def completed(ref, code, day, confirm=True):
        claim = actions.do_claim(lead_of(ref, code), _member(people, orgs, code), completed_on=day)
        if confirm:
            actions.do_confirm(claim, people["coordinator"])

    completed("1.1#1", "syt", dt.date(2024, 10, 3))
    completed("1.2#1", "ubnd-nahang", dt.date(2024, 10, 1))
    completed("1.2#2", "ubnd-nahang", dt.date(2024, 10, 1))
    completed("III.2#1", "skhdt", dt.date(2024, 10, 2), confirm=False)
    iii = task["III.1#1"]
    actions.do_amend_task(iii, people["coordinator"], version=iii.version, deadline_date=dt.date(2024, 10, 1))
    completed("III.1#1", "syt", dt.date(2024, 10, 4))
    return {ref: plan.tasks.get(ref=ref) for ref in task}


def _member(people, orgs, code):
    """A head of the agency `code` (Sở Y tế's from `people`; one made for any other)."""
    from dondoc.accounts.models import User

    if code == "syt":
        return people["lead_head"]
    user, _ = User.objects.get_or_create(username=f"{code}.tt", defaults={"role": Role.HEAD, "agency": orgs[code]})
    return user
