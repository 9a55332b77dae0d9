"""The parser's confidence in a task's assignment block: read from its output, named in words, ordered for review.

The one place that says what a confidence means to a coordinator: under LOW a task is flagged "cần kiểm tra".
The bounds are issue 11's: the parser's blocks under 0.5 are to miss at least twice as often as those at 0.8 or more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

LOW = 0.5
HIGH = 0.8
BASIS_MAX = 255  # Task.parse_basis


def from_block(block: dict) -> tuple[float | None, str]:
    """The block's (confidence, basis) as stored on its tasks; missing or malformed values are unknown (None, "")."""
    value = block.get("confidence")
    confidence = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        confidence = min(max(float(value), 0.0), 1.0)
    basis = block.get("basis")
    basis = " ".join(basis.split())[:BASIS_MAX] if isinstance(basis, str) else ""
    return confidence, basis


def least_certain(*pairs: tuple[float | None, str]) -> tuple[float | None, str]:
    """Of several (confidence, basis), the least certain known one: a merged task is as doubtful as its worst part."""
    known = [p for p in pairs if p[0] is not None]
    return min(known, key=lambda p: p[0]) if known else (None, "")


@dataclass(frozen=True)
class Level:
    code: str  # low / medium / high / unknown
    label: str
    flagged: bool


LEVELS = {
    "low": Level("low", "độ tin cậy thấp", True),
    "medium": Level("medium", "độ tin cậy trung bình", False),
    "high": Level("high", "độ tin cậy cao", False),
    "unknown": Level("unknown", "không có độ tin cậy (nhập từ Excel hoặc thêm tay)", False),
}


def _comma(value: float) -> str:
    return f"{value:g}".replace(".", ",")


# The scale as the review screen explains it (one line above the list).
LEGEND = (f"Độ tin cậy khi đọc văn bản (thang 0 – 1): thấp dưới {_comma(LOW)} · trung bình đến {_comma(HIGH)} · "
          f"cao từ {_comma(HIGH)}.")


def level(confidence: float | None) -> Level:
    if confidence is None:
        return LEVELS["unknown"]
    if confidence < LOW:
        return LEVELS["low"]
    return LEVELS["high"] if confidence >= HIGH else LEVELS["medium"]


def is_flagged(confidence: float | None) -> bool:
    return level(confidence).flagged


def sort_key(task) -> tuple:
    """Least certain first, unknown last; document order among equals, so a block's tasks stay together."""
    return (task.parse_confidence is None, task.parse_confidence or 0.0, task.order)


@dataclass
class BlockGroup:
    """Consecutive tasks of one assignment block in working order, shown under the block's heading."""

    block_ref: str
    heading: str
    section: object
    tasks: list = field(default_factory=list)

    @property
    def basis(self) -> str:
        """The layout rule shared by all its tasks, shown once above them ("" when they differ)."""
        bases = {t.parse_basis for t in self.tasks}
        return bases.pop() if len(bases) == 1 else ""


@dataclass
class Band:
    level: Level
    blocks: list[BlockGroup] = field(default_factory=list)
    count: int = 0


def working_order(tasks) -> list[Band]:
    """The tasks least certain first, in bands (low, medium, high, unknown), each cut into its blocks."""
    bands: dict[str, Band] = {}
    for task in sorted(tasks, key=sort_key):
        lv = level(task.parse_confidence)
        band = bands.setdefault(lv.code, Band(lv))
        last = band.blocks[-1] if band.blocks else None
        if last is None or last.block_ref != task.block_ref or last.section != task.section:
            last = BlockGroup(task.block_ref, task.block_heading.strip().rstrip(":").strip(), task.section)
            band.blocks.append(last)
        last.tasks.append(task)
        band.count += 1
    return [bands[code] for code in LEVELS if code in bands]
