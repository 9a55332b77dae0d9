from django.contrib import admin

from . import record
from .models import Event


class AuditedAdmin(admin.ModelAdmin):
    """Every admin change (organisation data, holidays) lands in the audit trail too, bulk deletes included."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        record(f"{obj._meta.model_name}.{'changed' if change else 'created'}", request=request, obj=obj, changes=changed)

    def delete_model(self, request, obj):
        record(f"{obj._meta.model_name}.deleted", request=request, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(f"{obj._meta.model_name}.deleted", request=request, obj=obj)
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never edited from the admin: what changes through the application's actions (which check roles
    and are audited), or what no one may change (the audit trail)."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """Read-only: no page edits or deletes an event."""

    list_display = ("at", "actor_name", "action", "object_type", "object_repr", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "action")
    date_hierarchy = "at"
