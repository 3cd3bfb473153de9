"""REST endpoints of the citizen satisfaction survey (SKM), tag "SKM" (API.md "Citizen
feedback (SKM)"):

``GET /api/v1/units/{code}/services`` (public: the survey needs it) — the active service
  points (titik layanan) of the unit and its sub-units, paginated ``{count, items: [{code,
  name, unit_code, survey_url}]}``; unknown unit → 404.
``POST /api/v1/units/{code}/services`` (HR whose scope covers the unit) ``{code, name}`` →
  201; ``code`` (a slug) is unique per unit: a second one in the same unit → 409; outside the
  officer's units or not HR → 403; unknown unit → 404.
``POST /api/v1/feedback`` (public, rate limited; every attempt counts, refused ones too, so
  the limit is checked before the body is read) ``{unit_code, service, employee_nip?,
  scores: {"u1".."u9": 1..4}, comment?, respondent?: {gender, age_group, education,
  occupation}}``; ``service`` is the service point's code at that unit. → 201 ``{id,
  status: "created", period_code}``; the same answers again from the same device/IP to the
  same point within 10 minutes → 200 ``{status: "duplicate"}`` with the earlier id. Unknown
  unit or service → 404; bad scores, comment or respondent code → 422 naming the field; too
  many → 429. An ``employee_nip`` that is not a front-line officer of that point is dropped
  and the reply is the same as for an officer's NIP (the public must not learn who works
  where). Rate limits (skm/services.py): a counter tablet paired with the point (cookie
  ``skm_loket``) one answer per 10 s; others 5 per 10 minutes per device cookie and 60 an hour
  per IP.
``GET /api/v1/units/{code}/ikm?period=`` (HR in scope; not HR → 403, a unit outside the
  officer's units → 404) — calendar period ``YYYY``, ``YYYY-S1|S2`` or ``YYYY-Q1..Q4``
  (default: this year, Asia/Jakarta; malformed → 422) → ``{unit_code, period, from, to,
  responses, per_element: {"u1": NRR, …}, ikm, ikm_1_4, category, quality}`` of the unit with
  its sub-units. ``ikm`` is the converted value (IKM × 25, 25–100) rounded half up to two
  decimals, the value the category is read from; ``ikm_1_4`` and every NRR are rounded half
  up to two decimals for output only (computed exactly). Zero responses → ``responses: 0``
  and nulls.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date
from typing import Annotated, Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import BaseThrottle
from pydantic import ConfigDict, WithJsonSchema

from core.api import example_page, openapi_examples
from core.api_schemas import EXAMPLE_UNIT, JsonInt, Pagination, with_errors
from core.errors import ServiceError
from kompetensi.models import EvaluationPeriod, OrganizationUnit
from kompetensi.permissions import hr_scope_paths, units_visible_to
from kompetensi.rules import normalise_nip

from . import rules
from . import selectors as skm_selectors
from . import services as skm_services
from .models import ServicePoint

router = Router(tags=["SKM"])

#: The calendar period as the OpenAPI document states it (exactly what the server accepts).
PERIOD_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})(-([Ss][12]|[Qq][1-4]))?$"


#: The unit in the path of the service points and the IKM. (A paginated view takes it as a
#: default: ninja's ``paginate`` wrapper resolves string annotations in its own module.)
UnitCodePath = Annotated[str, Path(..., description="Kode unit organisasi.", example=EXAMPLE_UNIT)]
_SERVICES_UNIT = Path(..., description="Kode unit organisasi.", example=EXAMPLE_UNIT)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def survey_url(point: ServicePoint) -> str:
    """The public survey of ``point`` (absolute, as on its QR poster)."""
    return _absolute(reverse("skm:form", kwargs={"unit": point.unit.code, "code": point.code}))


# ---------------------------------------------------------------------------------------------
# Service points (titik layanan)
# ---------------------------------------------------------------------------------------------

SERVICE_POINT_EXAMPLE = {
    "code": "ktp-el",
    "name": "Perekaman KTP-el",
    "unit_code": EXAMPLE_UNIT,
    "survey_url": "https://sikap.serangkota.go.id/umpan-balik/DISDUKCAPIL-01/ktp-el/",
}


class ServicePointOut(Schema):
    code: str = Field(..., description="Kode titik layanan, unik dalam unitnya.")
    name: str = Field(..., description="Nama layanan, mis. “Perekaman KTP-el”.")
    unit_code: str = Field(..., description="Kode unit tempat titik layanan berada.")
    survey_url: str = Field(..., description="Alamat survei publik (yang dicetak sebagai QR).")

    model_config = ConfigDict(json_schema_extra={"example": SERVICE_POINT_EXAMPLE})

    @staticmethod
    def resolve_name(obj: ServicePoint) -> str:
        return obj.service

    @staticmethod
    def resolve_unit_code(obj: ServicePoint) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_survey_url(obj: ServicePoint) -> str:
        return survey_url(obj)


class ServicePointIn(Schema):
    code: str = Field(
        ...,
        min_length=1,
        max_length=60,
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        description="Huruf kecil, angka dan tanda hubung; unik dalam unit; tidak dapat diubah.",
    )
    name: str = Field(..., min_length=1, max_length=200, pattern=r"\S", description="Nama layanan.")
    unit_code: str | None = Field(
        None,
        min_length=1,
        max_length=40,
        description="Boleh diisi; bila diisi harus sama dengan kode unit pada alamat.",
    )

    model_config = ConfigDict(
        json_schema_extra={"example": {"code": "ktp-el", "name": "Perekaman KTP-el"}}
    )


def _unit_or_404(code: str) -> OrganizationUnit:
    unit = OrganizationUnit.objects.filter(code=code).first()
    if unit is None:
        raise HttpError(404, f"Unit '{code}' tidak ditemukan.")
    return unit


@router.get(
    "/units/{code}/services",
    auth=None,
    response=with_errors({200: list[ServicePointOut]}, 404, 422),
    summary="Daftar titik layanan unit (publik)",
    description=(
        "Publik (tanpa token): survei kepuasan masyarakat memerlukannya. Titik layanan yang "
        "aktif pada unit ini beserta sub-unitnya, urut menurut unit lalu kode, berhalaman "
        "(`limit`/`offset`). `survey_url` = alamat survei publik titik itu (yang dicetak "
        "sebagai kode QR). Unit tidak dikenal → 404."
    ),
    openapi_extra=openapi_examples(
        {
            200: example_page(SERVICE_POINT_EXAMPLE),
            404: {"detail": "Unit 'XYZ' tidak ditemukan."},
        }
    ),
)
@paginate(Pagination)
def service_point_list(request: HttpRequest, code: str = _SERVICES_UNIT):
    return skm_selectors.unit_service_points(_unit_or_404(code))


@router.post(
    "/units/{code}/services",
    response=with_errors({201: ServicePointOut}, 401, 403, 404, 409, 422),
    summary="Tambah titik layanan unit (BKPSDM unitnya)",
    description=(
        "Petugas BKPSDM yang cakupannya meliputi unit ini (SDM tingkat kota untuk semua "
        "unit). `{code, name}`: `code` huruf kecil, angka dan tanda hubung (maks. 60), unik "
        "dalam unit (kode yang sama di unit lain boleh) dan tetap setelah dibuat karena "
        "tercetak pada poster QR. Unit tidak dikenal → 404; bukan BKPSDM unit ini → 403; kode "
        "sudah ada di unit ini → 409; data tidak valid → 422."
    ),
    openapi_extra=openapi_examples(
        {
            201: SERVICE_POINT_EXAMPLE,
            403: {"detail": "Titik layanan hanya dapat diatur oleh petugas SDM unitnya."},
            409: {"detail": "Kolom 'code': unit ini sudah memiliki titik layanan dengan kode ini."},
        },
        request={"code": "ktp-el", "name": "Perekaman KTP-el"},
    ),
)
def service_point_create(request: HttpRequest, code: UnitCodePath, payload: ServicePointIn):
    unit = _unit_or_404(code)
    if payload.unit_code is not None and payload.unit_code != unit.code:
        raise HttpError(
            422, f"Kolom 'unit_code': harus sama dengan kode unit pada alamat ('{unit.code}')."
        )
    try:
        point = skm_services.service_point_create(
            actor=request.user, code=payload.code, service=payload.name, unit=unit
        )
    except ServiceError as error:
        if error.field == "service":
            error.field = "name"
        raise
    return Status(201, point)


# ---------------------------------------------------------------------------------------------
# Feedback
# ---------------------------------------------------------------------------------------------


def _answer():
    return Field(..., ge=rules.SKM_ANSWER_MIN, le=rules.SKM_ANSWER_MAX, description="1–4")


class SkmScoresIn(Schema):
    """The nine elements (unsur) of PermenPANRB 14/2017, each answered 1–4."""

    model_config = ConfigDict(extra="forbid")

    u1: JsonInt = _answer()
    u2: JsonInt = _answer()
    u3: JsonInt = _answer()
    u4: JsonInt = _answer()
    u5: JsonInt = _answer()
    u6: JsonInt = _answer()
    u7: JsonInt = _answer()
    u8: JsonInt = _answer()
    u9: JsonInt = _answer()


def _codes(field: str):
    return Literal[rules.RESPONDENT_CODES[field]]  # type: ignore[valid-type]


def _labels(field: str) -> str:
    return "; ".join(f"{code} = {label}" for code, label in rules.RESPONDENT_CHOICES[field])


class RespondentIn(Schema):
    """The optional respondent profile (PermenPANRB 14/2017); every field may be left out."""

    model_config = ConfigDict(extra="forbid")

    gender: _codes("gender") | None = Field(  # type: ignore[valid-type]
        None, description=f"Jenis kelamin: {_labels('gender')}."
    )
    age_group: _codes("age_group") | None = Field(  # type: ignore[valid-type]
        None, description=f"Kelompok usia: {_labels('age_group')}."
    )
    education: _codes("education") | None = Field(  # type: ignore[valid-type]
        None, description=f"Pendidikan terakhir: {_labels('education')}."
    )
    occupation: _codes("occupation") | None = Field(  # type: ignore[valid-type]
        None, description=f"Pekerjaan utama: {_labels('occupation')}."
    )


FEEDBACK_EXAMPLE = {
    "unit_code": "DISDUKCAPIL-01",
    "service": "ktp-el",
    "employee_nip": "199305122019031004",
    "scores": {"u1": 4, "u2": 3, "u3": 3, "u4": 4, "u5": 3, "u6": 4, "u7": 4, "u8": 3, "u9": 3},
    "comment": "Petugas ramah, antrean cepat.",
    "respondent": {
        "gender": "P",
        "age_group": "26-35",
        "education": "D4/S1",
        "occupation": "swasta",
    },
}


class FeedbackIn(Schema):
    unit_code: str = Field(..., min_length=1, max_length=40, description="Kode unit.")
    service: str = Field(
        ...,
        min_length=1,
        max_length=200,
        description=(
            "Kode titik layanan pada unit itu (lihat GET /units/{code}/services). Nama "
            "layanannya masih diterima untuk klien lama."
        ),
    )
    employee_nip: str | None = Field(
        None,
        pattern=r"^\s*([0-9]\s*){18}$",
        description=(
            "NIP petugas yang melayani (18 digit, spasi boleh). NIP yang bukan petugas "
            "layanan di titik itu tidak disimpan, tanpa pemberitahuan."
        ),
    )
    scores: SkmScoresIn
    comment: str | None = Field(None, max_length=skm_services.COMMENT_MAX_LENGTH)
    respondent: RespondentIn | None = Field(
        None, description="Profil responden (tidak wajib), kode sesuai API.md."
    )

    model_config = ConfigDict(json_schema_extra={"example": FEEDBACK_EXAMPLE})


class FeedbackOut(Schema):
    id: int
    status: Literal["created", "duplicate"]
    period_code: str | None = Field(..., description="Periode penilaian saat jawaban diterima.")


def _find_point(unit_code: str, service: str) -> ServicePoint:
    service = (service or "").strip()
    active = ServicePoint.objects.filter(unit__code=unit_code, is_active=True).select_related(
        "unit"
    )
    point = active.filter(code=service).first()
    if point is None:
        # Clients of the first round sent the service's name: still accepted when it names
        # exactly one point of the unit.
        named = list(active.filter(service__iexact=service)[:2])
        point = named[0] if len(named) == 1 else None
    if point is None:
        raise HttpError(
            404,
            f"Layanan '{service}' pada unit '{unit_code}' tidak ditemukan "
            "(kolom unit_code dan service).",
        )
    return point


#: The window of the limit the last refused attempt hit (Retry-After), per request context.
_RETRY_AFTER: ContextVar[float | None] = ContextVar("skm_retry_after", default=None)


class FeedbackThrottle(BaseThrottle):
    """The SKM rate limit as a ninja throttle, so it runs before the body is validated: every
    attempt counts (``skm_services.feedback_attempt``), including refused ones. A paired
    counter tablet is recognised by its cookie here (``request.skm_kiosk``)."""

    def allow_request(self, request: HttpRequest) -> bool:
        kiosk = skm_services.kiosk_from_token(request.COOKIES.get(skm_services.KIOSK_COOKIE))
        request.skm_kiosk = kiosk
        device_id = skm_services.valid_device_id(request.COOKIES.get(skm_services.DEVICE_COOKIE))
        try:
            skm_services.feedback_attempt(
                ip=skm_services.client_ip(request), device_id=device_id, kiosk=kiosk
            )
        except skm_services.FeedbackRateLimited as exc:
            _RETRY_AFTER.set(exc.retry_after.total_seconds())
            return False
        return True

    def wait(self) -> float:
        seconds = _RETRY_AFTER.get()
        return seconds if seconds is not None else skm_services.IP_RATE_WINDOW.total_seconds()


def _staff_employee_id(point: ServicePoint, nip: str | None) -> int | None:
    """The front-line officer of ``point`` with this NIP, else None (never told apart)."""
    if not nip:
        return None
    return (
        skm_selectors.front_line_staff(point)
        .filter(nip=normalise_nip(nip))
        .values_list("pk", flat=True)
        .first()
    )


@router.post(
    "/feedback",
    auth=None,
    throttle=[FeedbackThrottle()],
    response=with_errors({201: FeedbackOut, 200: FeedbackOut}, 404, 422, 429),
    summary="Kirim umpan balik masyarakat (SKM)",
    description=(
        "Publik. `service` = kode titik layanan pada unit `unit_code`. `respondent` (tidak "
        "wajib): `gender` L|P; `age_group` <=25|26-35|36-45|46-55|>55; `education` "
        "SD|SMP|SMA|D1-D3|D4/S1|S2|S3; `occupation` PNS|TNI|POLRI|swasta|wirausaha|pelajar|"
        "lainnya; kode lain → 422 yang menyebut kolomnya. 201 "
        '`{id, status: "created", period_code}`; jawaban yang sama dari perangkat/IP yang '
        'sama ke titik yang sama dalam 10 menit → 200 `{status: "duplicate"}` dengan id '
        "kiriman sebelumnya. Unit/layanan tidak dikenal → 404; nilai unsur di luar 1–4 atau "
        "hilang → 422 yang menyebut unsurnya; `comment` lebih dari 1000 karakter → 422. "
        "`employee_nip` yang bukan petugas layanan di titik itu tidak disimpan (umpan balik "
        "tetap dicatat untuk titik layanannya) dan jawabannya sama dengan NIP yang benar.\n\n"
        "Pembatasan (429, setiap percobaan dihitung, juga yang ditolak): tablet loket yang "
        "dipasangkan dengan titik layanannya (cookie `skm_loket` dari tautan pemasangan) "
        "satu jawaban per 10 detik dan hanya untuk titik itu (titik lain → 422); klien lain "
        "5 per 10 menit per perangkat (cookie `skm_perangkat`) dan 60 per jam per alamat IP. "
        "IP dan perangkat hanya disimpan sebagai hash."
    ),
    openapi_extra=openapi_examples(
        {
            201: {"id": 1024, "status": "created", "period_code": "2026"},
            200: {"id": 1024, "status": "duplicate", "period_code": "2026"},
            404: {
                "detail": "Layanan 'paspor' pada unit 'DISDUKCAPIL-01' tidak ditemukan "
                "(kolom unit_code dan service)."
            },
            422: {"detail": "Kolom 'scores.u3' terlalu besar (batas 4)."},
            429: {
                "detail": "Terlalu banyak permintaan dari perangkat atau jaringan ini. "
                "Silakan coba lagi dalam 60 menit."
            },
        },
        request=FEEDBACK_EXAMPLE,
    ),
)
def feedback_create(request: HttpRequest, payload: FeedbackIn):
    point = _find_point(payload.unit_code, payload.service)
    respondent = payload.respondent.dict() if payload.respondent is not None else None
    try:
        result = skm_services.feedback_submit(
            service_point=point,
            scores=payload.scores.dict(),
            comment=payload.comment,
            employee_id=_staff_employee_id(point, payload.employee_nip),
            respondent=respondent,
            ip=skm_services.client_ip(request),
            device_id=skm_services.valid_device_id(request.COOKIES.get(skm_services.DEVICE_COOKIE)),
            kiosk=getattr(request, "skm_kiosk", None),
        )
    except skm_services.FeedbackError as exc:
        field = f"scores.{exc.part}" if exc.part in rules.SKM_CODES else exc.part
        raise HttpError(422, f"Kolom '{field}': {exc}.") from None
    feedback = result.feedback
    period_code = (
        EvaluationPeriod.objects.filter(pk=feedback.period_id)
        .values_list("code", flat=True)
        .first()
        if feedback.period_id
        else None
    )
    body = {
        "id": feedback.pk,
        "status": "created" if result.created else "duplicate",
        "period_code": period_code,
    }
    return Status(201 if result.created else 200, body)


# ---------------------------------------------------------------------------------------------
# IKM
# ---------------------------------------------------------------------------------------------

IKM_EXAMPLE = {
    "unit_code": EXAMPLE_UNIT,
    "period": "2026-S1",
    "from": "2026-01-01",
    "to": "2026-06-30",
    "responses": 4,
    "per_element": {
        "u1": 3.0,
        "u2": 3.0,
        "u3": 2.5,
        "u4": 4.0,
        "u5": 3.0,
        "u6": 3.25,
        "u7": 3.0,
        "u8": 1.75,
        "u9": 2.75,
    },
    "ikm": 72.92,
    "ikm_1_4": 2.92,
    "category": "C",
    "quality": "Kurang Baik",
}


class IkmOut(Schema):
    unit_code: str
    period: str = Field(..., description="Periode kalender: YYYY, YYYY-S1|S2 atau YYYY-Q1..Q4.")
    from_: date = Field(..., alias="from", description="Hari pertama periode (Asia/Jakarta).")
    to: date = Field(..., description="Hari terakhir periode (Asia/Jakarta).")
    responses: int = Field(..., ge=0)
    per_element: dict[str, float | None] = Field(
        ..., description="NRR per unsur u1..u9 (1–4, dua desimal), null tanpa responden."
    )
    ikm: float | None = Field(
        None, description="Nilai IKM konversi (IKM × 25, 25–100) dua desimal: dasar kategori."
    )
    ikm_1_4: float | None = Field(None, description="IKM pada skala 1–4, dua desimal.")
    category: Literal["A", "B", "C", "D"] | None = None
    quality: Literal["Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik"] | None = None

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"example": IKM_EXAMPLE})


def _round(value) -> float | None:
    return None if value is None else float(rules.round_half_up(value, 2))


#: The query parameter: its pattern is in the OpenAPI document (a generated client checks it)
#: while the server checks it itself, to say in words what is expected (422).
PeriodParam = Annotated[
    str, WithJsonSchema({"type": "string", "pattern": PERIOD_PATTERN, "example": "2026-S1"})
]
_PERIOD_QUERY = Query(
    None,
    description=(
        "Periode kalender: `YYYY` (tahun), `YYYY-S1`/`YYYY-S2` (semester) atau "
        "`YYYY-Q1`..`YYYY-Q4` (triwulan); tanpa parameter: tahun ini (Asia/Jakarta)."
    ),
)


@router.get(
    "/units/{code}/ikm",
    response=with_errors({200: IkmOut}, 401, 403, 404, 422),
    by_alias=True,
    summary="IKM unit per periode kalender (BKPSDM)",
    description=(
        "BKPSDM yang cakupannya meliputi unit (di luar cakupan → 404; bukan BKPSDM → 403). "
        "Unit beserta sub-unitnya, jawaban yang diterima dari `from` sampai `to` (Asia/"
        "Jakarta). `period` = `YYYY`, `YYYY-S1`/`YYYY-S2` atau `YYYY-Q1`..`YYYY-Q4`; tanpa "
        "`period`: tahun ini; format lain → 422. `ikm` = nilai konversi IKM × 25 (25–100) "
        "dibulatkan 2 desimal (dasar kategori A–D); `ikm_1_4` dan NRR per unsur dibulatkan 2 "
        "desimal hanya untuk keluaran. Tanpa responden → `responses` 0 dan null."
    ),
    openapi_extra=openapi_examples(
        {
            200: IKM_EXAMPLE,
            403: {"detail": "Hanya BKPSDM yang dapat melihat IKM unit."},
            404: {"detail": "Unit 'XYZ' tidak ditemukan."},
            422: {
                "detail": "Kolom 'period': harus berupa tahun (YYYY), semester (YYYY-S1 atau "
                "YYYY-S2) atau triwulan (YYYY-Q1 sampai YYYY-Q4), mis. 2026, 2026-S1 atau "
                "2026-Q3."
            },
        }
    ),
)
def unit_ikm(request: HttpRequest, code: UnitCodePath, period: PeriodParam | None = _PERIOD_QUERY):
    if hr_scope_paths(request.user) == []:
        raise HttpError(403, "Hanya BKPSDM yang dapat melihat IKM unit.")
    unit = units_visible_to(request.user).filter(code=code).first()
    if unit is None:
        raise HttpError(404, f"Unit '{code}' tidak ditemukan.")
    try:
        chosen = rules.calendar_period(period)
    except rules.RuleError as exc:
        raise HttpError(422, f"Kolom '{exc.part}': {exc.message}.") from None
    ikm = skm_selectors.ikm_for_unit(unit, chosen)
    return {
        "unit_code": unit.code,
        "period": chosen.code,
        "from": chosen.start,
        "to": chosen.end,
        "responses": ikm.responses,
        "per_element": {c: _round(v) for c, v in ikm.per_element.items()},
        "ikm": None if ikm.ikm_unit_display is None else float(ikm.ikm_unit_display),
        "ikm_1_4": _round(ikm.ikm),
        "category": ikm.category,
        "quality": ikm.quality,
    }
