"""OCR through the Tesseract command line with Vietnamese (`tesseract-ocr-vie`), page by page."""
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

from .errors import ParseError
from .extract import Extracted

OCR_LANG = os.environ.get('DONDOC_OCR_LANG', 'vie')


def tesseract_available() -> bool:
    exe = shutil.which('tesseract')
    if not exe:
        return False
    try:
        out = subprocess.run([exe, '--list-langs'], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return OCR_LANG in out.stdout.split()


def _require():
    if not shutil.which('tesseract'):
        raise ParseError('this document needs OCR but Tesseract is not installed (apt install tesseract-ocr tesseract-ocr-vie)')
    if not tesseract_available():
        raise ParseError(f'Tesseract has no "{OCR_LANG}" language data (apt install tesseract-ocr-vie)')


def ocr_image_file(path: str) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT='1')     # pages run in parallel instead
    try:
        out = subprocess.run(['tesseract', path, 'stdout', '-l', OCR_LANG, '--psm', '3'],
                             capture_output=True, env=env, timeout=300)
    except subprocess.TimeoutExpired:
        raise ParseError('OCR took too long on one page (over 5 minutes)')
    except OSError as e:
        raise ParseError(f'cannot run Tesseract: {e.strerror or e}')
    if out.returncode != 0:
        msg = out.stderr.decode('utf-8', 'replace').strip().splitlines()
        raise ParseError('Tesseract could not read the image' + (f': {msg[-1]}' if msg else ''))
    return out.stdout.decode('utf-8', 'replace')


def ocr_pages(paths, progress=None):
    """Texts of the page images, OCR'd two at a time (one Tesseract process per core)."""
    workers = max(1, min(len(paths), os.cpu_count() or 1, 4))
    done = [0]

    def one(p):
        text = ocr_image_file(p)
        done[0] += 1
        if progress:
            progress(f'OCR page {done[0]}/{len(paths)}')
        return text
    with ThreadPoolExecutor(workers) as ex:
        return list(ex.map(one, paths))


def pages_to_extracted(texts, warnings=()):
    lines, pages = [], []
    for t in texts:
        pages.append(len(lines))
        lines.extend(t.splitlines())
        lines.append('')
    if not any(any(c.isalpha() for c in l) for l in lines):
        raise ParseError('no text was found in the document (OCR read nothing)')
    return Extracted(lines, wrapped=True, pages=pages, warnings=list(warnings))


def read_image(data: bytes, progress=None) -> Extracted:
    _require()
    try:
        from PIL import Image
        import io
        im = Image.open(io.BytesIO(data))
        n = getattr(im, 'n_frames', 1)
    except Exception:
        raise ParseError('the image file is damaged or in an unsupported format')
    with tempfile.TemporaryDirectory(prefix='dondoc-ocr-') as tmp:
        paths = []
        for k in range(n):
            im.seek(k)
            p = os.path.join(tmp, f'page-{k:04d}.png')
            im.convert('L').save(p)
            paths.append(p)
        texts = ocr_pages(paths, progress)
    return pages_to_extracted(texts, ['text read by OCR: check names and numbers'])


def ocr_pdf(data: bytes, progress=None, dpi=None) -> Extracted:
    # 200 dpi reads 12-14 pt print well and keeps OCR near 1.5 s per A4 page on 2 cores
    dpi = dpi or int(os.environ.get('DONDOC_OCR_DPI', '200') or 200)
    _require()
    if not shutil.which('pdftoppm'):
        raise ParseError('this PDF has no text layer and needs pdftoppm (apt install poppler-utils) for OCR')
    with tempfile.TemporaryDirectory(prefix='dondoc-ocr-') as tmp:
        src = os.path.join(tmp, 'in.pdf')
        with open(src, 'wb') as f:
            f.write(data)
        try:
            r = subprocess.run(['pdftoppm', '-r', str(dpi), '-gray', '-png', src, os.path.join(tmp, 'page')],
                               capture_output=True, timeout=600)
        except subprocess.TimeoutExpired:
            raise ParseError('rendering the PDF pages for OCR took too long')
        if r.returncode != 0:
            raise ParseError('the PDF pages could not be rendered for OCR (damaged PDF)')
        paths = sorted(os.path.join(tmp, x) for x in os.listdir(tmp) if x.startswith('page') and x.endswith('.png'))
        if not paths:
            raise ParseError('the PDF has no pages')
        texts = ocr_pages(paths, progress)
    return pages_to_extracted(texts, ['text read by OCR: check names and numbers'])
