"""The project's own small scorer of a parsed plan against a gold annotation (gold.json shape).

Independent of the scorer the project was handed with the plan: texts are matched by word overlap after folding, agency
names by word-set overlap with common abbreviations expanded; each field is an F1 over matched pairs.
"""
import re
import unicodedata


def fold(text):
    text = unicodedata.normalize('NFD', (text or '').replace('đ', 'd').replace('Đ', 'D'))
    text = ''.join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r'[^0-9a-z]+', ' ', text).split()


_ABBR = {'ubnd': 'uy ban nhan dan', 'bhxh': 'bao hiem xa hoi', 'hdnd': 'hoi dong nhan dan'}


def name_words(name):
    return set(' '.join(_ABBR.get(w, w) for w in fold(name)).split())


def overlap(a, b):
    """Share of words in common (multiset), 0..1."""
    wa, wb = fold(a), fold(b)
    if not wa or not wb:
        return 0.0
    pool, common = list(wb), 0
    for w in wa:
        if w in pool:
            pool.remove(w)
            common += 1
    return 2 * common / (len(wa) + len(wb))


def same_name(a, b):
    sa, sb = name_words(a), name_words(b)
    return bool(sa | sb) and len(sa & sb) / len(sa | sb) >= 0.75


class Count:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    @property
    def f1(self):
        d = 2 * self.tp + self.fp + self.fn
        return 1.0 if d == 0 else 2 * self.tp / d

    def __repr__(self):
        return f'F1 {self.f1:.3f} (tp {self.tp}, fp {self.fp}, fn {self.fn})'


def match(golds, preds, similar):
    """Greedy one-to-one matching, most similar first. `similar` returns a score or 0."""
    cand = sorted(((similar(g, p), i, j) for i, g in enumerate(golds) for j, p in enumerate(preds)), reverse=True)
    gi, pj, pairs = set(), set(), []
    for s, i, j in cand:
        if s <= 0:
            break
        if i not in gi and j not in pj:
            gi.add(i)
            pj.add(j)
            pairs.append((i, j))
    return pairs


def _names(count, gold, pred):
    pairs = match(gold, pred, lambda a, b: 1.0 if same_name(a, b) else 0.0)
    count.tp += len(pairs)
    count.fp += len(pred) - len(pairs)
    count.fn += len(gold) - len(pairs)


def _dl_key(d):
    if not d:
        return None
    if d.get('date') or d.get('recurrence'):
        return (d.get('date'), d.get('recurrence'))
    return ' '.join(fold(d.get('text')))


def score(pred, gold):
    names = ('blocks', 'leads', 'tasks', 'deadlines', 'targets', 'refs', 'coordinating')
    c = {n: Count() for n in names}
    gblocks = list(gold.get('assignments', [])) + list(gold.get('implementation', []))
    pblocks = {}
    for b in pred.get('assignments') or []:
        pblocks.setdefault(str(b.get('ref')).rstrip('.').upper(), b)
    seen = set()

    def miss_task(t, side):
        setattr(c['deadlines'], side, getattr(c['deadlines'], side) + bool(t.get('deadline')))
        for key in ('targets', 'refs', 'coordinating'):
            setattr(c[key], side, getattr(c[key], side) + len(t.get(key) or []))

    for gb in gblocks:
        ref = str(gb['ref']).rstrip('.').upper()
        pb = pblocks.get(ref)
        if pb is None:
            c['blocks'].fn += 1
            c['leads'].fn += len(gb.get('lead', []))
            c['tasks'].fn += len(gb['tasks'])
            for t in gb['tasks']:
                miss_task(t, 'fn')
            continue
        seen.add(ref)
        c['blocks'].tp += 1
        _names(c['leads'], gb.get('lead', []), pb.get('lead') or [])
        gt, pt = gb['tasks'], pb.get('tasks') or []
        pairs = match([t['text'] for t in gt], [t['text'] for t in pt],
                      lambda a, b: overlap(a, b) if overlap(a, b) >= 0.6 else 0)
        c['tasks'].tp += len(pairs)
        c['tasks'].fp += len(pt) - len(pairs)
        c['tasks'].fn += len(gt) - len(pairs)
        for i in set(range(len(gt))) - {i for i, _ in pairs}:
            miss_task(gt[i], 'fn')
        for j in set(range(len(pt))) - {j for _, j in pairs}:
            miss_task(pt[j], 'fp')
        for i, j in pairs:
            g, p = gt[i], pt[j]
            gk, pk = _dl_key(g.get('deadline')), _dl_key(p.get('deadline'))
            if gk is not None and gk == pk:
                c['deadlines'].tp += 1
            else:
                c['deadlines'].fn += gk is not None
                c['deadlines'].fp += pk is not None
            gv = [(float(x['value']), x['unit']) for x in g.get('targets', [])]
            pv = [(float(x['value']), x['unit']) for x in p.get('targets') or []]
            hit = sum(1 for x in gv if x in pv)
            c['targets'].tp += hit
            c['targets'].fn += len(gv) - hit
            c['targets'].fp += len(pv) - hit
            gr = {re.sub(r'\s', '', x).upper() for x in g.get('refs', [])}
            pr = {re.sub(r'\s', '', x).upper() for x in p.get('refs') or []}
            c['refs'].tp += len(gr & pr)
            c['refs'].fn += len(gr - pr)
            c['refs'].fp += len(pr - gr)
            _names(c['coordinating'], g.get('coordinating', []), p.get('coordinating') or [])
    for ref, pb in pblocks.items():
        if ref not in seen:
            c['blocks'].fp += 1
            c['leads'].fp += len(pb.get('lead') or [])
            c['tasks'].fp += len(pb.get('tasks') or [])
    gd, pd = gold.get('document', {}), pred.get('document') or {}
    doc = {
        'number': (gd.get('number') or '').replace(' ', '') == (pd.get('number') or '').replace(' ', ''),
        'date': gd.get('date') == pd.get('date'),
        'place': fold(gd.get('place')) == fold(pd.get('place')),
        'issuer': same_name(gd.get('issuer') or '', pd.get('issuer') or ''),
        'title': overlap(gd.get('title') or '', pd.get('title') or '') >= 0.9,
        'signer': fold((gd.get('signer') or {}).get('name')) == fold((pd.get('signer') or {}).get('name')),
    }
    return {n: c[n].f1 for n in names}, doc, c
