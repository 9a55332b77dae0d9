"""Labelled lines of a plan ("Cơ quan chủ trì: …", "Thời gian hoàn thành: …"): their kind and value, read the
same way for a block's lines, a task table's rows and the labels inside a paragraph."""
import re

from ..lexicon import fold

# ---- labels -----------------------------------------------------------------------------------------

LABEL_RE = re.compile(
    r'^\s*(?:[-–+•]\s*)?(?P<label>(?:(?:cơ quan|đơn vị|cơ quan, đơn vị|bộ phận|các cơ quan)\s*,?\s*)?'
    r'(?:được giao\s+)?(?P<kind>chủ\s?trì|phối hợp|thực hiện|thời gian|thời hạn|tiến độ|sản phẩm|kết quả|'
    r'dự kiến|kinh phí|ghi chú|nội dung|thành phần|trách nhiệm thực hiện|đơn vị thực hiện)'
    r'[^:]{0,45}?)\s*:\s*(?P<value>.*)$', re.I)
_INLINE_TIME = re.compile(r'(?:(?<=[.;])|(?<=[.;] ))\s*(?P<label>(?:Thời gian|Thời hạn)(?: thực hiện| hoàn thành| hoàn tất)?'
                          r'(?:\s*[|/]\s*(?:thực hiện|hoàn thành))?)\s*:\s*(?P<value>.+)$')
_PAREN_LABEL = re.compile(r'(?:(?<=[(;])|(?<=[(;] ))\s*(?:cơ quan|đơn vị)?\s*(?P<kind>chủ trì|phối hợp|thời gian[^:;()]{0,25}|'
                          r'thời hạn[^:;()]{0,25})\s*:\s*(?P<value>[^;()]+)', re.I)
_NOTE = re.compile(r'^\(.*\)\.?$')


def label_of(text):
    """(kind, value) of a label line: kind lead | coord | time | product | content | members | other."""
    m = LABEL_RE.match(text)
    if not m:
        return None
    kind = fold(m.group('kind')).replace('chutri', 'chu tri')
    label = fold(m.group('label'))
    value = m.group('value').strip()
    if len(m.group('label')) > 70:
        return None
    if kind in ('chu tri', 'trach nhiem thuc hien', 'don vi thuc hien'):
        if 'phoi hop' in label and kind == 'chu tri' and label.index('phoi hop') < label.index('chu'):
            return 'coord', value
        return 'lead', value
    if kind == 'thuc hien':
        # "Cơ quan thực hiện:", "Đơn vị thực hiện:"; not "Thời gian thực hiện:" or a sentence
        if not re.match(r'(cac )?(co quan|don vi|bo phan)\b', label) or 'thoi gian' in label:
            return None
        return 'lead', value
    if kind == 'phoi hop':
        if not re.match(r'(cac )?(co quan|don vi|bo phan|phoi hop)', label):
            return None
        return 'coord', value
    if kind in ('thoi gian', 'thoi han', 'tien do'):
        return 'time', value
    if kind in ('san pham', 'ket qua', 'du kien'):
        return 'product', value
    if kind == 'noi dung':
        return 'content', value
    if kind == 'thanh phan':
        return 'members', value
    return 'other', value


def inline_time(text):
    """A time label inside a paragraph ("… gửi Bộ Tài chính. Thời gian hoàn thành: Trước ngày 31/5/2026."):
    (offset where the label starts, value) or None."""
    m = _INLINE_TIME.search(text)
    if m and m.start() > 0:
        return m.start('label'), m.group('value').strip()
    return None


def _label_names(value):
    value = value.strip().rstrip('.;')
    both = re.match(r'(?P<lead>.+?)\s+chủ trì\s*[,;]\s*(?P<coord>.+?)\s+phối hợp\b', value)
    if both:
        return both.group('lead'), both.group('coord')
    return value, None
