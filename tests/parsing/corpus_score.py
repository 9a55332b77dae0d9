"""The project's own scorer of the real-plan corpus (tests/parsing/fixtures/corpus), block by block.

Same rules as the corpus scorer the corpus came with (the fixtures' README.md says where from):
- a gold block is found when one parsed block's text (heading + task texts) holds a run of words like the
  gold `text_start` (Dice >= 0.55, the run starting in the first 60 word positions), one to one, best first;
- a found block's lead and coordinating agencies are compared name by name (folded, abbreviations expanded,
  word-set Jaccard >= 0.75, one to one, best first), and its deadline as present or absent;
- each field is an F1 over a document's counts, and the corpus total an F1 over the summed counts.
A parsed block "misses" when it matches no gold block or matches one whose lead differs (for the
confidence calibration).

    python -m tests.parsing.corpus_score [--details] [--only NN] [--texts]
    python -m tests.parsing.corpus_score --against PATH/TO/score.py   # dev check against another scorer: same counts?

Standard library only; the word folding, Dice overlap, greedy matching and counts are plan_score's.
"""
import importlib.util
import json
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ''):                      # run as a file: make `tests.parsing` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.parsing.plan_score import Count, fold, match  # noqa: E402

CORPUS = Path(__file__).resolve().parent / 'fixtures' / 'corpus'
FIELDS = ('blocks', 'leads', 'coordinating', 'deadlines')
START_SIM = 0.55     # Dice of the gold text_start and a run of the parsed block's words
START_WINDOW = 60    # the run starts within the first 60 words of the block's text
NAME_SIM = 0.75      # word-set Jaccard of two agency names (abbreviations expanded)
BANDS = (('< 0.5', 0.0, 0.5), ('0.5–0.8', 0.5, 0.8), ('>= 0.8', 0.8, float('inf')))

# Folded abbreviation -> folded full words, replaced as whole words in this order (phrases included:
# "Sở KH&ĐT" folds to "so kh dt").
ABBREVIATIONS = [
    ('ubnd', 'uy ban nhan dan'), ('hdnd', 'hoi dong nhan dan'), ('mttq', 'mat tran to quoc'),
    ('kh dt', 'ke hoach va dau tu'), ('khdt', 'ke hoach va dau tu'), ('tt tt', 'thong tin va truyen thong'),
    ('tttt', 'thong tin va truyen thong'), ('ldtbxh', 'lao dong thuong binh va xa hoi'),
    ('ld tb xh', 'lao dong thuong binh va xa hoi'), ('nn ptnt', 'nong nghiep va phat trien nong thon'),
    ('tn mt', 'tai nguyen va moi truong'), ('nn mt', 'nong nghiep va moi truong'),
    ('gd dt', 'giao duc va dao tao'), ('kh cn', 'khoa hoc va cong nghe'), ('khcn', 'khoa hoc va cong nghe'),
    ('vhttdl', 'van hoa the thao va du lich'), ('vh tt dl', 'van hoa the thao va du lich'),
    ('gtvt', 'giao thong van tai'), ('bhxh', 'bao hiem xa hoi'), ('nhnn', 'ngan hang nha nuoc'),
    ('bql', 'ban quan ly'), ('kcn', 'khu cong nghiep'), ('tp', 'thanh pho'), ('vp', 'van phong'),
]


# ---- similarities

def name_words(name):
    folded = ' ' + ' '.join(fold(name)) + ' '
    for short, full in ABBREVIATIONS:
        folded = folded.replace(' ' + short + ' ', ' ' + full + ' ')
    return set(folded.split())


def jaccard(a, b):
    sa, sb = name_words(a), name_words(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def start_sim(gold_start, text):
    """Best Dice of `gold_start` against a run of as many words of `text`, starting in its first 60 words."""
    return _start_sim_words(fold(gold_start), fold(text))


def _start_sim_words(g, words):
    # plan_score.overlap of g and each window words[k:k + n], the multiset intersection kept up to date
    # as the window slides (same counts, so the same floats as computing each window afresh)
    n = len(g)
    if not n or not words:
        return 0.0
    want, have, common = Counter(g), Counter(), 0
    for w in words[:n]:
        have[w] += 1
        common += have[w] <= want[w]
    best = 2 * common / (n + min(n, len(words)))
    for k in range(1, min(len(words), START_WINDOW)):
        out = words[k - 1]
        common -= have[out] <= want[out]
        have[out] -= 1
        if k + n - 1 < len(words):
            new = words[k + n - 1]
            have[new] += 1
            common += have[new] <= want[new]
        best = max(best, 2 * common / (n + min(n, len(words) - k)))
    return best


def at_least(sim, bound):
    """A similarity for plan_score.match, which pairs anything above 0: below `bound` counts as 0."""
    def f(a, b):
        s = sim(a, b)
        return s if s >= bound else 0
    return f


def name_pairs(golds, preds):
    return match(golds, preds, at_least(jaccard, NAME_SIM))


# ---- scoring

def add(count, tp=0, fp=0, fn=0):
    count.tp += tp
    count.fp += fp
    count.fn += fn


def block_view(block):
    tasks = block.get('tasks') or []
    return {
        'ref': block.get('ref'),
        'text': ' '.join([block.get('heading') or ''] + [t.get('text', '') for t in tasks]),
        'lead': list(block.get('lead') or []) + [x for t in tasks for x in (t.get('lead_override') or [])],
        'coord': [c for t in tasks for c in (t.get('coordinating') or [])],
        'deadline': any(t.get('deadline') for t in tasks),
        'confidence': block.get('confidence'),
        'basis': block.get('basis'),
    }


def _differs(golds, preds):
    pairs = name_pairs(golds, preds)
    gi, pj = {i for i, _ in pairs}, {j for _, j in pairs}
    return [g for i, g in enumerate(golds) if i not in gi], [p for j, p in enumerate(preds) if j not in pj]


def score_doc(parsed, gold):
    """Counts per field, one outcome per parsed block (confidence, basis, hit) and readable notes."""
    views = [block_view(b) for b in parsed.get('assignments') or []]
    gtasks = gold['tasks']
    c = {k: Count() for k in FIELDS}
    pairs = match([fold(g['text_start']) for g in gtasks], [fold(v['text']) for v in views],
                  at_least(_start_sim_words, START_SIM))
    add(c['blocks'], tp=len(pairs), fp=len(views) - len(pairs), fn=len(gtasks) - len(pairs))
    paired = dict(pairs)
    hits = [False] * len(views)
    notes = []
    for i, g in enumerate(gtasks):
        if i not in paired:
            add(c['leads'], fn=len(g['lead']))
            add(c['coordinating'], fn=len(g['coordinating']))
            add(c['deadlines'], fn=bool(g.get('deadline')))
            notes.append(f"  missed   {g['ref']}: {g['text_start'][:70]}  (lead {g['lead']})")
            continue
        j = paired[i]
        v = views[j]
        for key, gl, pl in (('leads', g['lead'], v['lead']), ('coordinating', g['coordinating'], v['coord'])):
            n = len(name_pairs(gl, pl))
            add(c[key], tp=n, fp=len(pl) - n, fn=len(gl) - n)
            miss, extra = _differs(gl, pl)
            if key == 'leads':
                hits[j] = not miss and not extra
            if miss or extra:
                notes.append(f"  {key[:5]:<8} {g['ref']} (parsed {v['ref']}): gold-only {miss}  parsed-only {extra}")
        gd, pd = bool(g.get('deadline')), v['deadline']
        add(c['deadlines'], tp=gd and pd, fn=gd and not pd, fp=pd and not gd)
        if gd != pd:
            notes.append(f"  deadline {g['ref']}: gold {g.get('deadline')!r}, parsed {'a deadline' if pd else 'none'}")
    for j, v in enumerate(views):
        if j not in paired.values():
            notes.append(f"  extra    {v['ref']}: {v['text'][:70]}  (lead {v['lead']})")
    outcomes = [{'ref': v['ref'], 'confidence': v['confidence'], 'basis': v['basis'], 'hit': hits[j]}
                for j, v in enumerate(views)]
    return c, outcomes, notes


# ---- the corpus

def documents(texts_only=False, only=None):
    dirs = ('docs',) if texts_only else ('docs', 'bin')
    docs = sorted((p for d in dirs for p in (CORPUS / d).iterdir() if p.is_file()), key=lambda p: p.name)
    return [d for d in docs if not only or d.name.startswith(only)]


def gold_of(doc):
    return json.loads((CORPUS / 'gold' / (doc.stem + '.json')).read_text(encoding='utf-8'))


def missing_tools(doc):
    """The programs a document's format needs that are not installed (the pdf is a scan: OCR)."""
    need = {'.pdf': ('tesseract', 'pdftoppm'), '.doc': ('soffice',)}.get(doc.suffix.lower(), ())
    missing = [t for t in need if not shutil.which(t)]
    if doc.suffix.lower() == '.pdf' and not missing:
        from dondoc.parsing.ocr import tesseract_available
        if not tesseract_available():
            missing.append('tesseract language "vie"')
    return missing


def parse_corpus(docs=None, progress=None):
    """{stem: {'parsed', 'seconds', 'error', 'missing'}}: each document parsed once, in this process."""
    from dondoc.parsing import ParseError, parse
    out = {}
    for doc in documents() if docs is None else docs:
        entry = {'path': doc, 'parsed': None, 'seconds': 0.0, 'error': None, 'missing': missing_tools(doc)}
        if not entry['missing']:
            t = time.perf_counter()
            try:
                entry['parsed'] = parse(doc)
            except ParseError as e:             # counts as finding nothing, like a crash of the command
                entry['error'] = str(e)
            entry['seconds'] = time.perf_counter() - t
        if progress:
            progress(doc, entry)
        out[doc.stem] = entry
    return out


def score_corpus(results):
    """Scores of the documents that could be parsed (a parse error scores as no block found)."""
    per_doc, totals, outcomes = {}, {k: Count() for k in FIELDS}, []
    for stem, entry in results.items():
        if entry['missing']:
            continue
        counts, outs, notes = score_doc(entry['parsed'] or {'assignments': []}, gold_of(entry['path']))
        for k in FIELDS:
            add(totals[k], counts[k].tp, counts[k].fp, counts[k].fn)
        outcomes += [dict(o, doc=stem) for o in outs]
        per_doc[stem] = {'counts': counts, 'notes': notes, 'error': entry['error']}
    return {'documents': per_doc, 'totals': totals, 'outcomes': outcomes,
            'skipped': {s: e['missing'] for s, e in results.items() if e['missing']}}


def calibration(outcomes):
    """Per confidence band: blocks, misses, miss rate (None for an empty band); blocks without a number apart."""
    rows = []
    for label, lo, hi in BANDS:
        band = [o for o in outcomes if isinstance(o['confidence'], (int, float)) and lo <= o['confidence'] < hi]
        misses = sum(not o['hit'] for o in band)
        rows.append({'band': label, 'blocks': len(band), 'misses': misses,
                     'rate': misses / len(band) if band else None})
    unrated = [o for o in outcomes if not isinstance(o['confidence'], (int, float))]
    if unrated:
        misses = sum(not o['hit'] for o in unrated)
        rows.append({'band': 'no number', 'blocks': len(unrated), 'misses': misses, 'rate': misses / len(unrated)})
    return rows


# ---- printing

def table(report, details=False, seconds=None):
    """One line per document (with `seconds`, {stem: s}, its parse time), the totals, and (with details)
    what differs in each document."""
    lines = [f'{"document":44} {"gold":>4} {"parsed":>6} {"found":>5}  ' + '  '.join(f'{k:>12}' for k in FIELDS)
             + ('  seconds' if seconds else '')]
    for stem, d in report['documents'].items():
        b = d['counts']['blocks']
        lines.append(f'{stem[:44]:44} {b.tp + b.fn:4d} {b.tp + b.fp:6d} {b.tp:5d}  '
                     + '  '.join(f'{d["counts"][k].f1:12.3f}' for k in FIELDS)
                     + (f'  {seconds[stem]:7.2f}' if seconds else '')
                     + (f'  parser failed: {d["error"][:80]}' if d['error'] else ''))
        if details:
            lines += d['notes']
    for stem, missing in report['skipped'].items():
        lines.append(f'{stem[:44]:44} not parsed: needs {", ".join(missing)}')
    t = report['totals']
    lines.append(f'corpus ({len(report["documents"])} documents): '
                 + ', '.join(f'{k} F1 {t[k].f1:.3f}' for k in FIELDS))
    return '\n'.join(lines)


def calibration_table(rows):
    lines = [f'{"confidence":>10} {"blocks":>6} {"misses":>6} {"miss rate":>9}']
    for r in rows:
        rate = '-' if r['rate'] is None else f'{r["rate"]:.3f}'
        lines.append(f'{r["band"]:>10} {r["blocks"]:6d} {r["misses"]:6d} {rate:>9}')
    return '\n'.join(lines)


# ---- dev check against the scorer the corpus came with (never run by the tests)

def compare_with(shared_score, results):
    """Score every parse with both scorers; return the differing counts (empty when they agree)."""
    spec = importlib.util.spec_from_file_location('shared_corpus_score', shared_score)
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    diffs = []
    mine = score_corpus(results)
    sums = {k: [0, 0, 0] for k in FIELDS}
    for stem, d in mine['documents'].items():
        parsed = results[stem]['parsed'] or {'assignments': []}
        theirs, _ = shared.score_doc(parsed, gold_of(results[stem]['path']), False)
        for k in FIELDS:
            a = (d['counts'][k].tp, d['counts'][k].fp, d['counts'][k].fn)
            b = (theirs[k].tp, theirs[k].fp, theirs[k].fn)
            sums[k] = [x + y for x, y in zip(sums[k], b)]
            if a != b or f'{d["counts"][k].f1:.3f}' != f'{theirs[k].f1:.3f}':
                diffs.append(f'{stem} {k}: ours (tp, fp, fn) {a}, theirs {b}')
    for k in FIELDS:
        t = mine['totals'][k]
        if [t.tp, t.fp, t.fn] != sums[k]:
            diffs.append(f'total {k}: ours {(t.tp, t.fp, t.fn)}, theirs {tuple(sums[k])}')
    return diffs


def main(argv):
    only = argv[argv.index('--only') + 1] if '--only' in argv else None
    docs = documents(texts_only='--texts' in argv, only=only)
    results = parse_corpus(docs)
    report = score_corpus(results)
    print(table(report, details='--details' in argv))
    print(calibration_table(calibration(report['outcomes'])))
    if '--against' in argv:
        diffs = compare_with(argv[argv.index('--against') + 1], results)
        print('\n'.join(diffs) if diffs else 'same counts as the shared scorer on every document and in total')
        return 1 if diffs else 0
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
