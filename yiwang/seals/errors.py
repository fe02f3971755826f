"""Errors of the seal registry, with the stable codes the API and pages show."""

from yiwang.common.errors import Conflict, DomainError


class SealStateError(Conflict):
    """A seal that may not sign now (suspended, revoked, outside its validity) or a status change
    its current status does not allow."""

    default_code = "seal.illegal_transition"
    default_message = "该印章当前状态不允许此操作"


class SealKeyUnavailable(DomainError):
    """The seal's private key cannot be decrypted: the key-encryption key in the settings is not
    the one it was sealed with, or the stored key is damaged. An operator's problem, not the
    user's, so 503: signing resumes once YIWANG_SEAL_KEY is right."""

    status = 503
    default_code = "seal.key_unavailable"
    default_message = "印章私钥无法解密，暂不能用印，请联系系统管理员"
