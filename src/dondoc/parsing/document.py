"""Header and end of the document: number, type, issuer, place, date, title, based-on documents,
signer (with TM./KT. and position) and recipients."""
import re

from . import agencies
from .refs import REF_RE

DOC_TYPES = ('KẾ HOẠCH', 'QUYẾT ĐỊNH', 'CHƯƠNG TRÌNH', 'CHỈ THỊ', 'NGHỊ QUYẾT', 'THÔNG BÁO', 'CÔNG VĂN',
             'BÁO CÁO', 'ĐỀ ÁN', 'PHƯƠNG ÁN', 'HƯỚNG DẪN', 'TỜ TRÌNH', 'KẾT LUẬN', 'CHƯƠNG TRÌNH HÀNH ĐỘNG')
_NUMBER = re.compile(r'^\s*Số\s*[:.]?\s*(\S+)')
_PLACE_DATE = re.compile(r'^(?P<place>[^,\d]{2,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})')
_SIGN = re.compile(r'^(TM\.|KT\.|TL\.|TUQ\.|Q\.|PHÓ CHỦ TỊCH|CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|'
                   r'TRƯỞNG BAN|CHÁNH VĂN PHÒNG)\b')
CLOSING_RE = re.compile(r'^(?:Nơi nhận\s*:|TM\.\s|KT\.\s|TL\.\s|TUQ\.\s)')
RESTART_RE = re.compile(r'^(?:Số\s*:|[IVX]+\.\s+[A-ZĐÀ-Ỹ]{2})')
APPENDIX_RE = re.compile(r'^(?:PHỤ LỤC|Phụ lục|DANH MỤC|Danh mục)\b')
_UPPER_ISSUER = re.compile(r'^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|BỘ|SỞ|BAN|HỘI ĐỒNG NHÂN DÂN|VĂN PHÒNG|TỔNG CỤC|CỤC)\b')
_ISSUER_FROM_SUFFIX = {'UBND': 'Ủy ban nhân dân', 'HĐND': 'Hội đồng nhân dân', 'BCĐ': 'Ban Chỉ đạo'}


def _iso(d, m, y):
    try:
        import datetime as dt
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


_LOWER_WORDS = {'ủy', 'uỷ', 'ban', 'nhân', 'dân', 'và', 'tỉnh', 'huyện', 'xã', 'thành', 'phố', 'thị', 'trấn',
                'phường', 'quận', 'hội', 'đồng', 'nhân', 'dân', 'phòng', 'các'}


def _title_case_upper(s):
    """ỦY BAN NHÂN DÂN TỈNH BẮC KẠN -> Ủy ban nhân dân tỉnh Bắc Kạn (place names keep capitals)."""
    out = []
    for i, w in enumerate(s.split()):
        low = w.lower()
        out.append(low if i and low in _LOWER_WORDS else low[:1].upper() + low[1:])
    return ' '.join(out)


def parse_document(paras, preamble_ids, closing_ids):
    doc = {'number': None, 'type': None, 'issuer': None, 'place': None, 'date': None, 'title': None,
           'signer': None, 'based_on': [], 'recipients': []}
    texts = [paras[i].text for i in preamble_ids]
    issuer_lines = []
    issuer_k = -2
    type_idx = None
    for k, t in enumerate(texts):
        m = _NUMBER.match(t)
        if m and not doc['number']:
            doc['number'] = m.group(1).rstrip('.,;')
            continue
        m = _PLACE_DATE.match(t)
        if m and not doc['date']:
            doc['place'] = m.group('place').strip()
            doc['date'] = _iso(m.group('d'), m.group('m'), m.group('y'))
            continue
        if type_idx is None and t.strip().upper() == t.strip() and t.strip() in DOC_TYPES:
            doc['type'] = t.strip()
            type_idx = k
            continue
        if type_idx is None and t.upper() == t and any(c.isalpha() for c in t) and \
                (_UPPER_ISSUER.match(t) or issuer_lines and k == issuer_k + 1) and \
                not re.match(r'(CỘNG HÒA|CỘNG HOÀ|ĐỘC LẬP|Độc lập)', t):
            issuer_lines.append(t)
            issuer_k = k
    if type_idx is not None:
        title = []
        for t in texts[type_idx + 1:]:
            if title and re.match(r'^(Căn cứ|Thực hiện|Triển khai|Nhằm|Để|Theo|Ủy ban|Uỷ ban)\b', t) \
                    or len(title) >= 3 or title and len(t) > 300:
                break
            if t.upper() == t and len(t) < 30:
                continue
            title.append(t.strip())
            if t.rstrip().endswith('.'):
                break
        doc['title'] = ' '.join(title).strip() or None
    # based_on: numbered documents cited in the opening paragraphs (after the title)
    opening = ' '.join(texts[(type_idx + 2) if type_idx is not None else 0:])
    seen = set()
    for m in re.finditer(r'\b(?:số|Số)\s+(' + REF_RE.pattern[len('(?<![\\w/.-])'):] + r')', opening):
        num = m.group(1).rstrip('.-')
        if num in seen:
            continue
        seen.add(num)
        after = opening[m.end():m.end() + 240]
        date = None
        dm = re.match(r'\s*ngày\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})', after) or \
            re.match(r'\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})', after)
        if dm:
            date = _iso(*dm.groups())
            after = after[dm.end():]
        im = re.match(r'\s*của\s+(.+?)(?=\s+(?:về|quy định|hướng dẫn|ban hành|phê duyệt)\b|[,;.]|$)', after)
        doc['based_on'].append({'number': num, 'date': date, 'issuer': im.group(1).strip() if im else None})
    # issuer: header lines, else the number suffix and the body's own name for the body
    if issuer_lines:
        doc['issuer'] = agencies.canonical(_title_case_upper(' '.join(issuer_lines)))
    elif doc['number'] and '/' in doc['number']:
        suffix = doc['number'].rsplit('/', 1)[1].split('-')[-1]
        base = _ISSUER_FROM_SUFFIX.get(suffix)
        if base:
            m = re.search(base + r'\s+(tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn)\b', ' '.join(texts))
            level = m.group(1) if m else None
            doc['issuer'] = ' '.join(x for x in (base, level, doc['place'] if level else None) if x)
    # end: signer and recipients
    ctexts = [paras[i].text for i in closing_ids]
    signer = {'name': None, 'position': None, 'on_behalf_of': None}
    recipients, in_recip = [], False
    for t in ctexts:
        if t.startswith('Nơi nhận'):
            in_recip = True
            rest = t.split(':', 1)[1].strip() if ':' in t else ''
            if rest:
                recipients.append(rest.lstrip('-– ').rstrip(';,.'))
            continue
        if in_recip and re.match(r'^[-–+•]', t):
            item = t.lstrip('-–+• ').rstrip(';,')
            if item.endswith('.') and not item.endswith('..') and not re.search(r'\bLưu\b', item):
                item = item[:-1]
            recipients.append(item)
            continue
        in_recip = False
        m = re.match(r'^(TM\.|KT\.|TL\.|TUQ\.)\s*(.*)$', t)
        if m:
            # "TM. ỦY BAN NHÂN DÂN" then "KT. CHỦ TỊCH": both lines say on whose behalf the signer signs
            part = f'{m.group(1)} {m.group(2).strip()}'.strip()
            signer['on_behalf_of'] = f"{signer['on_behalf_of']}, {part}" if signer['on_behalf_of'] else part
            continue
        if _SIGN.match(t):
            signer['position'] = t.strip()
            continue
        words = t.split()
        if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not re.search(r'\d|[:;]', t) \
                and t.upper() != t:
            signer['name'] = t.strip()
    if any(signer.values()):
        doc['signer'] = signer
    doc['recipients'] = recipients
    return doc
