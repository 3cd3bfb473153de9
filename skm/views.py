"""Pages of the citizen satisfaction survey (SKM).

Public (no login): the list of service points, the questionnaire of one point and the thank-you
page — light HTML, no JavaScript. HR (BKPSDM, scoped): the IKM per unit and service point.
An employee: the aggregate of the feedback naming them (from five responses on)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kompetensi.permissions import hr_scope_paths, units_visible_to

from . import rules
from . import selectors as skm_selectors
from . import services as skm_services
from .forms import FeedbackForm
from .models import ServicePoint

DEVICE_COOKIE_AGE = 365 * 24 * 3600


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


@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, code: str) -> HttpResponse:
    point = skm_selectors.service_point_public(code)
    if point is None:
        raise Http404(_("Titik layanan tidak ditemukan."))
    skm_selectors.attach_agency([point])
    device_id, new_device = _device_id(request)
    staff = skm_selectors.staff_cards(point)
    status = 200
    error = None
    if request.method == "POST":
        form = FeedbackForm(request.POST, staff=staff)
        ip = skm_services.client_ip(request)
        try:
            # Every attempt counts towards the limit, refused ones too (before anything else).
            skm_services.feedback_attempt(ip=ip, device_id=device_id)
        except skm_services.FeedbackRateLimited as exc:
            error, status = exc.message, 429
        else:
            if form.is_bot:
                return redirect("skm:thanks", code=point.code)
            if form.is_valid():
                try:
                    skm_services.feedback_submit(
                        service_point=point,
                        scores=form.scores,
                        comment=form.cleaned_data["comment"],
                        employee_id=form.employee_id,
                        ip=ip,
                        device_id=device_id,
                    )
                except skm_services.FeedbackError as exc:
                    error, status = exc.message, 422
                else:
                    response = redirect("skm:thanks", code=point.code)
                    return _with_device_cookie(request, response, device_id, new_device)
            else:
                status = 422
    else:
        form = FeedbackForm(staff=staff)
    response = render(
        request,
        "skm/feedback_form.html",
        {"point": point, "form": form, "error": error, "has_staff": bool(staff)},
        status=status,
    )
    return _with_device_cookie(request, response, device_id, new_device)


@require_GET
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    point = skm_selectors.service_point_public(code)
    if point is None:
        raise Http404(_("Titik layanan tidak ditemukan."))
    skm_selectors.attach_agency([point])
    return render(request, "skm/thanks.html", {"point": point})


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
    periods = skm_selectors.period_choices()
    period = skm_selectors.pick_period(periods, request.GET.get("period"))
    units = units_visible_to(request.user)
    points = ServicePoint.objects.filter(unit__in=units)
    total = skm_selectors.ikm_for_units(units, period)
    return render(
        request,
        "skm/hr_ikm.html",
        {
            "periods": periods,
            "period": period,
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
    periods = skm_selectors.period_choices()
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
