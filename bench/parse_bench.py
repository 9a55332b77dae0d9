"""Benchmark of dondoc.parsing, measured in-process through dondoc.parsing.parse (prints figures only).

    python bench/parse_bench.py            # about a minute on 2 cores

- Plan 78 text: median of 15 parses (target < 0.3 s);
- the plan repeated 16 times: median of 3, and its ratio to the single plan (target <= 20x);
- OCR: seconds per page for a scanned PDF of the plan's first pages (target <= 3 s/page on 2 cores);
- peak memory (max RSS of a fresh process) parsing a ~10 MB text (target < 300 MB).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))
sys.path.insert(0, str(ROOT))
SOURCE = ROOT / 'tests' / 'fixtures' / 'plan78' / 'source.txt'


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    from dondoc.parsing import parse
    data = SOURCE.read_bytes()
    parse(data, filename='p.txt')                    # warm up: imports, lexicon
    single = timed(lambda: parse(data, filename='p.txt'), 15)
    n_tasks = sum(len(b['tasks']) for b in parse(data, filename='p.txt')['assignments'])
    print(f'plan78 text ({len(data) / 1024:.0f} KB, {n_tasks} tasks): median {single * 1000:.1f} ms (target < 300 ms)')

    big = b'\n\n'.join([data] * 16)
    x16 = timed(lambda: parse(big, filename='p16.txt'), 3)
    print(f'plan78 x16 ({len(big) / 1024:.0f} KB): median {x16 * 1000:.1f} ms, ratio {x16 / single:.1f}x (target <= 20x)')

    ocr_figure()
    memory_figure()


def ocr_figure():
    from dondoc.parsing import parse
    from dondoc.parsing.ocr import tesseract_available
    if not tesseract_available():
        print('OCR: skipped (Tesseract with "vie" is not installed)')
        return
    from tests.parsing.builders import images_to_pdf, text_to_page_images
    pages = text_to_page_images(SOURCE.read_text(encoding='utf-8'))[:4]
    pdf = images_to_pdf(pages)
    runs = []
    for _ in range(2):
        t = time.perf_counter()
        parse(pdf, filename='scan.pdf')
        runs.append((time.perf_counter() - t) / len(pages))
    print(f'OCR scanned PDF ({len(pages)} A4 pages, {os.cpu_count()} cores): median {statistics.median(runs):.2f} s/page '
          f'(target <= 3 s/page)')


_MEM_CHILD = r'''
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from dondoc.parsing import parse
data = open(sys.argv[2], 'rb').read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
r = parse(data, filename='big.txt')
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f'{len(data)} {dt:.2f} {base / 1024:.0f} {peak / 1024:.0f} {sum(len(b["tasks"]) for b in r["assignments"])}')
'''


def memory_figure():
    data = SOURCE.read_bytes()
    reps = max(1, (10 * 1024 * 1024) // len(data))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / 'big.txt'
        path.write_bytes(b'\n\n'.join([data] * reps))
        out = subprocess.run([sys.executable, '-c', _MEM_CHILD, str(ROOT / 'src'), str(path)],
                             capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        print('memory: failed:', (out.stderr.strip().splitlines() or ['?'])[-1])
        return
    size, secs, base, peak, tasks = out.stdout.split()
    print(f'10 MB text ({int(size) / 1024 / 1024:.1f} MB, {tasks} tasks): {float(secs):.1f} s, peak RSS {peak} MB '
          f'(interpreter and imports {base} MB; target < 300 MB)')


if __name__ == '__main__':
    main()
