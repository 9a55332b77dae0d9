"""Splitting a block's text into tasks (one action item each), per the rules in docs/parser.md.

Split at ";" and sentence ends, never inside parentheses or quotes; a piece that merely continues the
object list of the previous verb (starts with a noun phrase) is joined back; inside an enumeration
introduced by a colon, pieces are joined unless they clearly start a new action.
"""
import re
from dataclasses import dataclass

from .lexicon import leading_phrase

_OPEN, _CLOSE = '(“"[', ')”"]'
_TRAILING_CONNECTOR = re.compile(r'(?:,?\s*(?:trong đó|cụ thể(?: như sau)?|gồm|bao gồm|như sau))?\s*:\s*$', re.I)


@dataclass
class Piece:
    start: int          # offsets into the paragraph text
    end: int
    kind: str           # how it was separated from the previous piece: start | semi | sent
    colon: bool         # inside an enumeration introduced by a colon


def _pieces(s: str, start: int = 0):
    pieces, depth, colon, i, n = [], 0, False, start, len(s)
    cur, kind, cur_colon = start, 'start', False
    quote_open = False
    while i < n:
        c = s[i]
        if c == '"':
            quote_open = not quote_open
        elif c in '(“[':
            depth += 1
        elif c in ')”]':
            depth = max(0, depth - 1)
        elif depth == 0 and not quote_open:
            if c == ':' and i + 1 < n and s[i + 1] == ' ':
                colon = True
            elif c == ';':
                pieces.append(Piece(cur, i + 1, kind, cur_colon))
                cur, kind, cur_colon = i + 1, 'semi', colon
            elif c == '.' and i + 2 < n and s[i + 1] == ' ' and s[i - 1:i] != '.' \
                    and (s[i + 2].isupper() or s[i + 2] in '"“') and not _abbrev_before(s, i):
                pieces.append(Piece(cur, i + 1, kind, cur_colon))
                colon = False
                cur, kind, cur_colon = i + 1, 'sent', False
        i += 1
    if cur < n:
        pieces.append(Piece(cur, n, kind, cur_colon))
    return pieces


def _abbrev_before(s, i):
    m = re.search(r'(\S+)$', s[max(0, i - 8):i])
    w = m.group(1) if m else ''
    return w in ('TP', 'Tp', 'TX', 'TT', 'ThS', 'TS', 'PGS', 'GS', 'Th.S', 'v.v', 'St') or len(w) == 1 and w.isupper()


def _starts_action(text: str) -> bool:
    verb = leading_phrase(text, 'verbs')
    if verb is None:
        return False
    noun = leading_phrase(text, 'noun_continuations')
    # "Chỉ thị số ..." is a document, not the verb "chi": the longer reading wins
    return not (noun and len(noun.split()) > len(verb.split()))


def _continues(text: str) -> bool:
    return leading_phrase(text, 'noun_continuations') is not None or text[:1].isdigit()


def trim(s: str, a: int, b: int):
    """Strip spaces and the trailing delimiter (";", one ".", "./.", a closing ":"), keep an ellipsis."""
    while a < b and s[a] in ' ,;':
        a += 1
    while b > a and s[b - 1] == ' ':
        b -= 1
    seg = s[a:b]
    if seg.endswith('./.'):
        b -= 3
    elif seg.endswith(';'):
        b -= 1
    elif seg.endswith('.') and not seg.endswith('..'):
        b -= 1
    m = _TRAILING_CONNECTOR.search(s[a:b])
    if m and m.start() > 0:
        b = a + m.start()
    while b > a and s[b - 1] in ' ,;':
        b -= 1
    return a, b


def split(s: str, start: int = 0):
    """Task (start, end) spans in paragraph text `s`, from offset `start` (after a marker or lead-in)."""
    out = []
    for p in _pieces(s, start):
        text = s[p.start:p.end].strip()
        if not text.strip(' .;,:'):
            continue
        if out and p.kind != 'start':
            lead = text.lstrip(' "“(')
            if _starts_action(lead):
                join = False
            elif p.colon or (p.kind == 'semi' and _continues(lead)):
                join = True
            else:
                join = False
            if join:
                out[-1] = (out[-1][0], p.end)
                continue
        out.append((p.start, p.end))
    spans = []
    for a, b in out:
        a, b = trim(s, a, b)
        if b - a >= 3:
            spans.append((a, b))
    return spans
