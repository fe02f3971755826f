from django import template

from yiwang.common.identifiers import mask_name

register = template.Library()


@register.filter
def masked_name(value: str) -> str:
    """张*伟: the archive lists find a package by its number, not by who applied."""
    return mask_name(value)
