from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: no page edits or deletes an event."""

    list_display = ("at", "actor_name", "action", "object_type", "object_repr", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "action")
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
