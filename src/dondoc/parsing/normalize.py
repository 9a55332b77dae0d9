"""Raw extracted lines -> clean paragraphs and the normalised text the review screen shows.

Steps (order matters): NFC and invisible characters, markdown markers, running headers/footers and
page numbers, joining of hard-wrapped lines and of paragraphs cut by page breaks, whitespace and the
spacing noise of extraction ("tháng 0 6"). Offsets of every paragraph point into `Normalized.text`.
"""
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from .outline import MARKER_RE, parse_marker

_INVISIBLE = dict.fromkeys(map(ord, '\u200b\u200c\u200d\u2060\ufeff\u00ad'), None)
_SPACES = dict.fromkeys(map(ord, '\u00a0\u2002\u2003\u2009\u202f\u3000\t\x0b\x0c'), ' ')
_MD_HEADING = re.compile(r'^\s{0,3}#{1,6}\s+')
_MD_ESCAPE = re.compile(r'\\([\\.\-*_#()\[\]+!>`|])')
_MD_EMPH = re.compile(r'\*+|(?<!\w)__|__(?!\w)')
_MD_BULLET = re.compile(r'^\s*[*]\s+')
_PAGE_NUMBER = re.compile(r'^\s*(?:[-–—]\s*)?(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*(?:[-–—])?\s*$', re.I)
_GLUED_HEAD = re.compile(r'\b(Sở|Bộ)(?=[A-ZĐÂÊÔƠƯÁÀẢÃẠÉÈÍÌÓÒÚÙÝỲ])')   # OCR: "SởY tế"
# paragraphs that open the body of a document: the title line before them never continues into them
_OPENING = re.compile(r'^(?:Căn cứ|Thực hiện|Triển khai|Theo đề nghị|Xét đề nghị|Ủy ban nhân dân|Uỷ ban nhân dân|Nhằm)\b')
_TERMINAL = tuple('.;:!?)"”…')
# digits split by extraction inside dates: "tháng 0 6", "ngày 1 5", "năm 2 024"
_SPLIT_DAY = re.compile(r'\b(ngày|tháng)\s+([0-3])\s([0-9])\b')
_SPLIT_YEAR = re.compile(r'\b(năm)\s+([12])\s?(\d)\s?(\d)\s?(\d)\b')
_SPLIT_SLASH = re.compile(r'(\d)\s*/\s*(\d)')


@dataclass
class Para:
    text: str
    start: int
    end: int
    bold: bool = False
    italic: bool = False
    table: bool = False


@dataclass
class Normalized:
    text: str
    paras: list
    warnings: list = field(default_factory=list)


def clean_line(line: str) -> str:
    line = unicodedata.normalize('NFC', line).translate(_INVISIBLE).translate(_SPACES)
    line = _MD_HEADING.sub('', line)
    line = _MD_BULLET.sub('- ', line)
    line = _MD_ESCAPE.sub(r'\1', line)
    line = _MD_EMPH.sub('', line)
    line = _SPLIT_DAY.sub(r'\1 \2\3', line)
    line = _SPLIT_YEAR.sub(r'\1 \2\3\4\5', line)
    line = _GLUED_HEAD.sub(r'\1 ', line)
    return ' '.join(line.split())


def _date_slashes(line: str) -> str:
    # "10 / 12 / 2024" -> "10/12/2024" only in date-like runs so prose is untouched
    return re.sub(r'\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\b', r'\1/\2/\3', line)


def _strip_running(lines, pages):
    """Drop page numbers and lines repeated at the top/bottom of most pages (running headers)."""
    drop = set()
    for i, line in enumerate(lines):
        if line and _PAGE_NUMBER.match(line):
            drop.add(i)
    if pages and len(pages) >= 3:
        edges = {}
        bounds = list(pages) + [len(lines)]
        for p in range(len(pages)):
            idx = [i for i in range(bounds[p], bounds[p + 1]) if lines[i] and i not in drop]
            for i in idx[:1] + idx[-1:]:
                if _is_marker(lines[i]) and not _PAGE_NUMBER.match(lines[i]):
                    continue        # a numbered heading at the top of a page is content
                key = re.sub(r'\d+', '#', lines[i].lower())
                edges.setdefault(key, set()).add(i)
        for key, idx in edges.items():
            if len(idx) >= max(3, len(pages) // 2) and len(key) < 120:
                drop |= idx
    return drop


def _closed_heading(cur: str, nxt: str) -> bool:
    """A numbered heading naming agencies ("1.2. Sở Kế hoạch và Đầu tư") ends its line."""
    if not nxt[:1].isupper():
        return False
    mk = parse_marker(cur)
    if not mk or mk.kind not in ('dec', 'letter', 'roman', 'part'):
        return False
    from .agencies import is_agency_list
    rest = cur[mk.length:]
    return rest.upper() == rest or is_agency_list(rest)


def _is_marker(line: str) -> bool:
    return bool(MARKER_RE.match(line))


def normalize(lines, wrapped=None, pages=None, hints=None) -> Normalized:
    """`lines`: raw lines; `wrapped`: True when lines are hard-wrapped (PDF/OCR), None to guess."""
    hints = hints or {}
    warnings = []
    cleaned = [_date_slashes(clean_line(x)) for x in lines]
    drop = _strip_running(cleaned, pages)
    if drop:
        warnings.append(f'removed {len(drop)} page number / running header line(s)')
    items = [(i, x) for i, x in enumerate(cleaned) if i not in drop]

    nonblank = [x for _, x in items if x]
    if wrapped is None:
        # hard-wrapped text: most non-blank lines are followed directly by another non-blank line
        follow = sum(1 for k in range(len(items) - 1) if items[k][1] and items[k + 1][1])
        wrapped = bool(nonblank) and follow > 0.5 * len(nonblank) and \
            statistics.median(len(x) for x in nonblank) < 110
    lengths = sorted(len(x) for x in nonblank) or [0]
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    long_line = min(100, int(0.75 * p90)) if wrapped else 100
    full_line = min(100, int(0.9 * p90)) if wrapped else 100

    paras, cur, cur_idx = [], None, None
    blank_since = in_body = False
    last_len = 0
    for i, line in items:
        if not line:
            blank_since = True
            continue
        if not in_body and _is_marker(line):
            in_body = True
        if cur is not None:
            ends_open = not cur.endswith(_TERMINAL) or cur.endswith(('..', '…')) and wrapped
            prev_len = last_len
            join = False
            header_break = not in_body and (cur.endswith(_TERMINAL) or _OPENING.match(line))
            if not _is_marker(line) and not _is_label_start(line) and not _closed_heading(cur, line) \
                    and not header_break:
                continues = line[:1].islower() or line[:1].isdigit()
                if not blank_since:
                    # consecutive lines: a wrapped paragraph continues unless the previous line was short
                    join = wrapped and (prev_len >= long_line or (ends_open and continues))
                    if not wrapped and ends_open and line[:1].islower() and prev_len >= 40:
                        join = True
                elif in_body:
                    # blank between: only a cut paragraph (long line, no closing punctuation) continues;
                    # never in the header, where the title line is long and unpunctuated
                    join = prev_len >= (full_line if wrapped else long_line) and ends_open
                    if wrapped and ends_open and continues and len(cur) > 100:
                        join = True     # a page break after a short last line, next page goes on mid-sentence
            if join:
                if blank_since:
                    warnings.append(f'page-break join at line {i + 1}')
                cur = cur + ' ' + line
                last_len = len(line)
                blank_since = False
                continue
            paras.append((cur, cur_idx))
        cur, cur_idx, last_len = line, i, len(line)
        blank_since = False
    if cur is not None:
        paras.append((cur, cur_idx))

    out, pos, chunks = [], 0, []
    for text, idx in paras:
        text = ' '.join(text.split())
        h = hints.get(idx, {})
        out.append(Para(text, pos, pos + len(text), h.get('bold', False), h.get('italic', False),
                        h.get('table', False)))
        chunks.append(text)
        pos += len(text) + 1
    return Normalized('\n'.join(chunks), out, warnings)


_LABEL_START = re.compile(
    r'^[-–+•]?\s*(?:(?:cơ quan|đơn vị)[^:]{0,40}(?:chủ trì|phối hợp|thực hiện)[^:]{0,30}|chủ trì|phối hợp|'
    r'thời (?:gian|hạn)[^:]{0,30}|sản phẩm[^:]{0,20}|kinh phí[^:]{0,20})\s*:', re.I)


def _is_label_start(line: str) -> bool:
    return bool(_LABEL_START.match(line))
