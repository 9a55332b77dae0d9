from django.contrib import admin

from dondoc.audit import record
from dondoc.audit.admin import AuditedAdmin

from .models import Agency, AgencyGroup, Succession


class SuccessionInline(admin.TabularInline):
    model = Succession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "code", "short_name", "kind", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("search_text", "code")
    autocomplete_fields = ["parent"]
    inlines = [SuccessionInline]
    fields = ("name", "short_name", "code", "kind", "parent", "valid_from", "valid_to", "aliases")

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive, like every other search in dondoc.
        from .lookup import search_filter

        cond = search_filter(search_term)
        return (queryset.filter(cond) if cond is not None else queryset), False

    def has_delete_permission(self, request, obj=None):
        # Agencies carry history: end their validity instead.
        return False


@admin.register(AgencyGroup)
class AgencyGroupAdmin(AuditedAdmin):
    list_display = ("name", "code")
    search_fields = ("search_text", "code")
    filter_horizontal = ("members",)
    fields = ("name", "code", "aliases", "members", "description")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record("agencygroup.members_set", request=request, obj=form.instance,
               changes={"members": sorted(form.instance.members.values_list("code", flat=True))})
