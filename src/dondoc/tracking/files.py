"""Evidence files: type decided by content (magic bytes), not by the name the browser sends."""

from __future__ import annotations

import zipfile

from django.conf import settings

from dondoc.core.errors import ActionError

ALLOWED = {"pdf", "docx", "xlsx", "doc", "xls", "png", "jpeg"}


class FileRefused(ActionError):
    pass


def sniff(head: bytes, data_file) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: legacy Word / Excel
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            data_file.seek(0)
            names = set(zipfile.ZipFile(data_file).namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            data_file.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check_evidence(upload) -> str:
    limit = getattr(settings, "EVIDENCE_MAX_MB", 20)
    if upload.size > limit * 1024 * 1024:
        raise FileRefused(f"Tệp «{upload.name}» quá lớn (tối đa {limit} MB).")
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head, upload)
    if kind is None:
        raise FileRefused(f"Tệp «{upload.name}» không được nhận: chỉ nhận PDF, Word, Excel hoặc ảnh (PNG, JPEG).")
    return kind
