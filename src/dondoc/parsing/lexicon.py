"""Loads the small data file of general Vietnamese vocabulary (data/lexicon.json) once."""
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources


def fold(text: str) -> str:
    """Lower case, no diacritics, đ -> d: used for matching only, never for output."""
    text = unicodedata.normalize('NFD', text.replace('đ', 'd').replace('Đ', 'D'))
    return ''.join(c for c in text if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def data() -> dict:
    raw = resources.files('dondoc.parsing').joinpath('data/lexicon.json').read_text(encoding='utf-8')
    return json.loads(raw)


_TONE_OLD = {  # old-style tone placement -> the style used for matching ("hoá" -> "hóa")
    'oà': 'òa', 'oá': 'óa', 'oả': 'ỏa', 'oã': 'õa', 'oạ': 'ọa', 'oè': 'òe', 'oé': 'óe', 'oẻ': 'ỏe', 'oẽ': 'õe',
    'oẹ': 'ọe', 'uỳ': 'ùy', 'uý': 'úy', 'uỷ': 'ủy', 'uỹ': 'ũy', 'uỵ': 'ụy'}
_TONE_RE = re.compile('(' + '|'.join(_TONE_OLD) + r')(?![^\W\d_])', re.I)


def tone_style(text: str) -> str:
    """One tone-placement convention ("hoà" -> "hòa", "Uỷ" -> "Ủy") for names and matching."""
    def fix(m):
        s = _TONE_OLD[m.group(1).lower()]
        return s[0].upper() + s[1:] if m.group(1)[0].isupper() else s
    return _TONE_RE.sub(fix, text)


def key(text: str) -> str:
    """Lower case, NFC, one tone placement: keeps diacritics, so "cơ" and "có" stay apart."""
    return tone_style(unicodedata.normalize('NFC', text).lower())


def _words(text: str) -> list:
    return re.findall(r'[^\W_]+|,', key(text))


def _phrase_set(key):
    return frozenset(' '.join(_words(x)) for x in data()[key])


@lru_cache(maxsize=None)
def phrases(key: str) -> frozenset:
    return _phrase_set(key)


@lru_cache(maxsize=None)
def max_words(key: str) -> int:
    return max(len(p.split()) for p in phrases(key))


WORD_RE = re.compile(r'[^\W\d_]+(?:-[^\W\d_]+)?|\d+', re.UNICODE)


def leading_phrase(text: str, key: str):
    """Longest phrase of lexicon `key` that starts `text` (folded, punctuation ignored), or None."""
    words = _words(text[:80].lstrip(' "“‘\'(-–+•'))[: max_words(key) + 1]
    best = None
    for n in range(1, min(len(words), max_words(key)) + 1):
        cand = ' '.join(words[:n])
        if cand in phrases(key):
            best = cand
    return best
