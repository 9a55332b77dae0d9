from django import template

from dondoc.audit.labels import label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return label(action)
