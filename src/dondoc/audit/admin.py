from django.contrib import admin

from . import record
from .labels import label, object_label
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


class _LabelledFilter(admin.SimpleListFilter):
    """A filter over one column of codes, each offered under its label (audit/labels.py), never as the raw code."""

    field = ""
    read = staticmethod(label)

    def lookups(self, request, model_admin):
        codes = Event.objects.order_by().values_list(self.field, flat=True).distinct()
        return sorted(((code, self.read(code)) for code in codes if code), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field: self.value()}) if self.value() else queryset


class ActionFilter(_LabelledFilter):
    title, parameter_name, field = "hành động", "action", "action"


class ObjectTypeFilter(_LabelledFilter):
    title, parameter_name, field = "loại đối tượng", "object_type", "object_type"
    read = staticmethod(object_label)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """Read-only: no page edits or deletes an event."""

    list_display = ("at", "who", "what", "object_kind", "object_repr", "ip")
    list_filter = (ActionFilter, ObjectTypeFilter)
    search_fields = ("actor_name", "actor__full_name", "object_repr", "action")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    # One event's page: the action and the object type read as in the list, never as codes.
    fields = readonly_fields = ("at", "who", "actor_name", "what", "object_kind", "object_id", "object_repr", "changes", "ip")

    @admin.display(description="người thực hiện", ordering="actor_name")
    def who(self, obj):
        return obj.who

    @admin.display(description="hành động", ordering="action")
    def what(self, obj):
        return label(obj.action)

    @admin.display(description="loại đối tượng", ordering="object_type")
    def object_kind(self, obj):
        return object_label(obj.object_type)
