"""How two printed names of the same body are recognised as equal: accents, case, tone placement,
punctuation and the usual abbreviations do not matter (`UBND huyện Na Hang` = `Ủy ban nhân dân huyện Na Hang`)."""

from __future__ import annotations

import re

from dondoc.core.text import fold

# Abbreviations that officials print, in folded form, expanded before comparing.
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tp": "thanh pho",
    "tw": "trung uong",
    "ttg": "thu tuong",
}
_WORD = re.compile(r"[0-9a-z]+")


def search_words(text: str) -> list[str]:
    """Folded words with the usual abbreviations expanded: what stored search text and queries are made of."""
    return [_ABBREVIATIONS.get(w, w) for w in _WORD.findall(fold(text))]


def search_text(text: str) -> str:
    return " ".join(search_words(text))


# How far apart a several-word query's words may lie in a text, beyond the query's own length, and still match:
# "benh vien huyen" finds "bệnh viện đa khoa huyện"; "chuyen doi so" finds neither "chuyển" and "đổi" in one
# sentence with "số" three lines further, nor "sơ kết công tác chuyển đổi".
NEAR_SLACK = 2
# How a text matches a query, best first: the words as typed, one after the other; the same with the last word
# unfinished (the task list searches as one types: "chuyen doi s"); every word, whole, close together in any order.
PHRASE, PREFIX, NEAR = 0, 1, 2


def _phrase_at(query: list[str], words: list[str], i: int, *, whole: bool) -> bool:
    last = len(query) - 1
    return all(words[i + k] == q if whole or k < last else words[i + k].startswith(q) for k, q in enumerate(query))


def match(query: list[str], text: str) -> int | None:
    """How the search text `text` (search_text()) matches the query words `query` (search_words()): PHRASE, PREFIX,
    NEAR, or None. Words are whole words but for PREFIX's last one ("so" finds "số", not "soát"): a word that
    only begins like a query word never counts towards NEAR."""
    words = text.split()
    n = len(query)
    if not n:
        return PHRASE
    starts = range(len(words) - n + 1)
    if any(_phrase_at(query, words, i, whole=True) for i in starts):
        return PHRASE
    if any(_phrase_at(query, words, i, whole=False) for i in starts):
        return PREFIX
    positions = [[i for i, w in enumerate(words) if w == q] for q in query]
    if n == 1 or any(not p for p in positions):
        return None
    width = n + NEAR_SLACK  # the smallest stretch holding every query word, by a window from each position
    for start in sorted({i for p in positions for i in p}):
        if all(any(start <= i < start + width for i in p) for p in positions):
            return NEAR
    return None


def name_key(name: str) -> str:
    words = search_words(name)
    # "Các sở, ban, ngành" and "sở, ban, ngành" name the same class of bodies.
    if len(words) > 1 and words[0] == "cac":
        words = words[1:]
    return " ".join(words)
