"""Vietnamese agency names: where a name starts and where it ends, decided by its grammar.

Split by concern, imports flowing one way: tokens (words, lexicon lists, abbreviations) <- tenant (the
tenant's own names) <- grammar (the scanner of a name) <- names (what the rest of the parser asks).
Everything other modules use is importable from here, as `from dondoc.parsing.agencies import ...`.
"""
from .grammar import starts_name
from .tenant import KnownNames, known, known_names
from .names import canonical, is_agency_list, is_group, names_at, role_at, split_list
from .tokens import Name, Tok, expand, is_code, match, tokenize

__all__ = [
    'KnownNames', 'Name', 'Tok', 'canonical', 'expand', 'is_agency_list', 'is_code', 'is_group', 'known',
    'known_names', 'match', 'names_at', 'role_at', 'split_list', 'starts_name', 'tokenize',
]
