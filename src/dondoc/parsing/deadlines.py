"""Deadlines of a task: a due date, a recurrence, or the year/period of the output it orders.

(a) "trước ngày 10/12/2024", "trong năm 2024" (-> 31/12), quarters and months ("Quý IV/2026",
    "tháng 12/2025", "6 tháng đầu năm 2025"); (b) "hằng tháng", "hằng quý, 6 tháng và cả năm";
(c) "năm 2024" when it dates what the item produces or achieves, not the title of an existing
document it implements, adjusts or cites. Rules in docs/parser.md, written generally.
"""
import datetime as dt
import re

from .lexicon import fold

_DATE_NUM = r'(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})'
_DATE_WORDS = r'(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})'
_DUE = re.compile(r'(?:(?:chậm nhất|hoàn thành|xong|trước|hạn chót|đến hết|trong)\s+)+(?:(?:là|vào)\s+)?ngày\s+'
                  r'(?:' + _DATE_NUM + '|' + _DATE_WORDS + ')', re.I)
_DUE_BARE = re.compile(r'(?:trước|chậm nhất|hoàn thành trước)\s+(?:' + _DATE_NUM + ')', re.I)
_IN_YEAR = re.compile(r'\b(?:[Tt]rong|[Hh]ết|[Cc]uối)\s+năm\s+(\d{4})\b')
_QUARTER = re.compile(r'\b(?:(?:trong|trước|hoàn thành|vào|từ|cuối|đầu)\s+)?[Qq]uý\s+([IV]{1,3}|\d)'
                      r'(?:\s*(?:,|và|-)\s*(?:[Qq]uý\s+)?[IV]{1,3})*\s*(?:/|năm\s+)(\d{4})')
_MONTH = re.compile(r'\b(?:(?:trong|trước|hoàn thành|vào|cuối|đầu|hết)\s+)?tháng\s+(\d{1,2})\s*(?:/|năm\s+)(\d{4})', re.I)
_HALF = re.compile(r'\b(?:6|sáu|06) tháng (?:đầu|cuối) năm(?:\s+(\d{4}))?', re.I)
_PERIOD = r'(?:ngày|tuần|tháng|quý|năm|\d+ tháng|cả năm|06 tháng|sáu tháng|học kỳ)'
# a clock time ("trước 19h00’ hằng ngày", "02 lần/ngày (trước 9h00’ và 16h00’)"): due within the day
_CLOCK = re.compile(r'(?:trước|chậm nhất|trong|vào lúc|lúc)\s+\d{1,2}\s?(?:h|giờ)\s?(?:\d{2})?[’\'′]?'
                    r'(?:\s+(?:hằng|hàng|mỗi)\s+ngày)?|\b\d{1,2}\s+lần\s*/\s*(?:ngày|tuần)', re.I)
# a schedule entry that opens with its date ("Từ ngày 05/02/2026 - 08/02/2026: …"): due by its last day
_LEADING_DATE = re.compile(r'^(?:[-–+•]\s*)?(?:Từ ngày|Ngày|Đến ngày|Trước ngày)\s+' + r'(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})' +
                           r'(?:\s*[-–]\s*(?:ngày\s+)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4}))?\s*:', re.I)
_RECUR = re.compile(r'\b(?:[Hh][ằà]ng|[Tt]heo từng|[Đđ]ịnh kỳ hằng|[Đđ]ịnh kỳ hàng)\s+' + _PERIOD +
                    r'(?:(?:\s*,\s*|\s+và\s+|\s+hoặc\s+)' + _PERIOD + r')*(?:\s+\d{4})?')
_YEAR = re.compile(r'\bnăm\s+(\d{4})\b(?:(?:\s*,\s*|\s+và\s+)(?:năm\s+\d{4}|giai đoạn\s+\d{4}\s*-\s*\d{4}))*')
_NOT_BEFORE_YEAR = re.compile(r'(?:giai đoạn|đến|tầm nhìn|thời kỳ|từ|trước|sau|sang|của|ngày\s+\S+\s+tháng\s+\S+|'
                              r'những|các|mỗi|qua|nhiều|tháng\s+\d+|\d+)\s*$', re.I)
_IMPLEMENT = re.compile(r'^(?:(?:tiếp tục|tích cực|tham mưu|chủ động|tập trung|quyết liệt)\s+)*'
                        r'(?:triển khai|thực hiện|tổ chức thực hiện|quán triệt)\b', re.I)
_PRODUCE = re.compile(r'(?:xây dựng|ban hành|hoàn thiện|tổ chức|phân bổ|giao|lập|trình|phê duyệt|hoàn thành|'
                      r'đạt|giải ngân|thành lập|rà soát|tổng kết|sơ kết|xác định|kịch bản|dự toán|chỉ tiêu)', re.I)
_DOC_NOUN = re.compile(r'\b(?:Luật|Bộ luật|Nghị quyết|Nghị định|Quyết định|Chỉ thị|Thông tư|Kết luận|Văn bản|'
                       r'Công văn|Hiến pháp)\b')


def _iso(d, m, y):
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _recurrence(text):
    f = fold(text)
    if re.search(r'\b(ngay|tuan|thang)\b', re.sub(r'\d+ thang|sau thang', '', f)):
        return 'monthly'        # the finest period of the schedule (a daily task is followed monthly)
    if re.search(r'\bquy\b', f):
        return 'quarterly'
    if re.search(r'\b(6|06|sau) thang\b', f):
        return 'semiannual'
    return 'annual'


def _mask(text, pattern):
    """Spans of `pattern` (parentheses, quotes) to ignore."""
    return [m.span() for m in re.finditer(pattern, text)]


def _inside(pos, spans):
    return any(a <= pos < b for a, b in spans)


def find(text: str, doc_year: int = None, labelled: bool = False):
    """The deadline of one task text (dict text/date/recurrence), or None.

    `labelled`: the text is the value of a "Thời gian thực hiện:" line, where any period counts.
    """
    quotes = _mask(text, r'"[^"]*"|“[^”]*”')
    parens = _mask(text, r'\([^()]*\)')
    m = _LEADING_DATE.match(text)
    if m:
        g = m.groups()
        day = _iso(*g[3:6]) if g[3] else _iso(*g[:3])
        return {'text': m.group(0).lstrip('-–+• ').rstrip(' :'), 'date': day, 'recurrence': None}
    for rx in (_DUE, _DUE_BARE):
        m = rx.search(text)
        if m and not _inside(m.start(), quotes):
            g = [x for x in m.groups() if x]
            return {'text': m.group(0), 'date': _iso(*g[:3]), 'recurrence': None}
    for m in _IN_YEAR.finditer(text):
        if doc_year and int(m.group(1)) < doc_year or _inside(m.start(), quotes):
            continue
        phrase = m.group(0)
        date = _iso(31, 12, m.group(1)) if phrase.lower().startswith(('trong', 'hết', 'cuối')) else None
        return {'text': phrase, 'date': date, 'recurrence': None}
    for rx in (_QUARTER, _MONTH, _HALF):
        m = rx.search(text)
        if m and not _inside(m.start(), quotes) and (labelled or not _inside(m.start(), parens)):
            year = m.groups()[-1]
            if year and doc_year and int(year) < doc_year:
                continue
            return {'text': m.group(0), 'date': None, 'recurrence': None}
    m = _CLOCK.search(text)
    if m and not _inside(m.start(), quotes):
        return {'text': m.group(0), 'date': None, 'recurrence': 'monthly' if re.search(r'ngày|tuần', m.group(0)) else None}
    for m in _RECUR.finditer(text):
        if _inside(m.start(), parens) or _inside(m.start(), quotes):
            continue
        before = fold(text[max(0, m.start() - 60):m.start()])
        # "kế hoạch giải ngân theo từng tháng, quý", "vốn ... hằng năm": the content's granularity
        if re.search(r'\b(ke hoach|von|ngan sach|du toan)\b(\s+\S+){0,3}\s*$', before):
            continue
        if re.match(r'(?i)theo từng', m.group(0)) and re.search(r'\bke hoach\b', before[-40:]):
            continue
        return {'text': m.group(0), 'date': None, 'recurrence': _recurrence(m.group(0))}
    if labelled:
        m = re.search(r'\b(?:[Nn]ăm\s+)?(\d{4})\b', text)
        if m:
            return {'text': m.group(0), 'date': None, 'recurrence': None}
        return None
    implementing = bool(_IMPLEMENT.match(text.strip()))
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        if doc_year and year < doc_year or _inside(m.start(), quotes):
            continue
        before = text[:m.start()]
        if _NOT_BEFORE_YEAR.search(before):
            continue
        clause = re.split(r';', before)[-1]
        window = ' '.join(clause.split()[-14:])
        if re.search(r'(?i)\bđiều chỉnh\b', window):
            continue
        if re.search(r'\bsố\s+\d+[/-]', clause) and not re.search(r'\b(?:chỉ tiêu|kết quả)\b', clause[clause.rfind('số '):]):
            continue           # the year belongs to the title of a cited document
        last_doc = None
        for d in _DOC_NOUN.finditer(clause):
            last_doc = d
        if last_doc and len(clause[last_doc.end():].split()) <= 8:
            continue
        if implementing and re.search(r'\b(?:Kế hoạch|kế hoạch|Chương trình|Đề án|Dự án|Quy hoạch|Nghị quyết)\b', clause) \
                and not re.search(r'\b(?:đạt|hoàn thành|chỉ tiêu)\b', ' '.join(clause.split()[-8:])):
            continue
        if not _PRODUCE.search(clause) and not re.search(r'\b(mục tiêu|chỉ tiêu|nhiệm vụ|kết quả|kế hoạch)\b', clause):
            continue
        return {'text': m.group(0), 'date': None, 'recurrence': None}
    return None
