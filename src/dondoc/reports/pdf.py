"""A generated report turned into PDF by LibreOffice, as a background job (plans/jobs.py): the conversion can
take a minute on a busy server, so no request waits for it. The page asks for the job, shows its progress
and offers the file when it is done; only the person who asked sees the job or its file.

The Word file is built in the request (it is fast and needs the request's choices: period, date, signer),
stored on the job, and the worker converts it.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django_tasks import task

from dondoc.audit import record
from dondoc.core.errors import ActionError
from dondoc.plans import jobs
from dondoc.plans.models import Job, JobState, Plan

from . import access

log = logging.getLogger(__name__)

KIND = "report_pdf"
TIMEOUT_SECONDS = 180


class PdfUnavailable(ActionError):
    """This server has no LibreOffice."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_bytes: bytes, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """LibreOffice headless, in a directory and with a profile of its own (a running LibreOffice would take it)."""
    binary = soffice()
    if binary is None:
        raise FileNotFoundError("soffice")
    with tempfile.TemporaryDirectory(prefix="dondoc-pdf-") as tmp:
        source = Path(tmp) / "bao-cao.docx"
        source.write_bytes(docx_bytes)
        subprocess.run([binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=timeout)
        return (Path(tmp) / "bao-cao.pdf").read_bytes()


@transaction.atomic
def do_request_pdf(plan: Plan, user, *, docx: bytes, name: str, request=None) -> Job:
    """Store the Word file and queue its conversion; both land together or not at all."""
    if user.role not in access.CONSOLIDATED:
        raise access.Forbidden("Chỉ cơ quan tổng hợp và lãnh đạo tải được báo cáo tổng hợp.")
    if soffice() is None:
        raise PdfUnavailable("Máy chủ chưa cài LibreOffice để chuyển sang PDF; hãy tải bản Word.")
    stem = name.rsplit(".", 1)[0]
    job = Job.objects.create(kind=KIND, created_by=user, plan=plan, upload_name=f"{stem}.docx"[:255],
                             result_name=f"{stem}.pdf"[:255], message="Đang chờ chuyển sang PDF")
    job.upload.save(f"{stem}.docx", ContentFile(docx), save=True)
    record("report.pdf_requested", actor=user, obj=plan, request=request, changes={"job": job.pk, "file": job.result_name})
    jobs.enqueue_job(job.pk)
    return job


def job_for(user, pk: int) -> Job:
    """The user's own conversion job; anyone else's answers 404, so it is not revealed."""
    job = Job.objects.filter(pk=pk, kind=KIND, created_by=user).select_related("plan").first()
    if job is None:
        raise Http404
    return job


@task()
def run_report_pdf(job_id: int) -> int | None:
    job = jobs.claim(job_id, "Đang chuyển sang PDF")
    if job is None:
        return None
    mine = Job.objects.filter(pk=job_id, state=JobState.RUNNING, attempts=job.attempts)  # this attempt's row
    with jobs.heartbeat(job_id, job.attempts):
        try:
            with job.upload.open("rb") as f:
                pdf = to_pdf(f.read())
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("PDF conversion of job %s failed: %s", job_id, exc)
            mine.update(state=JobState.FAILED, progress=100, message="Không chuyển được sang PDF",
                        error="Không chuyển được báo cáo sang PDF; hãy tải bản Word.")
            return None
        with transaction.atomic():
            stored = Job.objects.select_for_update().get(pk=job_id)
            if stored.state != JobState.RUNNING or stored.attempts != job.attempts:
                return None  # reclaimed meanwhile: the retry makes the file
            stored.result.save(stored.result_name, ContentFile(pdf), save=False)
            stored.state, stored.progress, stored.message = JobState.DONE, 100, "Tệp PDF đã sẵn sàng"
            stored.save(update_fields=["result", "state", "progress", "message", "updated_at"])
    return job_id


jobs.register(KIND, run_report_pdf)
