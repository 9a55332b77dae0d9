"""Outline markers (I., A., 1., 1.1., 1.1.1., a), -, +) and the tree of numbered items."""
import re
from dataclasses import dataclass, field

ROMAN = r'(?:X{0,3})(?:IX|IV|V?I{0,3})'
MARKER_RE = re.compile(
    r'^(?:'
    r'(?P<part>(?:Phần|PHẦN)\s+(?:[A-H]|' + ROMAN + r'|thứ\s+\w+)\b[.:]?)'
    r'|(?P<article>(?:Điều|ĐIỀU)\s+\d{1,3}[a-z]?[.:])\s*(?=[A-ZĐÀ-Ỹ])'
    r'|(?=[IVX])(?P<roman>' + ROMAN + r')[.)]\s'
    r'|(?P<letterpart>[A-H])[.)]\s'
    r'|(?P<declet>\d{1,2}(?:\.\d{1,2}){1,3}\.[a-zđ])[.)]?\s'
    r'|(?P<dec>\d{1,2}(?:\.\d{1,2}){0,4})(?:[.)]\s|\.(?=[A-ZĐÀ-Ỹ]))'
    r'|(?P<letter>[a-zđ])[).]\s'
    r'|(?P<dash>[-–—•·])\s?(?=\S)'
    r'|(?P<plus>\+)\s?(?=\S)'
    r')'
)
_DEC_NODOT = re.compile(r'^(\d{1,2}(?:\.\d{1,2})+)\s+(?=\S)')
_ROMAN_NODOT = re.compile(r'^(?=[IVX])(' + ROMAN + r')\s+(?=[A-ZĐÀ-Ỹ]{2,}\s)')   # OCR lost the dot: "II NỘI DUNG"


@dataclass
class Marker:
    kind: str            # part | roman | dec | letter | dash | plus
    label: str           # as printed without trailing punctuation: "II", "1.2", "a", "-"
    depth: int           # decimal depth (1 for "1.", 2 for "1.1.") else 0
    length: int          # characters of the marker including the following space


_APPENDIX = re.compile(r'^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?([IVX]+|\d+))?\b[.:]?\s*')


def parse_marker(text: str):
    m = _APPENDIX.match(text)
    if m and (len(text) < 80 or text[:7].isupper()):
        # an appendix (the task table) is a part of its own, numbered again from 1
        return Marker('part', 'PL' + (m.group(1) or ''), 0, m.end())
    m = _DEC_NODOT.match(text)
    if m:
        label = m.group(1)
        return Marker('dec', label, label.count('.') + 1, m.end())
    m = MARKER_RE.match(text)
    if not m:
        m = _ROMAN_NODOT.match(text)
        if m and text[m.end():m.end() + 12].upper() == text[m.end():m.end() + 12]:
            return Marker('roman', m.group(1), 0, m.end())
        return None
    for kind in ('part', 'article', 'roman', 'letterpart', 'declet', 'dec', 'letter', 'dash', 'plus'):
        g = m.group(kind)
        if g is None or g == '':
            continue
        end = m.end()
        while end < len(text) and text[end] == ' ':
            end += 1
        if kind == 'part':
            label = re.sub(r'^(?:Phần|PHẦN)\s+', '', g).rstrip('.:')
            return Marker('part', label, 0, end)
        if kind == 'article':       # "Điều 8. Tổ chức thực hiện" of a decision or regulation
            return Marker('article', 'Điều ' + re.sub(r'^(?:Điều|ĐIỀU)\s+', '', g).rstrip('.:'), 0, end)
        if kind == 'letterpart':
            head = [c for c in text[end:end + 12] if c.isalpha()][:6]
            if len(head) < 4 or not all(c.isupper() for c in head):
                return None     # "A. " before ordinary prose is not a part heading
            return Marker('part', g, 0, end)
        if kind == 'dec':
            return Marker('dec', g, g.count('.') + 1, end)
        if kind == 'declet':        # "2.1.a." is item a) of 2.1
            return Marker('letter', g.rsplit('.', 1)[1], 0, end)
        return Marker(kind, g, 0, end)
    return None


# rank of each marker kind: a marker closes every open item of the same or a lower rank; an unnumbered agency
# heading ("**Sở Tài chính:**") sits between the numbered items and their letters and bullets
def rank(mk: Marker) -> float:
    return {'part': 0, 'article': 1, 'roman': 1, 'dec': 1 + mk.depth, 'head': 6.5, 'letter': 7, 'dash': 8,
            'plus': 9}[mk.kind]


def unnumbered_heading(para, nxt) -> bool:
    """A paragraph that is only an agency's name, bold or ending with ":", over bullets or items:
    "**Sở Tài chính**" / "Ủy ban nhân dân các xã, phường:" then "- …"."""
    text = para.text.strip()
    if not text or len(text) > 160 or nxt is None or getattr(para, 'table', False):
        return False
    if not (getattr(para, 'bold', False) and getattr(para, 'emph_end', 0) >= len(text) or text.endswith(':')):
        return False
    nk = parse_marker(nxt.text)
    if not nk or nk.kind not in ('dash', 'plus', 'letter'):
        return False
    from .agencies import is_agency_list
    return is_agency_list(re.sub(r'^(?:Đối với|Giao|Đề nghị)\s+', '', text).rstrip(' :'))


@dataclass
class Item:
    marker: Marker
    para: int                      # index of the paragraph holding the marker
    parent: 'Item' = None
    children: list = field(default_factory=list)
    body: list = field(default_factory=list)   # paragraph indexes directly under this item (not in children)
    part: str = None               # roman numeral / part letter of the enclosing part

    @property
    def last_para(self) -> int:
        last = max([self.para] + self.body)
        for c in self.children:
            last = max(last, c.last_para)
        return last

    def all_paras(self):
        out = [self.para] + list(self.body)
        for c in self.children:
            out.extend(c.all_paras())
        return sorted(out)


def build(paras):
    """Items for every marker paragraph, nested by rank; returns (roots, preamble paragraph indexes)."""
    roots, stack, preamble = [], [], []
    part = None
    floor, in_table = 0, False      # a table's rows nest under the item open where the table starts
    for i, p in enumerate(paras):
        table = getattr(p, 'table', False)
        if table and not in_table:
            floor = len(stack)
        elif in_table and not table:
            del stack[floor:]           # the table ends: its rows close
        in_table = table
        if not table:
            floor = 0
        mk = parse_marker(p.text)
        if mk is None and stack and unnumbered_heading(p, paras[i + 1] if i + 1 < len(paras) else None):
            mk = Marker('head', '', 0, 0)
        if mk is None or (mk.kind in ('dash', 'plus') and not stack):
            if stack:
                stack[-1].body.append(i)
            else:
                preamble.append(i)
            continue
        r = rank(mk)
        while len(stack) > floor and rank(stack[-1].marker) >= r:
            stack.pop()
        if table and mk.kind == 'roman':
            pass                        # a group row of a task table ("I. KIỆN TOÀN …") is no part
        elif mk.kind in ('roman', 'article'):
            # Parts are numbered I, II, III ...: a repeated or decreasing numeral is a misread (OCR)
            if mk.kind == 'roman' and part and _roman_value(part) and _roman_value(mk.label) <= _roman_value(part):
                mk.label = _to_roman(_roman_value(part) + 1)
            part = mk.label
        elif mk.kind == 'part':
            part = mk.label
        item = Item(mk, i, stack[-1] if stack else None, part=part)
        (stack[-1].children if stack else roots).append(item)
        stack.append(item)
    return roots, preamble


def walk(items):
    for it in items:
        yield it
        yield from walk(it.children)


def _roman_value(s):
    vals = {'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}
    if not s or any(c not in vals for c in s):
        return 0
    total = 0
    for a, b in zip(s, s[1:] + ' '):
        v = vals[a]
        total += -v if b in vals and vals[b] > v else v
    return total


def _to_roman(n):
    out = ''
    for v, sym in ((100, 'C'), (90, 'XC'), (50, 'L'), (40, 'XL'), (10, 'X'), (9, 'IX'), (5, 'V'), (4, 'IV'), (1, 'I')):
        while n >= v:
            out += sym
            n -= v
    return out
