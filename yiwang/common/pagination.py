"""One pagination rule for pages and the API: page numbers from 1, a bounded page size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ValidationError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Deeper than anyone pages by hand, and small enough that the offset fits every database.
MAX_PAGE = 1_000_000


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    def as_json(self, item_out) -> dict:
        """The API's page envelope, each item through ``item_out``."""
        return {"items": [item_out(item) for item in self.items], "total": self.total,
                "page": self.page, "page_size": self.page_size, "pages": self.pages}


def parse_page_args(page: Any = 1, page_size: Any = DEFAULT_PAGE_SIZE) -> tuple[int, int]:
    try:
        page_n = int(page or 1)
        size_n = int(page_size or DEFAULT_PAGE_SIZE)
    except (TypeError, ValueError) as exc:
        raise ValidationError("页码和每页条数必须是整数", code="pagination.invalid") from exc
    if not 1 <= page_n <= MAX_PAGE or not 1 <= size_n <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"页码为1到{MAX_PAGE}，每页条数为1到{MAX_PAGE_SIZE}", code="pagination.out_of_range"
        )
    return page_n, size_n


def paginate(queryset, page: Any = 1, page_size: Any = DEFAULT_PAGE_SIZE) -> Page:
    page_n, size_n = parse_page_args(page, page_size)
    total = queryset.count()
    start = (page_n - 1) * size_n
    return Page(list(queryset[start:start + size_n]), total, page_n, size_n)
