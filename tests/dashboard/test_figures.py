"""Figures checked against counts made by hand (tests/dashboard/conftest.py tells the story of each task)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dondoc.dashboard import figures
from dondoc.reports.ranking import agency_ranking
from dondoc.tracking import actions
from dondoc.tracking.status import Status, combine, combine_counts

D = dt.date


def counts(d):
    return {k: d[k] for k in ("total", *figures.KEYS)}


def test_plan_summary_on_the_day(figures_plan):
    s = figures.summary(figures_plan, D(2024, 10, 5))
    assert counts(s) == {"total": 5, "done_on_time": 1, "done_late": 0, "open_in_time": 1, "overdue": 1,
                         "awaiting_confirmation": 1, "ongoing": 1}
    # Due by the day: T1 (done), T3 (overdue), T4 (awaiting, its deadline passed) → 1 of 3 done.
    assert s["due"] == 3 and s["due_done_rate"] == round(1 / 3, 4)
    assert [(r["ref"], r["total"], r["done_on_time"], r["open_in_time"], r["overdue"], r["awaiting_confirmation"],
             r["ongoing"]) for r in s["by_section"]] == [("1", 3, 1, 1, 1, 0, 0), ("2", 2, 0, 0, 0, 1, 1)]
    assert sum(r["total"] for r in s["by_section"]) == s["total"]
    agencies = {r["agency"]["name"]: counts(r) for r in s["by_agency"]}
    assert agencies == {
        "Sở Y tế": {"total": 2, "done_on_time": 1, "done_late": 1, "open_in_time": 0, "overdue": 0,
                    "awaiting_confirmation": 0, "ongoing": 0},
        "Sở Công Thương": {"total": 2, "done_on_time": 0, "done_late": 0, "open_in_time": 1, "overdue": 1,
                           "awaiting_confirmation": 0, "ongoing": 0},
        "Sở Tài chính": {"total": 2, "done_on_time": 0, "done_late": 0, "open_in_time": 0, "overdue": 0,
                         "awaiting_confirmation": 1, "ongoing": 1},
    }
    assert s["by_agency"][0]["agency"]["name"] == "Sở Công Thương"  # most overdue first


def test_plan_summary_as_it_stood_on_a_past_day(figures_plan):
    s = figures.summary(figures_plan, D(2024, 9, 27))
    # T1 done (confirmed 26/9); T2, T3 and T6 (cancelled only on 01/10) open in time; T4 awaiting; T5 ongoing.
    assert counts(s) == {"total": 6, "done_on_time": 1, "done_late": 0, "open_in_time": 3, "overdue": 0,
                         "awaiting_confirmation": 1, "ongoing": 1}
    assert s["due"] == 2 and s["due_done_rate"] == 0.5
    before = figures.summary(figures_plan, D(2024, 9, 20))
    assert before["done_on_time"] == 0 and before["awaiting_confirmation"] == 1 and before["total"] == 6


def test_a_figure_follows_a_change_made_the_same_day(figures_plan, users, settings):
    from dondoc.accounts.roles import Role

    day = D(2024, 10, 5)
    assert figures.summary(figures_plan, day)["awaiting_confirmation"] == 1
    claim = figures_plan.tasks.get(text__startswith="T4").assignments.get(role="lead").claims.get()
    actions.do_confirm(claim, users[Role.COORDINATOR])
    s = figures.summary(figures_plan, day)  # memoised under the status version: recomputed, not stale
    # T4 was completed on 30/08, before its 31/08 deadline: confirmed only now, but done on time by its date.
    assert s["awaiting_confirmation"] == 0 and s["done_on_time"] == 2 and s["due_done_rate"] == round(2 / 3, 4)


def test_ranking_hand_counted(figures_plan):
    r = agency_ranking(D(2024, 1, 1), D(2024, 12, 31), today=D(2024, 10, 5))
    rows = [(i["rank"], i["agency"]["name"], i["on_time_rate"], i["overdue"]) for i in r["items"]]
    # Sở Y tế: T1 on time, T3 late → 1/2. Sở Tài chính: T4 awaiting past due → 0/1, none overdue.
    # Sở Công Thương: T3 overdue → 0/1 with one overdue. T5 (recurring) has no due date: not in the window.
    assert rows == [(1, "Sở Y tế", 0.5, 0), (2, "Sở Tài chính", 0.0, 0), (3, "Sở Công Thương", 0.0, 1)]
    assert r["count"] == 3


def test_ranking_window_and_day(figures_plan):
    # Only what falls due in October: T2 (open, not yet due on 05/10) — Sở Công Thương, no rate yet.
    r = agency_ranking(D(2024, 10, 1), D(2024, 10, 31), today=D(2024, 10, 5))
    assert [(i["agency"]["name"], i["on_time_rate"], i["overdue"]) for i in r["items"]] == [("Sở Công Thương", None, 0)]
    # A window that ended is judged as it stood on its last day: on 30/09 nothing was overdue yet.
    r = agency_ranking(D(2024, 9, 1), D(2024, 9, 30), today=D(2024, 10, 5))
    assert r["as_of"] == D(2024, 9, 30) and all(i["overdue"] == 0 for i in r["items"])


def test_overdue_and_coming_due_lists(figures_plan):
    n, rows = figures.overdue(D(2024, 10, 5), plan_id=figures_plan.pk)
    assert n == 1 and rows[0].agency == "Sở Công Thương" and rows[0].days_late == 5 and rows[0].text.startswith("T3")
    n, rows = figures.coming_due(D(2024, 10, 5), days=30, plan_id=figures_plan.pk)
    assert n == 1 and rows[0].text.startswith("T2") and rows[0].due == D(2024, 10, 31)


def test_progress_by_month(figures_plan):
    p = figures.progress_by_month(figures_plan, D(2024, 10, 5))
    i = p["labels"].index("09/2024")
    # Tasks, not lead assignments (issue 16: the chart ran to 1,000 on a 245-task plan). Due by the end of
    # September: T4 (08), T1 and T3 (09) = 3; done by then: T1 (25/9) = 1.
    assert p["due"][i] == 3 and p["done"][i] == 1
    j = p["labels"].index("10/2024")
    # + T2 due 31/10; T3 is not done while Sở Công Thương is overdue, though Sở Y tế completed it on 02/10.
    assert p["due"][j] == 4 and p["done"][j] == 1


statuses = st.sampled_from(list(Status))


@given(st.lists(statuses, min_size=1, max_size=6))
def test_combined_counts_agree_with_combine(found):
    live = [s for s in found if s is not Status.CANCELLED]
    got = combine_counts(len(live), sum(s.is_done for s in live), live.count(Status.DONE_LATE),
                         live.count(Status.OVERDUE), live.count(Status.AWAITING), live.count(Status.ONGOING))
    assert got == combine(found).value


def test_the_counts_made_in_the_database_are_the_tasks_counted_one_by_one(figures_plan):
    """status_counts() (the plan's and the province's figures) groups in SQL what task_statuses() gives task by task,
    "due" included (an awaiting task is due once its first open deadline has passed: status.past_due)."""
    from collections import Counter

    for day in (D(2024, 9, 1), D(2024, 9, 30), D(2024, 10, 1), D(2024, 10, 5), D(2024, 12, 31)):
        one_by_one = Counter()
        for _task, section_id, status, is_due in figures.task_statuses(day, plan_id=figures_plan.pk):
            one_by_one[(section_id, status, is_due)] += 1
        grouped = {(k, status, is_due): n for k, status, is_due, n in
                   figures.status_counts(day, "task__section_id", plan_id=figures_plan.pk)}
        assert grouped == dict(one_by_one), day
        by_plan = figures.status_counts(day, "plan_id", plan_id=figures_plan.pk)
        assert {k for k, *_ in by_plan} == {figures_plan.pk} and sum(n for *_, n in by_plan) == sum(one_by_one.values())


def test_no_published_plan_counts_nothing(db):
    assert figures.status_counts(D(2024, 10, 5), "plan_id", plan_id__in=[]) == []
    assert figures.province_summary(D(2024, 10, 5))["total"] == 0
