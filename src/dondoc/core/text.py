"""Vietnamese text helpers: accent folding for search and lookup, a sort key in Vietnamese order, dates as
Nghị định 30/2020 writes them, and shortening or joining texts the way a document may.

Folding and the sort key are computed in Python and stored as plain lowercase ASCII, so that search (`contains`)
and ordering behave the same on SQLite and PostgreSQL whatever their collations.
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks that carry the tone (thanh điệu); the others (breve, circumflex, horn) change the letter.
_TONE_MARKS = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}  # huyền sắc hỏi ngã nặng
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # ă/â-ê-ô/ơ-ư

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
_DIGITS = list("0123456789")
# Rank 1 is for separators; digits sort before letters, as in a dictionary.
_RANK = {ch: i + 2 for i, ch in enumerate(_DIGITS + _ALPHABET)}
_OTHER_RANK = len(_RANK) + 2
_SEP_RANK = 1
_KEY_DIGITS = "bcdefghijklmnopqrstuvwxyz"  # 25 symbols, 'a' is reserved as the terminator

_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lowercase ASCII without diacritics, punctuation as single spaces: `Sở Kế hoạch & Đầu tư` -> `so ke hoach dau tu`."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", stripped).strip()


def _letters(text: str):
    """Yield (base letter with its letter marks, tone) for each character of `text`."""
    for ch in unicodedata.normalize("NFC", text.lower()):
        parts = unicodedata.normalize("NFD", ch)
        tone = 0
        kept = parts[0]
        for mark in parts[1:]:
            if mark in _TONE_MARKS:
                tone = _TONE_MARKS[mark]
            elif mark in _LETTER_MARKS:
                kept += mark
        yield unicodedata.normalize("NFC", kept), tone


def _encode(rank: int) -> str:
    return _KEY_DIGITS[rank // 25] + _KEY_DIGITS[rank % 25]


def sort_key(text: str) -> str:
    """A lowercase ASCII key whose plain string order is Vietnamese dictionary order.

    Letters first (a < ă < â < b ... d < đ ...), tones only break ties (a < à < á < ả < ã < ạ).
    """
    primary: list[str] = []
    tones: list[str] = []
    for base, tone in _letters(text):
        if base.isspace() or (len(base) == 1 and not base.isalnum()):
            rank = _SEP_RANK
            if primary and primary[-1] == _encode(_SEP_RANK):
                continue  # runs of spaces and punctuation count once
        else:
            rank = _RANK.get(base, _OTHER_RANK)
        primary.append(_encode(rank))
        tones.append(_KEY_DIGITS[tone])
    return "".join(primary) + "a" + "".join(tones)


def vi_sorted(items, key=lambda item: item):
    return sorted(items, key=lambda item: sort_key(key(item)))


def _day_month(day) -> tuple[str, str]:
    """Nghị định 30/2020, Phụ lục I (địa danh và thời gian): a zero before days 1–9 and months 1 and 2 only, so that
    "1" cannot be made "11" or "12"; months 3–9 have no 13–19 to forge."""
    return f"{day.day:02d}", f"{day.month:02d}" if day.month < 3 else str(day.month)


def official_date(day, *, spelled: bool = False) -> str:
    """A date as Nghị định 30/2020 writes it: 05/01/2025, 02/6/2024; spelled for a document's date line:
    "ngày 05 tháng 01 năm 2025", "ngày 02 tháng 6 năm 2024"."""
    d, m = _day_month(day)
    return f"ngày {d} tháng {m} năm {day.year}" if spelled else f"{d}/{m}/{day.year}"


_SENTENCE_END = re.compile(r"[.;!?…](?=\s)")


def shorten(text: str, limit: int, *, one_line: bool = True) -> str:
    """`text` in at most `limit` characters, "…" included, never cut inside a word: up to the last sentence or
    clause that fits when that keeps at least half, else the last whole word. A single word longer than `limit` is
    kept whole (a cut inside it would read as another word). One line unless `one_line` is False."""
    if one_line:
        text = " ".join((text or "").split())
    else:
        text = "\n".join(" ".join(line.split()) for line in (text or "").strip().splitlines())
    if len(text) <= limit:
        return text
    fits = text[:limit]  # the "…" takes the place of the space or the punctuation the cut ends on
    cut = max([m.end() for m in _SENTENCE_END.finditer(fits)] + [fits.rfind("\n")])
    if cut < limit // 2:
        cut = limit - 1 if fits[-1].isspace() else max(fits.rfind(" "), fits.rfind("\n"))
    if cut <= 0:  # one word longer than the room: kept whole
        cut = text.find(" ")
        if cut < 0:
            return text
    return text[:cut].rstrip(" \n,;:.-–") + "…"


def clauses(parts, *, end: str = ".") -> str:
    """Texts joined as one list sentence, "a; b; c.": each loses its own final period or semicolon first, so the
    list never reads ".;" (a sentence's period then the separator)."""
    items = [p for p in (" ".join((part or "").split()).rstrip(" .;") for part in parts) if p]
    return "; ".join(items) + end if items else ""


def lower_first(text: str) -> str:
    """"Sửa chữa, khắc phục ..." -> "sửa chữa, khắc phục ..." (a title inside a sentence); acronyms kept."""
    text = (text or "").strip()
    if not text:
        return ""
    first = text.split()[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[0].lower() + text[1:]
