"""`dondoc bench-data --plans N --tasks-per-plan M [--agencies K]`: realistic published plans for benchmarks.

Not a user path: rows go in with bulk_create (no per-task actions, no audit events) so that 100,000 tasks and
~400,000 assignments take a couple of minutes on SQLite. Each plan is written in its own transaction, so an
interrupted run leaves whole plans only.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from dondoc.orgs.models import Agency, AgencyGroup, AgencyKind
from dondoc.plans.due import fill as fill_due
from dondoc.plans.models import Assignment, AssignmentRole, LeadKind, Plan, PlanStatus, Recurrence, Section, Task

PLAN_TITLES = [
    "Sửa chữa, khắc phục hạn chế, khuyết điểm sau kiểm điểm tự phê bình và phê bình năm {year}",
    "Thực hiện chuyển đổi số, phát triển kinh tế số và xã hội số tỉnh Tuyên Quang năm {year}",
    "Cải thiện Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) năm {year}",
    "Triển khai Chương trình mục tiêu quốc gia giảm nghèo bền vững năm {year}",
    "Thực hiện công tác cải cách hành chính nhà nước tỉnh Tuyên Quang năm {year}",
    "Đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {year}",
]
SECTION_TITLES = [
    "Công tác lãnh đạo, chỉ đạo, điều hành phát triển kinh tế - xã hội",
    "Sản xuất nông, lâm nghiệp, thủy sản và phát triển du lịch",
    "Chuyển đổi số và cải cách thủ tục hành chính",
    "Quản lý, sử dụng đất đai, tài nguyên và bảo vệ môi trường",
    "Tiến độ thực hiện các dự án đầu tư công trọng điểm",
    "Thu hút đầu tư, phát triển doanh nghiệp và kinh tế tư nhân",
    "Giáo dục, y tế, văn hóa và an sinh xã hội",
    "Quốc phòng, an ninh và trật tự an toàn xã hội",
]
TASK_TEMPLATES = [
    "Tham mưu xây dựng kế hoạch triển khai {field} năm {year}, trình Ủy ban nhân dân tỉnh ban hành",
    "Rà soát, đánh giá kết quả thực hiện {field}; đề xuất giải pháp khắc phục các hạn chế, tồn tại",
    "Tăng cường kiểm tra, đôn đốc việc thực hiện {field} tại các cơ quan, đơn vị, địa phương",
    "Đẩy mạnh tuyên truyền, phổ biến các chủ trương, chính sách về {field}",
    "Hoàn thiện cơ sở dữ liệu về {field}, kết nối, chia sẻ với Hệ thống thông tin báo cáo của tỉnh",
    "Tổ chức sơ kết, đánh giá tình hình thực hiện {field}, báo cáo Ủy ban nhân dân tỉnh",
    "Phấn đấu hoàn thành 100% chỉ tiêu về {field} được giao trong năm {year}",
    "Chủ động phối hợp tháo gỡ khó khăn, vướng mắc trong {field}, kịp thời báo cáo cấp có thẩm quyền",
]
FIELDS = [
    "giải ngân vốn đầu tư công", "cải cách thủ tục hành chính", "chuyển đổi số", "giảm nghèo bền vững",
    "xây dựng nông thôn mới", "quản lý đất đai", "phát triển du lịch", "thu hút đầu tư",
    "bảo vệ môi trường", "phòng, chống tham nhũng, tiêu cực", "phát triển kinh tế tập thể", "an toàn thực phẩm",
]
COMMUNE_NAMES = [
    "Minh Quang", "Thượng Lâm", "Hồng Thái", "Yên Nguyên", "Phúc Sơn", "Tân Trào", "Kim Bình", "Hùng Lợi",
    "Thái Bình", "Lăng Can", "Đà Vị", "Sơn Nam", "Tháng Mười", "Hòa Phú", "Bình Xa", "Trung Hà",
]
ISSUER = "Ủy ban nhân dân tỉnh Tuyên Quang"
ASSIGNMENT_BATCH = 5000


class Command(BaseCommand):
    help = "Tạo dữ liệu thử tải: kế hoạch đã ban hành với mục, nhiệm vụ và giao việc (bulk insert, không ghi nhật ký)."

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, required=True, help="Số kế hoạch cần tạo.")
        parser.add_argument("--tasks-per-plan", type=int, required=True, help="Số nhiệm vụ mỗi kế hoạch.")
        parser.add_argument("--agencies", type=int, default=0, help="Số cơ quan (UBND xã) tạo thêm, mã ASCII bench-xa-NNNN.")
        parser.add_argument("--seed", type=int, default=2024, help="Hạt giống ngẫu nhiên, để dữ liệu lặp lại được.")
        parser.add_argument("--updates-per-assignment", type=int, default=0,
                            help="Số báo cáo tiến độ tạo cho mỗi lượt giao việc (2.000.000 với 400.000 lượt giao và 5).")
        parser.add_argument("--claims", type=float, default=0.0,
                            help="Tỷ lệ lượt giao chủ trì có báo cáo hoàn thành (0–1): phần lớn đã xác nhận, một số bị "
                                 "trả lại hoặc đang chờ, có cái đúng hạn, có cái quá hạn.")

    def handle(self, *args, **options):
        plans, per_plan, extra = options["plans"], options["tasks_per_plan"], options["agencies"]
        if plans < 0 or per_plan < 1 or extra < 0 or not 0 <= options["claims"] <= 1:
            raise CommandError("--plans phải ≥ 0, --tasks-per-plan ≥ 1, --agencies ≥ 0, --claims từ 0 đến 1.")
        rng = random.Random(options["seed"])
        started = time.monotonic()
        created_agencies = self._create_agencies(extra)
        pool = list(Agency.objects.filter(valid_to__isnull=True).exclude(kind=AgencyKind.OTHER).order_by("pk"))
        if len(pool) < 6:
            raise CommandError("Cần ít nhất 6 cơ quan: chạy `dondoc load_orgs` trước hoặc thêm --agencies K.")
        groups = [(g, list(g.members.filter(valid_to__isnull=True))) for g in AgencyGroup.objects.order_by("pk")]
        groups = [(g, members) for g, members in groups if members]
        coordinator = Agency.objects.filter(code="skhdt").first() or pool[0]
        first_number = Plan.objects.count() + 1000
        first_assignment = (Assignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        totals = {"sections": 0, "tasks": 0, "assignments": 0}
        for i in range(plans):
            counts = self._create_plan(rng, first_number + i, per_plan, pool, groups, coordinator)
            for key in totals:
                totals[key] += counts[key]
            if plans >= 10 and (i + 1) % max(1, plans // 10) == 0:
                self.stdout.write(f"  {i + 1}/{plans} kế hoạch ({time.monotonic() - started:.1f} giây)")
        if options["updates_per_assignment"] > 0:
            totals["updates"] = self._create_updates(rng, options["updates_per_assignment"])
            self.stdout.write(f"  {totals['updates']} báo cáo tiến độ ({time.monotonic() - started:.1f} giây)")
        new = Assignment.objects.filter(pk__gte=first_assignment)
        if options["claims"] > 0:
            claims = self._create_claims(rng, new, options["claims"])
            self.stdout.write(f"  {claims} báo cáo hoàn thành ({time.monotonic() - started:.1f} giây)")
        # The status cache of the new assignments (bulk inserts send no signals).
        from dondoc.tracking import spans

        spans.rebuild(new.values_list("pk", flat=True))
        self.stdout.write(f"  bảng trạng thái ({time.monotonic() - started:.1f} giây)")
        # Refresh the planner's statistics, as autovacuum (PostgreSQL) would after a bulk load: without them the
        # first queries on a just-filled database pick sequential scans and the benchmark measures that instead.
        with connection.cursor() as cursor:
            # PostgreSQL: VACUUM too, so the visibility map lets index-only scans skip the heap, and autovacuum does
            # not start on millions of fresh rows in the middle of a measurement.
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block  # (a test's transaction)
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Đã tạo {plans} kế hoạch (đã ban hành), {totals['sections']} mục, {totals['tasks']} nhiệm vụ, "
            f"{totals['assignments']} lượt giao việc, {created_agencies} cơ quan mới trong {elapsed:.1f} giây."
        )

    def _create_agencies(self, count: int) -> int:
        if not count:
            return 0
        taken = set(Agency.objects.filter(code__startswith="bench-xa-").values_list("code", flat=True))
        new, n = [], 0
        while len(new) < count:
            n += 1
            code = f"bench-xa-{n:04d}"
            if code in taken:
                continue
            agency = Agency(code=code, kind=AgencyKind.COMMUNE,
                            name=f"Ủy ban nhân dân xã {COMMUNE_NAMES[n % len(COMMUNE_NAMES)]} {n}")
            agency.refresh_derived()  # bulk_create skips save(), which fills the search and sort columns
            new.append(agency)
        Agency.objects.bulk_create(new, batch_size=500)
        return len(new)

    @transaction.atomic
    def _create_plan(self, rng: random.Random, number: int, per_plan: int, pool, groups, coordinator) -> dict:
        year = rng.choice([2024, 2025])
        issued_on = dt.date(year, rng.randint(1, 6), rng.randint(1, 28))
        title = rng.choice(PLAN_TITLES)
        agency_report = dt.date(year, 12, 10)
        plan = Plan.objects.create(
            number=f"{number}/KH-UBND", issuer=ISSUER, place="Tuyên Quang", issued_on=issued_on,
            title=title.format(year=year - 1 if "kiểm điểm" in title else year),
            signer_name="Nguyễn Văn Sơn", signer_position="CHỦ TỊCH", signer_on_behalf="TM. ỦY BAN NHÂN DÂN",
            status=PlanStatus.PUBLISHED, coordinating_agency=coordinator, agency_report_date=agency_report,
            coordinator_report_date=dt.date(year, 12, 15), source_name="bench-data", published_at=timezone.now(),
        )
        # Outline: part II and its shortcomings, about one per dozen tasks (Plan 78 has 8 for 245 tasks).
        part = Section.objects.create(plan=plan, ref="II", title="NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP", order=0)
        shortcomings = max(1, min(len(SECTION_TITLES), per_plan // 12))
        titles = rng.sample(SECTION_TITLES, shortcomings)
        sections = Section.objects.bulk_create([
            Section(plan=plan, ref=str(k + 1), title=titles[k], parent=part, order=k + 1) for k in range(shortcomings)
        ])
        if any(s.pk is None for s in sections):  # databases that return no keys from bulk inserts
            sections = list(plan.sections.exclude(pk=part.pk).order_by("order"))

        tasks, leads, coordinating = [], [], []
        block, in_block, block_size = 0, 0, 0
        current = None
        for j in range(per_plan):
            section = sections[j * shortcomings // per_plan]
            if section is not current or in_block >= block_size:
                block = block + 1 if section is current else 1
                current, in_block, block_size = section, 0, rng.randint(2, 8)
                block_lead = self._pick_lead(rng, pool, groups)
            in_block += 1
            lead_names, lead_kind, lead_rows = block_lead
            # Sample a few more than needed and drop the leads: constant time whatever the pool size.
            lead_ids = {a.pk for a, _ in lead_rows}
            wanted = rng.randint(1, 4)
            partners = [a for a in rng.sample(pool, min(len(pool), wanted + 2)) if a.pk not in lead_ids][:wanted]
            text = rng.choice(TASK_TEMPLATES).format(field=rng.choice(FIELDS), year=year)
            deadline_date, deadline_text, recurrence = None, "", ""
            roll = rng.random()
            if roll < 0.2:
                deadline_date = issued_on + dt.timedelta(days=rng.randint(30, 400))
                deadline_text = f"trước ngày {deadline_date:%d/%m/%Y}"
            elif roll < 0.3:
                deadline_text = f"Quý {rng.choice(['II', 'III', 'IV'])}/{year}"
            elif roll < 0.4:
                deadline_text, recurrence = rng.choice([("hằng tháng", Recurrence.MONTHLY), ("hằng quý", Recurrence.QUARTERLY)])
            block_ref = f"{section.ref}.{block}"
            task = Task(plan=plan, section=section, block_ref=block_ref, block_heading=", ".join(lead_names),
                        ref=f"{block_ref}#{in_block}", order=j + 1, text=text, lead_names=lead_names, lead_kind=lead_kind,
                        coordinating_names=[a.name for a in partners], deadline_date=deadline_date,
                        deadline_text=deadline_text, recurrence=recurrence)
            task.fill_search_text()
            fill_due(task, plan.agency_report_date)
            tasks.append(task)
            leads.append(lead_rows)
            coordinating.append(partners)
        Task.objects.bulk_create(tasks, batch_size=1000)
        # Keys in insertion order, read back so this works whether or not the database returns them.
        ids = list(Task.objects.filter(plan=plan).order_by("order").values_list("pk", flat=True))

        batch: list[Assignment] = []
        total = 0
        for task_id, lead_rows, partners in zip(ids, leads, coordinating):
            for agency, group in lead_rows:
                batch.append(Assignment(task_id=task_id, agency=agency, role=AssignmentRole.LEAD, via_group=group))
            for agency in partners:
                batch.append(Assignment(task_id=task_id, agency=agency, role=AssignmentRole.COORDINATING))
            if len(batch) >= ASSIGNMENT_BATCH:
                Assignment.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        Assignment.objects.bulk_create(batch)
        total += len(batch)
        return {"sections": len(sections) + 1, "tasks": len(tasks), "assignments": total}

    @staticmethod
    def _authors() -> dict[int, int]:
        """A focal point per agency (made when missing, with no usable password)."""
        from dondoc.accounts.models import User
        from dondoc.accounts.roles import Role

        authors = {}
        for agency in Agency.objects.all():
            user = User.objects.filter(agency=agency, role=Role.FOCAL).first()
            if user is None:
                user = User(username=f"bench.{agency.code}", role=Role.FOCAL, agency=agency)
                user.set_unusable_password()
                user.save()
            authors[agency.pk] = user.pk
        return authors

    def _create_claims(self, rng: random.Random, assignments, share: float) -> int:
        """Completion claims on a share of the lead assignments with a due date: about 70 % confirmed, 10 % returned,
        20 % waiting; completions spread around the due date, so some are late."""
        from dondoc.accounts.models import User
        from dondoc.accounts.roles import Role
        from dondoc.tracking.models import Claim, DecisionState

        authors = self._authors()
        decider = User.objects.filter(role=Role.COORDINATOR).values_list("pk", flat=True).first() or next(iter(authors.values()))
        today = timezone.localdate()
        batch, total = [], 0
        rows = assignments.filter(role=AssignmentRole.LEAD).values_list(
            "pk", "agency_id", "task__due_date")
        for pk, agency_id, due in rows.iterator(chunk_size=20000):
            if due is None or rng.random() >= share:
                continue
            completed = min(today, due + dt.timedelta(days=rng.randint(-60, 20)))
            made = timezone.make_aware(dt.datetime.combine(completed, dt.time(9)) + dt.timedelta(days=rng.randint(0, 3)))
            made = min(made, timezone.now())
            roll = rng.random()
            state = (DecisionState.CONFIRMED if roll < 0.7 else DecisionState.RETURNED if roll < 0.8 else DecisionState.PENDING)
            decided = None if state == DecisionState.PENDING else min(timezone.now(), made + dt.timedelta(days=2))
            batch.append(Claim(assignment_id=pk, completed_on=completed, output="Văn bản số .../BC (thử tải)",
                               created_by_id=authors[agency_id], created_at=made, state=state,
                               decided_by_id=decider if decided else None, decided_at=decided,
                               reason="Thiếu hồ sơ (thử tải)" if state == DecisionState.RETURNED else ""))
            if len(batch) >= 20000:
                Claim.objects.bulk_create(batch)
                total, batch = total + len(batch), []
        Claim.objects.bulk_create(batch)
        return total + len(batch)

    def _create_updates(self, rng: random.Random, per_assignment: int) -> int:
        """Progress reports on every published assignment, by one bench account per agency, spread over a year."""
        from dondoc.tracking.models import Update

        authors = self._authors()
        start = timezone.now() - dt.timedelta(days=365)
        total, batch = 0, []
        rows = Assignment.objects.filter(task__plan__status=PlanStatus.PUBLISHED).values_list("pk", "agency_id", "role")
        for pk, agency_id, role in rows.iterator(chunk_size=20000):
            for k in range(per_assignment):
                batch.append(Update(assignment_id=pk, author_id=authors[agency_id],
                                    created_at=start + dt.timedelta(minutes=rng.randrange(525600)),
                                    text=f"Báo cáo tiến độ lần {k + 1}: đã triển khai các nội dung được giao.",
                                    percent=min(100, 20 * (k + 1)) if role == AssignmentRole.LEAD else None))
            if len(batch) >= 20000:
                with transaction.atomic():
                    Update.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        Update.objects.bulk_create(batch)
        return total + len(batch)

    @staticmethod
    def _pick_lead(rng: random.Random, pool, groups):
        """(printed names, kind, [(agency, via group)]): mostly one agency, sometimes two, now and then a group."""
        roll = rng.random()
        if roll < 0.05 and groups:
            group, members = rng.choice(groups)
            return [group.name], LeadKind.GROUP, [(m, group) for m in members]
        chosen = rng.sample(pool, 2 if roll < 0.15 else 1)
        return [a.name for a in chosen], LeadKind.AGENCY, [(a, None) for a in chosen]
