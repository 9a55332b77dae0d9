from django.contrib import admin, messages
from django.db.models import Q

from dondoc.audit import record
from dondoc.audit.admin import ReadOnlyAdmin
from dondoc.core import clock

from .models import CalendarToken, Outbox, OutboxState, Reminder, SweepRun


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
