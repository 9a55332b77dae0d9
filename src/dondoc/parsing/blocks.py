"""Assignment blocks: which parts of a plan give work, and to whom, in the layouts Vietnamese plans use.

The outline (outline.py) is read top-down; an item becomes
(1) a block whose heading names the agencies ("1.2. Sở Kế hoạch và Đầu tư", "1. Sở Tài chính:",
    "**7.** Sở Công Thương: Chủ trì …", "Đề nghị Công ty Điện lực: …", "- Bộ Công an: …"): the heading's
    text and everything under it are the block's tasks. When the bullets under such a heading each
    carry their own time ("Thời gian thực hiện: …" after every bullet), each bullet is a block;
(2) a block of labelled lines ("Cơ quan chủ trì: …", "Cơ quan phối hợp: …", "Thời gian …: …"), the shape
    appendix tables are given by tables.py;
(3) a block opened by a sentence that names its actor: "Sở X chủ trì, phối hợp với Y …", "Giao X …",
    "Các sở, ban, ngành … theo chức năng, …", "Căn cứ …, X xây dựng …", "Đề nghị X …", "(X chủ trì …)";
(4) a section holding such blocks (an item under an agency heading of a class inherits its lead).
Parts titled purpose, requirements, viewpoints, objectives assign nothing; nor do generic subjects
("các cơ quan, đơn vị, địa phương"), "… chịu trách nhiệm thi hành Quyết định này", or "nếu có khó khăn,
vướng mắc … phản ánh về …". Every block carries `basis` (its rule, in words a coordinator reads) and
`confidence` (how often that rule is right, lowered for the doubts a rule can see).
"""
import re

from . import agencies, deadlines, refs, targets, tasks
from .lexicon import fold
from .outline import parse_marker

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


def _label_names(value):
    value = value.strip().rstrip('.;')
    both = re.match(r'(?P<lead>.+?)\s+chủ trì\s*[,;]\s*(?P<coord>.+?)\s+phối hợp\b', value)
    if both:
        return both.group('lead'), both.group('coord')
    return value, None


# ---- the builder ------------------------------------------------------------------------------------

# rule -> (words shown to the coordinator, prior confidence). The priors follow how often each rule gave the
# right block and lead on the corpus of real plans (tests/parsing/fixtures/corpus): tables and labels are
# almost always right, a sentence that opens with a name is wrong about one time in four.
BASIS = {
    'table': ('bảng nhiệm vụ: cột cơ quan chủ trì', 0.92),
    'label': ('dòng "Cơ quan chủ trì: …"', 0.88),
    'heading': ('tiêu đề mục là tên cơ quan', 0.88),
    'heading_inline': ('tiêu đề "Cơ quan: nội dung"', 0.85),
    'timed_bullet': ('gạch đầu dòng có thời gian riêng, dưới tiêu đề cơ quan', 0.85),
    'inline_lead': ('câu "… chủ trì …"', 0.85),
    'giao': ('câu "Giao … "', 0.8),
    'request': ('câu "Đề nghị / Yêu cầu / Khuyến khích …"', 0.75),
    'subject': ('câu mở đầu bằng tên cơ quan', 0.65),
    'bullet_label': ('gạch đầu dòng "Cơ quan: nội dung"', 0.55),
    'inherited': ('mục con của tiêu đề cơ quan', 0.55),
    'paragraph': ('đoạn văn không đánh số nêu tên cơ quan', 0.5),
}


def _doubts(lead, basis, origin, known):
    """What a reader would doubt in a block's lead: (penalty, reasons)."""
    penalty, why = 0.0, []
    for name in lead:
        toks = agencies.tokenize(name)
        words = [t for t in toks if t.word]
        if len(words) > 12:
            penalty += 0.15
            why.append('tên rất dài')      # a clause the grammar could not cut
        if len(words) == 1 and not agencies.is_code(name):
            penalty += 0.15
            why.append('tên một từ')
        if len(words) >= 2 and not words[-1].cap and not words[-2].cap and \
                agencies.match(toks, len(toks) - 2, 'verbs') >= 2:
            penalty += 0.2
            why.append('tên kết thúc bằng động từ')
    if len(lead) > 5:
        penalty += 0.1
        why.append('nhiều cơ quan chủ trì')
    if basis == 'subject' and any(agencies.is_group(n) for n in lead):
        penalty += 0.1
        why.append('chủ ngữ là một nhóm cơ quan')
    if basis in ('subject', 'request', 'giao', 'inline_lead') and origin in ('bullet', 'paragraph'):
        penalty += 0.1
        why.append('câu trong gạch đầu dòng hoặc đoạn văn')
    if known is not None:
        if all(known.end_at(agencies.tokenize(n), 0) for n in lead):
            penalty -= 0.05
        elif not any(known.end_at(agencies.tokenize(n), 0) for n in lead):
            penalty += 0.15
            why.append('không khớp cơ quan nào đã biết')
    return penalty, why


class Builder:
    def __init__(self, norm, doc_year, issuer=None):
        self.norm, self.paras, self.doc_year = norm, norm.paras, doc_year
        self.sections, self.assignments, self.used = [], [], set()
        self.issuer_keys = {_key(x) for x in (issuer, 'Ủy ban nhân dân tỉnh', 'Ủy ban nhân dân thành phố',
                                                'UBND tỉnh', 'UBND thành phố', 'Chủ tịch Ủy ban nhân dân tỉnh',
                                                'Thủ tướng Chính phủ', 'Ban Thường vụ') if x}

    # ---- refs
    def ref_for(self, item, parent_ref):
        mk = item.marker
        if mk.kind == 'dec' and self.paras[item.para].table and parent_ref and item.parent is not None and \
                item.parent.marker.kind != 'part' and self._restarts(item):
            # rows numbered again under each group row ("PL.II.3"), a table inside item III.1.a ("III.1.a.3")
            return self._unique(f'{parent_ref}.{mk.label}')
        if mk.kind == 'dec':
            ref = mk.label
        elif mk.kind == 'letter':
            ref = f'{parent_ref}.{mk.label}' if parent_ref else mk.label
        elif mk.kind in ('dash', 'plus', 'head'):
            siblings = [c for c in (item.parent.children if item.parent else []) if c.marker.kind == mk.kind]
            k = siblings.index(item) + 1 if item in siblings else 1
            ref = f'{parent_ref}-{k}' if parent_ref else str(k)
        else:
            ref = mk.label
        if item.part and item.part.startswith('PL') and mk.kind != 'part' or \
                ref in self.used and item.part and not ref.startswith(item.part + '.'):
            ref = f'{item.part}.{ref}'
        return self._unique(ref)

    def _restarts(self, item):
        """A table row's number is not unique in its table (numbering starts again per group), or the
        table sits inside a numbered item."""
        parent = item.parent
        if parent.marker.kind != 'roman' or not self.paras[parent.para].table:
            return True
        groups = parent.parent.children if parent.parent else []
        labels = [c.marker.label for g in groups if g.marker.kind == 'roman' for c in g.children
                  if c.marker.kind == 'dec']
        return len(labels) != len(set(labels))

    def _unique(self, ref):
        base, k = ref, 2
        while ref in self.used:          # a number printed twice
            ref, k = f'{base}({k})', k + 1
        self.used.add(ref)
        return ref

    def own_text(self, item):
        return self.paras[item.para].text[item.marker.length:]

    # ---- tasks
    def make_tasks(self, para_ids, first_skip=None, overrides=True, deadline=None, coord=None, block_lead=()):
        """Tasks of the paragraphs; `first_skip` = (paragraph id, offset) of a lead-in to leave out.
        A time label after a paragraph dates that paragraph's tasks; `deadline`/`coord` (from labels of
        the whole block) go to every task that has none of its own."""
        out = []
        last_para_tasks = []
        for pid in para_ids:
            p = self.paras[pid]
            s = p.text
            lab = label_of(s)
            if lab:
                if lab[0] == 'time' and last_para_tasks:
                    d = self.label_deadline(lab[1])
                    for t in last_para_tasks:
                        t['deadline'] = t['deadline'] or d
                continue
            start = 0
            mk = parse_marker(s)
            if mk and mk.kind in ('dash', 'plus', 'letter', 'dec', 'roman'):
                start = mk.length
            if first_skip and first_skip[0] == pid:
                start = max(start, first_skip[1])
            if _NOTE.match(s[start:].strip()) or not mk and _BOILERPLATE.search(fold(s[:300])):
                continue        # "(…)" notes; "nếu có khó khăn, vướng mắc … phản ánh về …", "Trên đây là Kế hoạch …"
            end = len(s)
            own_time = inline_time(s[start:])
            if own_time:
                end = start + own_time[0]
            override = None
            if overrides and mk and mk.kind in ('dash', 'plus'):
                hl = heading_lead(s[start:end])
                if hl and hl[1]:
                    override = [agencies.canonical(n) for n in hl[0]]
                    start = start + hl[2]
            if overrides and override is None and mk and mk.kind in ('dash', 'plus', 'letter', 'dec') and block_lead:
                # "c) Chủ tịch Ủy ban nhân dân xã, phường chịu trách nhiệm …" under "Ủy ban nhân dân xã, phường"
                il = inline_lead(s[start:end], self.issuer_keys)
                if il and il[1] == 0 and _keys(il[0]) != _keys(block_lead) and il[3] in ('subject', 'inline_lead'):
                    override = il[0]
                    start = start + il[2]
            last_para_tasks = []
            # a row of a task table is one task, as the table numbers it; prose is split by the rules
            pieces = [tasks.trim(s, start, end)] if p.table else tasks.split(s[:end], start)
            for a, b in pieces:
                if b - a < 3:
                    continue
                t = self.task(s[a:b], p.start + a, p.start + b, override)
                out.append(t)
                last_para_tasks.append(t)
            if own_time:
                d = self.label_deadline(own_time[1])
                for t in last_para_tasks:
                    t['deadline'] = t['deadline'] or d
        for t in out:
            if deadline and not t['deadline']:
                t['deadline'] = dict(deadline)
            if coord:
                t['coordinating'] = t['coordinating'] + [c for c in coord if c not in t['coordinating']]
        return out

    def label_deadline(self, value):
        """The time a label or a table cell prints, as printed, with the day or period read from it."""
        value = value.strip().rstrip('.;')
        if not value:
            return None
        d = deadlines.find(value, self.doc_year, labelled=True) or {}
        return {'text': value, 'date': d.get('date'), 'recurrence': d.get('recurrence')}

    def task(self, text, a, b, override=None):
        return {
            'text': text,
            'lead_override': override,
            'coordinating': coordinating(text),
            'deadline': deadlines.find(text, self.doc_year),
            'targets': targets.find(text),
            'refs': refs.find_refs(text),
            'span': [a, b],
        }

    def add_block(self, ref, section_ref, heading, lead, para_ids, basis, first_skip=None, labels=None,
                  span_paras=()):
        lead = [agencies.canonical(x) for x in lead if x.strip(' ,.;:')]
        labels = labels or {}
        coord = None
        if labels.get('coord'):
            coord = [agencies.canonical(n) for n in agencies.split_list(labels['coord'])]
        deadline = self.label_deadline(labels['time']) if labels.get('time') else None
        ts = self.make_tasks(para_ids, first_skip, deadline=deadline, coord=coord, block_lead=lead)
        if not ts or not lead:
            self.used.discard(ref)
            return None
        paras = [self.paras[i] for i in list(span_paras) + list(para_ids)]
        words, prior = BASIS[basis]
        first = self.paras[(list(span_paras) + list(para_ids))[0]]
        mk = parse_marker(first.text)
        origin = 'paragraph' if not mk else 'bullet' if mk.kind in ('dash', 'plus') else 'numbered'
        self.assignments.append({
            'ref': ref,
            'section': section_ref,
            'heading': heading,
            'lead': lead,
            'lead_kind': 'group' if any(agencies.is_group(x) for x in lead) else 'agency',
            'span': [min(p.start for p in paras), max(p.end for p in paras)],
            'confidence': self.confidence(prior, lead, basis, origin),
            'basis': words,
            'tasks': ts,
        })
        return ref

    def confidence(self, prior, lead, basis, origin):
        penalty, _ = _doubts(lead, basis, origin, agencies.known())
        return round(max(0.05, min(0.99, prior - penalty)), 2)

    # ---- layouts
    def item_labels(self, item):
        """Labels on the lines directly under the item (its body, its bullet children and their bodies)
        and inside its own line ("… (Cơ quan chủ trì: Sở X; thời gian: …)")."""
        ids = list(item.body) + [c.para for c in item.children if c.marker.kind in ('dash', 'plus')]
        ids += [i for c in item.children if c.marker.kind in ('dash', 'plus') for i in c.body]
        found = {}
        last = None
        for pid in sorted(ids):
            text = self.paras[pid].text
            lab = label_of(text)
            if lab:
                found.setdefault(lab[0], lab[1])
                last = lab[0] if found[lab[0]] == lab[1] else None
            elif last in ('lead', 'coord') and pid - 1 in ids and not parse_marker(text) and \
                    agencies.is_agency_list(text):
                found[last] = found[last].rstrip(' ;,') + '; ' + text     # the list went on to the next line
            else:
                last = None
        for m in _PAREN_LABEL.finditer(self.own_text(item)):
            kind = fold(m.group('kind'))
            kind = 'lead' if 'chu tri' in kind else 'coord' if 'phoi hop' in kind else 'time'
            found.setdefault(kind, m.group('value').strip())
        return found

    def visit(self, item, parent_ref, section_ref, inherited=None):
        own = self.own_text(item)
        kind = item.marker.kind
        if kind in ('roman', 'part', 'article') and non_assigning(own):
            return      # purpose, requirements, viewpoints: no work is assigned there
        sub_ids = [i for i in item.all_paras() if i != item.para]
        structural = kind in ('roman', 'part', 'article')

        # (1) a heading naming the agencies
        hl = None if structural else heading_lead(own)
        if hl and not _BOILERPLATE.search(fold(own)) and not generic(hl[0]):
            names, rest, _ = hl
            ref = self.ref_for(item, parent_ref)
            if self._has_own_leads(item) or not rest and len(self.subject_children(item)) >= 2:
                # "2. Các sở, ban, ngành, địa phương" over "2.1 …" and "2.2 a) Sở X …": a section whose
                # items name their own agencies, the others doing the heading's work
                return self.section(item, ref, section_ref, inherited=names)
            if not rest and self.timed_bullets(item):
                return self.per_bullet(item, ref, section_ref, names)
            basis = 'heading_inline' if rest else 'heading'
            if kind in ('dash', 'plus'):
                basis = 'bullet_label'
            skip = (item.para, item.marker.length + hl[2]) if rest else (item.para, len(self.paras[item.para].text))
            return self.add_block(ref, section_ref, own if not rest else own[:hl[2]].rstrip(' :'), names,
                                  [item.para] + sub_ids, basis, first_skip=skip)

        # (2) labelled lines
        labels = self.item_labels(item)
        if labels.get('lead') and not structural:
            lead_text, coord_text = _label_names(labels['lead'])
            if coord_text and not labels.get('coord'):
                labels['coord'] = coord_text
            names = agencies.split_list(lead_text)
            ref = self.ref_for(item, parent_ref)
            basis = 'table' if self.paras[item.para].table else 'label'
            first = [item.para] if kind != 'part' else []
            if labels.get('content') and not own.strip():
                first = []
            # numbered items below with labels of their own are blocks of their own
            apart = [c for c in item.children if c.marker.kind in ('dec', 'letter') and self._names_own_lead(c)]
            skip_ids = {i for c in apart for i in c.all_paras()}
            r = self.add_block(ref, section_ref, None, names, first + [i for i in sub_ids if i not in skip_ids],
                               basis, labels=labels, span_paras=[item.para])
            for c in apart:
                self.visit(c, ref, section_ref)
            return r

        # (3) a sentence naming its actor, on the item's own line
        il = None if structural else inline_lead(own, self.issuer_keys)
        if il:
            names, a, b, basis = il
            ref = self.ref_for(item, parent_ref)
            # items and paragraphs below that name an actor of their own are blocks of their own
            apart = {c.para for c in item.children if self._names_own_lead(c)}
            ids = [item.para]
            own_body = []
            for c in item.children:
                if c.para not in apart:
                    ids.extend(c.all_paras())
            for pid in item.body:
                if self._paragraph_lead(pid):
                    own_body.append(pid)
                elif not self._generic_paragraph(pid):
                    ids.append(pid)
            ids = sorted(set(ids), key=ids.index)
            skip = (item.para, item.marker.length + b) if a == 0 else None
            heading = own[:b].rstrip(' :,') if a == 0 else None
            labels = None
            if a == 0 and own.rstrip().endswith(':') and len(ids) > 1:
                # "2. Sở Y tế chủ trì, phối hợp với Sở Giáo dục và Đào tạo, …:" over its bullets: the line is the
                # heading, its partners are every bullet's
                heading = own.rstrip(' :')
                skip = (item.para, len(self.paras[item.para].text))
                partners = coordinating(own)
                labels = {'coord': '; '.join(partners)} if partners else None
            if a == 0 and self.timed_bullets(item):
                return self.per_bullet(item, ref, section_ref, names)
            r = self.add_block(ref, section_ref, heading, names, ids, basis, first_skip=skip, labels=labels)
            for c in item.children:
                if c.para in apart:
                    self.visit(c, ref, section_ref)
            if own_body:
                self.body_paragraph_blocks(item, ref, section_ref, only=set(own_body))
            return r

        # an item under a class heading ("Các sở, ban, ngành, địa phương") that names nobody of its own
        if inherited and not structural and not self._has_own_leads(item) and \
                not any(self._names_own_lead(c) for c in item.children):
            ref = self.ref_for(item, parent_ref)
            titled = own.rstrip().endswith(':') or bool(item.body or item.children) and \
                not own.rstrip().endswith(('.', ';')) and len(own.split()) <= 10
            return self.add_block(ref, section_ref, own if titled else None, inherited, [item.para] + sub_ids,
                                  'inherited', first_skip=(item.para, len(self.paras[item.para].text)) if titled else None)

        # (4) a section: its children and its unnumbered paragraphs
        if item.children or item.body:
            ref = self.ref_for(item, parent_ref) if kind not in ('dash', 'plus') else parent_ref
            return self.section(item, ref, section_ref, inherited=inherited if not structural else None)
        return None

    def section(self, item, ref, section_ref, inherited=None):
        before = len(self.assignments)
        kind = item.marker.kind
        child_section = ref if kind not in ('dash', 'plus') else section_ref
        lead_in = None if inherited else self.lead_in(item)
        if lead_in:
            inherited = lead_in[0]
        for c in item.children:
            self.visit(c, ref, child_section, inherited)
        from_children = len(self.assignments) - before
        self.body_paragraph_blocks(item, ref, child_section, skip={lead_in[1]} if lead_in and lead_in[2] else ())
        made = self.assignments[before:]
        if len(made) == 1 and not from_children and ref and kind in ('dec', 'letter'):
            # "2. Tổ chức Cuộc thi …" over one paragraph "Sở Nội vụ chủ trì, …": the item is that block
            self.used.discard(made[0]['ref'])
            made[0]['ref'], made[0]['section'] = ref, section_ref
            return None
        if len(self.assignments) > before:
            if kind not in ('dash', 'plus') and ref:
                self.sections.append({'ref': ref, 'title': self.own_text(item).strip(), 'parent': section_ref,
                                      '_para': item.para})
            return None
        if kind not in ('dash', 'plus'):
            self.used.discard(ref)
        return None

    def lead_in(self, item):
        """(names, paragraph) of a paragraph before the items that names who does them: "Thủ tướng Chính
        phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh … thực hiện tốt một số nội dung sau:"."""
        if not item.children:
            return None
        first = item.children[0].para
        before = [pid for pid in item.body if pid < first]
        return self.lead_in_paragraph(before[-1]) if before else None

    def lead_in_paragraph(self, pid):
        """(names, paragraph id, pure) when the paragraph ends with ":" and names who does what follows;
        `pure`: it only introduces ("… thực hiện tốt một số nội dung sau:"), it is no task itself."""
        text = self.paras[pid].text
        if not text.rstrip().endswith(':'):
            return None
        il = inline_lead(text, self.issuer_keys)
        if not il:
            return None
        tail = fold(text[il[2]:]).strip(' :')
        pure = not tail or bool(_INTRO.search(tail))
        return il[0], pid, pure

    def subject_children(self, item):
        """Items and bullets below whose text opens with an actor of its own ("a) Các doanh nghiệp viễn
        thông … ưu tiên …")."""
        out = []
        for c in item.children:
            il = inline_lead(self.own_text(c), self.issuer_keys)
            if il and il[1] == 0 and il[3] in ('subject', 'inline_lead'):
                out.append((c, il[0]))
        return out

    def _names_own_lead(self, c):
        own = self.own_text(c)
        if heading_lead(own) and not generic(heading_lead(own)[0]):
            return True
        if self.item_labels(c).get('lead') or self.paras[c.para].table:
            return True
        il = inline_lead(own, self.issuer_keys)
        return bool(il and il[1] == 0)

    def _generic_paragraph(self, pid):
        """A paragraph whose own subject names nobody in particular ("Các cơ quan, đơn vị, địa phương căn cứ …")."""
        text = self.paras[pid].text
        found, end = _names(text, 0)
        return bool(found) and generic([n.text for n in found]) and _acts_at(text, end)

    def _paragraph_lead(self, pid):
        text = self.paras[pid].text
        if label_of(text) or self.paras[pid].table:
            return False
        il = inline_lead(text, self.issuer_keys)
        return bool(il and il[1] == 0)

    def _has_own_leads(self, item):
        """Some numbered item or bullet below names agencies of its own (heading, label or table row)."""
        for c in item.children:
            own = self.own_text(c)
            if c.marker.kind in ('dec', 'letter', 'roman') and heading_lead(own) and not heading_lead(own)[1]:
                return True
            if c.marker.kind in ('dec', 'letter', 'head') and heading_lead(own):
                return True
            if self.paras[c.para].table or c.marker.kind in ('dec', 'letter', 'head') and self.item_labels(c).get('lead'):
                return True
            if c.marker.kind in ('dec', 'letter', 'head') and self._has_own_leads(c):
                return True
        return False

    def timed_bullets(self, item):
        """Bullets under an agency heading that each end with their own time label."""
        bullets = [c for c in item.children if c.marker.kind in ('dash', 'plus')]
        if len(bullets) < 2:
            return False
        timed = 0
        for c in bullets:
            texts = [self.paras[i].text for i in c.all_paras()]     # the label may follow the bullet's sub-items
            if any((label_of(t) or ('',))[0] == 'time' for t in texts[1:]) or inline_time(texts[0]) or \
                    any(inline_time(t) for t in texts[1:]):
                timed += 1
        return timed >= max(2, len(bullets) * 0.6)

    def per_bullet(self, item, ref, section_ref, names):
        before = len(self.assignments)
        for k, c in enumerate([c for c in item.children if c.marker.kind in ('dash', 'plus')], 1):
            bref = self._unique(f'{ref}-{k}')
            fan = [g for g in c.children if g.marker.kind in ('dash', 'plus') and heading_lead(self.own_text(g))
                   and heading_lead(self.own_text(g))[1]]
            if len(fan) >= 2:
                # "- Phối hợp hướng dẫn …, trong đó:" over "+ Sở Xây dựng: …" lines: one block per body
                time = [self.paras[i].text for i in c.body if (label_of(self.paras[i].text) or ('',))[0] == 'time']
                labels = {'time': label_of(time[0])[1]} if time else {}
                for j, g in enumerate(fan, 1):
                    hl = heading_lead(self.own_text(g))
                    self.add_block(self._unique(f'{bref}.{j}'), section_ref, None, hl[0], [g.para] + g.all_paras()[1:],
                                   'timed_bullet', first_skip=(g.para, g.marker.length + hl[2]), labels=labels)
                continue
            self.add_block(bref, section_ref, None, names, c.all_paras(), 'timed_bullet')
        for p in item.body:
            pass
        if len(self.assignments) > before:
            self.sections.append({'ref': ref, 'title': self.own_text(item).strip(), 'parent': section_ref,
                                  '_para': item.para})
        else:
            self.used.discard(ref)

    def body_paragraph_blocks(self, item, ref, section_ref, only=None, skip=()):
        """Unnumbered paragraphs of a section that assign work ("Công an xã chủ trì, …"); the paragraphs
        that follow one without an actor of their own go on its tasks."""
        current = None
        for k, pid in enumerate(item.body, 1):
            if pid in skip or only is not None and pid not in only:
                current = None
                continue
            text = self.paras[pid].text
            lab = label_of(text)
            if lab:
                if lab[0] == 'time' and current is not None:
                    d = self.label_deadline(lab[1])      # "Thời gian hoàn tất: …" after the paragraph
                    for t in current['tasks']:
                        t['deadline'] = t['deadline'] or dict(d)
                continue
            il = inline_lead(text, self.issuer_keys)
            if il:
                names, a, b, basis = il
                bref = self._unique(f'{ref}-{k}' if ref else str(k))
                lead_skip = (pid, b) if a == 0 else None
                heading = text[:b].rstrip(' :,') if a == 0 else None
                basis = basis if item.marker.kind not in ('roman', 'part', 'article') else 'paragraph'
                r = self.add_block(bref, section_ref, heading, names, [pid], basis, first_skip=lead_skip)
                current = self.assignments[-1] if r else None
                continue
            if current is not None and not self.paras[pid].table and not parse_marker(text):
                more = self.make_tasks([pid])
                if more:
                    current['tasks'].extend(more)
                    current['span'][1] = max(current['span'][1], self.paras[pid].end)
                continue
            current = None


_NON_ASSIGNING = re.compile(r'(muc dich|yeu cau|quan diem|can cu|su can thiet|tinh hinh|ket qua thuc hien|muc tieu|'
                            r'danh gia|pham vi|doi tuong|noi dung|hinh thuc|chi tieu|tieu chi|nguyen tac|co so|'
                            r'thuc trang|boi canh|ket qua dat duoc)\b')
_ASSIGNING = re.compile(r'\b(nhiem vu|giai phap|to chuc thuc hien|phan cong|trach nhiem|thuc hien|trien khai)\b')


def non_assigning(title):
    """A part titled only by purpose, requirements, viewpoints, objectives, scope (no "nhiệm vụ")."""
    f = fold(title).strip(' .:')
    if not _NON_ASSIGNING.match(f):
        return False
    return not _ASSIGNING.search(_NON_ASSIGNING.sub(' ', f))


def build(norm, roots, doc_year, issuer=None, preamble=()):
    b = Builder(norm, doc_year, issuer)
    lead_in = b.lead_in_paragraph(preamble[-1]) if preamble else None
    for r in roots:
        b.visit(r, None, None, lead_in[0] if lead_in and r.marker.kind not in ('roman', 'part', 'article') else None)
    sections = sorted(b.sections, key=lambda s: s.pop('_para'))
    _strip_common_prefix(sections)
    return sections, b.assignments


def _strip_common_prefix(sections):
    """Siblings titled "Về khắc phục hạn chế, khuyết điểm: X" keep only X (the shared lead-in)."""
    by_parent = {}
    for s in sections:
        by_parent.setdefault(s['parent'], []).append(s)
    for sibs in by_parent.values():
        heads = [s['title'].split(': ', 1)[0] for s in sibs if ': ' in s['title']]
        if len(sibs) >= 2 and len(heads) == len(sibs) and len(set(heads)) == 1 and len(heads[0]) < 80:
            for s in sibs:
                s['title'] = s['title'].split(': ', 1)[1].strip()
