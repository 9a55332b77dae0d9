import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html

from dondoc.accounts.models import User
from dondoc.audit import record
from dondoc.audit.admin import AuditedAdmin, ReadOnlyAdmin
from dondoc.core import clock

from . import webhooks
from .models import (WEBHOOK_KINDS, CalendarToken, DeliveryState, Outbox, OutboxState, Reminder, SweepRun, WebhookAttempt,
                     WebhookDelivery, WebhookSubscription, webhook_secret)


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdmin):
    """Where the administrator sees digests that could not be sent, and why, and queues them again."""

    list_display = ("day", "user", "to_email", "state", "attempts", "next_attempt_at", "sent_at", "error")
    list_filter = ("state", "day")
    search_fields = ("user__username", "user__full_name", "to_email", "last_error")
    date_hierarchy = "day"
    list_select_related = ("user",)
    actions = ["requeue"]

    @admin.display(description="lỗi gần nhất")
    def error(self, obj):
        return (obj.last_error[:120] + "…") if len(obj.last_error) > 120 else obj.last_error

    def has_change_permission(self, request, obj=None):  # the list's action needs it; the form stays read-only
        return request.user.is_active and getattr(request.user, "role", None) == "admin"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description="Gửi lại (đưa vào hàng đợi ngay)")
    def requeue(self, request, queryset):
        ids = list(queryset.filter(state__in=(OutboxState.FAILED, OutboxState.QUEUED)).values_list("pk", flat=True))
        n = Outbox.objects.filter(pk__in=ids).update(state=OutboxState.QUEUED, attempts=0, next_attempt_at=clock.now())
        record("reminders.outbox_requeued", actor=request.user, changes={"outbox": ids})
        messages.success(request, f"Đã đưa {n} thư vào hàng đợi gửi lại.")


class MailFilter(admin.SimpleListFilter):
    """Where a reminder stands with e-mail: the admin finds those kept for people without an address here."""

    title, parameter_name = "thư", "thu"
    WAITING_ADDRESS = Q(outbox__isnull=True, emailable=True, user__email="")
    CHOICES = {
        "cho-dia-chi": ("Chờ địa chỉ e-mail (người nhận chưa có địa chỉ)", WAITING_ADDRESS),
        "cho-gui": ("Chờ vào thư tổng hợp", Q(outbox__isnull=True, emailable=True) & ~Q(user__email="")),
        "da-vao-thu": ("Đã vào thư tổng hợp", Q(outbox__isnull=False)),
        "khong-gui": ("Chỉ trong hệ thống (người nhận tắt e-mail)", Q(emailable=False)),
    }

    def lookups(self, request, model_admin):
        return [(key, text) for key, (text, _) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        chosen = self.CHOICES.get(self.value() or "")
        return queryset.filter(chosen[1]) if chosen else queryset


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("occurrence", "user", "kind", "assignment", "due", "emailable", "outbox")
    list_filter = (MailFilter, "kind", "occurrence", "emailable")
    search_fields = ("user__username",)
    raw_id_fields = ("user", "assignment", "outbox", "agency", "sweep")
    list_select_related = ("user", "assignment__task", "assignment__agency")


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ("day", "started_at", "finished_at", "reminders", "people", "digests", "error")
    list_filter = ("day",)


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "scope", "user", "agency", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("prefix", "user__username")
    exclude = ("digest",)
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and getattr(request.user, "role", None) == "admin"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "digest"]

    @admin.action(description="Thu hồi")
    def revoke(self, request, queryset):
        n = queryset.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
        record("calendar.tokens_revoked_by_admin", actor=request.user, changes={"count": n})
        messages.success(request, f"Đã thu hồi {n} đường dẫn lịch.")


# --- Webhooks (notify/webhooks.py) -------------------------------------------------------------------------

def _is_admin(request) -> bool:
    return request.user.is_active and getattr(request.user, "role", None) == "admin"


class WebhookSubscriptionForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(label="Sự kiện", choices=list(WEBHOOK_KINDS.items()),
                                      widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": "Hãy chọn ít nhất một sự kiện."})

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "kinds", "active", "as_user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_user"].queryset = User.objects.filter(is_active=True).order_by("username")

    def clean_url(self):
        return (self.cleaned_data.get("url") or "").strip()


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(AuditedAdmin):
    """An administrator subscribes an address to events; its secret is shown here (to administrators only)."""

    form = WebhookSubscriptionForm
    list_display = ("name", "url", "kind_list", "active", "owner", "as_user", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "url")
    list_select_related = ("owner", "as_user")
    readonly_fields = ("secret", "owner", "created_at")
    actions = ["rotate_secret"]

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "kinds", "active", "as_user"]
        return fields + ["secret", "owner", "created_at"] if obj is not None else fields

    @admin.display(description="sự kiện")
    def kind_list(self, obj):
        return "; ".join(WEBHOOK_KINDS.get(k, k) for k in obj.kinds or ())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)
        if not change:
            messages.info(request, format_html("Khóa bí mật của webhook “{}” (dùng để kiểm tra chữ ký): <code>{}</code>",
                                               obj.name, obj.secret))

    @admin.action(description="Tạo khóa bí mật mới")
    def rotate_secret(self, request, queryset):
        for subscription in queryset:
            subscription.secret = webhook_secret()
            subscription.save(update_fields=["secret"])
            record("webhook.secret_rotated", actor=request.user, obj=subscription)
        messages.success(request, "Đã tạo khóa bí mật mới; người nhận cần dùng khóa mới để kiểm tra chữ ký.")


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = readonly_fields = ("number", "at", "status", "duration_ms", "error")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log: what went to which address, how each try was answered; failed ones are queued again here."""

    list_display = ("created_at", "kind", "subscription", "state", "attempts", "last_status", "last_duration_ms",
                    "next_attempt_at", "delivered_at", "error")
    list_filter = ("state", "kind", "subscription")
    list_select_related = ("subscription",)
    search_fields = ("last_error", "key")
    date_hierarchy = "created_at"
    inlines = [WebhookAttemptInline]
    actions = ["requeue"]
    fields = ("subscription", "kind", "state", "attempts", "next_attempt_at", "last_status", "last_duration_ms",
              "last_error", "created_at", "delivered_at", "content")

    @admin.display(description="lỗi gần nhất")
    def error(self, obj):
        return (obj.last_error[:120] + "…") if len(obj.last_error) > 120 else obj.last_error

    @admin.display(description="nội dung gửi")
    def content(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, ensure_ascii=False, indent=2, sort_keys=True))

    def has_change_permission(self, request, obj=None):  # the list's action needs it; the page stays read-only
        return _is_admin(request)

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.action(description="Gửi lại (đưa vào hàng đợi ngay)")
    def requeue(self, request, queryset):
        ids = list(queryset.filter(state__in=(DeliveryState.FAILED, DeliveryState.CANCELLED)).values_list("pk", flat=True))
        n = webhooks.requeue(ids)
        record("webhook.deliveries_requeued", actor=request.user, changes={"deliveries": ids})
        messages.success(request, f"Đã đưa {n} lần gửi webhook vào hàng đợi gửi lại.")
