"""Errors of the licences app, with the stable codes the API and pages show."""

from yiwang.common.errors import DomainError


class ShareLinkGone(DomainError):
    """A share link that existed but no longer opens: revoked by the holder or expired."""

    status = 410
    default_code = "licence.share_gone"
    default_message = "该分享链接已失效"
