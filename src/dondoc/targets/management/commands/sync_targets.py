"""`dondoc sync_targets [--plan ID ...]`: create the targets of published plans from their tasks (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dondoc.plans.models import Plan, PlanStatus
from dondoc.targets.actions import sync_targets


class Command(BaseCommand):
    help = "Tạo chỉ tiêu từ nhiệm vụ của các kế hoạch đã ban hành (chạy lại nhiều lần không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, action="append", help="Chỉ kế hoạch có mã (id) này; lặp lại được.")

    def handle(self, *args, plan=None, **options):
        plans = Plan.objects.exclude(status=PlanStatus.DRAFT).order_by("pk")
        if plan:
            plans = plans.filter(pk__in=plan)
            missing = set(plan) - set(plans.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No published plan with id {', '.join(map(str, sorted(missing)))}.")
        total = 0
        for p in plans:
            result = sync_targets(p)
            total += result.created
            self.stdout.write(f"{p}: {result.created} created, {result.kept} already there, "
                              f"{len(result.skipped)} not measurable")
            for ref, text in result.skipped:
                self.stdout.write(f"  {ref}: {text}")
        self.stdout.write(f"{total} targets created.")
