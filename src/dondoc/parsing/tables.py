"""Task tables (the "Danh mục nhiệm vụ" appendix, Excel task lists) -> labelled lines (layout 2).

Columns are found by their header words; the mapping is data (COLUMNS) so it can be adjusted.
"""
import re

from .lexicon import fold

COLUMNS = {   # role -> folded header words that identify it (first match wins, most specific first)
    'lead': ('co quan chu tri', 'don vi chu tri', 'chu tri', 'co quan thuc hien', 'don vi thuc hien',
             'co quan tham muu', 'don vi tham muu'),
    'coord': ('co quan phoi hop', 'don vi phoi hop', 'phoi hop'),
    'time': ('thoi gian', 'thoi han', 'tien do', 'han hoan thanh'),
    'product': ('san pham', 'hinh thuc', 'ket qua'),
    'no': ('stt', 'so tt', 'tt'),
    'content': ('noi dung', 'nhiem vu', 'ten nhiem vu', 'cong viec', 'ten de an', 'giai phap'),
    'note': ('ghi chu',),
}
LABELS = {'lead': 'Cơ quan chủ trì', 'coord': 'Cơ quan phối hợp', 'time': 'Thời gian hoàn thành',
          'product': 'Sản phẩm'}


def _header_map(row):
    mapping = {}
    for j, cell in enumerate(row):
        f = ' '.join(re.sub(r'[^0-9a-z]+', ' ', fold(cell)).split())
        if not f:
            continue
        for role, words in COLUMNS.items():
            if role in mapping:
                continue
            if any(f == w or f.startswith(w + ' ') or (' ' + w) in (' ' + f) for w in words):
                if role == 'content' and ('chu tri' in f or 'phoi hop' in f):
                    continue
                if role in ('lead', 'coord') and 'thoi gian' in f:
                    continue
                mapping[role] = j
                break
    return mapping


def find_header(rows):
    for i, row in enumerate(rows[:10]):
        m = _header_map(row)
        if 'content' in m and ('lead' in m or 'time' in m):
            return i, m
    return None, None


def table_lines(rows):
    """Lines for one table: labelled items when it is a task table, else each row's cells joined."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    hi, m = find_header([[' '.join(c.split()) for c in r] for r in rows])
    if hi is None:
        return [' '.join(' '.join(c.split()) for c in r if c).strip() for r in rows]
    out = []
    prev_no = None
    for row in rows[hi + 1:]:
        def cell(role):
            v = row[m[role]] if role in m and m[role] < len(row) else ''
            # several agencies on separate lines of one cell are several agencies
            sep = '; ' if role in ('lead', 'coord') else ' '
            return sep.join(x.strip(' ;,') if sep == '; ' else x.strip() for x in v.splitlines() if x.strip())
        no, content = cell('no'), cell('content')
        if re.fullmatch(r'\(?\d+\)?', no or '') and all(re.fullmatch(r'\(?\d+\)?', c.strip() or '0') for c in row if c):
            continue         # the "(1) (2) (3)" row under the header
        if not content:
            continue
        if not no and content and prev_no is not None and all(not cell(r) for r in ('lead', 'coord', 'time')):
            no = ''
        label = no.rstrip('.') if no else ''
        is_heading = not cell('lead') and not cell('coord') and not cell('time')
        if label:
            marker = f'{label}.' if re.fullmatch(r'[0-9]+(?:\.[0-9]+)*|[IVXLC]+|[A-H]', label) else \
                (f'{label})' if re.fullmatch(r'[a-zđ]', label) else f'{label}.')
            out.append(f'{marker} {content}')
        else:
            out.append(('- ' if not is_heading else '') + content)
        prev_no = no
        for role in ('lead', 'coord', 'time', 'product'):
            if cell(role):
                out.append(f'- {LABELS[role]}: {cell(role)}')
    return out
