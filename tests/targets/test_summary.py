"""targets_summary: the rows the consolidated report and the dashboard read, and the counts by colour."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from dondoc.targets import actions, queries


def enter(target, user, period, value, unit, day):
    with override_settings(DEMO_TODAY=day):
        return actions.do_enter_actual(target, user, period=period, value=value, unit=unit)


def test_rows_in_plan_order_with_everything_a_report_needs(plan, pct, km, rank, people):
    enter(pct, people["lead_focal"], "2024-Q3", "100", "%", dt.date(2024, 9, 15))
    rows = queries.targets_summary(plan, dt.date(2024, 9, 15))
    assert [r.target.pk for r in rows] == [pct.pk, km.pk, rank.pk]
    first = rows[0]
    assert (first.task_ref, first.section_ref, first.section_title) == ("1.1#1", "1", "Hạ tầng số")
    assert first.lead_agencies == ["Sở Y tế"] and first.due == dt.date(2024, 9, 30)
    assert first.start == dt.date(2024, 5, 6) and first.latest.value == 100 and first.period_label == "Quý III/2024"
    assert [r.colour.value for r in rows] == ["green", "grey", "grey"]
    assert rows[2].due is None and rows[2].due_label == "Hằng quý"
    assert queries.count_by_colour(rows) == {"red": 0, "orange": 0, "green": 1, "grey": 2}


def test_as_of_reads_the_past(plan, pct, people):
    enter(pct, people["lead_focal"], "2024-Q2", "40", "%", dt.date(2024, 6, 20))
    enter(pct, people["lead_focal"], "2024-Q3", "100", "%", dt.date(2024, 9, 15))
    assert queries.targets_summary(plan, dt.date(2024, 6, 19))[0].latest is None
    june = queries.targets_summary(plan, dt.date(2024, 6, 20))[0]
    assert june.latest.period == "2024-Q2" and june.colour.value == "green"  # 40 of 100 at 14/6 is on pace
    assert queries.targets_summary(plan, dt.date(2024, 9, 15))[0].latest.value == 100
    # after the deadline with 40 only, it would have been red: the figure that counts is the one known that day
    assert queries.targets_summary(plan, dt.date(2024, 10, 1))[0].colour.value == "green"


def test_the_latest_period_counts_not_the_latest_entry(plan, pct, people):
    enter(pct, people["lead_focal"], "2024-Q3", "90", "%", dt.date(2024, 9, 15))
    enter(pct, people["lead_focal"], "2024-Q2", "40", "%", dt.date(2024, 9, 16))  # a late figure for an older period
    assert queries.targets_summary(plan, dt.date(2024, 9, 16))[0].latest.value == 90
    enter(pct, people["lead_head"], "2024-Q3", "95", "%", dt.date(2024, 9, 17))  # a correction of Q3
    assert queries.targets_summary(plan, dt.date(2024, 9, 17))[0].latest.value == 95


def test_user_and_colour_filters_and_cancelled_tasks(plan, pct, km, rank, people):
    from dondoc.tracking import actions as tracking_actions

    enter(pct, people["lead_focal"], "2024-Q3", "100", "%", dt.date(2024, 9, 15))
    day = dt.date(2024, 9, 15)
    assert [r.target.pk for r in queries.targets_summary(plan, day, colour="green")] == [pct.pk]
    assert queries.targets_summary(plan, day, user=people["other_focal"]) == []
    assert len(queries.targets_summary(plan, day, user=people["partner_focal"])) == 2
    tracking_actions.do_cancel_task(rank.task, people["coordinator"], reason="Trùng")
    assert [r.target.pk for r in queries.targets_summary(plan, day)] == [pct.pk, km.pk]


def test_query_count_is_fixed(plan, pct, km, rank, people):
    for t, unit in ((pct, "%"), (km, "km"), (rank, "hạng")):
        enter(t, people["lead_focal"], "2024-Q3", "5", unit, dt.date(2024, 9, 15))
    with CaptureQueriesContext(connection) as ctx:
        rows = queries.targets_summary(plan, dt.date(2024, 9, 15))
        [r.latest.agency.name for r in rows]
    assert len(ctx.captured_queries) <= 4


def test_report_table_and_sentence(plan, pct, km, people):
    enter(pct, people["lead_focal"], "2024-Q3", "100", "%", dt.date(2024, 9, 15))
    enter(km, people["lead_focal"], "2024-Q3", "1.200,5", "km", dt.date(2024, 9, 15))
    rows = queries.targets_summary(plan, dt.date(2024, 9, 15))
    headers, table = queries.report_table(rows)
    assert headers == ("STT", "Nhiệm vụ", "Chỉ tiêu", "Cơ quan chủ trì", "Mục tiêu", "Thực hiện (kỳ)", "Đánh giá")
    assert table[0] == ["1", "1.1#1", "100% bệnh viện triển khai bệnh án điện tử", "Sở Y tế", "≥ 100%",
                        "100% (Quý III/2024)", "Dự kiến đạt"]
    assert table[1][5] == "1.200,5 km (Quý III/2024)"
    assert table[2][5] == "Chưa có số liệu" and table[2][6] == "Chưa đánh giá được"
    assert queries.report_sentence(queries.count_by_colour(rows)) == (
        "Có 3 chỉ tiêu định lượng: 2 dự kiến đạt, 1 chưa đánh giá được.")
    assert queries.report_sentence({"red": 0, "orange": 0, "green": 0, "grey": 0}) == "Kế hoạch không có chỉ tiêu định lượng."
