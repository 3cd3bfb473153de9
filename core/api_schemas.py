"""Shared pieces of the REST API's OpenAPI contract: the error bodies and the id bounds.

Every error answer is ``{"detail": "..."}`` (docs API.md); ninja's own validation errors (422)
add ``errors`` (the list from pydantic), see the handler in ``core/api.py``. Operations
declare the error codes they can give with :func:`with_errors`::

    @router.get("/x/{x_id}", response=with_errors({200: XOut}, 401, 404))

Integer ids in paths are checked with :func:`id_or_404`: an id outside the range of the
database column is simply not found (never an OverflowError / "integer out of range").

Lists are paginated with :class:`Pagination` (``@paginate(Pagination)``): ``limit`` 1..500
(default 50) and ``offset`` 0..2^63−1, both declared in the OpenAPI document; anything else is
422 naming the parameter (ninja's own ``LimitOffsetPagination`` leaves ``offset`` unbounded,
so a huge one reached the database: a ruff rule bans importing it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination  # noqa: TID251 - the one subclass below
from pydantic import AfterValidator, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

NOT_FOUND = "Data tidak ditemukan."
MAX_INT32 = 2**31 - 1  # e.g. wagtailcore_page.id
MAX_INT64 = 2**63 - 1  # BigAutoField primary keys
PAGE_DEFAULT = 50  # API.md: ?limit= default 50, max 500
PAGE_MAX = 500


def _json_integer(value):
    """A JSON integer: a number without a fraction (``3`` or ``3.0``, as JSON Schema counts
    it), never a string or true/false (which pydantic's lax mode would turn into one)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


#: An integer field of a request body, validated as the OpenAPI document describes it:
#: ``"3"`` and ``true`` are refused (422), ``3.0`` is 3. (Query and path parameters arrive as
#: text and keep plain ``int``.) For true/false use ``Field(..., strict=True)`` on a ``bool``.
JsonInt = Annotated[int, BeforeValidator(_json_integer)]


JAKARTA = ZoneInfo("Asia/Jakarta")


def _in_jakarta(value: dt.datetime) -> dt.datetime:
    """An aware time in Asia/Jakarta (a naive one is taken as Jakarta time)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=JAKARTA)
    return value.astimezone(JAKARTA)


#: A time of a response: ISO 8601 with the Asia/Jakarta offset (``2026-01-31T08:00:00+07:00``,
#: API.md "Conventions"), never UTC's ``Z`` in which the database hands it back.
JakartaDateTime = Annotated[dt.datetime, AfterValidator(_in_jakarta)]


#: Example values of the OpenAPI document, from the demo of Kota Serang (``demo/seeds``): the
#: ASN Rizki Maulana (counter officer of Disdukcapil) and his supervisor, and their unit.
EXAMPLE_NIP = "199305122019031004"
EXAMPLE_SUPERVISOR_NIP = "197204181998032005"
EXAMPLE_UNIT = "DISDUKCAPIL-01"


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


class Pagination(LimitOffsetPagination):
    """``?limit=`` (1..500, default 50) and ``?offset=`` (0..2^63−1, default 0) →
    ``{"count": N, "items": [...]}`` (API.md "Conventions")."""

    class Input(Schema):
        limit: int = Field(
            PAGE_DEFAULT,
            ge=1,
            le=PAGE_MAX,
            description=f"Jumlah data per halaman (1–{PAGE_MAX}, bawaan {PAGE_DEFAULT}).",
            json_schema_extra={"example": 20},  # the request example of every list
        )
        offset: int = Field(
            0,
            ge=0,
            le=MAX_INT64,
            description="Jumlah data yang dilewati dari awal daftar (0 sampai 2^63−1).",
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=PAGE_MAX, **kwargs)
