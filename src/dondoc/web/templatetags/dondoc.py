from django import template

from dondoc.audit.labels import label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return label(action)


@register.filter
def get_item(mapping, key):
    """`counts|get_item:code`: a dict value by a key held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None
