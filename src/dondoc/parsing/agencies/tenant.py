"""The agencies a tenant already knows: matched whole, so the grammar does not cut such a name short."""
import contextvars
from contextlib import contextmanager

from ..lexicon import fold
from .tokens import expand, tokenize

_KNOWN = contextvars.ContextVar('dondoc_known_names', default=None)


def _known_key_words(text):
    words = []
    for t in tokenize(expand(text)):
        if t.word:
            words.extend(fold(t.s).split())
    return words


class KnownNames:
    """The agencies (and aliases) of a tenant, matched accent- and abbreviation-insensitively."""

    def __init__(self, names):
        self.keys, self.first = set(), {}
        for n in names or ():
            w = _known_key_words(n)
            if len(w) >= 2:
                self.keys.add(' '.join(w))
                self.first[w[0]] = max(self.first.get(w[0], 0), len(w))

    def end_at(self, toks, i):
        """Index after the longest known name starting at toks[i], or None."""
        if i >= len(toks) or not toks[i].word:
            return None
        words, best, j = [], None, i
        first = fold(expand(toks[i].s)).split()
        if not first or first[0] not in self.first:
            return None
        limit = self.first[first[0]]
        while j < len(toks) and len(words) < limit:
            t = toks[j]
            if t.word:
                words.extend(fold(expand(t.s)).split())
                if ' '.join(words) in self.keys:
                    best = j + 1
            elif t.s not in ',-–':
                break
            j += 1
        return best


def known():
    """The tenant's KnownNames in effect (see known_names), or None."""
    return _KNOWN.get()



@contextmanager
def known_names(names):
    """Within the block, names of `names` (the tenant's agencies) are recognised whole."""
    token = _KNOWN.set(KnownNames(names) if names else None)
    try:
        yield
    finally:
        _KNOWN.reset(token)
