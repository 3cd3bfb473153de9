"""Pages of the citizen satisfaction survey (SKM).

Public (no login): the list of service points, the questionnaire of one point (addressed by
unit code and point code; the first URLs by point code alone still work where only one unit
has the code), the thank-you page and the pairing of a counter tablet — light HTML, no
JavaScript. HR (BKPSDM, scoped): the IKM per unit and service point for a calendar period
(year, semester, quarter) with the respondent profile. An employee: the aggregate of the
feedback naming them (from five responses on)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import NotFound
from kompetensi import selectors as kompetensi_selectors
from kompetensi.permissions import hr_scope_paths, units_visible_to

from . import rules
from . import selectors as skm_selectors
from . import services as skm_services
from .forms import FeedbackForm
from .models import ServicePoint

DEVICE_COOKIE_AGE = 365 * 24 * 3600
# A paired tablet keeps its token as long as browsers allow a cookie to live (400 days).
KIOSK_COOKIE_AGE = 400 * 24 * 3600
# The thank-you page on a paired tablet returns to the questionnaire after this many seconds.
KIOSK_NEXT_SECONDS = 8


def _device_id(request: HttpRequest) -> tuple[str, bool]:
    """(device id, whether the cookie must be set)."""
    current = skm_services.valid_device_id(request.COOKIES.get(skm_services.DEVICE_COOKIE))
    if current:
        return current, False
    return skm_services.new_device_id(), True


def _with_device_cookie(request, response: HttpResponse, device_id: str, new: bool):
    if new:
        response.set_cookie(
            skm_services.DEVICE_COOKIE,
            device_id,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _kiosk_for(request: HttpRequest, point) -> object | None:
    """The paired counter tablet making this request, when it is paired with ``point``."""
    kiosk = skm_services.kiosk_from_token(request.COOKIES.get(skm_services.KIOSK_COOKIE))
    return kiosk if kiosk is not None and kiosk.service_point_id == point.pk else None


def element_rows(ikm: rules.IkmResult) -> list[dict]:
    """Per element: code, name, NRR (for a table)."""
    return [
        {"code": code, "name": name, "nrr": ikm.per_element.get(code)}
        for code, name in rules.SKM_ELEMENTS.items()
    ]


# ---------------------------------------------------------------------------------------------
# Public
# ---------------------------------------------------------------------------------------------


@require_GET
def point_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    points = skm_selectors.service_points_public(search)
    return render(
        request,
        "skm/point_list.html",
        {
            "groups": skm_selectors.group_by_agency(points),
            "search": search,
        },
    )


def _thanks(point):
    return redirect("skm:thanks", unit=point.unit.code, code=point.code)


@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, unit: str, code: str) -> HttpResponse:
    point = skm_selectors.service_point_public(unit, code)
    if point is None:
        raise Http404(_("Titik layanan tidak ditemukan."))
    return _feedback_form(request, point)


@require_http_methods(["GET", "POST"])
def feedback_form_by_code(request: HttpRequest, code: str) -> HttpResponse:
    """The survey's first URL (``/umpan-balik/<code>/``, on posters printed before codes were
    unique per unit only): served while exactly one unit has an active point with the code."""
    point = skm_selectors.service_point_by_code_only(code)
    if point is None:
        raise Http404(_("Titik layanan tidak ditemukan."))
    return _feedback_form(request, point)


def _feedback_form(request: HttpRequest, point) -> HttpResponse:
    skm_selectors.attach_agency([point])
    device_id, new_device = _device_id(request)
    kiosk = _kiosk_for(request, point)
    staff = skm_selectors.staff_cards(point)
    status = 200
    error = None
    if request.method == "POST":
        form = FeedbackForm(request.POST, staff=staff)
        ip = skm_services.client_ip(request)
        try:
            # Every attempt counts towards the limit, refused ones too (before anything else).
            skm_services.feedback_attempt(ip=ip, device_id=device_id, kiosk=kiosk)
        except skm_services.FeedbackRateLimited as exc:
            error, status = exc.message, 429
        else:
            if form.is_bot:
                return _thanks(point)
            if form.is_valid():
                try:
                    skm_services.feedback_submit(
                        service_point=point,
                        scores=form.scores,
                        comment=form.cleaned_data["comment"],
                        employee_id=form.employee_id,
                        respondent=form.respondent,
                        ip=ip,
                        device_id=device_id,
                        kiosk=kiosk,
                    )
                except skm_services.FeedbackError as exc:
                    error, status = exc.message, 422
                else:
                    response = _thanks(point)
                    return _with_device_cookie(request, response, device_id, new_device)
            else:
                status = 422
    else:
        form = FeedbackForm(staff=staff)
    response = render(
        request,
        "skm/feedback_form.html",
        {
            "point": point,
            "form": form,
            "error": error,
            "has_staff": bool(staff),
            "kiosk": kiosk,
        },
        status=status,
    )
    return _with_device_cookie(request, response, device_id, new_device)


@require_GET
def thanks(request: HttpRequest, unit: str, code: str) -> HttpResponse:
    point = skm_selectors.service_point_public(unit, code)
    if point is None:
        raise Http404(_("Titik layanan tidak ditemukan."))
    skm_selectors.attach_agency([point])
    kiosk = _kiosk_for(request, point)
    return render(
        request,
        "skm/thanks.html",
        {
            "point": point,
            "kiosk": kiosk,
            "form_url": reverse("skm:form", kwargs={"unit": point.unit.code, "code": point.code}),
            "next_seconds": KIOSK_NEXT_SECONDS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_pair(request: HttpRequest, token: str) -> HttpResponse:
    """The pairing link of a counter tablet (a QR code in the admin). GET asks to confirm (so
    a link preview or a scanner app fetching the address does not use it up); POST pairs:
    the link is used up, the tablet gets its long-lived cookie and the questionnaire."""
    if request.method == "POST":
        try:
            device, device_token = skm_services.kiosk_pair(code=token)
        except NotFound:
            pass
        else:
            point = device.service_point
            response = redirect("skm:form", unit=point.unit.code, code=point.code)
            response.set_cookie(
                skm_services.KIOSK_COOKIE,
                device_token,
                max_age=KIOSK_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    pending = skm_selectors.kiosk_pending(token)
    if pending is not None and request.method == "GET":
        skm_selectors.attach_agency([pending.service_point])
        return render(request, "skm/kiosk_pair.html", {"device": pending})
    # Used, expired, revoked or unknown: a tablet that is already paired goes on to its form.
    current = skm_services.kiosk_from_token(request.COOKIES.get(skm_services.KIOSK_COOKIE))
    if current is not None:
        point = current.service_point
        return redirect("skm:form", unit=point.unit.code, code=point.code)
    return render(request, "skm/kiosk_pair.html", {"device": None}, status=404)


# ---------------------------------------------------------------------------------------------
# HR (BKPSDM)
# ---------------------------------------------------------------------------------------------


@require_GET
def hr_ikm(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope = hr_scope_paths(request.user)
    if scope == []:
        raise PermissionDenied(_("Halaman ini hanya untuk BKPSDM."))
    period_error = None
    try:
        period = rules.calendar_period(request.GET.get("period") or None)
    except rules.RuleError as exc:
        period_error = _("Periode “%(value)s” tidak dikenal: %(why)s.") % {
            "value": request.GET.get("period", "")[:20],
            "why": exc.message,
        }
        period = rules.calendar_period(None)
    units = units_visible_to(request.user)
    points = ServicePoint.objects.filter(unit__in=units)
    total = skm_selectors.ikm_for_units(units, period)
    return render(
        request,
        "skm/hr_ikm.html",
        {
            "period_choices": skm_selectors.calendar_period_choices(),
            "period": period,
            "period_error": period_error,
            "profile": skm_selectors.respondent_profile(units, period),
            "whole_city": scope is None,
            "total": total,
            "total_elements": element_rows(total),
            "element_codes": list(rules.SKM_ELEMENTS.items()),
            "unit_rows": skm_selectors.ikm_by_unit(points, period, units=units),
            "point_rows": skm_selectors.ikm_by_service_point(points, period),
            "comments": skm_selectors.recent_comments(points, period),
            "min_responses": skm_selectors.EMPLOYEE_SUMMARY_MIN_RESPONSES,
        },
    )


# ---------------------------------------------------------------------------------------------
# The employee's own feedback
# ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_feedback(request: HttpRequest) -> HttpResponse:
    employee = getattr(request.user, "employee", None)
    periods = kompetensi_selectors.period_choices()
    history = (
        skm_selectors.employee_feedback_history(employee, periods) if employee is not None else []
    )
    rows = [
        {"period": period, "ikm": ikm, "elements": element_rows(ikm) if ikm else []}
        for period, ikm in history
    ]
    return render(
        request,
        "skm/my_feedback.html",
        {
            "employee": employee,
            "rows": rows,
            "min_responses": skm_selectors.EMPLOYEE_SUMMARY_MIN_RESPONSES,
        },
    )
