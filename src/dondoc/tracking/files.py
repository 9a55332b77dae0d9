"""Evidence files, checked like plan uploads: the type decided by content (magic bytes), not by the name the browser
sends; Office files and zips opened only after the zip-bomb check; limits per file and per request in settings
(EVIDENCE_MAX_MB, EVIDENCE_MAX_FILES, EVIDENCE_MAX_REQUEST_MB)."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings

from dondoc.core.errors import ActionError

ALLOWED = {"pdf", "docx", "xlsx", "pptx", "doc", "png", "jpeg", "zip"}
# Office Open XML: the part that names the kind. Anything else that is a zip is a plain archive.
_OOXML = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
# Never inside an archive we keep, whatever the member's own bytes say.
_EXECUTABLE_NAMES = (".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".js", ".jse", ".vbs", ".vbe",
                     ".wsf", ".ps1", ".jar", ".sh", ".elf", ".bin", ".apk", ".lnk", ".hta", ".cpl")
_EXECUTABLE_HEADS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


class FileRefused(ActionError):
    pass


def _flat_kind(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: legacy Word / Excel / PowerPoint
        return "doc"
    return None


def _check_zip(data: bytes, name: str, *, nested: bool) -> str:
    """The kind of an archive, or FileRefused: a zip bomb, an executable member, or (in a plain zip) a member that is
    not itself PDF, an image or an Office file."""
    from dondoc.parsing import ParseError
    from dondoc.parsing.archives import check_archive

    try:
        check_archive(data, "zip")  # the plan upload's own limits, before anything is inflated
    except ParseError:
        raise FileRefused(f"Tệp «{name}» không được nhận: tệp nén bị hỏng hoặc giải nén ra quá lớn.")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        inflated = sum(m.file_size for m in members)
        if inflated > settings.EVIDENCE_MAX_UNZIPPED_MB * 1024 * 1024:
            raise FileRefused(f"Tệp «{name}» không được nhận: giải nén ra {inflated // (1024 * 1024)} MB, quá giới hạn "
                              f"{settings.EVIDENCE_MAX_UNZIPPED_MB} MB.")
        names = {m.filename for m in members}
        for m in members:
            if m.filename.lower().endswith(_EXECUTABLE_NAMES):
                raise FileRefused(f"Tệp «{name}» không được nhận: có tệp chương trình bên trong ({m.filename}).")
            with archive.open(m) as f:
                head = f.read(16)
            if head.startswith(_EXECUTABLE_HEADS):
                raise FileRefused(f"Tệp «{name}» không được nhận: có tệp chương trình bên trong ({m.filename}).")
        office = next((kind for part, kind in _OOXML.items() if part in names), None)
        if office and "[Content_Types].xml" in names:
            return office
        if nested:
            raise FileRefused(f"Tệp «{name}» không được nhận: tệp nén lồng trong tệp nén.")
        for m in members:
            with archive.open(m) as f:
                head = f.read(16)
            if _flat_kind(head):
                continue
            if head.startswith(b"PK\x03\x04"):
                _check_zip(archive.read(m), name, nested=True)  # an Office file, or refused
                continue
            raise FileRefused(f"Tệp «{name}» không được nhận: tệp nén chỉ được chứa PDF, Word, Excel, PowerPoint "
                              f"hoặc ảnh ({m.filename} không phải).")
    return "zip"


def sniff(upload, name: str = "") -> str | None:
    """The file's kind by content, or None; FileRefused for an archive that must not be kept."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = _flat_kind(head)
    if kind is None and head.startswith(b"PK\x03\x04"):
        data = upload.read()
        upload.seek(0)
        kind = _check_zip(data, name or getattr(upload, "name", ""), nested=False)
    return kind


def check_evidence(upload) -> str:
    limit = settings.EVIDENCE_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise FileRefused(f"Tệp «{upload.name}» quá lớn (tối đa {limit} MB).")
    kind = sniff(upload, upload.name)
    if kind not in ALLOWED:
        raise FileRefused(f"Tệp «{upload.name}» không được nhận: chỉ nhận PDF, Word, Excel, PowerPoint, ảnh (PNG, JPEG) "
                          "hoặc tệp nén .zip chứa các tệp đó.")
    return kind


def check_evidence_set(uploads) -> list[str]:
    """Every file of one request: the count and total size first, then each file."""
    uploads = list(uploads)
    if len(uploads) > settings.EVIDENCE_MAX_FILES:
        raise FileRefused(f"Gửi tối đa {settings.EVIDENCE_MAX_FILES} tệp minh chứng mỗi lần (nhận được {len(uploads)}).")
    total = sum(u.size for u in uploads)
    if total > settings.EVIDENCE_MAX_REQUEST_MB * 1024 * 1024:
        raise FileRefused(f"Tổng dung lượng tệp minh chứng mỗi lần tối đa {settings.EVIDENCE_MAX_REQUEST_MB} MB "
                          f"(nhận được {total // (1024 * 1024)} MB).")
    return [check_evidence(u) for u in uploads]
