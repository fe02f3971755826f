"""Catalogue import/export API."""

from ninja import Router

router = Router(tags=["事项导入导出"])
