"""Shared pieces of the REST API's OpenAPI contract: the error bodies and the id bounds.

Every error answer is ``{"detail": "..."}`` (docs API.md); ninja's own validation errors (422)
add ``errors`` (the list from pydantic), see the handler in ``portal/api.py``. Operations
declare the error codes they can give with :func:`with_errors`::

    @router.get("/x/{x_id}", response=with_errors({200: XOut}, 401, 404))

Integer ids in paths are checked with :func:`id_or_404`: an id outside the range of the
database column is simply not found (never an OverflowError / "integer out of range")."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

NOT_FOUND = "Data tidak ditemukan."
MAX_INT32 = 2**31 - 1  # e.g. wagtailcore_page.id
MAX_INT64 = 2**63 - 1  # BigAutoField primary keys


class ErrorOut(Schema):
    """Any error answer: ``detail`` says in Indonesian what is wrong."""

    model_config = ConfigDict(extra="allow")

    detail: str


class ValidationErrorOut(Schema):
    """Bad input (422): ``detail`` names the fields; ``errors`` (only for request validation)
    lists them one by one as reported by the validator."""

    model_config = ConfigDict(extra="allow")

    detail: str
    errors: list[dict[str, Any]] | None = None


ERROR_SCHEMAS = {422: ValidationErrorOut}


def with_errors(success: dict | type | Any, *codes: int) -> dict:
    """The ``response=`` mapping: the success answer(s) plus one error schema per code.

    ``success`` is either a ``{status: schema}`` dict or a schema (then status 200)."""
    out = dict(success) if isinstance(success, dict) else {200: success}
    for code in codes:
        out[code] = ERROR_SCHEMAS.get(code, ErrorOut)
    return out


def id_or_404(value: int, *, max_value: int = MAX_INT64, message: str = NOT_FOUND) -> int:
    """The id when it can exist in the column (1..``max_value``); otherwise 404."""
    if not 1 <= value <= max_value:
        raise HttpError(404, message)
    return value
