"""REST endpoints of the citizen satisfaction survey (SKM): /feedback, /units/{code}/ikm.

``POST /api/v1/feedback`` (public, rate limited like the web form: 5 attempts per 10 minutes
  per IP; every attempt counts, refused ones too, so the limit is checked before the body is
  read) body ``{unit_code, service, employee_nip?, scores: {"u1".."u9": 1..4}, comment?}``;
  ``service`` is the service's name at that unit (case-insensitive) or the service point's code.
  → 201 ``{id, status: "created", period_code}``; the same answers again from the same IP to
  the same point within 10 minutes → 200 ``{id (the earlier one), status: "duplicate", …}``.
  Unknown unit or service → 404; a missing or out-of-range score → 422 naming the element
  (``"Kolom 'scores.u3' terlalu besar (batas 4)."``); a comment over 1000 characters → 422;
  too many → 429. An ``employee_nip`` (18 digits) that is not a front-line officer of that
  point is dropped: the answer is stored for the service point alone, and the reply is the
  same as for an officer's NIP (the public must not learn who works where).

``GET /api/v1/units/{code}/ikm?period=CODE`` (HR, else 403; a unit outside the officer's
  units → 404)
  the unit with its sub-units: ``{unit_code, period_code, responses, per_element: {"u1": NRR,
  …}, ikm, ikm_1_4, category, quality}``. ``ikm`` is the converted value (IKM × 25, 25–100)
  rounded half up to two decimals, the value the category is read from; ``ikm_1_4`` the
  IKM on the 1–4 scale and every NRR are rounded half up to two decimals for output only
  (computed exactly). Zero responses → ``responses: 0`` and nulls. ``period`` is an
  evaluation period code (e.g. ``2026``); omitted → the period covering today; unknown → 404.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.throttling import BaseThrottle
from pydantic import ConfigDict

from core.api_schemas import JsonInt, with_errors
from kompetensi.models import EvaluationPeriod
from kompetensi.permissions import hr_scope_paths, units_visible_to
from kompetensi.rules import normalise_nip

from . import rules
from . import selectors as skm_selectors
from . import services as skm_services
from .models import ServicePoint

router = Router(tags=["umpan balik masyarakat"])


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


class FeedbackIn(Schema):
    unit_code: str = Field(..., min_length=1, max_length=40)
    service: str = Field(
        ..., min_length=1, max_length=200, description="Nama layanan pada unit, atau kodenya."
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


class FeedbackOut(Schema):
    id: int
    status: str
    period_code: str | None


class IkmOut(Schema):
    unit_code: str
    period_code: str | None
    responses: int
    per_element: dict[str, float | None]
    ikm: float | None
    ikm_1_4: float | None
    category: str | None
    quality: str | None


def _find_point(unit_code: str, service: str) -> ServicePoint:
    service = (service or "").strip()
    point = (
        ServicePoint.objects.filter(unit__code=unit_code, is_active=True)
        .filter(service__iexact=service)
        .select_related("unit")
        .first()
    ) or (
        ServicePoint.objects.filter(unit__code=unit_code, is_active=True, code=service)
        .select_related("unit")
        .first()
    )
    if point is None:
        raise HttpError(
            404,
            f"Layanan '{service}' pada unit '{unit_code}' tidak ditemukan "
            "(kolom unit_code dan service).",
        )
    return point


class FeedbackThrottle(BaseThrottle):
    """The SKM rate limit as a ninja throttle, so it runs before the body is validated: every
    attempt counts (``skm_services.feedback_attempt``), including refused ones."""

    def allow_request(self, request: HttpRequest) -> bool:
        try:
            skm_services.feedback_attempt(ip=skm_services.client_ip(request))
        except skm_services.FeedbackRateLimited:
            return False
        return True

    def wait(self) -> float:
        return skm_services.RATE_WINDOW.total_seconds()


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
        "Publik, dibatasi 5 percobaan per 10 menit per alamat IP (429); setiap percobaan "
        "dihitung, juga yang ditolak. `service` = nama layanan pada unit (tanpa membedakan "
        "huruf besar/kecil) atau kode titik layanan. 201 "
        '`{id, status: "created", period_code}`; jawaban yang sama dari IP yang sama ke '
        'titik yang sama dalam 10 menit → 200 `{status: "duplicate"}` dengan id kiriman '
        "sebelumnya. Unit/layanan tidak dikenal → 404; nilai unsur di luar 1–4 atau hilang → "
        "422 yang menyebut unsurnya; `comment` lebih dari 1000 karakter → 422. "
        "`employee_nip` yang bukan petugas layanan di titik itu tidak disimpan (umpan balik "
        "tetap dicatat untuk titik layanannya) dan jawabannya sama dengan NIP yang benar. "
        "IP hanya disimpan sebagai hash."
    ),
)
def feedback_create(request: HttpRequest, payload: FeedbackIn):
    point = _find_point(payload.unit_code, payload.service)
    try:
        result = skm_services.feedback_submit(
            service_point=point,
            scores=payload.scores.dict(),
            comment=payload.comment,
            employee_id=_staff_employee_id(point, payload.employee_nip),
            ip=skm_services.client_ip(request),
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


def _round(value) -> float | None:
    return None if value is None else float(rules.round_half_up(value, 2))


@router.get(
    "/units/{code}/ikm",
    response=with_errors({200: IkmOut}, 401, 403, 404, 422),
    summary="IKM unit per periode",
    description=(
        "BKPSDM (di luar unit kewenangan → 404). Unit beserta sub-unitnya. `ikm` = nilai "
        "konversi IKM × 25 (25–100) dibulatkan 2 desimal (dasar kategori); `ikm_1_4` dan NRR "
        "per unsur dibulatkan 2 desimal hanya untuk keluaran. Tanpa responden → `responses` 0 "
        "dan null. `period` = kode periode penilaian (mis. 2026); bila kosong, periode hari "
        "ini; tidak dikenal → 404."
    ),
)
def unit_ikm(request: HttpRequest, code: str, period: str | None = None):
    if hr_scope_paths(request.user) == []:
        raise HttpError(403, "Hanya BKPSDM yang dapat melihat IKM unit.")
    unit = units_visible_to(request.user).filter(code=code).first()
    if unit is None:
        raise HttpError(404, f"Unit '{code}' tidak ditemukan.")
    if period:
        chosen = EvaluationPeriod.objects.filter(code=period).first()
        if chosen is None:
            raise HttpError(404, f"Periode penilaian '{period}' tidak ditemukan (kolom period).")
    else:
        chosen = skm_services.current_period()
    ikm = skm_selectors.ikm_for_unit(unit, chosen)
    return {
        "unit_code": unit.code,
        "period_code": chosen.code if chosen else None,
        "responses": ikm.responses,
        "per_element": {c: _round(v) for c, v in ikm.per_element.items()},
        "ikm": None if ikm.ikm_unit_display is None else float(ikm.ikm_unit_display),
        "ikm_1_4": _round(ikm.ikm),
        "category": ikm.category,
        "quality": ikm.quality,
    }
