"""PDF: the text layer through pypdf; pages without one (scans) through OCR."""
import io
import logging

from .errors import ParseError
from .extract import Extracted


def read_pdf(data: bytes, progress=None) -> Extracted:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover
        raise ParseError('reading .pdf needs the pypdf package')
    logging.getLogger('pypdf').setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt('')
            except Exception:
                ok = 0
            if not ok:
                raise ParseError('the PDF is encrypted (password protected); remove the password and try again')
        pages = list(reader.pages)
    except ParseError:
        raise
    except Exception as e:
        raise ParseError(f'the PDF is damaged and cannot be read ({type(e).__name__})')
    if not pages:
        raise ParseError('the PDF has no pages')
    texts = []
    try:
        for p in pages:
            texts.append(p.extract_text() or '')
    except Exception as e:
        raise ParseError(f'the PDF text cannot be read ({type(e).__name__})')
    letters = sum(sum(c.isalpha() for c in t) for t in texts)
    if letters < 40 * len(pages):
        from .ocr import ocr_pdf
        return ocr_pdf(data, progress)
    lines, starts = [], []
    for t in texts:
        starts.append(len(lines))
        lines.extend(t.splitlines())
        lines.append('')
    return Extracted(lines, wrapped=True, pages=starts)
