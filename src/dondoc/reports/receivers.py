"""What reports does when a lower app tells it something (plans/signals.py)."""

from types import SimpleNamespace

from django.dispatch import receiver

from dondoc.audit import record
from dondoc.plans.signals import plan_header_amended
from dondoc.tracking import spans

from . import deadlines, periods
from .models import AgencyReport


@receiver(plan_header_amended, dispatch_uid="reports.follow_amended_report_date")
def follow_amended_report_date(sender, plan, before, user=None, request=None, **kwargs) -> None:
    """A report's deadline is fixed when it is created, from the plan's own date where it applies (deadlines.py):
    when an amendment moves that date, the reports whose deadline came from it move with it, in the amendment's
    transaction (lateness, and the ranking that counts it, follow the amended plan). A deadline that came from
    elsewhere is left as it is."""
    if "agency_report_date" not in before:
        return
    was = SimpleNamespace(agency_report_date=before["agency_report_date"])
    off = deadlines.holidays()
    moved = 0
    for report in AgencyReport.objects.select_for_update().filter(plan=plan).order_by("pk"):
        period = periods.parse_period(report.period)
        old = deadlines.report_deadline_for(was, period, holidays=off)
        new = deadlines.report_deadline_for(plan, period, holidays=off)
        if report.deadline == old and new != old:
            record("report.deadline_amended", actor=user, obj=report, request=request,
                   changes={"deadline": [old.isoformat(), new.isoformat()], "plan": plan.pk})
            report.deadline = new
            report.save(update_fields=["deadline"])
            moved += 1
    if moved:
        spans.bump()  # memoised figures and rankings count late reports
