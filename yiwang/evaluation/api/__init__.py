"""/api/evaluation: each part's router is added here."""

from ninja import Router

from . import stats

router = Router(tags=["好差评"])
router.add_router("", "yiwang.evaluation.api.rectify.router")
router.add_router("", stats.router)
