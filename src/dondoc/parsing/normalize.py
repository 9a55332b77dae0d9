"""Raw extracted lines -> clean paragraphs and the normalised text the review screen shows.

Steps (order matters): NFC and invisible characters, markdown markers (emphasis kept as Para hints),
running headers/footers, page numbers and footnotes, spaces lost by PDF text layers ("sốquốc"), joining of
hard-wrapped lines and of paragraphs cut by page breaks, letters printed apart ("r à s o á t"), whitespace
and the spacing noise of extraction ("tháng 0 6"). Offsets of every paragraph point into `Normalized.text`.

How lines join depends on how the text was laid out, read from the lines themselves:
- one paragraph per line (Word, most markdown, Plan 78): lines are paragraphs; only a paragraph cut by a
  page break (a long line without closing punctuation) continues on the next one;
- wrapped at a fixed width with a blank line between paragraphs (web renderings): the lines between two
  blank lines are one paragraph, unless one of them opens a numbered item, a label or a bold heading;
- wrapped without blank lines (PDF text, OCR, some renderings): a line continues the one before unless
  it opens an item, a label or a heading, or the line before ended a sentence or was short.
Never across a table row or a letterhead line (hint `para`), and never from the header (letterhead, type,
title) into the body.
"""
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from .outline import MARKER_RE, parse_marker
from .syllables import join_spaced, split_glued

_INVISIBLE = re.compile('[\u200b\u200c\u200d\u2060\ufeff\u00ad]')
_SPACES = re.compile('[\u00a0\u2002\u2003\u2009\u202f\u3000\t\x0b\x0c]')
_MD_HEADING = re.compile(r'^\s{0,3}#{1,6}\s+')
_MD_ESCAPE = re.compile(r'\\([\\.\-*_#()\[\]+!>`|])')
_MD_EMPH = re.compile(r'\*+|(?<!\w)__|__(?!\w)')
_MD_BULLET = re.compile(r'^\s*[*]\s+')
_PAGE_NUMBER = re.compile(r'^\s*(?:[-–—]\s*)?(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*(?:[-–—])?\s*$', re.I)
_GLUED_HEAD = re.compile(r'\b(Sở|Bộ)(?=[A-ZĐÂÊÔƠƯÁÀẢÃẠÉÈÍÌÓÒÚÙÝỲ])')   # OCR: "SởY tế"
# paragraphs that open the body of a document: the title line before them never continues into them
_OPENING = re.compile(r'^(?:Căn cứ|Thực hiện|Triển khai|Theo đề nghị|Xét đề nghị|Ủy ban nhân dân|Uỷ ban nhân dân|Nhằm|'
                      r'Kính gửi|Trong (?:thời gian|những năm)|Thời gian qua|Để\s)')
_TERMINAL = tuple('.;:!?)"”…')
# digits split by extraction inside dates: "tháng 0 6", "ngày 1 5", "năm 2 024"
_SPLIT_DAY = re.compile(r'\b(ngày|tháng)\s+([0-3])\s([0-9])\b')
_SPLIT_YEAR = re.compile(r'\b(năm)\s+([12])\s?(\d)\s?(\d)\s?(\d)\b')
_DATE_SLASHES = re.compile(r'\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\b')
_DOC_TYPE_LINE = re.compile(r'^(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHỈ THỊ|THÔNG BÁO|CÔNG ĐIỆN|CHƯƠNG TRÌNH(?: HÀNH ĐỘNG)?|NGHỊ QUYẾT|'
                            r'ĐỀ ÁN|PHƯƠNG ÁN|HƯỚNG DẪN|CÔNG VĂN|BÁO CÁO|KẾT LUẬN|TỜ TRÌNH)$')
_RULE = re.compile(r'^[-_=–—.*\s]{3,}$')
# a syllable run glued to the next one (a vowel, consonants, a vowel in one word; one of them Vietnamese)
_VI_MARKED = 'ăâêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ'
_VI_VOWEL = 'aeiouy' + _VI_MARKED
_VI_CONS = 'bcdđghklmnpqrstvx'
_GLUE_HINT = re.compile(f'[{_VI_MARKED}][{_VI_CONS}]+[{_VI_VOWEL}]|[{_VI_VOWEL}][{_VI_CONS}]+[{_VI_MARKED}]')
_FOOTNOTE = re.compile(r'^\d{1,2}\s+[A-ZĐÀ-Ỹ][^\W\d_]')
_OPEN_END = re.compile(r'(?:,|\b(?:và|của|với|cho|các|tại|theo|về|trong|trên|đến|từ|ngày|số|là|được|có|để|những|'
                       r'hoặc|hay|nhằm|bằng|qua|thuộc|giữa|đối với|khi|do|vào|sau|trước|cùng|như))$')
_REF_END = re.compile(r'\b(?:khoản|điểm|Điều|mục|tiết|Chương|lần thứ)$')


@dataclass
class Para:
    text: str
    start: int
    end: int
    bold: bool = False          # the paragraph, or its leading label, was printed in bold ("**1. Sở X:** ...")
    italic: bool = False        # ... in italics ("*Cơ quan chủ trì:* ...")
    table: bool = False         # a line made from a task-table row
    emph_end: int = 0           # characters of the emphasised lead (len(text) when the whole paragraph is)


@dataclass
class Normalized:
    text: str
    paras: list
    warnings: list = field(default_factory=list)


def _prepare(text):
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub('', text)
    return _SPACES.sub(' ', text) if _SPACES.search(text) else text


def _clean(line):
    if '*' in line and not line.strip('* _'):
        return ''                   # "* *", "** **": an empty emphasis
    if '#' in line:
        line = _MD_HEADING.sub('', line)
    if '*' in line or '_' in line:
        line = _MD_BULLET.sub('- ', line)
        line = _MD_EMPH.sub('', line)
    if '\\' in line:
        line = _MD_ESCAPE.sub(r'\1', line)
    if 'ngày' in line or 'tháng' in line:
        line = _SPLIT_DAY.sub(r'\1 \2\3', line)
    if 'năm' in line:
        line = _SPLIT_YEAR.sub(r'\1 \2\3\4\5', line)
    if 'Sở' in line or 'Bộ' in line:
        line = _GLUED_HEAD.sub(r'\1 ', line)
    if '/' in line:
        line = _DATE_SLASHES.sub(r'\1/\2/\3', line)
    return ' '.join(line.split())


def _strip_running(lines, pages):
    """Drop page numbers and lines repeated at the top/bottom of most pages (running headers)."""
    drop = set()
    for i, line in enumerate(lines):
        if line and len(line) <= 12 and _PAGE_NUMBER.match(line):
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
    if rest.rstrip().endswith((',', ';', ' và', '-', '–')):
        return False                # "1. Sở Tài chính, Sở Xây dựng," / "Ban quản lý …": the list goes on
    return rest.upper() == rest or is_agency_list(rest)


def _is_marker(line: str) -> bool:
    return bool(MARKER_RE.match(line))


_LABEL_START = re.compile(
    r'^[-–+•]?\s*(?:(?:cơ quan|đơn vị)[^:]{0,40}(?:chủ trì|phối hợp|thực hiện)[^:]{0,30}|chủ trì|phối hợp|'
    r'thời (?:gian|hạn)[^:]{0,30}|sản phẩm[^:]{0,20}|kinh phí[^:]{0,20})\s*:', re.I)


def _is_label_start(line: str) -> bool:
    return bool(_LABEL_START.match(line))


# ---------------------------------------------------------------- emphasis
def _emphasis(raw):
    """(bold, italic, emphasised lead in raw characters) of a paragraph's markdown: "**1. Sở X:** ..."."""
    s = raw.lstrip()
    m = re.match(r'(\*\*\*|\*\*|\*|__)(?=\s*\S)(.+?)\1(?!\*)', s)
    if not m:
        return False, False, None
    mark, inner = m.group(1), m.group(2)
    rest = s[m.end():]
    bare_rest = re.sub(r'[\s*_.:;,]+', '', rest)
    if not re.search(r'\w', inner):
        return False, False, None
    lead = inner if bare_rest else inner + rest
    whole = not bare_rest
    bold = mark in ('**', '***', '__')
    italic = mark in ('*', '***')
    # "**1.** Tiếp tục ..." marks only the number: not a bold heading
    if not whole and re.fullmatch(r'[\dIVXa-zđ.)\s]+', inner.strip()):
        return False, False, None
    return bold, italic, (lead, whole)


def _open_spans(raw):
    return raw.count('**') % 2 == 1


# ---------------------------------------------------------------- layout
def _layout(lines, hinted):
    """'unwrapped' | 'blocks' (wrapped, blank line between paragraphs) | 'lines' (wrapped, no blank lines)."""
    idx = [i for i in range(len(lines)) if i not in hinted]
    nonblank = [lines[i] for i in idx if lines[i]]
    if len(nonblank) < 3:
        return 'unwrapped', 100
    lengths = sorted(len(x) for x in nonblank)
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    follow = sum(1 for a, b in zip(idx, idx[1:]) if b == a + 1 and lines[a] and lines[b])
    # a wrap cuts sentences: lines going on to the next line without closing punctuation
    cut = sum(1 for a, b in zip(idx, idx[1:]) if b == a + 1 and lines[a] and lines[b]
              and not lines[a].endswith(_TERMINAL) and (len(lines[a]) >= 20 or lines[b][:1].islower()))
    wrapped = (follow > 0.5 * len(nonblank) or cut >= max(3, 0.2 * len(nonblank))) and \
        statistics.median(lengths) < 110 and p90 <= 130
    if not wrapped:
        return 'unwrapped', 100
    width = p90
    blanks = sum(1 for a, b in zip(idx, idx[1:]) if lines[a] and not lines[b])
    return ('blocks' if blanks >= 0.08 * len(nonblank) else 'lines'), width


def _footnotes(items, width):
    """Footnotes printed at a page foot land inside a paragraph of a text dump ("... cập nhật dữ" /
    "1 Theo Kế hoạch ..." / "liệu thường xuyên"): move them after the paragraph they cut."""
    out, notes = [], []
    k = 0
    while k < len(items):
        i, line = items[k]
        prev = out[-1][1] if out else ''
        if prev and not prev.endswith(_TERMINAL) and _FOOTNOTE.match(line) and not _is_marker(line) \
                and len(prev) >= 0.6 * width:
            # the note runs to the line that closes its sentence; the text goes on with a lower-case word
            j = k
            while j < len(items) and not items[j][1].endswith(('.', ';')) and j - k < 4:
                j += 1
            if j < len(items) - 1 and items[j + 1][1][:1].islower():
                notes.append(' '.join(x for _, x in items[k:j + 1]))
                k = j + 1
                continue
        out.append(items[k])
        k += 1
    return out, notes


# ---------------------------------------------------------------- joining
class _Joiner:
    def __init__(self, mode, width):
        self.mode, self.width = mode, width
        self.long_line = min(100, int(0.75 * width)) if mode != 'unwrapped' else 100
        self.full_line = min(100, int(0.9 * width)) if mode != 'unwrapped' else 100

    def starts_new(self, cur, line, raw, raw_cur, blank):
        """Whether `line` opens a paragraph of its own even though it follows `cur`."""
        if self.mode == 'unwrapped':
            return _is_label_start(line) or _closed_heading(cur, line) or _is_marker(line)
        if not blank and _open_spans(raw_cur) and not _is_label_start(line) and not raw.lstrip().startswith('**'):
            return False            # inside a bold span: "**2. Sở" / "Khoa học và Công nghệ**"
        if _is_label_start(line):
            return True
        if _closed_heading(cur, line) and not (cur.upper() == cur and line.upper() == line):
            return True             # "I. MỤC" / "ĐÍCH, YÊU CẦU" is one heading wrapped
        mk = _is_marker(line)
        ends = cur.endswith(_TERMINAL) and not cur.endswith(('..', '…'))
        if re.match(r'\(\d{1,2}\)\s', line) and ends and re.match(r'\(\d{1,2}\)\s', cur):
            return True             # "(2) ..." / "(3) ...": a list of enumerated paragraphs, not "1. X: (1) ...; (2) ..." 
        if mk and len(line) <= 2 and not ends:
            return False            # a lone "-" wrapped to its own line
        if mk:
            if line[:1] in '-–+' and len(line) > 2 and line[1:].lstrip()[:1].islower() and not ends:
                return False        # "kinh tế" / "- xã hội": a hyphen wrapped to the line start
            if _REF_END.search(cur) and not ends and re.match(r'\d{1,2}\.\s', line):
                return False        # "tại khoản" / "2. ..."
            return True
        # a bold or italic heading opening on its own line, after a closed line
        if raw.lstrip().startswith('*') and not _open_spans(raw_cur) and line[:1].isupper() and \
                (ends or raw_cur.rstrip().endswith('*')):
            return True
        return False

    def consecutive(self, cur, prev_line, line, header):
        """Lines with no blank between them, `line` not opening anything: does it continue `cur`?"""
        if self.mode == 'unwrapped':
            return not cur.endswith(_TERMINAL) and line[:1].islower() and len(prev_line) >= 40
        if self.mode == 'blocks':
            return True
        ends = cur.endswith(_TERMINAL) and not cur.endswith(('..', '…'))
        if line[:1].islower():
            return True
        if _is_label_start(cur) and not cur.endswith('.'):
            return True         # "- Cơ quan chủ trì: A;" / "B.": a label's value runs to the next item
        if ends:
            return False
        if (line[:1].isdigit() or not any(c.isalnum() for c in line)) and re.search(r'[a-zà-ỹđ0-9-]\W*$', prev_line):
            return True         # "nhiệm kỳ" / "2026" / "-" / "2031.": a number or a dash goes on
        if header:
            return prev_line.upper() == prev_line and line.upper() == line
        if len(prev_line) >= self.long_line:
            return True
        return bool(_OPEN_END.search(prev_line))

    def across_blank(self, cur, prev_line, line, in_body):
        """A blank line between: only a paragraph cut by a page break continues."""
        if not in_body:
            return False
        ends_open = not cur.endswith(_TERMINAL) or cur.endswith(('..', '…')) and self.mode != 'unwrapped'
        continues = line[:1].islower() or line[:1].isdigit()
        if self.mode == 'unwrapped':
            return len(prev_line) >= self.long_line and ends_open
        if ends_open and line[:1].islower() and not cur.endswith(('..', '…')):
            return True     # OCR and text layers leave blank lines inside paragraphs; a new one is not lower case
        join = len(prev_line) >= self.full_line and ends_open
        if ends_open and continues and len(cur) > 100:
            join = True     # a page break after a short last line, next page goes on mid-sentence
        return join


def normalize(lines, wrapped=None, pages=None, hints=None) -> Normalized:
    """`lines`: raw lines; `wrapped`: True when lines are hard-wrapped (PDF/OCR), False when each line is a
    paragraph (Word), None to guess."""
    hints = hints or {}
    warnings = []
    raw = _prepare(unicodedata.normalize('NFC', '\n'.join(lines))).split('\n')
    if len(raw) != len(lines):      # a line held a character NFC or the space map turned into a newline
        raw = [_prepare(unicodedata.normalize('NFC', x)) for x in lines]
    cleaned = [_clean(x) for x in raw]
    glued = len(_GLUE_HINT.findall('\n'.join(cleaned[:4000]).lower()))
    noisy = glued >= 5
    if noisy:
        cleaned = [split_glued(x) if x else x for x in cleaned]
    drop = _strip_running(cleaned, pages)
    if drop:
        warnings.append(f'removed {len(drop)} page number / running header line(s)')
    hinted = {i for i, h in hints.items() if h.get('para')}
    mode, width = _layout([x if i not in drop else '' for i, x in enumerate(cleaned)], hinted)
    if wrapped is False:
        mode, width = 'unwrapped', 100
    elif wrapped and mode == 'unwrapped':
        mode = 'lines'
        width = 100
    # rules ("-------", "* * *") separate like a blank line
    items = [(i, '' if x and _RULE.match(x) and not x.strip('-_=–—.* ') else x)
             for i, x in enumerate(cleaned) if i not in drop]
    notes = []
    if mode == 'lines':
        items, notes = _footnotes(items, width)
        if notes:
            warnings.append(f'moved {len(notes)} footnote(s) out of the text')
    j = _Joiner(mode, width)
    page_mode = {}
    if pages and len(pages) > 1 and mode != 'unwrapped':
        # OCR and text layers lay pages out differently (blank lines between paragraphs on some pages only)
        bounds = list(pages) + [len(cleaned)]
        for a, b in zip(bounds, bounds[1:]):
            seg = [x if k not in drop else '' for k, x in enumerate(cleaned[a:b], a)]
            if sum(1 for x in seg if x) >= 8:
                pm, _ = _layout(seg, set())
                if pm != 'unwrapped':
                    for k in range(a, b):
                        page_mode[k] = pm

    paras = []              # [text, first line index, raw text]
    cur = None
    blank_since = in_body = False
    header_stage = 0        # 0 letterhead, 1 type line seen, 1.5 title, 2 body opened
    prev_line = ''
    for i, line in items:
        if not line:
            blank_since = True
            continue
        r = raw[i]
        if page_mode:
            j.mode = page_mode.get(i, mode)
        if not in_body and _is_marker(line):
            in_body = True
        hard = i in hinted or (cur is not None and cur[1] in hinted)
        join = False
        if cur is not None and not hard:
            header = not in_body and header_stage < 2
            if header and (_OPENING.match(line) or _DOC_TYPE_LINE.match(line) or _DOC_TYPE_LINE.match(cur[0])):
                join = False
            elif header and header_stage == 0 and mode != 'unwrapped':
                # letterhead lines stand alone; "Hà Nội, ngày" / "24 tháng 11 năm 2025" continues
                join = not blank_since and (line[:1].islower() or line[:1].isdigit() and cur[0].endswith('ngày'))
            elif j.starts_new(cur[0], line, r, cur[2], blank_since):
                join = False
            elif not blank_since:
                join = j.consecutive(cur[0], prev_line, line, header)
            else:
                join = j.across_blank(cur[0], prev_line, line, in_body)
                if join:
                    warnings.append(f'page-break join at line {i + 1}')
        if join:
            cur[0] = cur[0] + ' ' + line
            cur[2] = cur[2] + ' ' + r
        else:
            if cur is not None:
                paras.append(cur)
            cur = [line, i, r]
            if _DOC_TYPE_LINE.match(line) and header_stage == 0 and not in_body:
                header_stage = 1
            elif header_stage == 1:
                header_stage = 1.5      # the title, whatever its first word ("Triển khai ...")
            elif header_stage < 2 and (_OPENING.match(line) or _is_marker(line)):
                header_stage = 2
        prev_line = line
        blank_since = False
    if cur is not None:
        paras.append(cur)
    for n in notes:
        paras.append([n, None, n])

    out, pos, chunks = [], 0, []
    eager = noisy
    for text, idx, r in paras:
        if eager or _SINGLE.search(text):
            text = join_spaced(text, eager=eager)
        text = ' '.join(text.split())
        h = hints.get(idx, {}) if idx is not None else {}
        bold, italic = h.get('bold', False), h.get('italic', False)
        emph_end = len(text) if (bold or italic) else 0
        if '*' in r or '__' in r:
            b, it, lead = _emphasis(r)
            if lead:
                bold, italic = bold or b, italic or it
                emph_end = len(text) if lead[1] else min(len(text), len(_clean(lead[0])))
        out.append(Para(text, pos, pos + len(text), bold, italic, h.get('table', False), emph_end))
        chunks.append(text)
        pos += len(text) + 1
    return Normalized('\n'.join(chunks), out, warnings)


_SINGLE = re.compile(r'(?:^|\s)[^\W\d_](?:\s[^\W\d_]{1,3}){2}(?=\s|$)')
