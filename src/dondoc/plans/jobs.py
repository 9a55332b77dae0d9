"""Plan import as a background job: upload -> parse (progress on the Job row) -> draft plan."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from dondoc.audit import record

from .models import Job, JobState

log = logging.getLogger(__name__)

# File types the parser reads, by extension; the parser checks the content itself.
ACCEPTED_EXTENSIONS = (".txt", ".docx", ".doc", ".pdf", ".xlsx", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


class UploadError(ValueError):
    pass


def check_upload(name: str, size: int) -> None:
    if not name.lower().endswith(ACCEPTED_EXTENSIONS):
        raise UploadError("Định dạng tệp không được hỗ trợ. Hãy tải lên .docx, .doc, .pdf, .txt, .xlsx hoặc ảnh quét.")
    if size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise UploadError(f"Tệp quá lớn (tối đa {settings.MAX_UPLOAD_MB} MB).")
    if size == 0:
        raise UploadError("Tệp rỗng.")


@transaction.atomic
def start_plan_import(user, name: str, data: bytes, request=None, enqueue: bool = True) -> Job:
    """Store the upload and queue its parsing; both land together or not at all.

    `enqueue=False` leaves the job for the caller to run in-process (the demo loader)."""
    check_upload(name, len(data))
    job = Job.objects.create(created_by=user, upload_name=name[:255], message="Đang chờ xử lý")
    job.upload.save(name, ContentFile(data), save=True)
    record("plan.upload", actor=user, obj=job, request=request, changes={"file": name, "bytes": len(data)})
    if enqueue:
        run_plan_import.enqueue(job.pk)
    return job


def _set(job_id: int, **fields) -> None:
    Job.objects.filter(pk=job_id).update(**fields)


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

    job = Job.objects.select_related("created_by").get(pk=job_id)
    _set(job_id, state=JobState.RUNNING, progress=5, message="Đang đọc văn bản")

    def progress(message: str):
        # The parser reports pages as it goes ("OCR page 3/10"); map them to 5..90 %.
        match = re.search(r"(\d+)\s*/\s*(\d+)", str(message))
        if match and int(match.group(2)):
            share = min(int(match.group(1)) / int(match.group(2)), 1.0)
            _set(job_id, progress=5 + int(85 * share),
                 message=f"Đang nhận dạng trang {match.group(1)}/{match.group(2)}")

    try:
        with job.upload.open("rb") as f:
            data = f.read()
        structure = parse(data, filename=job.upload_name, include_text=True, progress=progress,
                          known_agencies=known_agency_names())
        _set(job_id, progress=92, message="Đang tạo bản nháp")
        plan = import_structure(structure, user=job.created_by, source_name=job.upload_name,
                                source_file=ContentFile(data), text=structure.get("text", ""))
    except ParseError as exc:
        _set(job_id, state=JobState.FAILED, progress=100, message="Không đọc được tệp",
             error=f"Không đọc được văn bản: {exc}")
        return None
    except Exception as exc:  # a job must end in a visible state, never stay "running"
        log.exception("plan import %s failed", job_id)
        _set(job_id, state=JobState.FAILED, progress=100, message="Lỗi hệ thống", error=f"Lỗi khi xử lý tệp: {exc}")
        raise
    _set(job_id, state=JobState.DONE, progress=100, message="Hoàn tất", plan=plan)
    return plan.pk
