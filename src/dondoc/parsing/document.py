"""Header and end of the document: number, type, issuer, place, date, title, based-on documents,
signer (with TM./KT. and position) and recipients."""
import re

from . import agencies
from .refs import REF_RE
from .syllables import is_syllable

DOC_TYPES = ('KẾ HOẠCH', 'QUYẾT ĐỊNH', 'CHƯƠNG TRÌNH', 'CHỈ THỊ', 'NGHỊ QUYẾT', 'THÔNG BÁO', 'CÔNG VĂN',
             'BÁO CÁO', 'ĐỀ ÁN', 'PHƯƠNG ÁN', 'HƯỚNG DẪN', 'TỜ TRÌNH', 'KẾT LUẬN', 'CHƯƠNG TRÌNH HÀNH ĐỘNG',
             'CÔNG ĐIỆN', 'THÔNG TƯ', 'NGHỊ ĐỊNH', 'QUY CHẾ', 'QUY ĐỊNH')
# "Số: 310/KH-UBND", "Số -KH/ĐU" and "Số: /KH-UBND" (working copies leave the number blank), "Số: 5# /KH-..."
_NUMBER = re.compile(r'^\s*Số\s*[:.]?\s*(?P<num>[^\s,]*(?:\s*[/-]\s*[\wĐđ&]+)*)')
_DATE = (r'(?P<place>[^,\d:;]{2,40}),\s*ngày\s*(?P<d>[\dOoÓóÒòÔôlI|]{1,2})?[\s.…]*tháng\s*(?P<m>[\dOoÓóÒòÔôlI|]{1,2})?'
         r'[\s.…]*năm\s*(?P<y>\d{4})')
_PLACE_DATE = re.compile('^' + _DATE)
_ANY_DATE = re.compile(_DATE)
# an e-signature's time stamp: "13-02-2026 10:38:07 +07:00", "Thời gian ký: 2025-10-02T16:24:01+07:00"
_STAMP = re.compile(r'\b(?:(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})\s+\d{1,2}:\d{2}|'
                    r'(?P<y2>\d{4})-(?P<m2>\d{2})-(?P<d2>\d{2})T\d{2}:\d{2})')
_MOTTO = re.compile(r'\s*\b(?:CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|ĐẢNG CỘNG SẢN VIỆT NAM|Độc lập\s*[-–]\s*Tự do|'
                    r'ĐỘC LẬP\s*[-–]\s*TỰ DO).*$')
_SIGN = re.compile(r'^(TM\.|KT\.|TL\.|TUQ\.|Q\.|PHÓ CHỦ TỊCH|CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|'
                   r'TRƯỞNG BAN|CHÁNH VĂN PHÒNG|PHÓ THỦ TƯỚNG|THỦ TƯỚNG|BÍ THƯ|PHÓ BÍ THƯ)\b')
CLOSING_RE = re.compile(r'^(?:Nơi nhận\s*:|TM\.\s|KT\.\s|TL\.\s|TUQ\.\s)')
RESTART_RE = re.compile(r'^(?:Số\s*:|[IVX]+\.\s+[A-ZĐÀ-Ỹ]{2})')
APPENDIX_RE = re.compile(r'^(?:PHỤ LỤC|Phụ lục|DANH MỤC|Danh mục)\b')
_UPPER_ISSUER = re.compile(r'^(?:ỦY BAN|UỶ BAN|UBND|BỘ|SỞ|BAN|HỘI ĐỒNG|VĂN PHÒNG|TỔNG CỤC|CỤC|VỤ|CHI CỤC|THỦ TƯỚNG|'
                           r'CHÍNH PHỦ|ĐẢNG ỦY|ĐẢNG UỶ|ĐẢNG BỘ|HUYỆN ỦY|HUYỆN UỶ|TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|THÀNH UỶ|'
                           r'CÔNG AN|BỘ CHỈ HUY|TRUNG TÂM|VIỆN|TRƯỜNG|HỘI|LIÊN ĐOÀN|ĐOÀN|MẶT TRẬN|PHÒNG|THANH TRA|'
                           r'KHO BẠC|NGÂN HÀNG|BẢO HIỂM|TÒA ÁN|TOÀ ÁN|ĐÀI|BÁO|TẬP ĐOÀN|TỔNG CÔNG TY|CÔNG TY)\b')
_PLACE_WORD = re.compile(r'^(?:TỈNH|THÀNH PHỐ|TP\.?|HUYỆN|QUẬN|THỊ XÃ|THỊ TRẤN|XÃ|PHƯỜNG|ĐẶC KHU)\b')
_SUB_BODY = re.compile(r'^(?:BAN THƯỜNG TRỰC|BAN THƯỜNG VỤ|THƯỜNG TRỰC|BAN CHẤP HÀNH|VĂN PHÒNG|BAN CHỈ ĐẠO)\b')
# the authority line of a decision after its title: "THỦ TƯỚNG CHÍNH PHỦ", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH X"
_AUTHORITY = re.compile(r'^(?:THỦ TƯỚNG|CHỦ TỊCH|BỘ TRƯỞNG|GIÁM ĐỐC|ỦY BAN|UỶ BAN|BAN THƯỜNG VỤ|BAN CHẤP HÀNH|'
                        r'HỘI ĐỒNG|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG|TRƯỞNG BAN|THƯỜNG TRỰC|BAN THƯỜNG TRỰC|CHÁNH VĂN PHÒNG)\b')
_TITLE_STOP = re.compile(r'^(?:Căn cứ|Thực hiện|Triển khai|Nhằm|Để|Theo|Ủy ban|Uỷ ban|Xét|Kính gửi|Ngày\s+\d)\b')
_ISSUER_FROM_SUFFIX = {'UBND': 'Ủy ban nhân dân', 'HĐND': 'Hội đồng nhân dân', 'BCĐ': 'Ban Chỉ đạo'}
_OCR_DIGITS = str.maketrans('OoÓóÒòÔôlI|', '00000000111')


def _iso(d, m, y):
    try:
        import datetime as dt
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _partial_date(d, m, y):
    """ISO date, or its reduced forms "2025-12" / "2026" when the day (and month) is left blank."""
    d = d.translate(_OCR_DIGITS) if d else None
    m = m.translate(_OCR_DIGITS) if m else None
    if d and m:
        return _iso(d, m, y)
    if m and 1 <= int(m) <= 12:
        return f'{int(y):04d}-{int(m):02d}'
    return f'{int(y):04d}'


_PROPER = {'CHÍNH PHỦ': 'Chính phủ', 'QUỐC HỘI': 'Quốc hội', 'VIỆT NAM': 'Việt Nam', 'TRUNG ƯƠNG': 'Trung ương',
           'MẶT TRẬN TỔ QUỐC': 'Mặt trận Tổ quốc'}
_HEADS = {'bộ', 'sở', 'cục', 'viện', 'trường', 'báo', 'đài', 'ban', 'hội', 'trung'}
_PLACE_AFTER = {'tỉnh', 'huyện', 'xã', 'phường', 'quận', 'phố', 'trấn', 'khu'}


def _title_case_upper(s):
    """ỦY BAN NHÂN DÂN TỈNH BẮC KẠN -> Ủy ban nhân dân tỉnh Bắc Kạn; BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH -> Bộ Văn
    hóa, Thể thao và Du lịch: the first word, each field of a head ("Bộ", "Sở", "Ban" + field, after ","
    "và" "-") and place names keep a capital; codes (MTTQ, UBND) stay upper case."""
    for k, v in _PROPER.items():
        s = re.sub(r'\b' + k + r'\b', v.replace(' ', '\x00'), s)
    out, field, place = [], False, False
    words = s.split()
    for i, w in enumerate(words):
        if '\x00' in w or w in _PROPER.values():
            out.append(w.replace('\x00', ' '))
            continue
        if len(w.strip(',.')) >= 2 and w.isupper() and not is_syllable(w.strip(',.')):
            out.append(w)              # UBND, MTTQ, HĐND
            continue
        low = w.lower()
        prev = out[-1].lower() if out else ''
        if i == 0 or place:
            cap = True
        elif prev in _HEADS and low not in ('nhân', 'dân'):
            cap, field = True, True    # "Bộ Tài", "Ban Thường", "Sở Kế" (not "Ủy ban nhân dân")
        elif field and (prev.endswith(',') or prev in ('và', '-', '–')):
            cap = True                 # "Văn hóa, Thể thao và Du lịch"
        else:
            cap = False
        out.append(low[:1].upper() + low[1:] if cap else low)
        if low in _PLACE_AFTER and not (low == 'xã' and i + 1 < len(words) and words[i + 1].lower() == 'hội'):
            place, field = True, False
    return ' '.join(out)


def _issuer(lines):
    """The issuing body from the letterhead lines above the title: "ỦY BAN NHÂN DÂN" / "TỈNH NGHỆ AN" is one
    name; under a superior ("ĐẢNG BỘ TỈNH X" / "ĐẢNG ỦY XÃ Y", "UBND TỈNH X" / "SỞ Y") the last name is the
    issuer; a body within it ("BAN THƯỜNG TRỰC") is named with its parent."""
    units = []
    for t in lines:
        t = t.strip(' -')
        if units and (_PLACE_WORD.match(t) or re.match(r'^(?:VÀ|và)\s', t) or units[-1].endswith((',', ' VÀ'))
                      or not _UPPER_ISSUER.match(t) and not _SUB_BODY.match(t)):
            units[-1] = units[-1] + ' ' + t
        else:
            units.append(t)
    if not units:
        return None
    last = _title_case_upper(units[-1])
    if len(units) >= 2 and _SUB_BODY.match(units[-1]):
        last = last + ' ' + _title_case_upper(units[-2])
    elif len(units) >= 2 and not re.search(r'\b(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU)\b', units[-1]):
        m = re.search(r'\b(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU)\b.*$', units[-2])
        if m and re.match(r'^(?:SỞ|BAN|PHÒNG|CHI CỤC|TRUNG TÂM|VĂN PHÒNG|ĐẢNG)', units[-1]):
            place = _title_case_upper(m.group(0))
            last = last + ' ' + place[:1].lower() + place[1:]
    return agencies.canonical(last)


def _number(rest):
    rest = rest.strip().rstrip('.,;')
    if not rest:
        return None
    if not any(c.islower() for c in rest) and ' ' in rest:
        rest = rest.replace(' ', '')          # "3210/QĐ - U B ND": letters printed apart
    m = re.match(r'^([^/]*?)(/.*)$', rest)
    if m and m.group(1) and re.search(r'[^\w\-.]', m.group(1)):
        rest = m.group(2)                     # a handwritten number the scan could not read: "5# /KH-BCA"
    return rest or None


def _doc_type(t):
    from .lexicon import fold
    f = fold(t.strip())
    for typ in DOC_TYPES:
        if f == fold(typ):
            return typ                        # also "KÉ HOẠCH" read by OCR
    return None


def parse_document(paras, preamble_ids, closing_ids):
    doc = {'number': None, 'type': None, 'issuer': None, 'place': None, 'date': None, 'title': None,
           'signer': None, 'based_on': [], 'recipients': []}
    texts = [paras[i].text for i in preamble_ids]
    issuer_lines = []
    issuer_k = -2
    type_idx = None
    for k, t in enumerate(texts):
        if type_idx is not None:
            break
        # OCR and text layers put the letterhead's two columns on one line: read each column
        left = _MOTTO.sub('', t).strip() if _MOTTO.search(t) else t
        m = _NUMBER.match(left)
        if m and not doc['number'] and re.match(r'^\s*Số\b', left):
            dm = _ANY_DATE.search(left, m.end())
            doc['number'] = _number(left[m.start('num'):dm.start() if dm else len(left)])
            if dm and not doc['date']:
                doc['place'] = dm.group('place').strip()
                doc['date'] = _partial_date(dm.group('d'), dm.group('m'), dm.group('y'))
            continue
        m = _PLACE_DATE.match(t) or (_ANY_DATE.search(t) if len(t) < 120 else None)
        if m and not doc['date']:
            doc['place'] = m.group('place').strip()
            doc['date'] = _partial_date(m.group('d'), m.group('m'), m.group('y'))
            continue
        typ = _doc_type(t)
        if typ:
            doc['type'] = typ
            type_idx = k
            continue
        if left and left.upper() == left and any(c.isalpha() for c in left) and \
                (_UPPER_ISSUER.match(left) or _SUB_BODY.match(left) or issuer_lines and k == issuer_k + 1):
            issuer_lines.append(left)
            issuer_k = k
    title_end = type_idx + 1 if type_idx is not None else 0
    if type_idx is not None:
        title = []
        for k in range(type_idx + 1, len(texts)):
            t = texts[k].strip()
            if not t:
                continue
            if title and (_TITLE_STOP.match(t) or _AUTHORITY.match(t) and t.upper() == t or len(title) >= 4
                          or len(t) > 300):
                break
            if not title and t.upper() == t and len(t) < 30 and _AUTHORITY.match(t):
                break
            if title and not (t[:1].islower() or title[-1].upper() == title[-1] and t.upper() == t
                              or title[-1].endswith((',', ' và', ' của', ' về'))):
                break                         # a title goes on in lower case or in the same capitals
            title.append(t)
            title_end = k + 1
            if t.endswith('.') and not t.endswith('..'):
                break
        doc['title'] = ' '.join(title).strip() or None
    # a working copy dated "ngày … tháng 02 năm 2026" and signed electronically: the signature's time stamp
    if doc['date'] and len(doc['date']) < 10:
        for i in list(closing_ids) + list(preamble_ids):
            sm = _STAMP.search(paras[i].text)
            if sm:
                d, mo, y = (sm.group('d'), sm.group('m'), sm.group('y')) if sm.group('y') else \
                    (sm.group('d2'), sm.group('m2'), sm.group('y2'))
                full = _iso(d, mo, y)
                if full and full.startswith(doc['date']):
                    doc['date'] = full
                    break
    # based_on: numbered documents cited in the opening paragraphs (after the title)
    opening = ' '.join(texts[title_end:])
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
        doc['issuer'] = _issuer(issuer_lines)
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
        m = re.match(r'^(TM\.|T/M|KT\.|TL\.|TUQ\.)\s*(.*)$', t)
        # a signature line printed between the recipients (two columns read as one) keeps the list open
        in_recip = in_recip and bool(m or _SIGN.match(t))
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
