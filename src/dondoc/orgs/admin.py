import base64
import hashlib

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path

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

    def get_urls(self):
        return [path("to-chuc-lai/", self.admin_site.admin_view(self.reorganisation_view), name="orgs_agency_reorganisation"),
                *super().get_urls()]

    def reorganisation_view(self, request):
        """Upload a reorganisation sheet, see every change it makes, then write it all (orgs/reorganisation.py). The
        sheet waits in the session between the two steps, named by its digest: what is written is what was shown,
        checked again against the agencies as they are at that moment."""
        from . import reorganisation

        form = SheetForm(request.POST or None, request.FILES or None)
        preview, error, digest = None, "", ""
        if request.method == "POST" and request.POST.get("confirm"):
            kept = request.session.get(SHEET_KEY) or {}
            if kept.get("digest") != request.POST["confirm"]:
                error = "Bảng đã xem không còn trong phiên làm việc: hãy tải tệp lên lại."
            else:
                try:
                    written = reorganisation.apply(reorganisation.read(base64.b64decode(kept["data"])),
                                                   actor=request.user)
                except reorganisation.SheetRefused as exc:
                    error = str(exc)
                else:
                    request.session.pop(SHEET_KEY, None)
                    messages.success(request, f"Đã ghi {written} dòng kế thừa của bảng tổ chức lại.")
                    return redirect("admin:orgs_agency_changelist")
            form = SheetForm()
        elif request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                preview = reorganisation.read(data)
            except reorganisation.SheetRefused as exc:
                error = str(exc)
            else:
                digest = hashlib.sha256(data).hexdigest()
                request.session[SHEET_KEY] = {"digest": digest, "data": base64.b64encode(data).decode()}
        context = {**self.admin_site.each_context(request), "form": form, "preview": preview, "error": error,
                   "digest": digest, "title": "Nạp bảng tổ chức lại (sáp nhập, giải thể, kế thừa)", "opts": self.model._meta}
        return render(request, "admin/orgs/agency/reorganisation.html", context, status=400 if error else 200)


SHEET_KEY = "orgs.reorganisation_sheet"


class SheetForm(forms.Form):
    file = forms.FileField(label="Bảng tính Excel (.xlsx)")

    def clean_file(self):
        from dondoc.core.xlsx import check_upload

        f = self.cleaned_data["file"]
        try:
            check_upload(f, max_mb=2)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return f


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
