"""Issue 19: proposing the links of an agency's implementation plan to the plan above it.

The bound: a 200-task child plan against 2,000 parent assignments in under 2 s. The texts are real: every task the
parser reads in the plans of tests/fixtures (Plan 78, the housing decisions of 2013-2014, the parsing fixtures),
repeated with their numbers changed until there are 2,000 candidates; the 200 children are candidates cut and
reworded (every third word dropped, a unit's name put in front), as an agency writes its plan. Printed: the median
of 5 runs, the ratio to the bound, and how many children found their own source (a sanity check, not a score).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dondoc.parsing import parse  # noqa: E402
from dondoc.plans import links  # noqa: E402

PARENTS, CHILDREN, BOUND = 2000, 200, 2.0


def texts() -> list[str]:
    out = []
    for path in sorted((ROOT / "tests" / "fixtures").glob("**/*.txt")):
        try:
            result = parse(path)
        except Exception:  # a fixture that is not a plan
            continue
        out += [t["text"] for block in result["assignments"] for t in block["tasks"] if len(t["text"]) > 40]
    return out


def main() -> int:
    source = texts()
    rng = random.Random(19)
    parents = [(i, f"{source[i % len(source)]} (đợt {i // len(source) + 1}, năm {2024 + i // len(source)})")
               for i in range(PARENTS)]
    picked = rng.sample(range(PARENTS), CHILDREN)
    children = []
    for n, i in enumerate(picked):
        words = parents[i][1].split()
        kept = [w for j, w in enumerate(words) if j % 3 != 2]
        children.append((n, "Phòng Kế hoạch tổng hợp chủ trì " + " ".join(kept)))
    times = []
    for _ in range(5):
        start = time.perf_counter()
        found = links.propose(children, parents)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    own = sum(1 for n, i in enumerate(picked) if found[n].parent is not None
              and parents[found[n].parent][1].split(" (đợt")[0] == parents[i][1].split(" (đợt")[0])
    print(f"  {len(source)} real task texts; {CHILDREN} children against {PARENTS} candidates: median {median:.3f} s of 5 "
          f"({median / BOUND:.2f}× the {BOUND:.0f} s bound)  {'ok' if median < BOUND else 'OVER'}")
    print(f"  children linked to a candidate of their own source text: {own}/{CHILDREN}")
    return 0 if median < BOUND else 1


if __name__ == "__main__":
    raise SystemExit(main())
