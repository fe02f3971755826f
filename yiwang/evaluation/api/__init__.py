"""/api/evaluation: each part's router is added here."""

from ninja import Router

from . import ratings, rectify, stats

router = Router(tags=["好差评"])
router.add_router("", rectify.router)
router.add_router("", stats.router)
router.add_router("", ratings.router)
