"""Who a heading or a sentence names as its actor ("1. Sở Tài chính:", "Giao Sở X chủ trì, …"), and the
agencies it names as coordinating ("chủ trì, phối hợp với Y")."""
import re

from .. import agencies
from ..lexicon import fold

# ---- who a sentence or heading names ----------------------------------------------------------------

_GIVE = re.compile(r'^(?:Giao|Đề nghị|Kính đề nghị|Yêu cầu|Khuyến khích|Phân công|Đối với|Về phía|Trách nhiệm của|'
                   r'Nhiệm vụ của)\s+', re.I)
_OWNER = re.compile(r'^(?:Trách nhiệm của|Nhiệm vụ của|Nhiệm vụ, trách nhiệm của|Trách nhiệm, nhiệm vụ của)\s+', re.I)
_REQUEST = re.compile(r'^(?:Đề nghị|Kính đề nghị|Yêu cầu|Khuyến khích)\s+', re.I)
_ROLE_TAIL = re.compile(r'\s*(?:\((?:[^()]*)\)|[-–]\s+(?:Cơ quan|cơ quan|Thường trực|thường trực)[^:]*)\s*[:.]?\s*$')
_GENERIC = re.compile(r'^(?:cac |tat ca cac |moi )?(?:co quan|don vi|dia phuong|to chuc|ca nhan|cap|nganh|'
                      r'doanh nghiep|nguoi dan|cong dan|ho gia dinh)(?:[, ]+(?:va |cac )*(?:co quan|don vi|dia phuong|'
                      r'to chuc|ca nhan|cap|nganh|doanh nghiep|nguoi dan|cong dan|ho gia dinh|co lien quan|lien quan))*$')
# after the subject, one of these says it is the actor of the sentence
_ACTS = re.compile(r'^(?:là cơ quan|là đơn vị|làm đầu mối|có trách nhiệm|chịu trách nhiệm|theo chức năng|căn cứ|'
                   r'trong phạm vi|chủ trì|phối hợp|khẩn trương|tiếp tục|chủ động|tập trung|nghiêm túc|thường xuyên|'
                   r'tích cực|kịp thời|định kỳ|hằng năm|hàng năm|sớm)\b', re.I)
_BOILERPLATE = re.compile(r'(chiu trach nhiem thi hanh|neu co kho khan|khi co kho khan|trong qua trinh (to chuc )?'
                          r'(trien khai )?thuc hien.{0,80}(vuong mac|kho khan)|co kho khan, vuong mac|'
                          r'quyet dinh nay co hieu luc|^tren day la (ke hoach|chuong trinh|chi thi|quyet dinh))')
_ADVERBIAL = re.compile(r'^(?:Căn cứ|Trên cơ sở|Trong quá trình|Theo|Thực hiện|Để|Nhằm|Sau khi|Trong thời gian|'
                        r'Định kỳ|Hằng năm|Hàng năm|Trong năm|Trong tháng|Trong quý|Trước ngày|Đến năm|Từ nay|'
                        r'Ngay sau khi|Khi)\b')


_INTRO = re.compile(r'(nhu sau|sau day|(?:cac |mot so )?(?:noi dung|nhiem vu|viec|giai phap|yeu cau)(?: chu yeu| trong tam| cu the)? sau)$')
_ROLE_WORDS = re.compile(r'^(?:thu truong|lanh dao|nguoi dung dau|giam doc|chu tich)\s+')
_PLACE_TAIL = re.compile(r'\s+(?:tren dia ban(?: \S+){0,3}|(?:co )?lien quan|khac|cap (?:tinh|huyen|xa)|'
                         r'truc thuoc|thuoc (?:tinh|thanh pho|huyen|xa)|cac cap)$')


def generic(names):
    """Subjects that name nobody in particular: "các cơ quan, đơn vị, địa phương (trên địa bàn tỉnh)",
    "Thủ trưởng các cơ quan, đơn vị"."""
    def one(n):
        f = fold(n).strip(' ,.')
        f = _ROLE_WORDS.sub('', f)
        for _ in range(3):
            f = _PLACE_TAIL.sub('', f)
        return bool(_GENERIC.match(f))
    return all(one(n) for n in names)


def _names(text, pos=0, list_ctx=False):
    found, end = agencies.names_at(text, pos, semicolons=True, list_ctx=list_ctx)
    return found, end


def heading_lead(own):
    """(names, rest, prefix end) when a heading names the agencies: "Sở Y tế", "1. Sở Tài chính: Chủ trì …",
    "Đề nghị Công ty Điện lực: …", "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo", "Sở Y tế (chủ trì)"."""
    text = own.rstrip()
    m = _GIVE.match(text)
    start = m.end() if m else 0
    owner = _OWNER.match(text)
    if owner:
        # "Trách nhiệm của đối tượng thực hiện kiểm kê:", "Nhiệm vụ của thành viên Ban Chỉ đạo": whoever
        # follows "của" up to the colon is the actor, whatever its words
        whole = re.sub(r'\s*\([^()]*\)\s*', ' ', text[owner.end():]).strip()
        colon = whole.find(':')
        name, rest = (whole[:colon], whole[colon + 1:].strip()) if colon >= 0 else (whole, '')
        toks = agencies.tokenize(name)
        if name and len(toks) <= 14 and agencies.starts_name(toks, 0, list_ctx=True):
            return [name.strip(' ,.')], rest, len(text) - len(rest) if rest else len(text)
    found, end = _names(text, start)
    if not found:
        return None
    rest = text[end:]
    tail = _ROLE_TAIL.match(rest)
    if tail and (':' not in rest[:tail.end()] or rest[:tail.end()].rstrip().endswith(':')):
        rest = rest[tail.end():] if tail.end() < len(rest) else ''
        if not rest.strip():
            return [n.text for n in found], '', len(text)
    stripped = rest.strip()
    if not stripped or stripped in ('.', ':'):
        return [n.text for n in found], '', len(text)
    if stripped.startswith(':'):
        after = stripped[1:].strip()
        if m and m.group().lower().startswith('đối với') and not _acts_at(after, 0):
            return None     # "Đối với UBND cấp xã: Có kết quả đánh giá … loại Tốt": a criterion, no task
        return [n.text for n in found], after, len(text) - len(after)
    return None


_ALIAS = re.compile(r'^\((?:sau đây|gọi tắt|viết tắt|dưới đây)[^()]*\)\s*,?\s*', re.I)
_MODAL = re.compile(r'^(?:\.{2,}|…)?\s*(?:(?:cần|phải|cần phải|sẽ|hãy|đều|cũng|cùng|trực tiếp|tiếp tục)\s+)*',
                    re.I)


def _acts_at(text, pos):
    """The subject ending at `pos` is followed by what an actor does (a verb, "có trách nhiệm" ...)."""
    rest = text[pos:].lstrip(' ,')
    rest = _ALIAS.sub('', rest, count=1)
    rest = rest[_MODAL.match(rest).end():]
    if not rest or rest[0] in ':;.':
        return False
    if _ACTS.match(rest):
        return True
    toks = agencies.tokenize(rest[:60])
    return bool(toks) and toks[0].word and not toks[0].cap and agencies.match(toks, 0, 'verbs') > 0


def inline_lead(text, issuer_keys=()):
    """(names, strip_start, strip_end, basis) for a sentence naming its actor, or None.

    strip_end: where the task text goes on ("Giao Sở X chủ trì, …" -> "chủ trì, …"; "Đề nghị X: …" -> "…").
    The actor is looked for at the start of the text and of each sentence, after "(" and after an
    adverbial opening ("Căn cứ …, X …"); after a comma only in "…, giao X …" / "…, X chủ trì …".
    """
    if _BOILERPLATE.search(fold(text[:400])):
        return None
    starts = [(0, True)] + [(m.end(), True) for m in re.finditer(r'[.;:]\s+(?=[A-ZĐÀ-Ỹ])|\(\s*', text)]
    starts += [(m.end(), False) for m in re.finditer(r',\s+(?=[Gg]iao\s|[A-ZĐÀ-Ỹ]|(?:yêu cầu|đề nghị)\s)', text[:600])]
    for pos, open_clause in sorted(starts)[:12]:
        clause = text[pos:]
        adv = _ADVERBIAL.match(clause) if open_clause else None
        offsets = [0]
        if adv:     # "Căn cứ số vốn được phân bổ từ …, vốn …, Ủy ban nhân dân cấp tỉnh phân bổ …": after a comma
            offsets += [m.end() for m in re.finditer(r',\s+', clause[:260])]
        for off in offsets:
            r = _lead_at(text, pos + off, issuer_keys)
            if r and (open_clause or r[3] in ('giao', 'inline_lead', 'request')):
                return [agencies.canonical(n) for n in r[0]], r[1], r[2], r[3]
    return None


# after "chủ trì" comes the action ("chủ trì, phối hợp …", "chủ trì xây dựng …"), not a thing
# ("là cơ quan chủ trì Chương trình …", "chủ trì cuộc họp")
def _chu_tri_acts(rest):
    m = re.match(r'(?i)(?:là cơ quan |là đơn vị )?chủ\s?trì\b\s*', rest)
    if not m:
        return False
    after = rest[m.end():]
    if not after or after[0] in ',;.:)' or re.match(r'(?i)(và|cùng|phối hợp|thực hiện)\b', after):
        return True
    toks = agencies.tokenize(after[:40])
    return bool(toks) and toks[0].word and not toks[0].cap and agencies.match(toks, 0, 'verbs') > 0


def _lead_at(text, pos, issuer_keys):
    m = _GIVE.match(text[pos:])
    if m and not re.match(r'(?i)(đối với|về phía|trách nhiệm của|nhiệm vụ của)', m.group()):
        found, end = _names(text, pos + m.end())
        if found and not generic([n.text for n in found]):
            rest = text[end:].lstrip()
            basis = 'request' if _REQUEST.match(m.group()) else 'giao'
            if rest.startswith(':'):
                return [n.text for n in found], pos, end + (len(text[end:]) - len(rest)) + 1, basis
            if _acts_at(text, end) or basis == 'giao' and rest[:1].islower():
                return [n.text for n in found], pos, end, basis
        return None
    found, end = _names(text, pos)
    if not found:
        return None
    names = [n.text for n in found]
    rest = text[end:].lstrip(' ,')
    # the issuer "giao / yêu cầu / đề nghị" someone: the actor is the object
    if issuer_keys and _key(' '.join(names)) in issuer_keys or re.match(r'(?i)(giao|yêu cầu|đề nghị)\s', rest):
        g = re.match(r'(?i)(giao|yêu cầu|đề nghị)\s+', rest)
        if not g:
            return None
        at = end + (len(text[end:]) - len(rest)) + g.end()
        found2, end2 = _names(text, at)
        if found2 and not generic([n.text for n in found2]) and (_acts_at(text, end2) or
                                                                  text[end2:].lstrip().startswith(':')):
            return [n.text for n in found2], pos, end2, 'giao'
        return None
    if generic(names):
        return None
    if re.match(r'(?i)(là cơ quan |là đơn vị )?chủ\s?trì\b', rest):
        return (names, pos, end, 'inline_lead') if _chu_tri_acts(rest) else None
    if re.match(r'(?i)(là cơ quan|là đơn vị|làm) (đầu mối|thường trực)', rest):
        return names, pos, end, 'inline_lead'
    if _acts_at(text, end):
        return names, pos, end, 'subject'
    return None


def _heading_names(own):
    """The agencies a heading names ("Đối với Công an tỉnh:", "Sở X (nay là Sở Y)"), canonical, or None."""
    hl = heading_lead(own)
    return [agencies.canonical(n) for n in hl[0]] if hl else None


def _keys(names):
    return {_key(n) for n in names}


def _key(name):
    return ' '.join(fold(agencies.expand(name)).replace(',', ' ').split())


# objects of "X chủ trì, phối hợp với Y": the coordinating agencies (a lead that only "phối hợp với"
# someone names no coordinating agency of its own)
_COORD = re.compile(r'chủ\s?trì\s*(?:,|và)?\s*(?:thực hiện\s*,\s*)?phối hợp(?:\s+chặt chẽ)?(?:\s+(?:với|cùng))?\s+', re.I)


def coordinating(text):
    out = []
    for m in _COORD.finditer(text):
        found, _ = agencies.names_at(text, m.end(), semicolons=False, bare_first=True)
        for n in found:
            c = agencies.canonical(n.text)
            if c and c not in out and len(c) > 2:
                out.append(c)
    return out
