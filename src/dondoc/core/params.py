"""Whole numbers from forms, query strings and URLs: one rule for every integer parameter.

ASCII digits only — `str.isdigit()` and `int()` take "²", "٣" and "３", which then fail deeper down (500) — and
within the range the database stores (a 20-digit number overflows SQLite's and PostgreSQL's bigint)."""

from __future__ import annotations

import re

from django import forms

MAX_ID = 2**63 - 1  # bigint, the largest key or counter either database stores
_INT = re.compile(r"-?[0-9]{1,19}")


def parse_int(value, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """`value` as an int when it is one written in ASCII digits within [minimum, maximum], else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not _INT.fullmatch(text):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


class IntField(forms.IntegerField):
    """A form's integer: the same rule as parse_int, bounded to the database's range unless told narrower."""

    default_error_messages = {"invalid": "Hãy nhập một số nguyên (chữ số 0–9)."}

    def __init__(self, *, min_value: int = 0, max_value: int = MAX_ID, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_int(value, minimum=-MAX_ID)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number
