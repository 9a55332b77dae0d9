"""Tokens of agency names and the lexicon lists as the grammar reads them, abbreviations expanded.

The lowest layer of the recogniser: it knows words, never where a name starts or ends (grammar.py).
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import data, key

# words keep "&" and inner "-" (KH&ĐT, LĐ-TB&XH); everything else is one token of punctuation
_TOKEN = re.compile(r"[^\W_]+(?:[&'’\-][^\W_]+)*|\S", re.UNICODE)
_CODE = re.compile(r'^[A-Z]{1,3}\d{2,3}$')            # unit codes of ministries: C04, V01, H01
_ROMAN = re.compile(r'^[IVXLC]+$')


@dataclass(frozen=True)
class Tok:
    s: str        # as printed
    a: int        # offsets in the text
    b: int
    low: str      # lower case, one tone placement
    word: bool
    cap: bool


@dataclass(frozen=True)
class Name:
    text: str
    start: int
    end: int
    kind: str     # agency | group | role | code


_low = lru_cache(maxsize=65536)(key)


def tokenize(text: str):
    out = []
    for m in _TOKEN.finditer(text):
        s = m.group()
        w = s[0].isalnum()
        out.append(Tok(s, m.start(), m.end(), _low(s), w, w and s[0].isupper()))
    return out


# ---- vocabulary -------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _table(name: str):
    """first token -> phrase lengths (longest first) for a lexicon list, phrases tokenised like text."""
    index = {}
    for phrase in data()[name]:
        toks = tuple(t.low for t in tokenize(phrase))
        if toks:
            index.setdefault(toks[0], set()).add(toks)
    return {k: sorted(v, key=len, reverse=True) for k, v in index.items()}


def match(toks, i, name):
    """Tokens of the longest phrase of lexicon list `name` starting at toks[i] (0 when none)."""
    if i >= len(toks):
        return 0
    for phrase in _table(name).get(toks[i].low, ()):
        n = len(phrase)
        if i + n <= len(toks) and all(toks[i + k].low == phrase[k] for k in range(1, n)):
            return n
    return 0


def _abbrev_words():
    d = data()
    return {key(k) for k in list(d['abbreviations']) + list(d['department_abbreviations'])}


_ABBREVS = None


def _is_abbrev(t: Tok) -> bool:
    global _ABBREVS
    if _ABBREVS is None:
        _ABBREVS = _abbrev_words()
    return t.word and (t.low in _ABBREVS or len(t.s) >= 2 and t.s.isupper() and not _ROMAN.match(t.s)
                       and not t.s.isdigit())


def is_code(name: str) -> bool:
    return bool(_CODE.match(name.strip()))


# ---- abbreviations ---------------------------------------------------------------------------------

def _abbrev_re():
    d = data()
    dep = sorted(d['department_abbreviations'], key=len, reverse=True)
    gen = sorted(d['abbreviations'], key=len, reverse=True)
    return (re.compile(r'\b(Sở|Bộ)\s+(' + '|'.join(map(re.escape, dep)) + r')(?![\w&])'),
            re.compile(r'(?<![\w&])(' + '|'.join(map(re.escape, gen)) + r')(?![\w&])'))


_ABBR = None


def expand(name: str) -> str:
    """UBND -> Ủy ban nhân dân, Sở KH&ĐT -> Sở Kế hoạch và Đầu tư, BHXH -> Bảo hiểm xã hội ..."""
    global _ABBR
    if _ABBR is None:
        _ABBR = _abbrev_re()
    dep_re, gen_re = _ABBR
    d = data()
    name = dep_re.sub(lambda m: m.group(1) + ' ' + d['department_abbreviations'][m.group(2)], name)
    return gen_re.sub(lambda m: d['abbreviations'][m.group(1)], name)
