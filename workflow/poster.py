"""The A6 poster of a citizen feedback point (SKM) with its QR code, printed for the counter.

HR only (BKPSDM, scoped to their units): a point outside the officer's units is 404. The PDF is
rendered by ``workflow.pdf.render_poster_pdf`` (the only WeasyPrint user)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kompetensi.models import ServicePoint
from kompetensi.permissions import hr_scope_paths, units_visible_to
from kompetensi.skm_selectors import attach_agency

from . import pdf


@require_GET
def poster_pdf(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if hr_scope_paths(request.user) == []:
        raise PermissionDenied(_("Halaman ini hanya untuk BKPSDM."))
    point = (
        ServicePoint.objects.filter(code=code, unit__in=units_visible_to(request.user))
        .select_related("unit")
        .first()
    )
    if point is None:
        raise Http404(_("Titik layanan tidak ditemukan."))
    attach_agency([point])
    feedback_url = request.build_absolute_uri(reverse("kompetensi:skm_form", args=[point.code]))
    content = pdf.render_poster_pdf(
        pdf.PosterContext(
            unit_name=point.agency, service_name=point.service, feedback_url=feedback_url
        )
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-skm-{point.code}.pdf"'
    return response
