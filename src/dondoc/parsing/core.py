"""parse(): document in, PlanStructure (docs/parser-output.md) out."""
import re

from . import agencies, blocks, document, outline
from .errors import ParseError
from .extract import extract
from .normalize import normalize


def parse_text(norm, extra_warnings=()):
    paras = norm.paras
    # the signature block and recipients close the body; an appendix (task table) may follow them
    closing, body = [], []
    in_closing = False
    for i, p in enumerate(paras):
        if document.CLOSING_RE.match(p.text) and not p.table:
            in_closing = True
        elif in_closing and (document.APPENDIX_RE.match(p.text) or p.table or document.RESTART_RE.match(p.text)):
            in_closing = False      # an appendix, a task table, or a further document after the signature
        (closing if in_closing else body).append(i)
    from .normalize import Normalized
    sub = Normalized(norm.text, [paras[i] for i in body])
    roots, preamble = outline.build(sub.paras)
    # preamble paragraph indexes are positions in `sub.paras`: map them back
    preamble_ids = [body[i] for i in preamble]
    doc = document.parse_document(paras, preamble_ids, closing)
    doc_year = int(doc['date'][:4]) if doc.get('date') else None
    sections, assignments = blocks.build(sub, roots, doc_year, doc.get('issuer'), preamble)
    warnings = list(extra_warnings) + list(norm.warnings)
    if not assignments:
        warnings.append('no assignment block found: no numbered item names a lead agency')
    return {'document': doc, 'sections': sections, 'assignments': assignments, 'warnings': warnings}


def parse(source, filename=None, *, max_bytes=None, include_text=False, progress=None, known_agencies=None):
    """Parse a plan: `source` is a path (str / PathLike) or the file's bytes; returns the SCHEMA dict.

    `known_agencies`: names (and aliases) of the agencies the tenant already has; a name the grammar would
    cut short is read whole when it is one of them ("Trung tâm Xúc tiến đầu tư"), and a block whose lead
    matches none of them is less certain.
    Raises ParseError (one-line English message) for unusable input: empty, corrupt, encrypted,
    over the size limit (`max_bytes`, default env DONDOC_PARSE_MAX_BYTES or 50 MB), no text.
    """
    ex = extract(source, filename, max_bytes=max_bytes, progress=progress)
    norm = normalize(ex.lines, wrapped=ex.wrapped, pages=ex.pages, hints=ex.hints)
    if not re.search(r'[^\W\d_]{2}', norm.text):
        raise ParseError('the document contains no readable text')
    with agencies.known_names(known_agencies):
        result = parse_text(norm, ex.warnings)
    if include_text:
        result['text'] = norm.text
    return result
