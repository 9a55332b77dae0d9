from django.contrib import admin

from .models import Target, TargetActual


class ReadOnly(admin.ModelAdmin):
    """Read-only: targets and actuals change through the pages' actions, which check roles and are audited."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(ReadOnly):
    list_display = ("task", "text", "op", "value", "unit", "baseline", "source")
    list_filter = ("source", "unit")
    search_fields = ("text", "task__ref")
    list_select_related = ("task",)


@admin.register(TargetActual)
class TargetActualAdmin(ReadOnly):
    list_display = ("target", "period", "value", "unit", "agency", "entered_by", "entered_at")
    list_filter = ("period",)
    search_fields = ("target__text", "note")
    list_select_related = ("target", "target__task", "agency", "entered_by")
