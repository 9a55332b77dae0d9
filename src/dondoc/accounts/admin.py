from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.urls import path
from django.utils.html import format_html_join

from dondoc.audit import record

from . import actions
from .forms import UserImportForm
from .models import ApiToken, User


class UserAddForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("username", "full_name", "email", "role", "agency", "position", "phone")


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "email", "role", "agency", "position", "phone")

    def clean(self):
        data = super().clean()
        try:
            actions._check_role_agency(data.get("role"), data.get("agency"))
        except actions.AccountError as exc:
            raise forms.ValidationError(str(exc))
        return data


def _show_passwords(request, pairs):
    """New passwords are shown once, to the administrator who must hand them over."""
    messages.warning(request, format_html_join(
        "; ", "{}: <code>{}</code>", ((u.username, p) for u, p in pairs)) + " — hãy chuyển mật khẩu cho từng người, trang này chỉ hiện một lần.")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("username", "full_name", "role", "agency", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "full_name", "email", "agency__search_text")
    autocomplete_fields = ("agency",)
    readonly_fields = ("username", "is_active", "is_demo", "last_login", "date_joined")
    actions = ["deactivate", "reactivate", "reset_password", "unlock", "reset_two_factor"]
    change_list_template = "admin/accounts/user/change_list.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = UserChangeForm if obj is not None else UserAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return UserAddForm.Meta.fields
        return ("username", *UserChangeForm.Meta.fields, "is_active", "is_demo", "last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            record("account.changed", request=request, obj=obj,
                   changes={k: str(form.cleaned_data.get(k)) for k in form.changed_data})
            return
        password = actions.new_password()
        try:
            created = actions.do_create_user(
                request.user, username=obj.username, role=obj.role, agency=obj.agency, full_name=obj.full_name,
                email=obj.email, password=password, request=request)
        except actions.AccountError as exc:
            messages.error(request, str(exc))
            raise
        obj.pk = created.pk
        obj._state.adding = False
        _show_passwords(request, [(created, password)])

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted

    @admin.action(description="Vô hiệu hóa tài khoản đã chọn")
    def deactivate(self, request, queryset):
        for user in queryset:
            if user.pk == request.user.pk:
                messages.error(request, "Không thể tự vô hiệu hóa tài khoản của mình.")
                continue
            actions.do_set_active(request.user, user, False, request=request)

    @admin.action(description="Kích hoạt lại tài khoản đã chọn")
    def reactivate(self, request, queryset):
        for user in queryset:
            actions.do_set_active(request.user, user, True, request=request)

    @admin.action(description="Đặt lại mật khẩu (tạo mật khẩu mới)")
    def reset_password(self, request, queryset):
        _show_passwords(request, [(u, actions.do_reset_password(request.user, u, request=request)) for u in queryset])

    @admin.action(description="Mở khóa đăng nhập")
    def unlock(self, request, queryset):
        for user in queryset:
            actions.unlock(request.user, user.username, request=request)

    @admin.action(description="Đặt lại xác thực hai bước (mất điện thoại)")
    def reset_two_factor(self, request, queryset):
        from . import two_factor

        for user in queryset:
            two_factor.do_reset(request.user, user, request=request)
        messages.success(request, "Đã đặt lại xác thực hai bước; lần đăng nhập sau, tài khoản bắt buộc sẽ thiết lập lại.")

    def get_urls(self):
        return [path("nhap-excel/", self.admin_site.admin_view(self.import_view), name="accounts_user_import"), *super().get_urls()]

    def import_view(self, request):
        form = UserImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = actions.do_import_users(request.user, form.cleaned_data["file"], request=request)
            if not result.errors:
                _show_passwords(request, result.created)
        context = {**self.admin_site.each_context(request), "form": form, "result": result,
                   "title": "Tạo tài khoản từ bảng tính Excel", "opts": self.model._meta}
        return render(request, "admin/accounts/user/import.html", context)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    actions = ["revoke"]
    readonly_fields = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request):
        return False  # created with `dondoc token USERNAME`, shown once

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Thu hồi token đã chọn")
    def revoke(self, request, queryset):
        for token in queryset:
            actions.do_revoke_token(token, actor=request.user, request=request)
