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


def name_key(name: str) -> str:
    words = search_words(name)
    # "Các sở, ban, ngành" and "sở, ban, ngành" name the same class of bodies.
    if len(words) > 1 and words[0] == "cac":
        words = words[1:]
    return " ".join(words)
