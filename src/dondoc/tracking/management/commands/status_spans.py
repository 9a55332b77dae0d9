"""`dondoc status_spans --check | --rebuild`: verify or recompute the status cache (tracking/spans.py) and the due
dates stored on tasks that it is computed from (plans/due.py)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from dondoc.plans import due
from dondoc.plans.models import Plan
from dondoc.tracking import spans


class Command(BaseCommand):
    help = "Kiểm tra (--check) hoặc tính lại (--rebuild) bảng trạng thái dẫn xuất từ các báo cáo, xác nhận, gia hạn."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true", help="So sánh với kết quả tính lại; lỗi (mã 1) nếu khác.")
        action.add_argument("--rebuild", action="store_true", help="Tính lại toàn bộ.")

    def handle(self, *args, check=False, rebuild=False, **options):
        started = time.monotonic()
        if rebuild:
            fixed = sum(due.store_dues(plan) for plan in Plan.objects.only("pk", "agency_report_date"))
            if fixed:
                self.stdout.write(f"Stored the due date of {fixed} tasks again.")
            n = spans.rebuild(out=self.stdout.write)
            self.stdout.write(f"Rebuilt the status spans of {n} assignments in {time.monotonic() - started:.1f} s.")
            return
        stale = due.stale()
        if stale:
            shown = ", ".join(map(str, stale[:20])) + (" ..." if len(stale) > 20 else "")
            raise CommandError(f"{len(stale)} tasks have a stale due date ({shown}); run `dondoc status_spans --rebuild`.")
        wrong = spans.check()
        if wrong:
            shown = ", ".join(map(str, wrong[:20])) + (" ..." if len(wrong) > 20 else "")
            raise CommandError(f"{len(wrong)} assignments have stale status spans ({shown}); "
                               "run `dondoc status_spans --rebuild`.")
        self.stdout.write(f"Status spans are up to date ({time.monotonic() - started:.1f} s).")
