"""REST endpoints of HR reports: /units/{code}/report."""

from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from core.api import openapi_examples
from core.api_schemas import EXAMPLE_UNIT, with_errors
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
    kind: Literal["teknis", "manajerial", "sosial_kultural"]
    employees_required: int = Field(..., description="Pegawai yang jabatannya membutuhkannya.")
    employees_assessed: int = Field(..., description="Dari mereka, yang sudah dinilai.")
    employees_with_gap: int = Field(..., description="Hasil penilaian di bawah kebutuhan.")
    mean_gap: float | None = Field(
        ..., description="Rata-rata (dibutuhkan − hasil) pegawai yang berkesenjangan; 2 desimal."
    )


class JpComplianceOut(Schema):
    year: int
    target_jp: int = Field(..., description="Target JP setahun (20).")
    employees: int
    employees_compliant: int = Field(..., description="Pegawai dengan JP tahun itu ≥ target.")
    share: float | None = Field(..., description="Persentase pegawai yang memenuhi, 1 desimal.")


class UnitReportOut(Schema):
    unit: UnitRefOut
    period: PeriodRefOut | None = Field(..., description="null bila belum ada periode.")
    year: int = Field(..., description="Tahun JP: tahun mulai periode.")
    employees: int = Field(..., description="Pegawai aktif unit beserta sub-unitnya.")
    competencies: list[CompetencyGapOut]
    jp_compliance: JpComplianceOut


REPORT_EXAMPLE = {
    "unit": {"code": EXAMPLE_UNIT, "name": "Bidang Pelayanan Pendaftaran Penduduk"},
    "period": {"code": "2026", "name": "Penilaian Kompetensi 2026"},
    "year": 2026,
    "employees": 18,
    "competencies": [
        {
            "code": "M.5",
            "name": "Pelayanan Publik",
            "kind": "manajerial",
            "employees_required": 18,
            "employees_assessed": 15,
            "employees_with_gap": 6,
            "mean_gap": 1.17,
        },
        {
            "code": "T.DUK.01",
            "name": "Pelayanan Administrasi Kependudukan",
            "kind": "teknis",
            "employees_required": 12,
            "employees_assessed": 12,
            "employees_with_gap": 0,
            "mean_gap": None,
        },
    ],
    "jp_compliance": {
        "year": 2026,
        "target_jp": 20,
        "employees": 18,
        "employees_compliant": 7,
        "share": 38.9,
    },
}
UnitCodePath = Annotated[str, Path(..., description="Kode unit organisasi.", example=EXAMPLE_UNIT)]
_PERIOD = Query(
    None,
    max_length=20,
    description="Kode periode penilaian; bawaan: periode yang memuat hari ini, atau terbaru.",
)


@router.get(
    "/units/{code}/report",
    response=with_errors({200: UnitReportOut}, 401, 403, 404, 422),
    summary="Laporan kompetensi dan JP sebuah unit",
    description=(
        "Hanya BKPSDM (selainnya → 403); unit di luar cakupan petugas atau yang tidak ada → "
        "404 (keduanya tidak dibedakan). Kesenjangan kompetensi dan kepatuhan JP unit "
        "**beserta sub-unitnya** (pegawai aktif). `period` = kode periode penilaian (mis. "
        "`2026`); bawaan: periode yang memuat hari ini, atau yang terbaru; kode tidak dikenal "
        "→ 404.\n\n"
        "- `competencies[]`: satu baris per kompetensi yang dibutuhkan jabatan para pegawai "
        "itu, urut `employees_with_gap` (terbanyak dulu) lalu kode: jumlah pegawai yang "
        "membutuhkannya, yang sudah dinilai, yang berkesenjangan, dan rata-rata kesenjangan "
        "(null bila tidak ada yang berkesenjangan), dari profil kompetensi saat ini.\n"
        "- `jp_compliance`: pegawai yang JP-nya pada `year` (pelatihan selesai/bersertifikat, "
        "tanpa sertifikat yang dicabut, ditambah pembelajaran mandiri yang disetujui) mencapai "
        "`target_jp` (20), dan persentasenya (null tanpa pegawai)."
    ),
    openapi_extra=openapi_examples(
        {
            200: REPORT_EXAMPLE,
            403: {"detail": "Hanya BKPSDM yang dapat melihat laporan unit."},
            404: {"detail": "Periode penilaian tidak ditemukan."},
        }
    ),
)
def unit_report(request, code: UnitCodePath, period: str | None = _PERIOD):
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
