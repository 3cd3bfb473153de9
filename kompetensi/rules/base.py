"""The rules of the SIKAP domain as pure functions (see DOMAIN.md): the common ground of the
``rules`` package (the error every rule raises, exact rounding, "today" in Asia/Jakarta).

Nothing here touches the database, the network or the clock unless asked (functions that need
"today" take it as an argument and default to the current date in Asia/Jakarta). Services,
selectors, forms and the API call these functions; they never re-implement them.

Two kinds of text leave this module:

* messages for people (errors, element names, survey questions and answers) are Indonesian and
  lazy (``gettext_lazy``), so they render in the language active when they are shown;
* values that are part of the API contract or of reports (SKP predicates, JPM categories, IKM
  categories and quality words) are plain ``str`` constants, because they are data that is
  compared, stored and serialised exactly as DOMAIN.md and API.md spell them.

Every error is a :class:`RuleError`, a ``ValueError`` whose ``str()`` is the Indonesian message
and whose ``part`` names the offending part or field (for an API ``detail``).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Final, TypeAlias
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message: TypeAlias = str | Promise
Number: TypeAlias = Decimal | Fraction | int | float

JAKARTA: Final = ZoneInfo("Asia/Jakarta")


class RuleError(ValueError):
    """A value breaks a rule of the domain.

    ``str(error)`` is the message for people (Indonesian); ``part`` names the part of the input
    that is wrong (``"birth_date"``, ``"hasil_kerja"``, ``"u3"`` …) so an API can point at it.
    """

    def __init__(self, message: Message, *, part: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.part = part

    def __str__(self) -> str:
        return str(self.message)


def jakarta_today() -> date:
    """Today's date in Asia/Jakarta, the calendar every rule of SIKAP counts in."""
    return datetime.now(JAKARTA).date()


def _to_fraction(value: Number) -> Fraction:
    """An exact fraction; a float is taken as the decimal it prints as (``64.995`` → 64995/1000)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RuleError(_("nilai harus berupa bilangan yang terhingga"))
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal) and not value.is_finite():
        raise RuleError(_("nilai harus berupa bilangan yang terhingga"))
    return Fraction(value)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero, computed exactly.

    ``Decimal.quantize`` with the default context rounds half to even and a float carries binary
    error; this does neither: ``round_half_up(Fraction(90625, 1000))`` is ``Decimal("90.63")``.
    """
    exact = _to_fraction(value)
    scaled = abs(exact) * 10**places
    units = math.floor(scaled + Fraction(1, 2))
    if exact < 0:
        units = -units
    return Decimal(units).scaleb(-places)


def _fraction_to_decimal(value: Fraction) -> Decimal:
    """A Decimal of the fraction to 28 significant digits (exact when the fraction allows)."""
    with localcontext() as ctx:
        ctx.prec = 28
        return Decimal(value.numerator) / Decimal(value.denominator)
