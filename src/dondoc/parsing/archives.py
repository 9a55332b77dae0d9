"""Office files are zip archives: refuse ones that expand far beyond their size (zip bombs) before any reader
inflates them into memory."""

import io
import zipfile

from . import env
from .errors import ParseError

# The whole archive may expand to at most this many bytes (DONDOC_MAX_UNZIPPED_BYTES, parsing/env.py), and no member may be
# compressed more than MAX_RATIO times: real Word and Excel files stay well inside both.
MAX_RATIO = 200


def check_archive(data: bytes, kind: str) -> None:
    limit = env.max_unzipped_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise ParseError(f"the {kind} file is damaged (not a valid zip archive)")
    total = sum(m.file_size for m in members)
    if total > limit:
        raise ParseError(f"the {kind} file expands to {total // (1024 * 1024)} MB, over the {limit // (1024 * 1024)} MB limit")
    for m in members:
        if m.compress_size and m.file_size / m.compress_size > MAX_RATIO and m.file_size > 10 * 1024 * 1024:
            raise ParseError(f"the {kind} file looks like a zip bomb ({m.filename} compressed {m.file_size // m.compress_size}:1)")
