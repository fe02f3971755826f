"""Search API router (filled in by the search work)."""

from ninja import Router

router = Router(tags=["搜索"])
