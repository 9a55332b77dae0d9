"""Word .docx: paragraphs with automatic numbering rendered as printed, tables row by row."""
import io
import re
import zipfile

from .errors import ParseError
from .extract import Extracted

W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'


def _roman(n, upper=True):
    vals = [(1000, 'M'), (900, 'CM'), (500, 'D'), (400, 'CD'), (100, 'C'), (90, 'XC'), (50, 'L'), (40, 'XL'),
            (10, 'X'), (9, 'IX'), (5, 'V'), (4, 'IV'), (1, 'I')]
    out = ''
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out if upper else out.lower()


def _letter(n, upper):
    s = ''
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s if upper else s.lower()


def _fmt(n, fmt):
    if fmt in ('decimal', 'decimalZero'):
        return f'{n:02d}' if fmt == 'decimalZero' and n < 10 else str(n)
    if fmt == 'upperRoman':
        return _roman(n)
    if fmt == 'lowerRoman':
        return _roman(n, False)
    if fmt == 'upperLetter':
        return _letter(n, True)
    if fmt == 'lowerLetter':
        return _letter(n, False)
    if fmt == 'none':
        return ''
    return str(n)


class Numbering:
    """Counters of Word's automatic numbering (numbering.xml: num -> abstractNum -> lvl)."""

    def __init__(self, doc):
        self.levels, self.num_abs, self.overrides = {}, {}, {}
        self.counters = {}
        try:
            root = doc.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for an in root.findall(W + 'abstractNum'):
            aid = an.get(W + 'abstractNumId')
            lv = {}
            for l in an.findall(W + 'lvl'):
                ilvl = int(l.get(W + 'ilvl'))
                start = l.find(W + 'start')
                fmt = l.find(W + 'numFmt')
                text = l.find(W + 'lvlText')
                lv[ilvl] = {'start': int(start.get(W + 'val')) if start is not None else 1,
                            'fmt': fmt.get(W + 'val') if fmt is not None else 'decimal',
                            'text': text.get(W + 'val') if text is not None else ''}
            self.levels[aid] = lv
        for num in root.findall(W + 'num'):
            nid = num.get(W + 'numId')
            a = num.find(W + 'abstractNumId')
            if a is not None:
                self.num_abs[nid] = a.get(W + 'val')
            for ov in num.findall(W + 'lvlOverride'):
                so = ov.find(W + 'startOverride')
                if so is not None:
                    self.overrides[(nid, int(ov.get(W + 'ilvl')))] = int(so.get(W + 'val'))

    def render(self, num_id, ilvl):
        aid = self.num_abs.get(num_id)
        lv = self.levels.get(aid)
        if not lv or ilvl not in lv or num_id == '0':
            return ''
        key = aid       # lists sharing an abstractNum continue each other, as Word shows them
        counts = self.counters.setdefault(key, {})
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if ilvl in counts:
            counts[ilvl] += 1
        else:
            counts[ilvl] = self.overrides.get((num_id, ilvl), lv[ilvl]['start'])
        if lv[ilvl]['fmt'] == 'bullet':
            return '-'
        text = lv[ilvl]['text']

        def sub(m):
            k = int(m.group(1)) - 1
            if k not in counts:
                counts[k] = lv.get(k, {'start': 1})['start']
            return _fmt(counts[k], lv.get(k, {'fmt': 'decimal'})['fmt'])
        return re.sub(r'%(\d)', sub, text)


def _num_pr(p, styles_cache, doc):
    ppr = p.find(W + 'pPr')
    if ppr is not None:
        npr = ppr.find(W + 'numPr')
        if npr is not None:
            nid = npr.find(W + 'numId')
            il = npr.find(W + 'ilvl')
            if nid is not None:
                return nid.get(W + 'val'), int(il.get(W + 'val')) if il is not None else 0
        ps = ppr.find(W + 'pStyle')
        if ps is not None:
            sid = ps.get(W + 'val')
            if sid not in styles_cache:
                styles_cache[sid] = None
                try:
                    st = doc.styles.element.get_by_id(sid)
                    spr = st.find(W + 'pPr') if st is not None else None
                    npr = spr.find(W + 'numPr') if spr is not None else None
                    if npr is not None and npr.find(W + 'numId') is not None:
                        il = npr.find(W + 'ilvl')
                        styles_cache[sid] = (npr.find(W + 'numId').get(W + 'val'),
                                             int(il.get(W + 'val')) if il is not None else 0)
                except Exception:
                    pass
            return styles_cache[sid]
    return None


def _para_text(p):
    parts = []
    bold = italic = True
    any_run = False
    for node in p.iter():
        if node.tag == W + 't':
            parts.append(node.text or '')
        elif node.tag == W + 'tab':
            parts.append(' ')
        elif node.tag in (W + 'br', W + 'cr'):
            parts.append('\n')
        elif node.tag == W + 'r':
            rpr = node.find(W + 'rPr')
            txt = ''.join(t.text or '' for t in node.iter(W + 't'))
            if txt.strip():
                any_run = True
                bold = bold and rpr is not None and rpr.find(W + 'b') is not None
                italic = italic and rpr is not None and rpr.find(W + 'i') is not None
    return ''.join(parts), any_run and bold, any_run and italic


def read_docx(data: bytes) -> Extracted:
    try:
        import docx
    except ImportError:  # pragma: no cover
        raise ParseError('reading .docx needs the python-docx package')
    from .archives import check_archive

    check_archive(data, ".docx")
    try:
        d = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ParseError('the .docx file is damaged (not a valid zip archive)')
    except Exception as e:
        raise ParseError(f'the .docx file cannot be opened ({type(e).__name__})')
    try:
        return _read_body(d)
    except ParseError:
        raise
    except Exception as e:
        raise ParseError(f'the .docx file has an unexpected structure ({type(e).__name__})')


def _read_body(d) -> Extracted:
    numbering = Numbering(d)
    styles_cache = {}
    lines, hints = [], {}
    from docx.table import Table

    from . import rendering
    from .tables import TableReader
    reader = TableReader()
    for child in d.element.body.iterchildren():
        if child.tag == W + 'p':
            text, bold, italic = _para_text(child)
            npr = _num_pr(child, styles_cache, d)
            if npr:
                label = numbering.render(*npr)
                if label and text.strip():
                    text = f'{label} {text.lstrip()}'
            for k, piece in enumerate(text.split('\n')):
                if bold or italic:
                    hints[len(lines)] = {'bold': bold, 'italic': italic}
                lines.append(piece)
            lines.append('')
        elif child.tag == W + 'tbl':
            rows = []
            for row in Table(child, d).rows:
                try:
                    cells = row.cells
                except Exception:
                    continue
                out, prev = [], None
                for c in cells:
                    # a horizontally merged cell repeats its object: keep it once
                    out.append([] if c is prev else [x for p in c.paragraphs for x in p.text.split('\n')])
                    prev = c
                rows.append(out)
            for text, hint in rendering.table_lines(rendering.Table(rows), reader, word=True):
                hints[len(lines)] = hint
                lines.append(text)
                lines.append('')
    # footnotes, as the page prints them at its foot: after the text, each on its own line
    for k, note in enumerate(_footnotes(d), start=1):
        hints[len(lines)] = {'para': True}
        lines.append(f'[{k}] {note}')
        lines.append('')
    return Extracted(lines, wrapped=False, hints=hints)


def _footnotes(d):
    try:
        rels = d.part.rels.values()
    except Exception:
        return []
    for rel in rels:
        if rel.reltype.endswith('/footnotes') and not rel.is_external:
            try:
                from lxml import etree
                root = etree.fromstring(rel.target_part.blob)
            except Exception:
                return []
            out = []
            for fn in root.findall(W + 'footnote'):
                if fn.get(W + 'type') in ('separator', 'continuationSeparator', 'continuationNotice'):
                    continue
                text = ' '.join(''.join(t.text or '' for t in p.iter(W + 't')) for p in fn.iter(W + 'p')).strip()
                if text:
                    out.append(' '.join(text.split()))
            return out
    return []
