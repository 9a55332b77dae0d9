"""Vietnamese syllable structure, used to repair the spacing of extracted text.

Every Vietnamese word is written as syllables of the shape onset + rhyme ("th" + "ương"), so a run of
letters that is not a syllable but divides into syllables lost a space ("sốquốc" -> "số quốc": PDF text
layers drop the space after a letter with a combining mark), and letters printed one by one rejoin into
the syllables they spell ("r à s o á t" -> "rà soát", "ỦY B AN" -> "ỦY BAN"). The rule is the phonotactics
of the language, not a word list; foreign words and codes (Internet, C04, UBND) are not syllables and are
left alone unless the result is made of syllables only.
"""
import re
import unicodedata
from functools import lru_cache

_TONES = dict.fromkeys(map(ord, '\u0300\u0301\u0303\u0309\u0323'), None)
_ONSET = r'(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?'
# rhymes: a nucleus that can close with a consonant, or a nucleus that ends the syllable itself
_CLOSED = r'(?:uyê|oa|oă|oe|oo|uâ|uê|uy|iê|yê|uô|ươ|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)'
_FINAL = r'(?:ch|ng|nh|c|m|n|p|t)'
_OPEN = (r'(?:oai|oay|oao|oeo|uôi|ươi|ươu|iêu|yêu|uây|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|'
         r'uơ|ưa|ưi|ưu|oa|oe|uê|uy|a|e|ê|i|o|ô|ơ|u|ư|y)')
_SYLLABLE = re.compile(f'{_ONSET}(?:{_CLOSED}{_FINAL}|{_OPEN})')
_NEEDS_FINAL = re.compile(r'(?:ă|â|iê|yê|uô|ươ|uyê|oă|uâ|oo)$')
_LETTERS = re.compile(r'[^\W\d_]+')
_VIET = re.compile('[à-ỹđĐÀ-Ỹ]')


def _bare(s):
    return unicodedata.normalize('NFC', unicodedata.normalize('NFD', s.lower()).translate(_TONES))


@lru_cache(maxsize=20000)
def is_syllable(word: str) -> bool:
    """One Vietnamese syllable, in lower case, Capitalised or UPPER case ("Đảng", "ĐẢNG", "quốc")."""
    if not word or not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    if sum(1 for c in unicodedata.normalize('NFD', word) if ord(c) in _TONES) > 1:
        return False            # one tone mark per syllable
    bare = _bare(word)
    m = _SYLLABLE.fullmatch(bare)
    if not m:
        return False
    # "ươ", "iê", "â" ... never end a syllable: "tướ" is a fragment of "tướng"
    return not _NEEDS_FINAL.search(bare)


def _cost(part):
    # fewer syllables first; a syllable without onset ("ợi") is rarer than one with ("ngợi")
    return 1.0 + (0.3 if _bare(part)[:1] in 'aăâeêioôơuưy' else 0.0)


@lru_cache(maxsize=20000)
def segment(word: str):
    """The cheapest division of `word` into two or more syllables, or None."""
    n = len(word)
    best = [None] * (n + 1)
    best[0] = (0.0, ())
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + 7) + 1):
            part = word[i:j]
            if i and not (part.islower() or part.isupper() or part[0].isupper() and part[1:].islower()):
                continue
            if is_syllable(part):
                cand = (best[i][0] + _cost(part), best[i][1] + (part,))
                if best[j] is None or cand[0] < best[j][0]:
                    best[j] = cand
    if best[n] is None or len(best[n][1]) < 2:
        return None
    return best[n][1]


def _split_token(tok):
    if len(tok) < 4 or not _VIET.search(tok) or is_syllable(tok):
        return tok
    parts = segment(tok)
    if not parts:
        return tok
    # a glued run mixes cases only at a syllable start ("vụTỉnh"); "ĐMPT" or "TTg" are not glued words
    return ' '.join(parts)


def split_glued(text: str) -> str:
    """Spaces lost after syllables: "chuyển đổi sốquốc gia" -> "chuyển đổi số quốc gia"; "kỳ2026" -> "kỳ 2026"."""
    if not _VIET.search(text):
        return text
    text = _LETTERS.sub(lambda m: _split_token(m.group(0)), text)
    # a syllable glued to a number that follows it: "nhiệm kỳ2026", "Chỉ thị số46-CT/TW"
    return re.sub(r'(?<![\w])([^\W\d_]*[à-ỹđ][^\W\d_]*)(?=\d)',
                  lambda m: m.group(1) + ' ' if is_syllable(m.group(1)) and len(m.group(1)) > 1 else m.group(1), text)


def _piece(tok):
    """0: a word or code; 1: a lone letter that is also a word ("y", "à"); 2: a piece that is no word
    by itself (a consonant "B", "nh", "tướ", "Â")."""
    if not tok.isalpha() or len(tok) > 3:
        return 0
    if is_syllable(tok):
        return 1 if len(tok) == 1 else 0
    if len(tok) >= 2 and tok.isupper() and not re.fullmatch(r'(?:NGH|NG|NH|CH|GH|GI|KH|PH|TH|TR)', tok):
        return 0                # an upper-case code: "UBND", "CT"
    return 2


def _resegment(toks):
    whole = ''.join(toks)
    if is_syllable(whole):
        return (whole,)
    return segment(whole)


def join_spaced(text: str, eager: bool = False) -> str:
    """Letters printed apart rejoined into syllables: "T h a m m ư u" -> "Tham mưu", "ỦY B AN" -> "ỦY BAN",
    "t rong" -> "trong", "2 0 2 6" -> "2026". A run of pieces is divided again into syllables, taking in
    the word on either side only when a piece is no word by itself, and is kept only when that gives
    fewer words. Without `eager` a text needs two such pieces before anything is joined (a lone letter
    is more often a label than noise)."""
    words = text.split(' ')
    # a trailing comma or stop stays with its word but does not hide it: "T họ," is "T" + "họ" + ","
    split = [re.match(r'^(.*?)([,.;:!?)]*)$', w, re.S).groups() for w in words]
    toks = [a if a else b for a, b in split]
    tails = [b if a else '' for a, b in split]
    kinds = [_piece(t) for t in toks]
    if sum(1 for k in kinds if k == 2) < (1 if eager else 2) and not re.search(r'(?:\S \S ){3}', text):
        return _digits(text)
    out, i, n = [], 0, len(toks)
    while i < n:
        if not kinds[i]:
            out.append(toks[i] + tails[i])
            i += 1
            continue
        j = i
        while j + 1 < n and kinds[j + 1] and not tails[j]:
            j += 1
        strong = any(k == 2 for k in kinds[i:j + 1])
        if not strong and j - i < 2:
            out.extend(toks[k] + tails[k] for k in range(i, j + 1))
            i = j + 1
            continue
        best = None
        for a in ((i, i - 1) if strong else (i,)):
            for b in ((j, j + 1) if strong and not tails[j] else (j,)):
                if a < 0 or b >= n or not toks[b].isalpha():
                    continue
                if a < i and not (out and out[-1] == toks[a] and toks[a].isalpha() and not tails[a]):
                    continue
                parts = _resegment(toks[a:b + 1])
                if parts and len(parts) < b - a + 1 and (best is None or (b - a + 1) - len(parts) > best[0]):
                    best = ((b - a + 1) - len(parts), a, b, parts)
        if best is None:
            out.extend(toks[k] + tails[k] for k in range(i, j + 1))
            i = j + 1
            continue
        _, a, b, parts = best
        if a < i:
            out.pop()
        out.extend(parts[:-1])
        out.append(parts[-1] + tails[b])
        i = b + 1
    joined = ' '.join(out)
    if joined != text:
        joined = re.sub(r' ([,.;:)])(?= |$)', r'\1', joined)     # "Tham mưu ," was spaced too
    return _digits(joined)


def _digits(text):
    # digits printed apart: "2 0 2 6" (four or more single digits)
    return re.sub(r'(?<!\S)\d(?: \d){3,}(?=[\s.,;:)]|$)', lambda m: m.group(0).replace(' ', ''), text)
