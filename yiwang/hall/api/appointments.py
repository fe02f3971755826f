"""appointments API."""

from ninja import Router

router = Router(tags=["政务大厅"])
