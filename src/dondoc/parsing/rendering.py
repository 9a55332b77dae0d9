"""Texts saved from web renderings of legal documents (thuvienphapluat.vn and the like) -> lines as printed.

Such a text is the page turned into markdown: the site's banner, metadata table and footer around the
document; tables either as markdown pipe tables ("| a | b |") or flattened one cell per line, each cell
between lines holding a single "|" ("|", "cell", "|", "cell", "|", "|" = end of row and start of the next);
lines hard-wrapped at ~80 columns inside and outside cells. This module removes the site text and rebuilds
the tables: the letterhead and signature tables become the lines a printed page shows (number, place and
date, issuer, "Nơi nhận:" and its lines, "TM. ...", position, name), task tables go to tables.table_lines,
other tables become one line per row.
"""
import re
from dataclasses import dataclass, field

from .syllables import join_spaced

# ---------------------------------------------------------------- site text
_SITE_HEAD = re.compile(r'^\s*(?:Đang tải văn bản|Bản dịch này thuộc quyền sở hữu của)', re.I)
_SOURCE = re.compile(r'^\s*\*?Source:\s*https?://\S+\*?\s*$', re.I)
_SITE_META = re.compile(r'^(?:số hiệu|loại văn bản|nơi ban hành|cơ quan ban hành|người ký|ngày ban hành|ngày hiệu lực|'
                        r'ngày công báo|số công báo|tình trạng|lĩnh vực)\s*:$', re.I)
_SITE_END = re.compile(r'^\s*(?:#+\s*)?(?:Văn bản này chưa cập nhật nội dung Tiếng Anh|Văn bản liên quan|'
                       r'FILE ĐƯỢC ĐÍNH KÈM THEO VĂN BẢN|Cảm ơn đã dùng ThuVienPhapLuat|Lược đồ\s*$|'
                       r'Văn bản đang xem|Tải văn bản gốc)', re.I)
# the site's one-line summary printed after the document: "Kế hoạch 980/KH-UBND năm 2025 thực hiện ..."
_SITE_SUMMARY = re.compile(r'^(?:Kế hoạch|Quyết định|Chỉ thị|Công văn|Thông báo|Nghị quyết|Công điện|Chương trình|'
                           r'Thông tư|Nghị định|Hướng dẫn)\s+\d+[\w/.-]*\s+(?:năm|ngày)\s', re.I)


def _bare(line):
    return ' '.join(line.replace('*', ' ').replace('#', ' ').split())


def _is_pipe(line):
    return line.strip() == '|'


def strip_site(lines):
    """The document without the site's banner, metadata table and footer. Returns (lines, removed count)."""
    n = len(lines)
    start = 0
    for i in range(min(n, 150)):
        if _SITE_HEAD.match(_bare(lines[i])) and 'Đang tải' in lines[i]:
            start = i + 1
            break
    if start == 0:
        for i in range(min(n, 5)):
            if _SOURCE.match(lines[i]):
                start = i + 1
                # the page's own heading ("# Hỗ trợ người có công ...") is the site's, not the document's
                k = start
                while k < n and not lines[k].strip():
                    k += 1
                if k < n and re.match(r'^#\s+\S', lines[k]):
                    start = k + 1
    # the metadata table ("Số hiệu: | 980/KH-UBND | | Loại văn bản: | Kế hoạch ...") before the letterhead
    i, skipped_pipe = start, False
    while i < n and i < start + 150:
        b = _bare(lines[i])
        if not b or _is_pipe(lines[i]):
            skipped_pipe = skipped_pipe or _is_pipe(lines[i])
            i += 1
            continue
        if not _SITE_META.match(b):
            break
        i += 1
        while i < n and _is_pipe(lines[i]):      # the pipe closing the label cell
            i += 1
        while i < n and not _is_pipe(lines[i]) and lines[i].strip() and not _SITE_META.match(_bare(lines[i])):
            i += 1                               # the value
        start = i
    out = list(lines[start:])
    if start and out and skipped_pipe and not _is_pipe(out[0]):
        # the letterhead continues the metadata table: it keeps its opening cell separator
        k = next((k for k, x in enumerate(out) if x.strip()), 0)
        if not _is_pipe(out[k]) and start > 0 and any(_is_pipe(x) for x in lines[max(0, start - 3):start]):
            out.insert(k, '|')
    for k, line in enumerate(out):
        if _SITE_END.match(line):
            cut = k
            while cut > 0 and (not out[cut - 1].strip() or _SITE_SUMMARY.match(_bare(out[cut - 1]))):
                cut -= 1
            removed = start + len(out) - cut
            return out[:cut], removed
    return out, start


# ---------------------------------------------------------------- flattened tables
_MAX_CELL_LINES = 40
_STOP = re.compile(r'^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?(?:[IVX]+|\d+))?\s*$|'
                   r'^(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHỈ THỊ|THÔNG BÁO|CÔNG ĐIỆN|CHƯƠNG TRÌNH|NGHỊ QUYẾT|ĐỀ ÁN|HƯỚNG DẪN)$')
_STT = re.compile(r'^(?:\d{1,3}(?:\.\d{1,3}){0,3}\.?|[IVXL]{1,6}\.?|[A-ZĐ]\.?|[a-zđ][.)])$')
_RULE = re.compile(r'^[-_=–—.\s]{3,}$')
_ELISION = re.compile(r'^[….·]{4,}$')


@dataclass
class Table:
    rows: list                     # rows of cells; a cell is its list of raw lines
    elided_after: set = field(default_factory=set)     # row indexes followed by an elision line "…....."


def _cell_plain(seg):
    return _bare(' '.join(seg))


def _stt_like(seg):
    return bool(seg) and bool(_STT.match(_cell_plain(seg)))


def _header_like(seg):
    from .tables import header_role
    return bool(seg) and header_role(_cell_plain(seg)) is not None


def _rows(segs):
    """Segments between pipes -> rows. Two pipes with nothing between them close a row and open the next,
    unless the row still lacks cells (an empty cell): the width of the rows read so far and what follows
    (a row number, a header word) decide."""
    rows, row, width = [], [], None
    elided = set()
    k = 0
    while k < len(segs):
        seg = segs[k]
        if seg and _ELISION.match(_cell_plain(seg[-1:])):
            # "…......" printed where rows were left out: it ends the row it is glued to
            seg = seg[:-1]
            elided.add(len(rows))
        if not seg:
            if not row:
                if rows:                     # an empty first cell ("| | Nội dung | ...")
                    nxt = segs[k + 1] if k + 1 < len(segs) else None
                    if nxt:
                        row.append([])
                k += 1
                continue
            nxt = segs[k + 1] if k + 1 < len(segs) else None
            if width is None or len(row) >= width or _stt_like(nxt) or _header_like(nxt) or nxt is None:
                rows.append(row)
                width = max(width or 0, len(row))
                row = []
            else:
                row.append([])
            k += 1
            continue
        if row and width and len(row) >= width and _stt_like(seg):
            rows.append(row)            # the closing pipe was lost (an elision line took its place)
            row = []
        row.append(seg)
        k += 1
    if row:
        rows.append(row)
    return Table(rows, elided)


def _breaks(line):
    return bool(_STOP.match(_bare(line)))


def split_regions(lines):
    """Yield ('line', text) and ('table', Table) in order."""
    i, n = 0, len(lines)
    while i < n:
        if not _is_pipe(lines[i]):
            yield 'line', lines[i]
            i += 1
            continue
        segs, cur, j, last = [], [], i + 1, i
        while j < n:
            line = lines[j]
            if _is_pipe(line):
                segs.append(cur)
                cur, last = [], j
            elif not line.strip() or len(cur) >= _MAX_CELL_LINES or _breaks(line):
                break
            else:
                cur.append(line)
            j += 1
        if len(segs) < 2:
            # a stray separator: drop it, keep what follows
            for line in segs[0] if segs else []:
                yield 'line', line
            i = last + 1
            continue
        yield 'table', _rows(segs)
        i = last + 1


# ---------------------------------------------------------------- markdown pipe tables
_PIPE_ROW = re.compile(r'^\s*\|.*\|\s*$')
_PIPE_RULE = re.compile(r'^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$')


def markdown_regions(lines):
    rows = []
    for line in lines:
        if _PIPE_ROW.match(line) and line.strip() != '|':
            if not _PIPE_RULE.match(line):
                rows.append([[x] if x.strip() else [] for x in
                             (c.strip().replace('<br>', '\n') for c in line.strip()[1:-1].split('|'))])
            continue
        if rows:
            yield 'table', Table(rows)
            rows = []
        yield 'line', line
    if rows:
        yield 'table', Table(rows)


# ---------------------------------------------------------------- layout tables (letterhead, signature)
_LETTERHEAD = re.compile(r'CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Độc lập\s*-\s*Tự do|^\s*Số\s*[:.]|'
                         r'^[^,]{2,40},\s*ngày\b.{0,20}\btháng\b', re.I)
_CLOSING = re.compile(r'^(?:Nơi nhận|TM\.|T/M|KT\.|TL\.|TUQ\.)', re.I)
_POSITION = (r'(?:PHÓ THỦ TƯỚNG|THỦ TƯỚNG|PHÓ CHỦ TỊCH|CHỦ TỊCH|BỘ TRƯỞNG|THỨ TRƯỞNG|PHÓ GIÁM ĐỐC|GIÁM ĐỐC|'
             r'PHÓ BÍ THƯ|BÍ THƯ|PHÓ TRƯỞNG BAN|TRƯỞNG BAN|CHÁNH VĂN PHÒNG|PHÓ CHÁNH VĂN PHÒNG|TỔNG CỤC TRƯỞNG|'
             r'CỤC TRƯỞNG|VỤ TRƯỞNG|CHỦ NHIỆM)')


def _is_layout(table):
    texts = [_bare(' '.join(c)) for r in table.rows for c in r]
    if any(_CLOSING.match(t) for t in texts):
        return True
    return any(_LETTERHEAD.search(t) for t in texts) and len(table.rows) <= 4


def _spans_open(line, state):
    """Emphasis spans still open after `line` (markdown ** and *), from `state`."""
    bold, ital = state
    for tok in re.findall(r'\*\*|\*', line):
        if tok == '**':
            bold = not bold
        else:
            ital = not ital
    return bold, ital


def cell_paragraphs(lines):
    """A narrow layout cell's lines -> its paragraphs: a wrapped emphasis span, a lower-case continuation
    or "VÀ ..." continue the line before; rules ("-------") and new lines otherwise separate."""
    out, state = [], (False, False)
    expanded = []
    for line in lines:
        expanded.extend(_split_flat(line) if len(lines) == 1 else [line])
    for line in expanded:
        text = line.strip()
        if not text:
            continue
        if _RULE.match(_bare(text) or '-') and not _bare(text).strip('-_=–—. '):
            state = (False, False)
            out.append(None)            # a separator
            continue
        bare = _bare(text)
        cont = out and out[-1] is not None and (
            state != (False, False) or bare[:1].islower() or re.match(r'(?:VÀ|và)\s', bare)
            or out[-1].rstrip('* ').endswith((',', ' VÀ', ' và')))
        if cont and not re.match(r'^[-–+•]\s*\S', bare):
            out[-1] = out[-1] + ' ' + text
        else:
            out.append(text)
        state = _spans_open(text, state)
    return [x for x in out if x]


_FLAT_BREAK = re.compile(r'\s+-{3,}\s*|(?<=[;:])\s+(?=[-–]\s)|(?<=[.;])\s+(?=[-–]\s+Lưu\b)')


def _split_flat(line):
    """A cell that a markdown table printed on one line: rules, recipient dashes, and the signature's
    "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn A" are the lines of the printed cell."""
    line = join_spaced(line)
    parts = [p for p in _FLAT_BREAK.split(line) if p and p.strip()]
    out = []
    for p in parts:
        m = re.match(r'^((?:(?:TM|KT|TL|TUQ|T/M)\.?\s+)?[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ .,/-]+?)\s+([A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4})$', p.strip())
        if m and m.group(1).upper() == m.group(1):
            out.extend(_split_roles(m.group(1)))
            out.append(m.group(2))
        elif p.upper() == p and re.match(r'^(?:TM|KT|TL|TUQ|T/M)\.', p.strip()):
            out.extend(_split_roles(p))
        else:
            out.append(p.strip())
    return out


def _split_roles(s):
    """"TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" -> its three printed lines."""
    pieces = [x.strip() for x in re.split(r'\s+(?=(?:TM|KT|TL|TUQ|T/M)\.)', s.strip()) if x.strip()]
    out = []
    for p in pieces:
        m = re.match(r'^((?:KT|TL|TUQ)\.\s+' + _POSITION + r')\s+(' + _POSITION + r'.*)$', p)
        if m:
            out.extend([m.group(1), m.group(2)])
        else:
            out.append(p)
    return out


def layout_lines(table):
    """Letterhead / signature table -> paragraphs in reading order (row by row, cell by cell)."""
    out = []
    for row in table.rows:
        for cell in row:
            out.extend(cell_paragraphs(cell))
    return out


# ---------------------------------------------------------------- cells of data tables
_CELL_BREAK = re.compile(r'^(?:[-–+•]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ]\)\s)')


def cell_text(lines):
    """A data cell's wrapped lines -> its text; a bullet or numbered line after a closed sentence stays
    on a line of its own (two tasks in one cell)."""
    out = []
    for line in lines:
        t = line.strip()
        if not t or not _bare(t):
            continue
        if _RULE.match(_bare(t)) and not _bare(t).strip('-_=–—. '):
            continue
        if out and not (_CELL_BREAK.match(_bare(t)) and out[-1].rstrip('* ').endswith(('.', ';', ':', '!', '?'))):
            out[-1] = out[-1] + ' ' + t
        else:
            out.append(t)
    return '\n'.join(_bare(x) if not x.replace('*', '').strip() else x for x in out).strip()


def table_lines(table, reader, word=False):
    """(text, hint) lines for one table. `word`: the cells' lines are paragraphs (Word), not wraps."""
    if _is_layout(table):
        return [(p, {'para': True}) for p in layout_lines(table)]
    if word:
        rows = [['\n'.join(' '.join(x.split()) for x in c if x.strip()) for c in r] for r in table.rows]
    else:
        rows = [[cell_text(c) for c in r] for r in table.rows]
    return [(line, {'table': True, 'para': True}) for line in reader.lines(rows, table.elided_after)]


def render(lines):
    """Site text removed, tables rebuilt. Returns (lines, hints, warnings) as Extracted wants them."""
    from .tables import TableReader
    warnings = []
    has_flat = sum(1 for x in lines if _is_pipe(x)) >= 2
    has_md = any(_PIPE_ROW.match(x) and x.strip() != '|' for x in lines)
    if has_flat or has_md or any(_SITE_END.match(x) for x in lines[-400:]) or \
            any(_SITE_HEAD.match(x) for x in lines[:150]):
        lines, removed = strip_site(lines)
        if removed:
            warnings.append(f'removed {removed} line(s) of the web page around the document')
    if not (has_flat or has_md):
        return lines, {}, warnings
    out, hints = [], {}
    reader = TableReader()
    regions = split_regions(lines) if has_flat else markdown_regions(lines)
    if has_flat and has_md:
        regions = (r for kind, x in split_regions(lines)
                   for r in ([(kind, x)] if kind == 'table' else markdown_regions([x])))
    for kind, x in regions:
        if kind == 'line':
            out.append(x)
            continue
        if not out or out[-1].strip():
            out.append('')
        for text, hint in table_lines(x, reader):
            hints[len(out)] = hint
            out.append(text)
            out.append('')
    return out, hints, warnings
