"""What the rest of the parser asks of agency names: the names listed at a place, the names of a cell, whether
a text is a list of names or a name a class of bodies, and a name's canonical form."""
import re

from ..lexicon import fold, tone_style
from .grammar import _Scan, _class, _head, _role, starts_name
from .tokens import Name, expand, match, tokenize

# ---- public API -------------------------------------------------------------------------------------

_WINDOW = 320       # characters read ahead at first (most lists of names are shorter)

def names_at(text: str, pos: int = 0, semicolons: bool = True, list_ctx: bool = False, bare_first: bool = False):
    """Names listed at `pos` ("Sở Y tế, Sở Tài chính và các cơ quan liên quan"): (list of Name, end).

    The list goes on over ",", "và", "cùng" (and ";" when `semicolons`) while a new name follows; it ends
    at the first word that starts none (a verb, "theo chức năng", ":" ...). `end` is after the last name.
    """
    window = _WINDOW
    while True:
        out, end = _names_in(text, pos, semicolons, list_ctx, window, bare_first)
        # a list that reaches the end of the window may go on: read further
        if end - pos < window - 80 or pos + window >= len(text):
            return out, end
        window *= 4


def _names_in(text, pos, semicolons, list_ctx, window, bare_first=False):
    toks = tokenize(text[pos:pos + window])
    scan = _Scan(toks, list_ctx)
    out, i, end, bare = [], 0, pos, bare_first
    while i < len(toks):
        r = scan.name(i, bare_class=bare)
        if not r:
            break
        j, kind = r
        a, b = toks[i].a, toks[j - 1].b
        out.append(Name(text[pos + a:pos + b], pos + a, pos + b, kind))
        end = pos + b
        k = j
        while k < len(toks) and (toks[k].s == ',' or toks[k].s == ';' and semicolons or
                                 toks[k].word and toks[k].low in ('và', 'cùng', 'với') and not toks[k].cap):
            k += 1
        if k >= len(toks) or not starts_name(toks, k, list_ctx, bare_class=True):
            break
        if k == j and not _head(toks, k):
            break           # names follow each other without a separator only when a lost comma is evident
        i = k
        bare = True
    return out, end


def split_list(text: str) -> list:
    """The names of a text that holds only names (a heading, a table cell, a label's value).

    Splits at ";" always, and at ", " / " và " where a new body starts:
    "Sở Lao động - Thương binh và Xã hội, Sở Nông nghiệp và Phát triển nông thôn, Ban Dân tộc" -> 3;
    "Các sở, ban, ngành, cơ quan, đơn vị liên quan và Ủy ban nhân dân huyện, thành phố" -> 2.
    A piece the grammar does not read as a name is kept whole, as printed.
    """
    out = []
    chunks = [c.strip(' ,.:') for c in re.split(r'\s*;\s*|\n+', text)]
    chunks = [c for c in chunks if c]
    merged = []
    for chunk in chunks:
        prev = tokenize(merged[-1]) if merged else []
        if prev and match(prev, 0, 'role_heads') == len(prev):
            merged[-1] = merged[-1] + ' ' + chunk      # "Lãnh đạo" / "Sở Công Thương": one cell over two lines
        else:
            merged.append(chunk)
    for chunk in merged:
        names, end = names_at(chunk, 0, semicolons=False, list_ctx=True)
        if names and not chunk[end:].strip(' ,.;:'):
            out.extend(n.text for n in names)
        elif names and chunk[end:].lstrip().startswith(('và', 'cùng', ',')):
            # a piece the grammar cannot place: it stays with the name before it, as printed
            out.extend([n.text for n in names[:-1]] + [chunk[names[-1].start:].strip()])
        else:
            out.append(chunk)
    return [x.strip(' ,.') for x in out if x.strip(' ,.')]


def is_agency_list(text: str) -> bool:
    """True when the whole text names bodies only (a heading "1.2. Sở Kế hoạch và Đầu tư")."""
    text = text.strip().rstrip('.:').strip()
    if not text or len(text) > 260:
        return False
    names, end = names_at(text, 0, semicolons=True)
    return bool(names) and not text[end:].strip(' ,.;:')


def role_at(text: str):
    toks = tokenize(text[:80])
    n = _role(toks, 0)
    return ' '.join(t.low for t in toks[:n]) if n else None


def is_group(name: str) -> bool:
    """A class of bodies ("Ủy ban nhân dân huyện, thành phố", "Các sở, ban, ngành") rather than one body."""
    f = fold(name)
    if re.match(r'(cac|nhung|tat ca)\b', f) or role_at(name) and re.search(r'\bcac\b', f):
        return True
    if re.search(r'\b(lien quan|truc thuoc|cap xa|cap huyen|cap tinh|cac huyen|cac xa|cac phuong|cac so|'
                 r'cac co quan|huyen, thanh pho|huyen, thi xa|xa, phuong|phuong, xa|so, ban|so, nganh|'
                 r'co quan, don vi|ban, nganh|duoc giao)\b', f):
        return True
    toks = tokenize(name)
    return bool(toks) and bool(_class(toks, 0)) and not _head(toks, 0)


def canonical(name: str) -> str:
    name = ' '.join(name.strip(' ,;:.-–').split())
    name = tone_style(expand(name))
    name = re.sub(r'^(?:Giao|giao)\s+', '', name)
    if name[:1].islower() and role_at(name):
        name = name[0].upper() + name[1:]      # "lãnh đạo các cơ quan" listed after others
    return name
