"""OCR through the Tesseract command line with Vietnamese (`tesseract-ocr-vie`), page by page.

Pages are rendered by pdftoppm as uncompressed greyscale (PNG compression costs more than the OCR itself),
blank pages (the back of each sheet in a duplex scan) are recognised from the image and skipped, the other
pages are read one Tesseract process per core. The superscript enumerators a scan turns into symbols
("(1)" read as "®", "Ø", "#)") are numbered again in order.
"""
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

from . import env
from .errors import ParseError
from .extract import Extracted
from .syllables import is_syllable



def tesseract_available() -> bool:
    exe = shutil.which('tesseract')
    if not exe:
        return False
    try:
        out = subprocess.run([exe, '--list-langs'], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return env.ocr_lang() in out.stdout.split()


def _require():
    if not shutil.which('tesseract'):
        raise ParseError('this document needs OCR but Tesseract is not installed (apt install tesseract-ocr tesseract-ocr-vie)')
    if not tesseract_available():
        raise ParseError(f'Tesseract has no "{env.ocr_lang()}" language data (apt install tesseract-ocr-vie)')


def ocr_image_file(path: str, psm: int = 3) -> str:
    child_env = dict(os.environ, OMP_THREAD_LIMIT='1')     # pages run in parallel instead
    try:
        out = subprocess.run(['tesseract', path, 'stdout', '-l', env.ocr_lang(), '--psm', str(psm)],
                             capture_output=True, env=child_env, timeout=300)
    except subprocess.TimeoutExpired:
        raise ParseError('OCR took too long on one page (over 5 minutes)')
    except OSError as e:
        raise ParseError(f'cannot run Tesseract: {e.strerror or e}')
    if out.returncode != 0:
        msg = out.stderr.decode('utf-8', 'replace').strip().splitlines()
        raise ParseError('Tesseract could not read the image' + (f': {msg[-1]}' if msg else ''))
    return out.stdout.decode('utf-8', 'replace')


def ink_rows(image) -> int:
    """Rows of a reduced copy of the page (inside the margins, where scanner edges and punch holes are)
    that hold print: more than ~1 % of their width dark. Costs milliseconds."""
    from PIL import Image
    im = image.convert('L')
    w, h = im.size
    if w < 20 or h < 20:
        return 0
    im = im.crop((int(w * 0.07), int(h * 0.05), int(w * 0.93), int(h * 0.95)))
    factor = max(1, min(im.size) // 400)
    if factor > 1:
        im = im.reduce(factor)
    ink = im.point(lambda v: 255 if v < 110 else 0)
    profile = ink.resize((1, ink.size[1]), Image.BOX).tobytes()
    return sum(1 for v in profile if v > 2)


def is_blank(image) -> bool:
    """A page without print (the back of a sheet in a duplex scan, bleed-through and dust aside)."""
    return ink_rows(image) < 3


def _words(text):
    return sum(1 for w in re.findall(r'[^\W\d_]+', text) if is_syllable(w))


def _page_ink(path):
    try:
        from PIL import Image
        with Image.open(path) as im:
            return ink_rows(im)
    except Exception:
        return 100            # unreadable here: let Tesseract decide


def ocr_pages(paths, progress=None):
    """Texts of the page images ('' for blank pages), OCR'd one page per core."""
    ink = {p: _page_ink(p) for p in paths}
    blank = [ink[p] < 3 for p in paths]
    todo = [p for p, b in zip(paths, blank) if not b]
    workers = max(1, min(len(todo), os.cpu_count() or 1, 4))
    done = [0]

    def one(p):
        text = ocr_image_file(p)
        if _words(text) < 0.6 * ink[p]:
            # page segmentation lost most of a page that has print on most rows (a seal or signature over
            # the text can do it): read it again as one block of text and keep the better reading
            again = ocr_image_file(p, psm=6)
            if _words(again) > _words(text):
                text = again
        done[0] += 1
        if progress:
            progress(f'OCR page {done[0]}/{len(todo)}')
        return text
    texts = {}
    if todo:
        with ThreadPoolExecutor(workers) as ex:
            texts = dict(zip(todo, ex.map(one, todo)))
    return [texts.get(p, '') for p in paths], sum(blank)


# ---------------------------------------------------------------- enumerators
# "(1)" .. "(8)" printed small and raised: Tesseract reads symbols ("®", "Ø", "£)", "#)", "'®", "''")
_GARBLED = re.compile(r"(?:(?<=[:;.])|^)(\s*)([‘’'`\"]*[®©Ø£¢#§¤¶@]+[‘’'`\")]*|['‘’]{2}\)?)\s+(?=[A-ZĐÀ-Ỹ])")
_LETTER = re.compile(r'(?:(?<=[:;.])|^)(\s*)([a-z])\)\s+(?=[A-ZĐÀ-Ỹ])')
_READABLE = re.compile(r'(?:(?<=[:;.])|^)\s*\((\d{1,2})\)\s+(?=[A-ZĐÀ-Ỹ])')


def renumber(block: str) -> str:
    """Enumerators of one paragraph that OCR turned into symbols become "(k)", counting from the readable
    ones around them: "C04: ® Chủ trì ...; ®' Phối hợp ..." -> "C04: (1) Chủ trì ...; (2) Phối hợp ..."."""
    marks = [(m.start(2), m.end(2), None) for m in _GARBLED.finditer(block)]
    if len(marks) < 2:
        return block
    marks += [(m.start(1) - 1, m.end(1) + 1, int(m.group(1))) for m in _READABLE.finditer(block)]
    # among symbol marks, a letter "f)" that follows no "e)" is one more misread number
    letters = [m for m in _LETTER.finditer(block)]
    seen = set()
    for m in letters:
        c = m.group(2)
        if c != 'a' and chr(ord(c) - 1) not in seen:
            marks.append((m.start(2), m.start(2) + 2, None))
        seen.add(c)
    marks.sort()
    out, pos, k = [], 0, 0
    for start, end, n in marks:
        k = n if n is not None else k + 1
        if n is None:
            out.append(block[pos:start])
            out.append(f'({k})')
            pos = end
    out.append(block[pos:])
    return ''.join(out)


# specks read as letters or symbols at a line's end ("3. Công an các địa phương h") or after its dash ("-_~")
_TAIL_SYMBOLS = re.compile(r'(?<=\S)\s*[_~|¬ˆ`^£⁄@#®©¢§¤¶]{1,3}\s*$')
_TAIL_LETTER = re.compile(r'(\S+)\s+[bcdfghjklmnpqrstvwxzđ]\s*$')
_REFERENCE = re.compile(r'^(?:điểm|khoản|mục|tiết|phần|nhóm|loại|hạng|lớp|lục|số)$', re.I)
_DASH_NOISE = re.compile(r'^(\s*[-–])\s*[_~|¬ˆ`^]+\s*')


def _clean_line(line):
    line = _TAIL_SYMBOLS.sub('', line)
    m = _TAIL_LETTER.search(line)
    if m and not _REFERENCE.match(m.group(1)):
        line = line[:m.end(1)]      # "điểm b" is a reference; "địa phương h" a speck
    return _DASH_NOISE.sub(r'\1 ', line)


def _clean_page(text):
    lines = [_clean_line(x) for x in text.split('\n')]
    blocks = re.split(r'(\n\s*\n)', '\n'.join(lines))
    return ''.join(renumber(b) if i % 2 == 0 else b for i, b in enumerate(blocks))


def pages_to_extracted(texts, warnings=()):
    lines, pages = [], []
    for t in texts:
        pages.append(len(lines))
        lines.extend(_clean_page(t).splitlines())
        lines.append('')
    if not any(any(c.isalpha() for c in line) for line in lines):
        raise ParseError('no text was found in the document (OCR read nothing)')
    return Extracted(lines, wrapped=True, pages=pages, warnings=list(warnings))


def _warnings(blank):
    w = ['text read by OCR: check names and numbers']
    if blank:
        w.append(f'{blank} blank page(s) skipped')
    return w


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
            p = os.path.join(tmp, f'page-{k:04d}.pgm')
            im.convert('L').save(p)
            paths.append(p)
        texts, blank = ocr_pages(paths, progress)
    return pages_to_extracted(texts, _warnings(blank))


def ocr_pdf(data: bytes, progress=None, dpi=None) -> Extracted:
    # 200 dpi reads 12-14 pt print well and keeps OCR near 1.5 s per A4 page and core
    dpi = dpi or env.ocr_dpi()
    _require()
    if not shutil.which('pdftoppm'):
        raise ParseError('this PDF has no text layer and needs pdftoppm (apt install poppler-utils) for OCR')
    with tempfile.TemporaryDirectory(prefix='dondoc-ocr-') as tmp:
        src = os.path.join(tmp, 'in.pdf')
        with open(src, 'wb') as f:
            f.write(data)
        try:
            # greyscale PGM: uncompressed, written in a tenth of a second (PNG takes seconds per page)
            r = subprocess.run(['pdftoppm', '-r', str(dpi), '-gray', src, os.path.join(tmp, 'page')],
                               capture_output=True, timeout=600)
        except subprocess.TimeoutExpired:
            raise ParseError('rendering the PDF pages for OCR took too long')
        if r.returncode != 0:
            raise ParseError('the PDF pages could not be rendered for OCR (damaged PDF)')
        paths = sorted((os.path.join(tmp, x) for x in os.listdir(tmp) if x.startswith('page') and x.endswith('.pgm')),
                       key=lambda p: int(re.search(r'(\d+)\.pgm$', p).group(1)))
        if not paths:
            raise ParseError('the PDF has no pages')
        texts, blank = ocr_pages(paths, progress)
    return pages_to_extracted(texts, _warnings(blank))
