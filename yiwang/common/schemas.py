"""What every API operation shares: the error answer (错误应答) and bounded integers.

A Python ``int`` has no upper bound and no database column does: ``?page=10**18`` or an id of
``2**70`` reached SQLite as an OverflowError and PostgreSQL or MariaDB as an out-of-range error,
each a 500. Every integer a client sends is declared with one of the types below, so the edge
answers 422 ``request.invalid`` past the range (a page number past ``pagination.MAX_PAGE`` gets
pagination's 400) and the OpenAPI document states it (tests/test_api_contract.py checks that no
integer input is left unbounded)."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from .pagination import MAX_PAGE, MAX_PAGE_SIZE

# The largest value of a signed 64-bit integer: BIGINT on PostgreSQL and MariaDB, SQLite's INTEGER,
# and so of every primary key (BigAutoField).
BIGINT_MAX = 2**63 - 1

INT64_RANGE = {"ge": -BIGINT_MAX - 1, "le": BIGINT_MAX}

Id = Annotated[int, Field(ge=1, le=BIGINT_MAX, description="对象编号")]
# Any other integer whose business range a service checks with its own code and message (page
# numbers in ``pagination``, working days, a code's sequence number, a workflow stage): the edge
# only keeps it within what a database can hold, so the service's check is the one that speaks.
Int64 = Annotated[int, Field(**INT64_RANGE)]
PageNumber = Annotated[int, Field(**INT64_RANGE, description=f"页码，从1开始，至多{MAX_PAGE}")]
PageSize = Annotated[int, Field(**INT64_RANGE, description=f"每页条数，1到{MAX_PAGE_SIZE}")]


class ErrorOut(Schema):
    """Every 4xx answer: a stable machine code, a Chinese message and, where it helps, details
    (the fields that failed validation, the defects found, …)."""

    code: str = Field(..., description="机器可读的错误代码，如 request.invalid、case.not_found")
    message: str = Field(..., description="中文错误说明")
    details: Any = Field(None, description="补充信息，如校验未通过的字段")


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The ``response`` entries for error statuses, all with the one error shape."""
    return dict.fromkeys(statuses, ErrorOut)


def file_answer(description: str, media_types) -> dict:
    """``openapi_extra`` for an operation that answers 200 with a file: the media types it may
    send, so the document states what a client gets (a JSON file is any JSON, the rest bytes)."""
    bare = sorted({media_type.split(";")[0] for media_type in media_types})
    content = {media_type: {"schema": {} if media_type.endswith("json") else
                            {"type": "string", "format": "binary"}} for media_type in bare}
    return {"responses": {200: {"description": description, "content": content}}}
