"""`dondoc send_reminders [--date YYYY-MM-DD] [--all]`: the hand-overs scheduled for the day, the reminder sweep, then
the digests due, once (for cron; the worker does the same every few minutes)."""

from __future__ import annotations


from django.core.management.base import BaseCommand

from dondoc.core import clock


class Command(BaseCommand):
    help = "Tạo nhắc việc của một ngày (mặc định hôm nay), rồi gửi các thư tổng hợp đã đến giờ gửi."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày nhắc việc, dạng YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--all", action="store_true",
                            help="Gửi ngay các thư chưa gửi lần nào, không chờ giờ nhận thư của từng người.")
        parser.add_argument("--no-mail", action="store_true", help="Chỉ tạo nhắc việc, không gửi thư.")

    def handle(self, *args, **options):
        from dondoc.notify.outbox import send_due
        from dondoc.notify.reminders import sweep
        from dondoc.tracking.handover import apply_due

        day = clock.day_option(options["date"])
        moved = apply_due(day)
        if moved["applied"] or moved["failed"]:
            self.stdout.write(f"Bàn giao theo lịch: đã áp dụng {moved['applied']}, không áp dụng được {moved['failed']}.")
        run = sweep(day)
        self.stdout.write(f"Ngày {day:%d/%m/%Y}: {run.reminders} nhắc việc mới cho {run.people} người, "
                          f"{run.digests} thư tổng hợp mới.")
        if not options["no_mail"]:
            sent = send_due(ignore_hour=options["all"])
            self.stdout.write(f"Thư: đã gửi {sent['sent']}, chờ gửi lại {sent['retry']}, lỗi {sent['failed']}, "
                              f"bỏ qua {sent['skipped']}.")
