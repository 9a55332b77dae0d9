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

from .. import agencies, deadlines, refs, targets, tasks
from ..lexicon import fold
from ..outline import parse_marker
from .confidence import BASIS, _doubts
from .labels import _NOTE, _PAREN_LABEL, _label_names, inline_time, label_of
from .leads import (_BOILERPLATE, _INTRO, _acts_at, _key, _keys, _names, coordinating, generic, heading_lead,
                    inline_lead)


# ---- the builder ------------------------------------------------------------------------------------

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
