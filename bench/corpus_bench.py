"""The real-plan corpus (tests/parsing/fixtures/corpus): scores and parse time, in-process (prints figures only).

    python bench/corpus_bench.py [--runs N] [--details] [--only NN]     # N passes (default 3), about 70 s each

- per document: blocks / leads / coordinating / deadlines F1 against the gold, and its median parse time;
- corpus totals (targets of issue 11: blocks >= 0.90, leads >= 0.88, coordinating >= 0.80, deadlines >= 0.85,
  no document below 0.70 on blocks);
- the confidence calibration: per band (< 0.5, 0.5–0.8, >= 0.8) blocks, misses (no gold block, or a wrong
  lead) and miss rate (target: under 0.5 at least twice the rate at 0.8 or more);
- the whole corpus parse time, OCR of the scanned PDF included: median of N passes (target < 60 s).
Plan 78's parse time (median of 15) is parse_bench.py's.
"""
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))
sys.path.insert(0, str(ROOT))


def main(argv):
    from dondoc.parsing import parse
    from tests.parsing.corpus_score import (calibration, calibration_table, documents, parse_corpus, score_corpus,
                                            table)
    runs = int(argv[argv.index('--runs') + 1]) if '--runs' in argv else 3
    only = argv[argv.index('--only') + 1] if '--only' in argv else None
    docs = documents(only=only)
    parse(docs[0])                                   # warm up: imports, lexicon
    passes, wall = [], []
    for _ in range(max(1, runs)):
        t = time.perf_counter()
        passes.append(parse_corpus(docs))
        wall.append(time.perf_counter() - t)
    first = passes[0]
    seconds = {s: statistics.median(p[s]['seconds'] for p in passes) for s in first}
    report = score_corpus(first)
    print(table(report, details='--details' in argv, seconds=seconds))
    low = [s for s, d in report['documents'].items() if d['counts']['blocks'].f1 < 0.70]
    print(f'documents below 0.70 on blocks: {len(low)}' + (f' ({", ".join(s[:2] for s in low)})' if low else ''))
    print()
    print(calibration_table(calibration(report['outcomes'])))
    print()
    parsed = [s for s in first if not first[s]['missing']]
    scanned = [s for s in parsed if first[s]['path'].suffix.lower() == '.pdf']
    ocr = ''.join(f', OCR of {s[:2]} {seconds[s]:.1f} s' for s in scanned)
    blocks = sum(len(first[s]['parsed']['assignments']) for s in parsed if first[s]['parsed'])
    print(f'whole corpus ({len(parsed)} documents, {blocks} blocks): median {statistics.median(wall):.1f} s '
          f'of {len(wall)} pass(es){ocr} (target < 60 s)')
    for s, missing in report['skipped'].items():
        print(f'not parsed: {s} needs {", ".join(missing)}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
