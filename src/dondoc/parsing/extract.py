"""Reading files into raw lines: text (with encoding detection), .docx, .pdf (text layer or OCR),
images (OCR), .doc (LibreOffice), .xlsx task lists."""
from dataclasses import dataclass, field
from pathlib import Path

from . import env
from .errors import ParseError



@dataclass
class Extracted:
    lines: list
    wrapped: bool = None          # True: hard-wrapped lines (PDF/OCR); None: guess
    pages: list = None            # index of the first line of each page
    hints: dict = field(default_factory=dict)   # line index -> {'bold':, 'italic':, 'table':}
    warnings: list = field(default_factory=list)


def max_bytes_default():
    return env.max_bytes()


def _read(source, filename, max_bytes):
    limit = max_bytes if max_bytes is not None else max_bytes_default()
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        path = Path(source)
        filename = filename or path.name
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise ParseError(f'file not found: {path}')
        except OSError as e:
            raise ParseError(f'cannot read {path}: {e.strerror or e}')
        if path.is_dir():
            raise ParseError(f'{path} is a directory, not a document')
        if size > limit:
            raise ParseError(f'file is too large: {size} bytes, the limit is {limit} bytes')
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ParseError(f'cannot read {path}: {e.strerror or e}')
    if len(data) > limit:
        raise ParseError(f'file is too large: {len(data)} bytes, the limit is {limit} bytes')
    if not data.strip():
        raise ParseError('the file is empty')
    return data, filename


def sniff(data: bytes, filename) -> str:
    ext = (Path(filename).suffix.lower().lstrip('.') if filename else '')
    if data[:5] == b'%PDF-':
        return 'pdf'
    if data[:4] == b'PK\x03\x04':
        if ext in ('xlsx', 'xlsm') or b'xl/' in data[:2000]:
            return 'xlsx'
        return 'docx'
    if data[:8] == b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1':
        return 'xls' if ext == 'xls' else 'doc'
    if data[:8] == b'\x89PNG\r\n\x1a\n' or data[:3] == b'\xff\xd8\xff' or data[:4] in (b'II*\x00', b'MM\x00*') \
            or data[:6] in (b'GIF87a', b'GIF89a') or data[:2] == b'BM' and ext == 'bmp':
        return 'image'
    if data[:5] == b'{\\rtf':
        return 'rtf'
    if ext in ('docx', 'xlsx', 'pdf', 'doc', 'png', 'jpg', 'jpeg', 'tif', 'tiff'):
        return 'bad-' + ext
    return 'text'


def extract(source, filename=None, max_bytes=None, progress=None) -> Extracted:
    data, filename = _read(source, filename, max_bytes)
    kind = sniff(data, filename)
    if kind == 'text':
        from .encodings import decode
        text, warnings = decode(data)
        from .rendering import render
        lines, hints, more = render(text.splitlines())
        return Extracted(lines, hints=hints, warnings=warnings + more)
    if kind.startswith('bad-'):
        raise ParseError(f'the file is not a valid .{kind[4:]} document (its content does not match its name)')
    if kind == 'docx':
        from .docx import read_docx
        return read_docx(data)
    if kind == 'xlsx':
        from .xlsx import read_xlsx
        return read_xlsx(data)
    if kind == 'pdf':
        from .pdf import read_pdf
        return read_pdf(data, progress=progress)
    if kind == 'image':
        from .ocr import read_image
        return read_image(data, progress=progress)
    if kind == 'doc':
        from .doc import read_doc
        return read_doc(data)
    raise ParseError(f'unsupported file type ({kind}); use .txt, .docx, .doc, .pdf, .xlsx or an image')
