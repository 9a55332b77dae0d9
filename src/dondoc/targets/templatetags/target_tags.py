from django import template

from dondoc.targets import rules

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """1.234.567,5: Vietnamese notation."""
    return rules.format_number(value) if value is not None and value != "" else "—"


@register.filter
def unit_label(unit: str) -> str:
    return rules.unit_label(unit or "")


@register.filter
def with_unit(value, unit: str) -> str:
    """82,5% — hạng 38 — 1.200 km — 2 (a count)."""
    return rules.format_quantity(value, unit or "") if value is not None and value != "" else "—"
