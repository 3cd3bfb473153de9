"""The counter tablets of a service point in the Wagtail admin (issue #16): HR of the point's
unit lists them, creates one (its one-time pairing link shown once, as a QR code to scan with
the tablet and as text) and revokes one. Reached from the service point's row and edit page
("Perangkat loket"); every change through ``skm.services``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.confirm import Confirmation, confirmation_page, is_confirmed
from core.errors import NotAllowed, NotFound, ServiceError
from core.qr import qr_svg_data_uri
from kompetensi.permissions import has_hr_authority, hr_scope

from . import services as skm_services
from .models import KioskDevice, ServicePoint
from .permissions import can_manage_service_point

#: The URL names of these views inside the service points' viewset ("titik-layanan").
VIEWSET = "titik-layanan"


def visible_points(user):
    """The service points an officer sees in the admin (their units); nothing for others."""
    if not has_hr_authority(user):
        return ServicePoint.objects.none()
    return ServicePoint.objects.filter(hr_scope(user).q("unit__path"))


def pairing_url(code: str) -> str:
    """The public pairing link of a pairing code (the address the tablet opens)."""
    path = reverse("skm:kiosk_pair", kwargs={"token": code})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


class KioskDeviceForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama perangkat"),
        max_length=skm_services.KIOSK_NAME_MAX_LENGTH,
        help_text=gettext_lazy("Mis. “Tablet loket 1”: agar mudah dikenali saat dicabut."),
    )


def _point_or_404(request, pk) -> ServicePoint:
    point = get_object_or_404(visible_points(request.user).select_related("unit"), pk=pk)
    if not can_manage_service_point(request.user, point.unit):
        raise PermissionDenied
    return point


@method_decorator(never_cache, name="dispatch")
class KioskDevicesView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the point's tablets and the form; POST: a new tablet and its pairing link."""

    template_name = "skm/admin/kiosk_devices.html"
    page_title = gettext_lazy("Perangkat loket")
    header_icon = "mobile-alt"

    def dispatch(self, request, *args, **kwargs):
        self.point = _point_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.point.service} ({self.point.unit.name})"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(f"{VIEWSET}:index"), "label": _("Titik layanan (SKM)")},
            {"url": reverse(f"{VIEWSET}:edit", args=[self.point.pk]), "label": str(self.point)},
            {"url": "", "label": _("Perangkat loket")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", KioskDeviceForm())
        context.update(
            point=self.point,
            devices=list(
                KioskDevice.objects.filter(service_point=self.point).select_related("created_by")
            ),
            now=timezone.now(),
            hours=int(skm_services.KIOSK_PAIRING_TTL.total_seconds() // 3600),
            cadence=int(skm_services.KIOSK_CADENCE.total_seconds()),
            revoke_url_name=f"{VIEWSET}:device_revoke",
        )
        return context

    def post(self, request, *args, **kwargs):
        form = KioskDeviceForm(request.POST)
        issued = None
        if form.is_valid():
            try:
                device, code = skm_services.kiosk_create(
                    actor=request.user, point=self.point, name=form.cleaned_data["name"]
                )
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from None
            except ServiceError as error:
                form.add_error("name", error.message)
            else:
                url = pairing_url(code)
                issued = {"device": device, "url": url, "qr": qr_svg_data_uri(url)}
                form = KioskDeviceForm()
        return self.render_to_response(self.get_context_data(form=form, issued=issued))


@never_cache
@require_POST
def kiosk_device_revoke(request, pk: int, device_pk: int):
    point = _point_or_404(request, pk)
    device = get_object_or_404(KioskDevice, pk=device_pk, service_point=point)
    if device.revoked_at is None and not is_confirmed(request):
        back = reverse(f"{VIEWSET}:devices", args=[point.pk])
        return confirmation_page(
            request,
            Confirmation(
                title=_("Cabut perangkat “%(name)s”?") % {"name": device.name},
                effects=[
                    _(
                        "Tablet ini tidak lagi dikenali sebagai perangkat loket: penilaian "
                        "darinya dibatasi seperti perangkat umum."
                    )
                ],
                details=[
                    (_("Titik layanan"), f"{point.service} ({point.unit.name})"),
                    (_("Perangkat"), device.name),
                ],
                irreversible=_(
                    "Pencabutan tidak dapat dibatalkan: untuk memakai tablet ini lagi sebagai "
                    "perangkat loket, pasangkan ulang dengan tautan baru."
                ),
                confirm_label=_("Ya, cabut perangkat"),
                cancel_url=back,
            ),
            template="core/admin/confirm_page.html",
        )
    try:
        skm_services.kiosk_revoke(actor=request.user, device=device)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except NotFound:
        raise Http404 from None
    messages.success(
        request,
        _("Perangkat “%(name)s” dicabut: penilaian darinya kini dibatasi seperti umum.")
        % {"name": device.name},
    )
    return HttpResponseRedirect(reverse(f"{VIEWSET}:devices", args=[point.pk]))


kiosk_devices = KioskDevicesView.as_view()
