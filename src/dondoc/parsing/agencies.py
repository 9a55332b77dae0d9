"""Recognising Vietnamese public bodies and group phrases, and their canonical full names.

Works from general vocabulary (data/lexicon.json: heads such as Sở, Ban, Ủy ban nhân dân, Công an,
abbreviations such as UBND, KH&ĐT), never from a list of one plan's agencies.
"""
import re

from .lexicon import _words, data, fold, phrases, tone_style

_TOKEN = re.compile(r'[^\W_]+(?:[&\-][^\W_]+)*|[,;:()]|\S', re.UNICODE)
def _abbrev_re():
    d = data()
    dep = sorted(d['department_abbreviations'], key=len, reverse=True)
    gen = sorted(d['abbreviations'], key=len, reverse=True)
    return (re.compile(r'\bSở\s+(' + '|'.join(map(re.escape, dep)) + r')(?![\w&])'),
            re.compile(r'(?<![\w&])(' + '|'.join(map(re.escape, gen)) + r')(?![\w&])'))


_ABBR = None


def expand(name: str) -> str:
    """UBND -> Ủy ban nhân dân, Sở KH&ĐT -> Sở Kế hoạch và Đầu tư, BHXH -> Bảo hiểm xã hội ..."""
    global _ABBR
    if _ABBR is None:
        _ABBR = _abbrev_re()
    dep_re, gen_re = _ABBR
    d = data()
    name = dep_re.sub(lambda m: 'Sở ' + d['department_abbreviations'][m.group(1)], name)
    name = gen_re.sub(lambda m: d['abbreviations'][m.group(1)], name)
    return name


def canonical(name: str) -> str:
    name = ' '.join(name.strip(' ,;:.-–').split())
    name = tone_style(expand(name))
    name = re.sub(r'^(?:Giao|giao)\s+', '', name)
    if name[:1].islower() and _starts_with(name, 'role_heads'):
        name = name[0].upper() + name[1:]      # "lãnh đạo các cơ quan" listed after others
    return name


def _starts_with(text, key):
    words = _words(text[:80])
    for n in range(min(len(words), 6), 0, -1):
        if ' '.join(words[:n]) in phrases(key):
            return ' '.join(words[:n])
    return None


def head_at(text: str):
    """The agency head that starts `text` ("Sở", "Ủy ban nhân dân", "UBND" ...), or None.

    Specific heads count only when capitalised, so "ban hành" or "sở tại" in prose are not agencies.
    """
    if not text or not text[0].isalpha():
        return None
    h = _starts_with(text, 'agency_heads')
    if not h or not text[0].isupper():
        return None
    if len(h.split()) == 1 and h not in ('ubnd', 'bhxh', 'hđnd'):
        # "Ban hành", "Báo cáo", "Hội nghị", "Phòng, chống": a one-word head must be followed by a name
        nxt = text[len(h):].lstrip()
        if not nxt or not (nxt[0].isupper() or fold(nxt).startswith(('tinh', 'huyen', 'xa ', 'thanh pho', 'quan ly', 'chi dao'))):
            return None
    return h


def group_at(text: str):
    """A group phrase start: "Các sở", "các cơ quan", "cơ quan, đơn vị", "chủ đầu tư", "UBND các huyện"."""
    f = fold(text[:40])
    if re.match(r'(cac|nhung)\s+(so|ban|nganh|co quan|don vi|dia phuong|doanh nghiep|to chuc|doan the|'
                r'huyen|xa|phuong|truong|benh vien|hoi|hop tac xa|chu dau tu|nha dau tu|cap|luc luong|phong|'
                r'chu tich|thanh vien|dong chi|tinh|ubnd|uy ban)\b', f):
        return True
    return bool(re.match(r'(co quan|don vi|dia phuong|chu dau tu|nha dau tu|so,|so ban nganh|doanh nghiep)\b', f))


def role_at(text: str):
    return _starts_with(text, 'role_heads')


def starts_agency(text: str) -> bool:
    return bool(head_at(text) or group_at(text) or role_at(text))


def is_group(name: str) -> bool:
    """A class of bodies ("Ủy ban nhân dân huyện, thành phố", "Các sở, ban, ngành") rather than one body."""
    f = fold(name)
    if re.match(r'(cac|nhung)\b', f) or role_at(name) and re.search(r'\bcac\b', f):
        return True
    if re.search(r'\b(lien quan|truc thuoc|cap xa|cap huyen|cac huyen|cac xa|cac so|cac co quan|'
                 r'huyen, thanh pho|huyen, thi xa|xa, phuong|so, ban|so, nganh|co quan, don vi|'
                 r'ban, nganh|duoc giao)\b', f):
        return True
    return bool(re.match(r'(co quan|don vi|dia phuong|chu dau tu|nha dau tu)\b', f))


def split_list(text: str) -> list:
    """Split a run of agency names at ";", and at ", " / " và " where the next word starts a new body.

    "Sở Lao động - Thương binh và Xã hội, Sở Nông nghiệp và Phát triển nông thôn, Ban Dân tộc" -> 3;
    "Các sở, ban, ngành, cơ quan, đơn vị liên quan và Ủy ban nhân dân huyện, thành phố" -> 2.
    """
    out = []
    for chunk in re.split(r'\s*;\s*', text):
        chunk = chunk.strip(' ,.:')
        if not chunk:
            continue
        parts, start = [], 0
        for m in re.finditer(r',\s+|\s+và\s+|\s+cùng\s+', chunk):
            nxt = chunk[m.end():]
            cur = chunk[start:m.start()]
            new = head_at(nxt) or role_at(nxt) and ('và' in m.group() or not role_at(cur)) \
                or group_at(nxt) and (not is_group(cur) or 'và' in m.group()) and not nxt.startswith(('đơn vị', 'ngành'))
            # "Sở Văn hóa, Thể thao và Du lịch": a capitalised word after "," that is no head continues the name
            if new and head_at(nxt) and m.group().strip() == ',' and fold(cur).endswith(('van hoa', 'lao dong')):
                new = False
            if new:
                parts.append(cur)
                start = m.end()
        parts.append(chunk[start:])
        out.extend(p.strip(' ,.') for p in parts if p.strip(' ,.'))
    return out


def is_agency_list(text: str) -> bool:
    """True when a whole heading line names bodies only (layout 1: "1.2. Sở Kế hoạch và Đầu tư")."""
    text = text.strip().rstrip('.:')
    if not text or len(text) > 220 or re.search(r'[.;:](\s|$)', text):
        return False
    names = split_list(text)
    if not names or not all(starts_agency(n) for n in names):
        return False
    # a heading that goes on with an action is an inline assignment, not a name list
    f = fold(text)
    return not re.search(r'\b(chu tri|phoi hop voi|thuc hien|trien khai|xay dung ke hoach|tham muu)\b', f)


_STOP_WORDS = ('trong', 'để', 'nhằm', 'theo', 'tại', 'về', 'cho', 'đối với', 'khi', 'thì', 'nhưng', 'từ',
               'đến', 'trước', 'sau', 'bằng', 'qua', 'với', 'là', 'thuộc', 'do', 'nếu', 'có', 'được', 'đã',
               'đang', 'sẽ', 'phải', 'cần', 'ngay', 'thật', 'một', 'hai', 'mọi', 'tất cả')
_NAME_TAIL_OK = ('đầu tư', 'nông thôn', 'xã hội', 'nhà nước', 'công nghiệp', 'môi trường', 'truyền thông',
                 'đào tạo', 'công nghệ', 'du lịch', 'thương mại', 'dân tộc', 'tôn giáo')


def scan_names(text: str, semicolons: bool = False):
    """Names at the start of `text` until the first action word: returns (names, end offset).

    Used after "phối hợp với" and for an inline subject; a lower-case verb or function word ends
    the run, capitalised words never do ("Sở Xây dựng", "Sở Kế hoạch và Đầu tư").
    """
    verbs = phrases('verbs')
    i, n, end = 0, len(text), 0
    last_cap = False
    while i < n:
        m = re.compile(r'\s*').match(text, i)
        i = m.end()
        if i >= n:
            break
        ch = text[i]
        if ch in '.:()“"\n' or ch == ';' and not semicolons:
            break
        if ch == ';':
            i += 1
            continue
        if ch == ',':
            i += 1
            continue
        w = re.compile(r'[^\W_]+(?:[&\-/][^\W_]+)*|\S').match(text, i)
        word = w.group()
        rest = text[i:i + 40]
        g = re.match(r'(chủ đầu tư|nhà đầu tư|chủ dự án)\b', rest)
        if g:
            i = end = i + g.end()
            last_cap = False
            continue
        h = head_at(rest)
        if h and len(h.split()) > 1:
            # a multi-word head ("Văn phòng", "Ban Chỉ huy") is consumed whole: its words are no verbs
            k = len(h.split())
            m2 = re.compile(r'\S+(?:\s+\S+){%d}' % (k - 1)).match(text, i)
            i = end = m2.end()
            last_cap = True
            continue
        if word[0].islower():
            low = rest.lower()
            if word == 'và':
                nxt = text[w.end():].lstrip()
                if not nxt or not (nxt[0].isupper() or starts_agency(nxt)):
                    break
                i = w.end()
                last_cap = False
                continue
            if not (last_cap and any(low.startswith(t) for t in _NAME_TAIL_OK)) and not group_at(rest):
                f = _words(rest)
                if any(' '.join(f[:k]) in verbs for k in range(1, 4)) or \
                        any(low.startswith(s + ' ') for s in _STOP_WORDS):
                    if not re.match(r'(có liên quan|liên quan|được giao)', low):
                        break
        last_cap = word[0].isupper()
        i = w.end()
        end = i
    chunk = text[:end]
    return [canonical(x) for x in split_list(chunk) if x.strip()], end
