from django import template

register = template.Library()


@register.filter
def percent(rate) -> str:
    """A metrics Rate as a percentage with one decimal, or "—" when nothing was counted."""
    value = rate.value
    return "—" if value is None else f"{value:.1%}"
