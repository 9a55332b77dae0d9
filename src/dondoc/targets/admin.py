from django.contrib import admin

from dondoc.audit.admin import ReadOnlyAdmin

from .models import Target, TargetActual


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("task", "text", "op", "value", "unit", "baseline", "source")
    list_filter = ("source", "unit")
    search_fields = ("text", "task__ref")
    list_select_related = ("task",)


@admin.register(TargetActual)
class TargetActualAdmin(ReadOnlyAdmin):
    list_display = ("target", "period", "value", "unit", "agency", "entered_by", "entered_at")
    list_filter = ("period",)
    search_fields = ("target__text", "note")
    list_select_related = ("target", "target__task", "agency", "entered_by")
