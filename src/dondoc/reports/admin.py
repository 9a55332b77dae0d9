from django.contrib import admin

from dondoc.audit.admin import AuditedAdmin, ReadOnlyAdmin

from .models import AgencyReport, Holiday


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    """The days off that report deadlines skip (Tết, Quốc khánh, days moved by the Government's notices): they move
    deadlines, so each change is audited."""

    list_display = ("date", "name")
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("-date",)


@admin.register(AgencyReport)
class AgencyReportAdmin(ReadOnlyAdmin):
    """Read-only: reports change through the workflow's actions, which check roles and are audited."""

    list_display = ("plan", "agency", "period", "state", "deadline", "submitted_on", "accepted_at")
    list_filter = ("state", "period")
    search_fields = ("agency__name", "plan__number")
    list_select_related = ("plan", "agency")
