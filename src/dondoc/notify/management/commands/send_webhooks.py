"""`dondoc send_webhooks [--date YYYY-MM-DD] [--no-overdue]`: queue the day's "task.overdue" events, then send every
webhook delivery that is due, once (for cron, or to see at once what the worker would do)."""

from __future__ import annotations


from django.core.management.base import BaseCommand

from dondoc.core import clock


class Command(BaseCommand):
    help = "Đưa các nhiệm vụ mới quá hạn vào hàng đợi webhook, rồi gửi các webhook đến lượt gửi."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày xét quá hạn, dạng YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--no-overdue", action="store_true", help="Không xét nhiệm vụ quá hạn, chỉ gửi.")

    def handle(self, *args, **options):
        from dondoc.notify import webhooks

        day = clock.day_option(options["date"])
        if not options["no_overdue"]:
            queued = webhooks.enqueue_overdue(day)
            self.stdout.write(f"Ngày {day:%d/%m/%Y}: {queued} sự kiện quá hạn mới vào hàng đợi.")
        sent = webhooks.send_due()
        self.stdout.write(f"Webhook: đã gửi {sent['delivered']}, chờ gửi lại {sent['retry']}, lỗi {sent['failed']}, "
                          f"không gửi {sent['cancelled']}.")
