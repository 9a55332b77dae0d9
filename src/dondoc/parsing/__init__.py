"""dondoc.parsing: a framework-free reader of Vietnamese government plans (no Django import here).

    from dondoc.parsing import parse, ParseError
    result = parse('plan.docx')          # or parse(data_bytes, filename='plan.docx')

`parse` returns the PlanStructure dict described in docs/parser-output.md (document, sections, assignments,
warnings). Unusable input raises `ParseError`, whose message is one line of English.
"""
from .errors import ParseError
from .core import parse

__all__ = ['parse', 'ParseError']
