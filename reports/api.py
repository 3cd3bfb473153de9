"""REST endpoints of HR reports: /units/{code}/report."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from core.api_schemas import with_errors
from kompetensi.permissions import hr_scope_paths, units_visible_to
from kompetensi.selectors import period_choices, pick_period

from .selectors.unit import unit_report as unit_report_of

router = Router(tags=["laporan"])


class UnitRefOut(Schema):
    code: str
    name: str


class PeriodRefOut(Schema):
    code: str
    name: str


class CompetencyGapOut(Schema):
    code: str
    name: str
    kind: str
    employees_required: int
    employees_assessed: int
    employees_with_gap: int
    mean_gap: float | None


class JpComplianceOut(Schema):
    year: int
    target_jp: int
    employees: int
    employees_compliant: int
    share: float | None


class UnitReportOut(Schema):
    unit: UnitRefOut
    period: PeriodRefOut | None
    year: int
    employees: int
    competencies: list[CompetencyGapOut]
    jp_compliance: JpComplianceOut


@router.get(
    "/units/{code}/report",
    response=with_errors({200: UnitReportOut}, 401, 403, 404, 422),
    summary="Laporan kompetensi dan JP sebuah unit",
)
def unit_report(request, code: str, period: str | None = None):
    """Competency gaps and JP compliance of a unit **and its sub-units** (active employees).

    Access: BKPSDM (HR) only — other users get 403; a unit outside the officer's units, or
    that does not exist, gives 404 (the two are not told apart). ``period`` is an evaluation
    period code (e.g. ``2026``); default the period containing today, else the newest; an
    unknown code is 404.

    Response:

    - ``unit``: ``{code, name}``; ``period``: ``{code, name}`` or null when no period exists;
      ``year``: the calendar year the period starts in (the JP year); ``employees``: active
      employees of the unit and its sub-units.
    - ``competencies[]`` — one entry per competency that any of those employees' positions
      require, ordered by ``employees_with_gap`` (descending), then code:
      ``code``, ``name``, ``kind`` (teknis / manajerial / sosial_kultural);
      ``employees_required`` (employees whose position requires it);
      ``employees_assessed`` (of those, with an assessed level);
      ``employees_with_gap`` (assessed level below the required level);
      ``mean_gap`` (mean of ``required − assessed`` over the employees with a gap, two
      decimals; null when nobody has a gap). From the current competency profile.
    - ``jp_compliance``: ``year``, ``target_jp`` (20), ``employees``, ``employees_compliant``
      (sum of JP of completed/certified training completed in ``year`` — not counting a
      revoked certificate's — plus approved external learning, ≥ ``target_jp``) and
      ``share`` (percentage, one decimal; null when there are no employees).
    """
    if hr_scope_paths(request.user) == []:
        raise HttpError(403, "Hanya BKPSDM yang dapat melihat laporan unit.")
    unit = get_object_or_404(units_visible_to(request.user), code=code)
    periods = period_choices()
    if period:
        chosen = next((p for p in periods if p.code == period), None)
        if chosen is None:
            raise HttpError(404, "Periode penilaian tidak ditemukan.")
    else:
        chosen = pick_period(periods, None)
    return unit_report_of(unit, period=chosen)
