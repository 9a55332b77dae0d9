"""Plans, their outline, tasks and assignments (a task given to one agency as lead or coordinator)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from dondoc.core import clock
from dondoc.orgs.names import search_text

from .due import DUE_FIELDS, store_dues
from .due import explain as explain_due
from .due import stored as stored_due
from .due import fill as fill_due

_DUE_SOURCE = ("deadline_date", "deadline_text", "recurrence")  # what a task's stored due is read from


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    PUBLISHED = "published", "Đã ban hành giao việc"
    SUPERSEDED = "superseded", "Đã được thay thế"
    CLOSED = "closed", "Đã kết thúc"


class Plan(models.Model):
    number = models.CharField("số, ký hiệu", max_length=100, blank=True, db_index=True)
    doc_type = models.CharField("loại văn bản", max_length=50, default="KẾ HOẠCH")
    issuer = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.TextField("trích yếu", blank=True)
    signer_name = models.CharField("người ký", max_length=150, blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=150, blank=True)
    signer_on_behalf = models.CharField("thẩm quyền ký", max_length=150, blank=True)
    based_on = models.JSONField("căn cứ", default=list, blank=True)
    recipients = models.JSONField("nơi nhận", default=list, blank=True)
    status = models.CharField("trạng thái", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True)
    coordinating_agency = models.ForeignKey("orgs.Agency", verbose_name="cơ quan theo dõi, tổng hợp", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="coordinated_plans")
    agency_report_date = models.DateField("hạn các cơ quan báo cáo", null=True, blank=True)
    coordinator_report_date = models.DateField("hạn cơ quan tổng hợp báo cáo UBND", null=True, blank=True)
    revision_of = models.ForeignKey("self", verbose_name="sửa đổi của", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="revisions")
    # An agency's own implementation plan (issue 19): the plan above it, and the agency that issues it (None: a
    # plan of the province itself). Its tasks link to the parent's assignments of that agency (Task.implements).
    parent = models.ForeignKey("self", verbose_name="thực hiện kế hoạch", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    owner = models.ForeignKey("orgs.Agency", verbose_name="cơ quan ban hành kế hoạch thực hiện", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="implementation_plans")
    source_file = models.FileField("tệp gốc", upload_to="plans/%Y/", blank=True)
    source_name = models.CharField("tên tệp gốc", max_length=255, blank=True)
    source_text = models.TextField("văn bản đã chuẩn hóa", blank=True)
    parse_warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return f"Kế hoạch số {self.number}" if self.number else (self.title[:80] or f"Kế hoạch #{self.pk}")

    @classmethod
    def from_db(cls, db, field_names, values):
        plan = super().from_db(db, field_names, values)
        plan._report_date_read = plan.__dict__.get("agency_report_date", models.DEFERRED)
        return plan

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if (self.pk and "agency_report_date" in self.__dict__  # a deferred date is not saved, so cannot change
                and (update_fields is None or "agency_report_date" in update_fields)
                and self.agency_report_date != getattr(self, "_report_date_read", models.DEFERRED)):
            # Before the plan's own row: receivers of its post_save (the status cache) read the tasks' new dues.
            store_dues(self)
        super().save(*args, **kwargs)
        self._report_date_read = self.__dict__.get("agency_report_date", models.DEFERRED)

    def reference(self) -> str:
        """How documents cite the plan: "Kế hoạch số 78/KH-UBND ngày 23/4/2024 của Ủy ban nhân dân tỉnh Tuyên Quang"."""
        from dondoc.core.text import official_date

        parts = [(self.doc_type or "Kế hoạch").strip().capitalize()]
        if self.number:
            parts.append(f"số {self.number}")
        if self.issued_on:
            parts.append(f"ngày {official_date(self.issued_on)}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        return " ".join(parts)


class Section(models.Model):
    """A node of the outline that is not itself an assignment block: a part, a shortcoming, a group."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    ref = models.CharField("số thứ tự", max_length=32)
    title = models.TextField("tiêu đề", blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "mục"
        verbose_name_plural = "mục"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="unique_section_ref")]

    def __str__(self):
        return f"{self.ref}. {self.title[:80]}"


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    SEMIANNUAL = "semiannual", "6 tháng"
    ANNUAL = "annual", "Hằng năm"


class LeadKind(models.TextChoices):
    AGENCY = "agency", "Cơ quan"
    GROUP = "group", "Nhóm cơ quan"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, verbose_name="mục", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    block_ref = models.CharField("khối giao việc", max_length=32, blank=True)
    block_heading = models.TextField("tiêu đề khối", blank=True)
    ref = models.CharField("mã nhiệm vụ", max_length=48, db_index=True)
    order = models.PositiveIntegerField(default=0)
    text = models.TextField("nội dung nhiệm vụ")
    lead_names = models.JSONField("cơ quan chủ trì (như văn bản ghi)", default=list, blank=True)
    lead_kind = models.CharField("loại chủ trì", max_length=8, choices=LeadKind.choices, default=LeadKind.AGENCY)
    # In an implementation plan: the parent plan's assignment this task carries out (plans/cascade.py), with the
    # score of the proposal that made the link (None once a person chose it).
    implements = models.ForeignKey("Assignment", verbose_name="thực hiện nhiệm vụ được giao", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="implemented_by")
    implements_score = models.FloatField(null=True, blank=True)
    coordinating_names = models.JSONField("cơ quan phối hợp (như văn bản ghi)", default=list, blank=True)
    deadline_date = models.DateField("thời hạn", null=True, blank=True, db_index=True)
    deadline_text = models.CharField("thời hạn (như văn bản ghi)", max_length=255, blank=True)
    recurrence = models.CharField("định kỳ", max_length=16, choices=Recurrence.choices, blank=True)
    # When the task is due and on what basis, read from the three fields above and the plan's report date
    # (plans/due.py); kept here so tracking reads a date, not the printed text.
    due_date = models.DateField("hạn tính trạng thái", null=True, blank=True, editable=False)
    due_basis = models.CharField("căn cứ hạn", max_length=12, blank=True, editable=False)
    due_label = models.CharField("hạn (hiển thị)", max_length=255, blank=True, editable=False)
    targets = models.JSONField("chỉ tiêu", default=list, blank=True)
    cited_documents = models.JSONField("văn bản được dẫn", default=list, blank=True)
    expected_output = models.CharField("sản phẩm", max_length=500, blank=True)
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    # "cần xác định đơn vị": the lead is a group with no fixed members or a name matching nothing.
    needs_lead = models.BooleanField("cần xác định đơn vị", default=False, db_index=True)
    # How sure the parser was of the task's assignment block (0–1) and the layout rule that produced it;
    # null and blank when no parser read it (an Excel import, a task added by hand).
    parse_confidence = models.FloatField("độ tin cậy khi đọc văn bản", null=True, blank=True)
    parse_basis = models.CharField("cách nhận ra khi đọc văn bản", max_length=255, blank=True)
    search_text = models.TextField(editable=False, default="")
    version = models.PositiveIntegerField(default=1)
    # The reviewer's "đã rà soát" mark on a draft's task (the review counter); kept on publication as a record.
    reviewed_at = models.DateTimeField("đã rà soát lúc", null=True, blank=True)
    # Cancelled tasks leave the figures; the moment is kept so past statuses can be recomputed.
    cancelled_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    cancel_reason = models.CharField("lý do hủy", max_length=500, blank=True)
    # The last change of the task or of anything under it (an assignment, a report, a claim, an extension, a
    # direction): moved on by Task.save() and by touch(), in the transaction of the change.
    updated_at = models.DateTimeField("cập nhật lúc", default=clock.now, db_index=True)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan", "order"]
        indexes = [models.Index(fields=["plan", "order"])]

    def __str__(self):
        return f"{self.ref} {self.text[:80]}"

    @property
    def parse_level(self):
        """The parse confidence in words (plans/confidence.py), and whether the task is flagged for checking."""
        from .confidence import level

        return level(self.parse_confidence)

    def fill_search_text(self) -> None:
        self.search_text = search_text(f"{self.ref} {self.text} {' '.join(self.lead_names)}")

    @property
    def due(self):
        """When the task is due and on what basis, as stored (plans/due.py)."""
        return stored_due(self)

    @property
    def due_explained(self) -> str:
        return explain_due(stored_due(self))

    @classmethod
    def from_db(cls, db, field_names, values):
        task = super().from_db(db, field_names, values)
        task._due_read_from = task._due_source()
        return task

    def _due_source(self) -> tuple:
        return tuple(self.__dict__.get(name, models.DEFERRED) for name in _DUE_SOURCE)

    def save(self, *args, **kwargs):
        self.fill_search_text()
        self.updated_at = clock.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = update_fields = {*update_fields, "updated_at"}
        if update_fields is None or set(_DUE_SOURCE) & set(update_fields):
            source = self._due_source()
            # Read again only when the deadline changed since the row was loaded (or for a new task).
            if source != getattr(self, "_due_read_from", None):
                report = (self.plan.agency_report_date if Task.plan.is_cached(self) else
                          Plan.objects.filter(pk=self.plan_id).values_list("agency_report_date", flat=True).first())
                fill_due(self, report)
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, *DUE_FIELDS}
        super().save(*args, **kwargs)
        self._due_read_from = self._due_source()


class DraftStep(models.Model):
    """One review action on a draft, with the draft's tasks and sections as they were before it: the undo stack
    (plans/draft.py keeps the last UNDO_DEPTH steps of each draft)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="draft_steps")
    label = models.CharField(max_length=255)
    state = models.JSONField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"


class Assignment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey("orgs.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("vai trò", max_length=16, choices=AssignmentRole.choices, db_index=True)
    via_group = models.ForeignKey("orgs.AgencyGroup", verbose_name="giao qua nhóm", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    provisional = models.BooleanField("tạm giao cơ quan tổng hợp", default=False)
    # Cá nhân chịu trách nhiệm, chosen by the agency's head.
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người phụ trách", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="assignments")
    # Ended by an amendment (lead reassigned, partner removed): kept with its history, out of the figures.
    ended_at = models.DateTimeField(null=True, blank=True)
    # Given by an amendment after publishing: it does not count on the days before. Null: given with the plan.
    added_at = models.DateTimeField(null=True, blank=True)
    # The assignment this one continues: a dissolved agency's, handed over to its successor (tracking/handover.py).
    predecessor = models.ForeignKey("self", verbose_name="tiếp nối", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="continued_by")
    # The last change of the assignment or of anything under it (a report, a claim or its decision, an extension
    # or its decision, a direction to it, its acknowledgement): moved on by Assignment.save() and by touch().
    updated_at = models.DateTimeField("cập nhật lúc", default=clock.now, db_index=True)

    class Meta:
        verbose_name = "giao nhiệm vụ"
        verbose_name_plural = "giao nhiệm vụ"
        constraints = [models.UniqueConstraint(fields=["task", "agency", "role"], name="unique_assignment")]
        indexes = [models.Index(fields=["agency", "role"]),
                   # "The tasks of a plan this agency has a part in": read from the index alone (api, task list).
                   models.Index(fields=["agency", "task"], name="assignment_agency_task")]

    def __str__(self):
        return f"{self.task.ref} → {self.agency} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        self.updated_at = clock.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)
        Task.objects.filter(pk=self.task_id).update(updated_at=self.updated_at)  # a change under the task


def held_on(assignments: models.QuerySet, day: dt.date | None = None) -> models.QuerySet:
    """The assignments that held on `day`: given by its end (with the plan, or added that day or before) and not
    ended before it was over (an amendment's or a hand-over's end, the first moment without it). The structure of
    the work as of a day: the old agency before a hand-over, its successor from the hand-over day. Today (None):
    those not ended, the same thing, since neither an end nor a start is ever recorded ahead of its moment."""
    if day is None:
        return assignments.filter(ended_at__isnull=True)
    over = clock.start_of(day + dt.timedelta(days=1))
    return assignments.filter(Q(added_at__isnull=True) | Q(added_at__lt=over)).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=over))


def touch(task_id: int, assignment_ids=(), *, at=None) -> None:
    """Something under the task changed (a report, a claim, a decision, a direction …): its `updated_at` moves on, and
    that of the assignments the change is under. An UPDATE of one column, in the caller's transaction: no signal, so
    the status cache is left alone (what changes a status refreshes it on its own)."""
    at = at or clock.now()
    Task.objects.filter(pk=task_id).update(updated_at=at)
    ids = list(assignment_ids)
    if ids:
        Assignment.objects.filter(pk__in=ids).update(updated_at=at)


class JobState(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang xử lý"
    DONE = "done", "Hoàn tất"
    FAILED = "failed", "Lỗi"


class Job(models.Model):
    """A user-visible background job (a plan import, a report turned into PDF): state and progress the task
    updates, the page polls. Each kind's task is registered in plans/jobs.py (RUNNERS)."""

    PLAN_IMPORT = "plan_import"

    kind = models.CharField(max_length=32, default=PLAN_IMPORT)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    upload = models.FileField(upload_to="uploads/%Y/%m/", blank=True)
    upload_name = models.CharField(max_length=255, blank=True)
    result = models.FileField(upload_to="results/%Y/%m/", blank=True)  # what the job made, for a download
    result_name = models.CharField(max_length=255, blank=True)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Liveness (plans/jobs.py): the running worker moves heartbeat_at on; a job whose heartbeat stopped is
    # reclaimed by the worker's scheduler, retried once (attempts) or failed with a message.
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the queue's row (django_tasks_db), closed on reclaim

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="plans_job_state_heartbeat")]

    @property
    def status_line(self) -> str:
        """The state and the message in one line, never the same words twice: "Hoàn tất", "Đang chờ xử lý", but
        "Lỗi — Không đọc được tệp" (most messages already name their state)."""
        label, message = self.get_state_display(), (self.message or "").strip()
        if not message or message.lower().startswith(label.lower()):
            return message or label
        return f"{label} — {message}"
