"""Form fields every face shares."""

from __future__ import annotations

from django import forms

from .pagination import MAX_PAGE
from .schemas import BIGINT_MAX


class PageNumberField(forms.IntegerField):
    """页码: an optional page number from 1 to ``pagination.MAX_PAGE``; a larger one is refused by
    the form (the page answers 400) before it reaches the database as an offset no database
    holds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "页码")
        super().__init__(required=False, min_value=1, max_value=MAX_PAGE, **kwargs)


def object_ids(values) -> list[int]:
    """The values that can be object ids (primary keys, 1 to ``BIGINT_MAX``), in order; any other
    value names no object. A larger number would reach the database as an overflow, a 500."""
    return [int(v) for v in values if isinstance(v, str) and v.isascii() and v.isdigit() and len(v) <= 19
            and 1 <= int(v) <= BIGINT_MAX]
