"""Task tables (the "Danh mục nhiệm vụ" appendix, Excel task lists) -> labelled lines (layout 2).

Columns are found by their header words; the mapping is data (COLUMNS) so it can be adjusted. A row
becomes "<STT>. <content>" followed by "- Cơ quan chủ trì: …", "- Cơ quan phối hợp: …", "- Thời gian hoàn
thành: …" lines; a group row ("I | KIỆN TOÀN …", "A | PHÁT TRIỂN …", a merged title row) becomes the heading
"I. KIỆN TOÀN …" so the outline numbers its rows under it. A table printed in several pieces (a page, a
part, a group per table) keeps the header of the first piece; header rows repeated inside are skipped.
"""
import re

from .lexicon import fold

COLUMNS = {   # role -> folded header words that identify it (first match wins, most specific first)
    'lead': ('co quan chu tri', 'don vi chu tri', 'chu tri thuc hien', 'chu tri', 'co quan thuc hien',
             'don vi thuc hien', 'trach nhiem thuc hien', 'trach nhiem chu tri', 'don vi trien khai',
             'co quan tham muu', 'don vi tham muu', 'co quan don vi thuc hien', 'nguoi thuc hien',
             'bo phan thuc hien'),
    'coord': ('co quan phoi hop', 'don vi phoi hop', 'phoi hop thuc hien', 'phoi hop'),
    'time': ('thoi gian', 'thoi han', 'tien do', 'han hoan thanh', 'moc thoi gian', 'lo trinh'),
    'product': ('san pham', 'hinh thuc', 'ket qua'),
    'no': ('stt', 'so tt', 'tt', 'so thu tu'),
    'content': ('noi dung', 'nhiem vu', 'ten nhiem vu', 'cong viec', 'ten de an', 'giai phap', 'hoat dong',
                'ten hoat dong', 'danh muc'),
    'monitor': ('theo doi', 'kiem tra don doc', 'don vi theo doi'),
    'note': ('ghi chu',),
}
LABELS = {'lead': 'Cơ quan chủ trì', 'coord': 'Cơ quan phối hợp', 'time': 'Thời gian hoàn thành',
          'product': 'Sản phẩm'}


def _folded(cell):
    return ' '.join(re.sub(r'[^0-9a-z]+', ' ', fold(cell)).split())


def _role(f, taken=()):
    for role, words in COLUMNS.items():
        if role in taken:
            continue
        if any(f == w or f.startswith(w + ' ') or (' ' + w + ' ') in (' ' + f + ' ') for w in words):
            if role == 'content' and ('chu tri' in f or 'phoi hop' in f):
                continue
            if role in ('lead', 'coord') and 'thoi gian' in f:
                continue
            return role
    return None


def header_role(text):
    """The role of a cell that reads as a column header ("Cơ quan chủ trì", "TT"), else None."""
    f = _folded(text)
    if not f or len(f.split()) > 7:
        return None
    return _role(f)


def _header_map(row):
    mapping = {}
    for j, cell in enumerate(row):
        f = _folded(cell)
        if not f or len(f.split()) > 9:
            continue
        role = _role(f, mapping)
        if role:
            mapping[role] = j
    return mapping


def _is_header(m):
    return 'content' in m and ('lead' in m or 'time' in m or 'coord' in m)


def find_header(rows):
    for i, row in enumerate(rows[:10]):
        m = _header_map(row)
        if _is_header(m):
            return i, m
    return None, None


_NUM_ROW = re.compile(r'\(?\d+\)?')
_LABEL = re.compile(r'[0-9]+(?:\.[0-9]+)*|[IVXLC]+|[A-H]')


def _marker(label):
    label = label.strip().rstrip('.').strip()
    if _LABEL.fullmatch(label):
        return f'{label}.'
    if re.fullmatch(r'[a-zđ]\)?', label):
        return f'{label.rstrip(")")})'
    return f'{label}.'


_ROLE_ONLY = re.compile(r'^(?:lãnh đạo|giám đốc|phó giám đốc|chủ tịch|phó chủ tịch|thủ trưởng|đại diện|trưởng|'
                        r'phó trưởng|bí thư|cán bộ)(?:\s+(?:các|của))?$', re.I)


def _agency_lines(v):
    """Several agencies on separate lines of one cell are several agencies ("Sở Y tế" / "Sở Tài chính"),
    but a line that cannot end a name continues on the next ("Lãnh đạo" / "Sở Nội vụ", "Sở Khoa học và" /
    "Công nghệ")."""
    out = []
    for x in (x.strip() for x in v.splitlines()):
        if not x:
            continue
        if out and (_ROLE_ONLY.match(out[-1]) or re.search(r'(?:\b(?:và|của|các|với)|[,-])$', out[-1])
                    or x[:1].islower()):
            out[-1] = out[-1] + ' ' + x
        else:
            out.append(x)
    return '; '.join(x.strip(' ;,') for x in out if x.strip(' ;,'))


def _plain(rows):
    return [' '.join(' '.join(c.split()) for c in r if c.strip()).strip() for r in rows if any(c.strip() for c in r)]


class TableReader:
    """Reads the tables of one document in order; a later table without its own header continues the
    task table before it when its rows are as wide."""

    def __init__(self):
        self.mapping = None
        self.width = 0

    def lines(self, rows, elided=()):
        rows = [[' '.join(c.split()) if '\n' not in c else '\n'.join(' '.join(x.split()) for x in c.splitlines())
                 for c in r] for r in rows]
        hi, m = find_header(rows)
        if hi is not None:
            if self.mapping is not None and set(m) - {'no'} <= set(self.mapping):
                # the header repeated by a later piece (maybe without its STT cell): keep the first one,
                # and the group rows printed before it belong to the table
                return self._rows(rows[:hi], elided, 0) + self._rows(rows[hi + 1:], elided, hi + 1)
            self.mapping, self.width = m, len(rows[hi])
            return _plain(rows[:hi]) + self._rows(rows[hi + 1:], elided, hi + 1)
        if self.mapping is not None and rows and max(len(r) for r in rows) >= self.width - 1 >= 1:
            return self._rows(rows, elided, 0)
        return _plain(rows)

    def _rows(self, rows, elided, offset):
        m = self.mapping
        out = []
        for k, row in enumerate(rows):
            if any(c.strip() for c in row):
                out.extend(self._row(row, m))
            if k + offset in elided:
                out.append('…')
        return out

    def _row(self, row, m):
        def cell(role):
            v = row[m[role]] if role in m and m[role] < len(row) else ''
            if role in ('lead', 'coord'):
                return _agency_lines(v)
            lines = [x.strip() for x in v.splitlines() if x.strip()]
            if role == 'content' and len(lines) > 1:
                # two tasks in one cell ("- Rà soát ...;" / "- Báo cáo ..."): one text, the bullets dropped
                lines = [re.sub(r'^[-–+•]\s*', '', x) for x in lines]
            return ' '.join(lines)
        filled = [c for c in row if c.strip()]
        if _is_header(_header_map(row)):
            return []                          # a header row repeated inside the table
        if all(_NUM_ROW.fullmatch(c.strip()) for c in filled) and len(filled) > 2:
            return []                          # the "(1) (2) (3)" row under the header
        no, content = cell('no'), cell('content')
        if not content:
            others = [c for j, c in enumerate(row) if c.strip() and j != m.get('no')]
            if len(set(others)) == 1 and not any(cell(r) for r in ('lead', 'coord', 'time')):
                content = ' '.join(others[0].split())      # a title row merged across the columns
            elif len(filled) == 1:
                return [' '.join(filled[0].split())]       # "…", a note row
            else:
                return []
        out = []
        if no:
            out.append(f'{_marker(no)} {content}')
        else:
            is_heading = not any(cell(r) for r in ('lead', 'coord', 'time'))
            out.append(content if is_heading else '- ' + content)
        for role in ('lead', 'coord', 'time', 'product'):
            if cell(role):
                out.append(f'- {LABELS[role]}: {cell(role)}')
        return out


def table_lines(rows):
    """Lines for one table: labelled items when it is a task table, else each row's cells joined."""
    return TableReader().lines(rows)
