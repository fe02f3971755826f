"""Staff catalogue API: drafts and the review flow (session-authenticated)."""

from ninja import Router

router = Router(tags=["事项管理（工作人员）"])
