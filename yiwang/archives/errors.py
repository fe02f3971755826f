from yiwang.common.errors import Conflict


class ArchiveError(Conflict):
    """A package that cannot be formed, read or disposed of as asked (409)."""

    default_code = "archive.error"
    default_message = "电子档案操作失败"
