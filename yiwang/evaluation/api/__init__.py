"""/api/evaluation: each part's router is added here."""

from ninja import Router

router = Router(tags=["好差评"])

from . import ratings  # noqa: E402 (part A: ratings)

router.add_router("", ratings.router)
