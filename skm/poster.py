"""The A6 poster of a citizen feedback point (SKM) with its QR code, printed for the counter.

HR only (BKPSDM, scoped to their units): a point outside the officer's units is 404. The HTML is
``templates/skm/pdf/poster_a6.html``; the PDF is rendered by core's primitive (``core/pdf.py``,
the only WeasyPrint user) and the QR code by ``core/qr.py``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import pdf
from core.qr import qr_data_uri
from kompetensi.permissions import hr_scope_paths, units_visible_to

from .models import ServicePoint
from .selectors import attach_agency

PDF_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "skm" / "pdf"
POSTER_TEMPLATE = "skm/pdf/poster_a6.html"

pdf.register_stylesheet("poster", PDF_TEMPLATE_DIR / "poster_a6.css")


@dataclass(frozen=True, slots=True, kw_only=True)
class PosterContext:
    """An A6 poster for a citizen feedback point (SKM) at a service counter."""

    unit_name: str
    service_name: str
    feedback_url: str
    agency: str = "Pemerintah Kota Serang"


def poster_html(ctx: PosterContext) -> str:
    """The feedback poster as HTML (Django template ``skm/pdf/poster_a6.html``)."""
    context = {
        "agency_upper": ctx.agency.upper(),
        "unit_name": ctx.unit_name,
        "service_name": ctx.service_name,
        "feedback_url": ctx.feedback_url,
        "qr_src": qr_data_uri(ctx.feedback_url, border=0),
        # Long unit/service names or URL: a smaller QR code keeps the poster on one page.
        "compact": len(ctx.unit_name) + len(ctx.service_name) > 90 or len(ctx.feedback_url) > 60,
    }
    return render_to_string(POSTER_TEMPLATE, context)


def render_poster_pdf(ctx: PosterContext) -> bytes:
    """A6 portrait, one page: "scan to give feedback" poster for a service counter."""
    return pdf.render_html_pdf(poster_html(ctx), stylesheet="poster")


@require_GET
def poster_pdf(request: HttpRequest, unit: str, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if hr_scope_paths(request.user) == []:
        raise PermissionDenied(_("Halaman ini hanya untuk BKPSDM."))
    point = (
        ServicePoint.objects.filter(
            unit__code=unit, code=code, unit__in=units_visible_to(request.user)
        )
        .select_related("unit")
        .first()
    )
    if point is None:
        raise Http404(_("Titik layanan tidak ditemukan."))
    attach_agency([point])
    feedback_url = request.build_absolute_uri(
        reverse("skm:form", kwargs={"unit": point.unit.code, "code": point.code})
    )
    content = render_poster_pdf(
        PosterContext(unit_name=point.agency, service_name=point.service, feedback_url=feedback_url)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-skm-{point.code}.pdf"'
    return response
