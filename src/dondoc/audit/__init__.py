"""The audit trail: `record()` is called by every action that changes something."""


def record(*args, **kwargs):
    from dondoc.audit.recorder import record as _record

    return _record(*args, **kwargs)


def downloaded(request, obj, kind: str, name: str = ""):
    """A report, evidence file or export taken out of the system: who, what, which file (one event each)."""
    return record("file.downloaded", obj=obj, request=request, changes={"kind": kind, "file": name})


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def attachment(request, obj, content: bytes, name: str, content_type: str, kind: str = ""):
    """A generated file as a download, recorded as taken out (`downloaded`); never kept by a shared cache."""
    from django.http import HttpResponse

    downloaded(request, obj, kind or name.rsplit(".", 1)[-1], name)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
