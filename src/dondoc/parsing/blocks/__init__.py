"""Assignment blocks: which parts of a plan give work, and to whom (the layouts are told in builder.py).

Split by concern, imports flowing one way: labels (labelled lines) and leads (who a heading or sentence
names) <- confidence (a block's prior and doubts) <- builder (the outline read top-down into blocks).
Everything other modules and tests use is importable from here, as `from dondoc.parsing.blocks import ...`.
"""
from .builder import Builder, build, non_assigning
from .confidence import BASIS
from .labels import LABEL_RE, inline_time, label_of
from .leads import _heading_names, coordinating, generic, heading_lead, inline_lead

__all__ = [
    'BASIS', 'Builder', 'LABEL_RE', '_heading_names', 'build', 'coordinating', 'generic', 'heading_lead',
    'inline_lead', 'inline_time', 'label_of', 'non_assigning',
]
