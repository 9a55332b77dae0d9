"""E-mail written to a folder instead of sent (DONDOC_EMAIL_FOLDER=1, what `make run` uses): one .eml file per
message, which any mail program opens, and the page "Thư đã ghi" lists. Production sends over SMTP and refuses the
folder (settings.py).

Django's own file backend appends every message of a connection to one log file, which no mail program opens and
several senders at once (the digest sends over a few connections) would interleave; here each message is its own
file, written under a temporary name and renamed, so a reader never sees half of one."""

from __future__ import annotations

import email
import email.parser
import email.policy
import email.utils
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

SUFFIX = ".eml"


def folder() -> Path | None:
    """Where e-mail is written; None when it is sent."""
    return settings.EMAIL_FOLDER


class FolderBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)  # SMTP's arguments (timeout, …) mean nothing here
        self.path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            try:
                name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}"
                tmp = self.path / f".{name}.tmp"
                tmp.write_bytes(message.message().as_bytes(linesep="\r\n"))
                os.replace(tmp, self.path / f"{name}{SUFFIX}")
                sent += 1
            except Exception:
                if not self.fail_silently:
                    raise
        return sent


@dataclass(frozen=True)
class Written:
    """A message as the page shows it."""

    name: str
    to: str
    subject: str
    date: str
    text: str


def _recipients(header: str) -> set[str]:
    return {address.lower() for _, address in email.utils.getaddresses([header]) if address}


def written(path: Path, *, to: str | None = None, limit: int = 50) -> tuple[int, list[Written]]:
    """(how many messages the folder holds for `to` — everyone's when None —, the newest `limit` of them). Only the
    headers of the others are read."""
    try:
        files = sorted((p for p in path.iterdir() if p.suffix == SUFFIX), reverse=True)
    except FileNotFoundError:
        return 0, []
    headers = email.parser.BytesHeaderParser(policy=email.policy.default)
    total, out = 0, []
    for p in files:
        try:
            with p.open("rb") as f:
                head = headers.parse(f)
            if to is not None and to.lower() not in _recipients(str(head.get("To", ""))):
                continue
            total += 1
            if len(out) >= limit:
                continue
            msg = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        except OSError:  # removed while we read
            continue
        body = msg.get_body(("plain",))
        out.append(Written(name=p.name, to=str(msg.get("To", "")), subject=str(msg.get("Subject", "")),
                           date=str(msg.get("Date", "")), text=body.get_content() if body is not None else ""))
    return total, out
