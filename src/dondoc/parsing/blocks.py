"""Assignment blocks in the outline, in the four common layouts.

(1) a numbered heading that names the agency ("1.2. Sở Kế hoạch và Đầu tư"), or an item whose text
    opens with the agency as subject ("1.1. Các sở, ban, ngành ... theo chức năng, ...");
(2) labelled lines under an item ("Cơ quan chủ trì:", "Cơ quan phối hợp:", "Thời gian thực hiện:");
(3) inline prose ("Sở X chủ trì, phối hợp với Y ...", "(Giao Công an tỉnh chủ trì, ...)");
(4) appendix tables, which extract.py turns into layout (2) lines.
"""
import re

from . import agencies, deadlines, refs, targets, tasks
from .lexicon import fold, leading_phrase
from .outline import parse_marker

LABEL_RE = re.compile(
    r'^\s*(?:[-–+•]\s*)?(?P<label>(?:cơ quan|đơn vị|cơ quan, đơn vị|bộ phận)?\s*(?:được giao\s+)?'
    r'(?P<kind>chủ trì|phối hợp|thực hiện|thời gian|thời hạn|sản phẩm|kinh phí|ghi chú|kết quả|dự kiến)'
    r'[^:]{0,45}?)\s*:\s*(?P<value>.*)$', re.I)
_CLAUSE_START = re.compile(r'^|[(;.:]\s*|,\s+(?=[Gg]iao\s|[A-ZĐÂĂÊÔƠƯỦ])')   # ", Sở Y tế chủ trì thực hiện"
_INLINE_LEAD = re.compile(r'\s*(?P<giao>[Gg]iao\s+)?(?P<names>[^;().:]{2,220}?)'
                          r'(?:\s+(?:là|làm)\s+(?:cơ quan|đơn vị)(?:\s+đầu mối)?)?\s+chủ trì'
                          r'(?=\s*[,;.)]|\s+(?:thực hiện|tham mưu|triển khai|xây dựng|tổ chức|phối hợp|và|cùng|'
                          r'theo dõi|hướng dẫn|rà soát|nghiên cứu|đề xuất|kiểm tra|ban hành|trình|hoàn thành)\b)')
_GIAO = re.compile(r'\s*[Gg]iao\s+(?P<names>[^;().:]{2,200}?)\s+(?=thực hiện|tham mưu|triển khai|'
                   r'xây dựng|tổ chức|theo dõi|hướng dẫn|rà soát|nghiên cứu|chủ động|tiếp tục|thường xuyên|làm đầu mối)')
_INLINE_LABEL = re.compile(r'(?:(?<=[(;])|(?<=[(;] ))\s*(?:cơ quan|đơn vị)?\s*(?P<kind>chủ trì|phối hợp|thời gian[^:;()]{0,25}|'
                           r'thời hạn[^:;()]{0,25})\s*:\s*(?P<value>[^;()]+)', re.I)
_COORD = re.compile(r'[Pp]hối hợp (?:chặt chẽ )?(?:với|cùng)\s+')
_NOTE = re.compile(r'^\(.*\)\.?$')


def label_of(text):
    m = LABEL_RE.match(text)
    if not m:
        return None
    kind = m.group('kind').lower()
    label = fold(m.group('label'))
    if kind == 'thực hiện':
        if not re.search(r'\b(co quan|don vi|bo phan)\b', label) or 'thoi gian' in label:
            return None
        kind = 'chủ trì'
    if kind in ('chủ trì', 'phối hợp') and len(m.group('label')) > 60:
        return None
    if kind == 'dự kiến' or kind == 'kết quả':
        kind = 'sản phẩm'
    if kind == 'thời hạn':
        kind = 'thời gian'
    return kind, m.group('value').strip()


_GIVE = re.compile(r'^(?:Giao|Đề nghị|Yêu cầu|Phân công|Đối với|Trách nhiệm của|Nhiệm vụ của)\s+', re.I)
_TRAILING_ROLE = re.compile(r'\s*\([^()]*\)\s*[:.]?\s*$')     # "Sở Y tế (cơ quan thường trực)", "(nay là ...)"


def _heading_names(own):
    """Agency names when the whole heading names bodies: "Sở Y tế", "Giao Sở Nội vụ:", "Sở Y tế (chủ trì)"."""
    text = _TRAILING_ROLE.sub('', _GIVE.sub('', own.strip()))
    if agencies.is_agency_list(text):
        return agencies.split_list(text.rstrip('.:'))
    return None


def _names_ok(names_text):
    names = agencies.split_list(names_text)
    if not names or not all(agencies.starts_agency(n) for n in names):
        return None
    if fold(names[-1]).endswith(('co quan', 'don vi')) and len(names[-1].split()) <= 2:
        return None
    return [agencies.canonical(n) for n in names]


def inline_lead(text):
    """(names, start, end of the lead-in) for "Giao X chủ trì" / "X chủ trì" / "Giao X thực hiện"."""
    starts = [m.end() for m in _CLAUSE_START.finditer(text)]
    for rx in (_INLINE_LEAD, _GIAO):
        for pos in starts:       # try every clause start: the lead-in is not always the first clause
            m = rx.match(text, pos)
            if m:
                names = _names_ok(m.group('names'))
                if names:
                    return names, m.start(), m.end('names')
    return None


def subject_lead(text):
    """An item opening with its actor: "Các sở, ... và Ủy ban nhân dân huyện, thành phố theo chức năng, ..."."""
    if not agencies.starts_agency(text):
        return None
    names, end = agencies.scan_names(text, semicolons=True)
    if not names or end < 4 or end >= len(text) - 3:
        return None
    rest = text[end:].lstrip()
    if rest[:1] in ':' or not rest[:1].islower():
        return None
    # the subject must be followed by an action ("theo chức năng, ...", "căn cứ", a verb), not "là ..."
    if not (leading_phrase(rest, 'verbs') or re.match(r'(theo chức năng|có trách nhiệm|chịu trách nhiệm)', rest)):
        return None
    if not all(agencies.starts_agency(n) for n in names):
        return None
    return names, end


def coordinating(text):
    out = []
    for m in _COORD.finditer(text):
        names, _ = agencies.scan_names(text[m.end():])
        for n in names:
            if n and n not in out and len(n) > 2:
                out.append(n)
    return out


class Builder:
    def __init__(self, norm, doc_year):
        self.norm, self.paras, self.doc_year = norm, norm.paras, doc_year
        self.sections, self.assignments, self.used = [], [], set()

    def ref_for(self, item, parent_ref):
        mk = item.marker
        if mk.kind == 'dec':
            ref = mk.label
        elif mk.kind == 'letter':
            ref = f'{parent_ref}.{mk.label}' if parent_ref else mk.label
        elif mk.kind in ('dash', 'plus'):
            siblings = [c for c in (item.parent.children if item.parent else []) if c.marker.kind == mk.kind]
            k = siblings.index(item) + 1 if item in siblings else 1
            ref = f'{parent_ref}-{k}' if parent_ref else str(k)
        else:
            ref = mk.label
        if item.part and item.part.startswith('PL') and mk.kind != 'part' or \
                ref in self.used and item.part and not ref.startswith(item.part + '.'):
            ref = f'{item.part}.{ref}'
        base, k = ref, 2
        while ref in self.used:          # a number printed twice; "#" is left to task refs ("1.2#3")
            ref, k = f'{base}({k})', k + 1
        self.used.add(ref)
        return ref

    def own_text(self, item):
        p = self.paras[item.para]
        return p.text[item.marker.length:]

    # ---- tasks
    def make_tasks(self, para_ids, first_skip=None, override_bullets=True, extra=None):
        """Tasks of the given paragraphs; `first_skip` = (paragraph id, offset) of a lead-in to drop."""
        out = []
        for pid in para_ids:
            p = self.paras[pid]
            s = p.text
            start = 0
            mk = parse_marker(s)
            if mk and mk.kind in ('dash', 'plus', 'letter', 'dec', 'roman'):
                start = mk.length
            if first_skip and first_skip[0] == pid:
                start = max(start, first_skip[1])
            if label_of(s) or _NOTE.match(s[start:].strip()):
                continue
            override = None
            if override_bullets and mk and mk.kind in ('dash', 'plus'):
                m = re.match(r'([^:]{3,160}):\s+', s[start:])
                if m and agencies.is_agency_list(m.group(1)):
                    override = [agencies.canonical(n) for n in agencies.split_list(m.group(1))]
                    start += m.end()
            for a, b in tasks.split(s, start):
                text = s[a:b]
                out.append(self.task(text, p.start + a, p.start + b, override, extra))
        return out

    def task(self, text, a, b, override=None, extra=None):
        t = {
            'text': text,
            'lead_override': override,
            'coordinating': coordinating(text),
            'deadline': deadlines.find(text, self.doc_year),
            'targets': targets.find(text),
            'refs': refs.find_refs(text),
            'span': [a, b],
        }
        if extra:
            if extra.get('coordinating'):
                t['coordinating'] = t['coordinating'] + [c for c in extra['coordinating'] if c not in t['coordinating']]
            if extra.get('deadline') and not t['deadline']:
                t['deadline'] = dict(extra['deadline'])
        return t

    def add_block(self, item, parent_ref, section_ref, heading, lead, para_ids, first_skip=None, extra=None,
                  ref=None):
        lead = [agencies.canonical(x) for x in lead]
        ts = self.make_tasks(para_ids, first_skip, extra=extra)
        if not ts:
            return None
        ref = ref or self.ref_for(item, parent_ref)
        paras = [self.paras[i] for i in [item.para] + list(para_ids)]
        self.assignments.append({
            'ref': ref,
            'section': section_ref,
            'heading': heading,
            'lead': lead,
            'lead_kind': 'group' if any(agencies.is_group(x) for x in lead) else 'agency',
            'span': [min(p.start for p in paras), max(p.end for p in paras)],
            'tasks': ts,
        })
        return ref

    # ---- layouts
    def labelled(self, item):
        """Layout 2: label lines directly under the item (as body paragraphs or bullet children)."""
        ids = list(item.body) + [c.para for c in item.children if c.marker.kind in ('dash', 'plus')
                                 or label_of(self.own_text(c))] + \
            [i for c in item.children if c.marker.kind in ('dash', 'plus') for i in c.body]
        labels = {}
        own = self.own_text(item)
        # labels may also sit on the item line itself after the content: "... (Cơ quan chủ trì: Sở X)"
        for pid in sorted(ids):
            lab = label_of(self.paras[pid].text)
            if lab:
                labels.setdefault(lab[0], lab[1])
        for m in _INLINE_LABEL.finditer(own):
            kind = fold(m.group('kind'))
            kind = 'chủ trì' if 'chu tri' in kind else 'phối hợp' if 'phoi hop' in kind else 'thời gian'
            labels.setdefault(kind, m.group('value').strip())
        if 'chủ trì' not in labels:
            return None
        both = re.match(r'(?P<lead>.+?)\s+chủ trì\s*[,;]\s*(?P<coord>.+?)\s+phối hợp\b', labels['chủ trì'])
        if both:        # "Cơ quan thực hiện: Sở Y tế chủ trì; Sở Tài chính phối hợp"
            labels['chủ trì'] = both.group('lead')
            labels.setdefault('phối hợp', both.group('coord'))
        lead = [n for n in (_names_ok(labels['chủ trì'].rstrip('.;')) or agencies.split_list(labels['chủ trì'].rstrip('.;')))]
        extra = {}
        if 'phối hợp' in labels:
            extra['coordinating'] = [agencies.canonical(n) for n in agencies.split_list(labels['phối hợp'].rstrip('.;'))]
        if 'thời gian' in labels:
            extra['deadline'] = deadlines.find(labels['thời gian'], self.doc_year, labelled=True)
        return lead, extra, own

    def body_paragraph_blocks(self, item, ref, section_ref):
        """Unnumbered paragraphs of a section that assign work inline ("Công an xã chủ trì, ...")."""
        for k, pid in enumerate(item.body, 1):
            text = self.paras[pid].text
            if label_of(text):
                continue
            il = inline_lead(text) or None
            sub = None if il else subject_lead(text)
            if not il and not sub:
                continue
            if il:
                names, a, b = il
                skip = (pid, b) if a <= 1 else None
            else:
                names, end = sub
                skip = (pid, end)
            bref = f'{ref}-{k}' if ref else str(k)
            self.used.add(bref)
            self.add_block(item, ref, section_ref, None, names, [pid], first_skip=skip, ref=bref)

    def visit(self, item, parent_ref, section_ref):
        own = self.own_text(item)
        if item.marker.kind in ('roman', 'part') and _NON_ASSIGNING_PART.match(fold(own)):
            return None      # purpose, requirements, viewpoints: no work is assigned there
        sub_ids = [i for i in item.all_paras() if i != item.para]
        kind = item.marker.kind
        heading = _heading_names(own)
        if heading and any(c.marker.kind in ('dec', 'letter') and _heading_names(self.own_text(c)) for c in item.children):
            heading = None      # "Thanh tra" over "1.1. Thanh tra tỉnh", "1.2. ...": a section, not a block
        if heading and (kind in ('dec', 'letter') or kind in ('dash', 'plus') and own.rstrip().endswith(':')
                        and sub_ids):
            # layout 1: the heading names the agencies; "- Sở Y tế:" over its own bullets likewise
            return self.add_block(item, parent_ref, section_ref, own, heading, sub_ids)
        lab = self.labelled(item)
        if lab:
            lead, extra, _ = lab
            return self.add_block(item, parent_ref, section_ref, own, lead, [item.para] + sub_ids, extra=extra)
        ref = None
        if item.children:
            ref = self.ref_for(item, parent_ref) if kind not in ('dash', 'plus') else parent_ref
            before = len(self.assignments)
            for c in item.children:
                self.visit(c, ref, ref if kind not in ('dash', 'plus') else section_ref)
            self.body_paragraph_blocks(item, ref, ref if kind not in ('dash', 'plus') else section_ref)
            if len(self.assignments) > before:
                if kind not in ('dash', 'plus'):
                    self.sections.append({'ref': ref, 'title': own.strip(), 'parent': section_ref,
                                          '_para': item.para})
                return None
            self.used.discard(ref)
        if kind in ('dash', 'plus', 'letter', 'dec'):
            # "- Bộ Công an: Chỉ đạo ..." - a bullet labelled with its agency
            m = re.match(r'([^:]{3,160}):\s+(?=\S)', own)
            if m and agencies.is_agency_list(m.group(1)):
                return self.add_block(item, parent_ref, section_ref, None, agencies.split_list(m.group(1)),
                                      [item.para] + sub_ids, first_skip=(item.para, item.marker.length + m.end()))
        sub = subject_lead(own)
        if sub and kind != 'part' and kind != 'roman':
            names, end = sub
            return self.add_block(item, parent_ref, section_ref, None, names,
                                  [item.para] + sub_ids, first_skip=(item.para, item.marker.length + end))
        il = inline_lead(own)
        if il and kind not in ('part', 'roman'):
            names, a, b = il
            skip = None
            if a <= 1:
                skip = (item.para, item.marker.length + b)
            return self.add_block(item, parent_ref, section_ref, None, names, [item.para] + sub_ids, first_skip=skip)
        if not item.children and item.body and kind in ('roman', 'part', 'dec', 'letter'):
            ref = self.ref_for(item, parent_ref)
            before = len(self.assignments)
            self.body_paragraph_blocks(item, ref, ref)
            if len(self.assignments) > before:
                self.sections.append({'ref': ref, 'title': own.strip(), 'parent': section_ref, '_para': item.para})
            else:
                self.used.discard(ref)
        return None


_NON_ASSIGNING_PART = re.compile(r'(muc dich|yeu cau|quan diem|can cu|su can thiet|tinh hinh|ket qua thuc hien|'
                                 r'muc tieu|danh gia)\b')


def build(norm, roots, doc_year):
    b = Builder(norm, doc_year)
    for r in roots:
        b.visit(r, None, None)
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
