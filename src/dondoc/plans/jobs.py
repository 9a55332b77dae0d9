"""Background jobs a user waits on (Job rows, one task per kind in RUNNERS): the plan import — upload -> parse
(progress on the Job row) -> draft plan — here, the PDF conversion in reports/pdf.py.

A job survives the death of its worker: while it runs, a heartbeat thread moves `heartbeat_at` on; the worker's
scheduler (notify/scheduler.py) calls `reclaim_stale_jobs()`, which takes each job whose heartbeat stopped by one
conditional UPDATE (Healthchecks' sendalerts: of several workers sweeping at once, exactly one wins a job), and
queues it again once, or marks it failed with a message the coordinator sees and can restart. The import is
idempotent: only a queued job starts (claim by update), and the draft plan and the job's end are written in one
transaction, which also checks that the job was not reclaimed meanwhile — a retry never makes a second draft.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from dondoc.audit import record
from dondoc.core.errors import ActionError, Conflict

from .models import Job, JobState

log = logging.getLogger(__name__)

# File types the parser reads, by extension; the parser checks the content itself.
ACCEPTED_EXTENSIONS = (".txt", ".docx", ".doc", ".pdf", ".xlsx", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
MAX_ATTEMPTS = 2  # the first run and one retry after a worker died
STALE_ERROR = ("Tiến trình xử lý nền bị dừng giữa chừng (máy chủ xử lý ngừng hoạt động) và đã thử lại không thành. "
               "Chưa có bản nháp nào được tạo. Hãy bấm «Chạy lại» hoặc tải lên lại tệp.")


class UploadError(ActionError):
    """A refused upload (size, type), with a message in Vietnamese."""


class JobError(Conflict):
    pass


def check_upload(name: str, size: int) -> None:
    if not name.lower().endswith(ACCEPTED_EXTENSIONS):
        raise UploadError("Định dạng tệp không được hỗ trợ. Hãy tải lên .docx, .doc, .pdf, .txt, .xlsx hoặc ảnh quét.")
    if size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise UploadError(f"Tệp quá lớn (tối đa {settings.MAX_UPLOAD_MB} MB).")
    if size == 0:
        raise UploadError("Tệp rỗng.")


# Job kind -> its task (run with the job's id). Apps above plans register theirs (reports: the PDF conversion).
RUNNERS: dict = {}


def register(kind: str, runner) -> None:
    RUNNERS[kind] = runner


def enqueue_job(job_id: int) -> None:
    kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).get()
    result = RUNNERS[kind].enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def claim(job_id: int, message: str) -> Job | None:
    """Claim by update: only a queued job starts, so a duplicate or late task for a job already running or done
    does nothing (None)."""
    if not Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            state=JobState.RUNNING, progress=5, message=message, attempts=F("attempts") + 1,
            heartbeat_at=timezone.now()):
        log.info("job %s is not queued any more; nothing to do", job_id)
        return None
    return Job.objects.select_related("created_by").get(pk=job_id)


@transaction.atomic
def start_plan_import(user, name: str, data: bytes, request=None, enqueue: bool = True) -> Job:
    """Store the upload and queue its parsing; both land together or not at all.

    `enqueue=False` leaves the job for the caller to run in-process (the demo loader)."""
    check_upload(name, len(data))
    job = Job.objects.create(created_by=user, upload_name=name[:255], message="Đang chờ xử lý")
    job.upload.save(name, ContentFile(data), save=True)
    record("plan.upload", actor=user, obj=job, request=request, changes={"file": name, "bytes": len(data)})
    if enqueue:
        enqueue_job(job.pk)
    return job


@transaction.atomic
def do_restart_job(job: Job, user, request=None) -> Job:
    """Queue a failed import again (the coordinator's «Chạy lại»), from its stored upload."""
    if not Job.objects.filter(pk=job.pk, state=JobState.FAILED).update(
            state=JobState.QUEUED, progress=0, attempts=0, heartbeat_at=None, error="", message="Đang chờ xử lý lại"):
        raise JobError("Chỉ chạy lại được công việc đã lỗi.")
    record("job.restarted", actor=user, obj=job, request=request, changes={"file": job.upload_name})
    enqueue_job(job.pk)
    job.refresh_from_db()
    return job


def heartbeat_seconds() -> float:
    return max(1.0, min(30.0, settings.JOB_STALE_SECONDS / 5))


@contextlib.contextmanager
def heartbeat(job_id: int, attempt: int):
    """Move the job's heartbeat on from a thread of its own, so a long parse or OCR page does not look dead."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(heartbeat_seconds()):
                try:
                    Job.objects.filter(pk=job_id, attempts=attempt, state=JobState.RUNNING).update(
                        heartbeat_at=timezone.now())
                except Exception:  # a missed beat is retried at the next one; stale means minutes of them
                    log.warning("heartbeat of job %s failed", job_id, exc_info=True)
                finally:
                    close_old_connections()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"dondoc-job-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def known_agency_names() -> list[str]:
    """Every name and alias of the tenant's agencies and groups, for the parser's name recogniser."""
    from dondoc.orgs.models import Agency, AgencyGroup

    names: list[str] = []
    for model in (Agency, AgencyGroup):
        for obj in model.objects.only("name", "aliases", *(["short_name"] if model is Agency else [])):
            names.extend(obj.all_names())
    return names


@task()
def run_plan_import(job_id: int) -> int | None:
    from dondoc.parsing import ParseError, parse

    from .actions import import_structure

    job = claim(job_id, "Đang đọc văn bản")
    if job is None:
        return None
    mine = Job.objects.filter(pk=job_id, state=JobState.RUNNING, attempts=job.attempts)  # this attempt's row

    def progress(message: str):
        # The parser reports pages as it goes ("OCR page 3/10"); map them to 5..90 %.
        match = re.search(r"(\d+)\s*/\s*(\d+)", str(message))
        if match and int(match.group(2)):
            share = min(int(match.group(1)) / int(match.group(2)), 1.0)
            mine.update(progress=5 + int(85 * share), message=f"Đang nhận dạng trang {match.group(1)}/{match.group(2)}")

    with heartbeat(job_id, job.attempts):
        try:
            with job.upload.open("rb") as f:
                data = f.read()
            structure = parse(data, filename=job.upload_name, include_text=True, progress=progress,
                              known_agencies=known_agency_names())
            mine.update(progress=92, message="Đang tạo bản nháp")
            with transaction.atomic():
                plan = import_structure(structure, user=job.created_by, source_name=job.upload_name,
                                        source_file=ContentFile(data), text=structure.get("text", ""))
                if not mine.update(state=JobState.DONE, progress=100, message="Hoàn tất", plan=plan):
                    raise _Reclaimed()  # taken as dead meanwhile: roll the draft back, the retry makes it
        except _Reclaimed:
            log.warning("plan import %s was reclaimed while it ran; its draft was rolled back", job_id)
            return None
        except ParseError as exc:
            mine.update(state=JobState.FAILED, progress=100, message="Không đọc được tệp",
                        error=f"Không đọc được văn bản: {exc}")
            return None
        except Exception as exc:  # a job must end in a visible state, never stay "running"
            log.exception("plan import %s failed", job_id)
            mine.update(state=JobState.FAILED, progress=100, message="Lỗi hệ thống", error=f"Lỗi khi xử lý tệp: {exc}")
            raise
    return plan.pk


class _Reclaimed(Exception):
    pass


register(Job.PLAN_IMPORT, run_plan_import)


def _close_task(task_id: str, now: dt.datetime) -> None:
    """The dead worker's queue row stays "running" for ever otherwise."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED", finished_at=now, exception_class_path="dondoc.plans.jobs.WorkerDied",
        traceback="The worker running this task stopped sending heartbeats; the job was reclaimed.")


def reclaim_stale_jobs(now: dt.datetime | None = None) -> dict:
    """Retry once, or fail visibly, each running job whose heartbeat is older than JOB_STALE_SECONDS."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    # A job from before heartbeats existed counts from its last change.
    stale = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    counts = {"retried": 0, "failed": 0}
    for job in Job.objects.filter(stale, state=JobState.RUNNING).order_by("pk")[:100]:
        same = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, attempts=job.attempts)
        same = same.filter(heartbeat_at=job.heartbeat_at) if job.heartbeat_at else same.filter(heartbeat_at__isnull=True)
        with transaction.atomic():
            if job.attempts < MAX_ATTEMPTS:
                if not same.update(state=JobState.QUEUED, progress=0, heartbeat_at=None,
                                   message="Tiến trình xử lý bị dừng giữa chừng; đang chạy lại"):
                    continue  # another worker took it, or it beat meanwhile
                _close_task(job.task_id, now)
                record("job.retried", obj=job, changes={"attempts": job.attempts, "file": job.upload_name})
                enqueue_job(job.pk)
                counts["retried"] += 1
            else:
                if not same.update(state=JobState.FAILED, progress=100, heartbeat_at=None,
                                   message="Tiến trình xử lý bị dừng", error=STALE_ERROR):
                    continue
                _close_task(job.task_id, now)
                record("job.failed", obj=job, changes={"attempts": job.attempts, "file": job.upload_name,
                                                       "reason": "worker stopped"})
                counts["failed"] += 1
    return counts
