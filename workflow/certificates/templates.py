"""The HR-editable certificate template (``workflow.models.CertificateTemplate``) applied to
certificates, and the sample certificate its admin preview renders.

Precedence, field by field (documented for HR in the admin's help texts):

* title, subtitle, kop lines (agency, issuer), place, background: the default template, else
  the built-in wording (``CertificateContext`` defaults; agency from ``SIKAP_AGENCY_NAME``);
* signatory name, NIP and position: the module's own signatory when the module sets a name
  (a module signed by another official, e.g. a partner agency), else the default template,
  else the built-in "Kepala BKPSDM Kota Serang";
* number format: the default template's when set, else ``SIKAP_CERTIFICATE_NUMBER_FORMAT``.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_SIGNATORY_NAME = "Kepala BKPSDM Kota Serang"
DEFAULT_SIGNATORY_POSITION = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
# The background is embedded as a JPEG rendition sized for A4 landscape at 150 dpi: enough for
# print, small enough to keep the PDF light (a photo-sized upload would make every file MBs).
BACKGROUND_RENDITION = "max-1754x1240|format-jpeg|jpegquality-80"


def default_template():
    """The default ``CertificateTemplate`` (or None)."""
    from workflow.models import CertificateTemplate

    return CertificateTemplate.objects.select_related("background").filter(is_default=True).first()


def number_format() -> str:
    tpl = default_template()
    if tpl is not None and tpl.number_format:
        return tpl.number_format
    return settings_number_format()


def settings_number_format() -> str:
    """``SIKAP_CERTIFICATE_NUMBER_FORMAT``, the format when no template sets one."""
    return getattr(settings, "SIKAP_CERTIFICATE_NUMBER_FORMAT", "{seq:05d}/SIKAP/{year}")


def background_data_uri(image) -> str:
    """A JPEG rendition of a Wagtail image as a ``data:`` URL; "" if it cannot be made (the
    certificate is then rendered without a background, never not at all)."""
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(BACKGROUND_RENDITION)
        with rendition.file.open("rb") as fh:
            data = fh.read()
    except Exception:  # a missing/corrupt file must not block issuing certificates
        logger.exception("certificate background image %s unusable", image.pk)
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")


def template_values(tpl, module=None) -> dict[str, Any]:
    """``CertificateContext`` keyword arguments from a template and a module (see the module
    docstring for the precedence)."""
    values: dict[str, Any] = {
        "agency": settings.SIKAP_AGENCY_NAME,
        "signatory_name": DEFAULT_SIGNATORY_NAME,
        "signatory_nip": "",
        "signatory_position": DEFAULT_SIGNATORY_POSITION,
    }
    if tpl is not None:
        values.update(
            title=tpl.title,
            subtitle=tpl.subtitle,
            issuer=tpl.issuer,
            place=tpl.place,
            signatory_name=tpl.signatory_name,
            signatory_nip=tpl.signatory_nip,
            signatory_position=tpl.signatory_position,
            background=background_data_uri(tpl.background) if tpl.background_id else "",
        )
        if tpl.agency:
            values["agency"] = tpl.agency
    if module is not None and module.signatory_name:
        values.update(
            signatory_name=module.signatory_name,
            signatory_nip=module.signatory_nip or "",
            signatory_position=module.signatory_position or values["signatory_position"],
        )
    return values


def sample_context(tpl):
    """A certificate with sample data, for the admin preview of ``tpl``."""
    from kompetensi import rules

    from .pdf import CertificateContext
    from .verification import verify_url

    today = rules.jakarta_today()
    year = today.year
    fmt = tpl.number_format or settings_number_format()
    code = "CONTOHCONTOHCONTOHCONTOH22"
    return CertificateContext(
        number=rules.format_certificate_number(1, year, fmt),
        holder_name="Contoh Nama Peserta, S.E.",
        holder_nip="199001012015031001",
        holder_rank="Penata Muda Tingkat I (III/b)",
        holder_position="Analis Sumber Daya Manusia Aparatur",
        holder_unit="Bidang Pengembangan Kompetensi Aparatur",
        module_title="Contoh Modul: Pelayanan Publik Prima",
        competencies=[("Pelayanan Publik", 3), ("Komunikasi", 2)],
        jp=20,
        start_date=today - dt.timedelta(days=14),
        completion_date=today,
        issue_date=today,
        verify_url=verify_url(code),
        verification_code=code,
        **template_values(tpl),
    )
