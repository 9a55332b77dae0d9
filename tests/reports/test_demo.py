"""The demo's sample reports on Plan 78: one accepted by the coordinator, one waiting for it, late when the demo day
is after the plan's report date; the consolidated report of the demo builds and draws on them."""

import datetime as dt

from dondoc.demo.loader import load_demo
from dondoc.reports import consolidated
from dondoc.reports.models import AgencyReport, ReportState


def test_demo_reports(db, settings):
    settings.DEMO_TODAY = dt.date(2024, 12, 12)
    plan = load_demo()["plan"]
    reports = list(AgencyReport.objects.filter(plan=plan).order_by("submitted_on", "state"))
    # Accepted; sent to the coordinator late (11/12); sent the day before to its head, Sở Tài chính's, also late.
    assert [(r.period, r.state, r.late) for r in reports] == [("2024", ReportState.ACCEPTED, False),
                                                              ("2024", ReportState.APPROVED, True),
                                                              ("2024", ReportState.SUBMITTED, True)]
    assert reports[2].agency.code == "stc"
    assert all(r.deadline == dt.date(2024, 12, 10) for r in reports)
    data = consolidated.gather(plan, "2024")
    # The coordinator has received the two its head approved; the third is still with its head.
    assert {r.pk for r in data.received} == {r.pk for r in reports[:2]} and len(data.late) == 1
    assert data.summary["total"] == 245
    load_demo()  # idempotent: nothing added the second time
    assert AgencyReport.objects.count() == 3
