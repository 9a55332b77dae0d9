"""Quantitative and rank targets: "trên 95%", ">3%", "đứng thứ 35", "hoàn thành 02 chỉ tiêu", "ít nhất 01 triệu căn hộ"."""
import re

_OPS = [(r'không (?:thấp hơn|dưới|ít hơn)|tối thiểu|ít nhất|từ|≥|>=', '>='), (r'không (?:quá|vượt quá)|tối đa|≤|<=', '<='),
        (r'trên|hơn|vượt|>', '>'), (r'dưới|<', '<'), (r'đạt|bằng|=', '=')]
_OP_RE = '|'.join(f'(?:{p})' for p, _ in _OPS)
_NUM = r'(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)'
_PCT = re.compile(r'(?:(' + _OP_RE + r')\s*)?' + _NUM + r'\s*%')
_RANK = re.compile(r'\b(?:đứng|xếp)\s+(?:hạng\s+)?thứ\s+(\d{1,3})\b|\b(?:trong\s+)?(?:nhóm|top)\s+(\d{1,3})\b', re.I)
_COUNT = re.compile(r'\b(hoàn thành|đạt|có|thành lập|xây dựng|phát triển|tăng thêm|thu hút|tạo việc làm cho|giảm|'
                    r'phấn đấu có|phấn đấu)\s+(?:(' + _OP_RE + r')\s+)?' + _NUM +
                    r'(?:\s+(triệu|nghìn|ngàn|tỷ))?\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)', re.I)
_AT_LEAST = re.compile(r'\b(ít nhất|tối thiểu|không dưới|không ít hơn)\s+' + _NUM +
                       r'(?:\s+(triệu|nghìn|ngàn|tỷ))?\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)', re.I)
_NOT_COUNT_NOUNS = ('tháng', 'năm', 'ngày', 'tuần', 'giờ', 'chương trình', 'giai đoạn', 'lần', 'cấp', 'mức')
_MULT = {'triệu': 1e6, 'nghìn': 1e3, 'ngàn': 1e3, 'tỷ': 1e9}


def _op(word):
    if not word:
        return None
    for pat, op in _OPS:
        if re.fullmatch(pat, word.strip(), re.I):
            return op
    return None


def _num(s):
    if re.fullmatch(r'\d{1,3}(?:[.,]\d{3})+', s):
        return float(re.sub(r'[.,]', '', s))
    return float(s.replace(',', '.'))


def _clause(text, a, b):
    s = max(text.rfind(';', 0, a), text.rfind(',', 0, a), text.rfind('.', 0, a - 1 if a else 0)) + 1
    ends = [x for x in (text.find(';', b), text.find(',', b)) if x != -1]
    e = min(ends) if ends else len(text)
    return text[s:e].strip()


def find(text: str) -> list:
    out, taken = [], []
    for m in _PCT.finditer(text):
        op = _op(m.group(1)) or ('=' if re.search(r'\bđạt\s*$', text[:m.start()]) else '=')
        value = _num(m.group(2))
        out.append({'text': _clause(text, m.start(), m.end()), 'op': op, 'value': value, 'unit': '%'})
        taken.append(m.span())
    for m in _RANK.finditer(text):
        if m.group(1):
            out.append({'text': _clause(text, m.start(), m.end()), 'op': '=', 'value': float(m.group(1)), 'unit': 'rank'})
        else:
            out.append({'text': _clause(text, m.start(), m.end()), 'op': '<=', 'value': float(m.group(2)), 'unit': 'rank'})
    for m in _COUNT.finditer(text):
        if any(a <= m.start(3) < b for a, b in taken):
            continue
        noun = m.group(5).lower()
        if noun.startswith(_NOT_COUNT_NOUNS) or '%' in text[m.end(3):m.end(3) + 2]:
            continue
        # "từ 03 tháng trở lên" is the threshold of a rule, not a target
        if re.match(r'\s*trở lên', text[m.end():]):
            continue
        value = _num(m.group(3)) * _MULT.get((m.group(4) or '').lower(), 1)
        op = _op(m.group(2)) or '='
        out.append({'text': text[m.start():m.end()], 'op': op, 'value': value, 'unit': 'count'})
        taken.append(m.span(3))
    for m in _AT_LEAST.finditer(text):
        if any(a <= m.start(2) < b for a, b in taken) or m.group(4).lower().startswith(_NOT_COUNT_NOUNS):
            continue
        if '%' in text[m.end(2):m.end(2) + 2]:
            continue
        value = _num(m.group(2)) * _MULT.get((m.group(3) or '').lower(), 1)
        out.append({'text': text[m.start():m.end()], 'op': '>=', 'value': value, 'unit': 'count'})
    return out


def from_lines(lines) -> list:
    """Targets a person wrote one per line (the review form, the task sheet's "Chỉ tiêu" column): each line kept as
    written, with its operator, value and unit read as in a plan's text, when it has them."""
    out = []
    for line in (str(x).strip() for x in lines):
        if not line:
            continue
        found = find(line)
        target = dict(found[0]) if found else {'op': None, 'value': None, 'unit': None}
        target['text'] = line
        out.append(target)
    return out
