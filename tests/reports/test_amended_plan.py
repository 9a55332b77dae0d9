"""A report's deadline is fixed when it is created, from the plan's own date where it applies: an amendment of the
plan's report date (plans/amend.py) moves the deadlines that came from it, audited, and leaves the others."""

import datetime as dt

from dondoc.audit.models import Event
from dondoc.plans import amend
from dondoc.reports import actions
from dondoc.reports.models import AgencyReport


def test_an_amended_report_date_moves_the_deadlines_taken_from_it(plan, people, day):
    day(2024, 10, 20)
    annual = actions.do_create_report(plan, people["lead_focal"], period="2024")  # the plan's 10/12/2024
    quarter = actions.do_create_report(plan, people["lead_focal"], period="2024-Q3")  # the regime's
    assert annual.deadline == dt.date(2024, 12, 10) and quarter.deadline != dt.date(2024, 12, 10)
    quarter_deadline = quarter.deadline
    amend.do_amend_plan_header(plan, {"agency_report_date": dt.date(2024, 12, 13)}, amended_on=dt.date(2024, 10, 18),
                               basis="Văn bản số 98/UBND-TH ngày 18/10/2024", user=people["coordinator"])
    assert AgencyReport.objects.get(pk=annual.pk).deadline == dt.date(2024, 12, 13)
    assert AgencyReport.objects.get(pk=quarter.pk).deadline == quarter_deadline
    event = Event.objects.get(action="report.deadline_amended")
    assert event.object_id == str(annual.pk) and event.changes["deadline"] == ["2024-12-10", "2024-12-13"]


def test_an_amendment_of_other_facts_leaves_the_deadlines(plan, people, day):
    day(2024, 10, 20)
    annual = actions.do_create_report(plan, people["lead_focal"], period="2024")
    amend.do_amend_plan_header(plan, {"coordinator_report_date": dt.date(2024, 12, 20)}, amended_on=dt.date(2024, 10, 18),
                               reason="Lùi hạn tổng hợp", user=people["coordinator"])
    assert AgencyReport.objects.get(pk=annual.pk).deadline == dt.date(2024, 12, 10)
    assert not Event.objects.filter(action="report.deadline_amended").exists()
