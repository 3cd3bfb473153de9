"""The HR's certificate ZIP: every certificate of the officer's units in a unit and/or an issue
year, one PDF per certificate (rendered first when missing, stamped "DICABUT" when revoked) and
a MANIFEST.txt (the view: ``workflow/external_views.py``, ``/sdm/sertifikat/unduh.zip``)."""

from __future__ import annotations

import logging
import zipfile

from django.utils.translation import gettext as _

from workflow.models import Certificate
from workflow.selectors import certificates_in_scope

logger = logging.getLogger(__name__)

ZIP_SPOOL_BYTES = 20 * 1024 * 1024


def certificates_for_zip(user, *, unit_code: str = "", year: int | None = None):
    """One query (plus one for the unit): certificates of the officer's units
    (``permissions.certificates_managed_by``), of a unit's subtree and/or an issue year. None
    when the unit is not visible to the officer."""
    query = certificates_in_scope(user, unit_code=unit_code, year=year)
    if query is None:
        return None
    return (
        query.select_related("employee")
        .only(
            "number",
            "pdf",
            "year",
            "verification_code",
            "revoked_at",
            "employee__nip",
            "module_title",
            "holder_name",
        )
        .order_by("year", "sequence")
    )


def render_missing_pdfs(certs) -> int:
    """Render (and store) the PDFs of ``certs`` not rendered yet, before the archive is read
    (a render is a write: not done while a chunked read of the same rows is open). A failed
    render is logged; the certificate is then listed in MANIFEST.txt. Returns how many were
    rendered."""
    from workflow import services

    rendered = 0
    for pk in list(certs.filter(pdf="").values_list("pk", flat=True)):
        try:
            services.certificate_render(certificate_id=pk)
        except Exception:  # noqa: BLE001 - the archive lists it as left out
            logger.exception("PDF sertifikat id=%s tidak dapat dibuat untuk ZIP.", pk)
            continue
        rendered += 1
    return rendered


def zip_entry_name(cert: Certificate) -> str:
    suffix = "_DICABUT" if cert.revoked_at else ""
    return f"{cert.number.replace('/', '-')}_{cert.employee.nip}{suffix}.pdf"


def build_certificates_zip(certs, fileobj) -> tuple[int, list[str]]:
    """Write every certificate of ``certs`` into ``fileobj`` as a ZIP: a PDF not rendered yet
    is rendered for it (and stored), a revoked certificate goes in stamped "DICABUT".
    MANIFEST.txt says how many PDFs the archive holds and lists any certificate that could
    not be included (a failed render). Returns (files, numbers left out)."""
    from workflow import services

    written, skipped, revoked, seen = 0, [], 0, set()
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for cert in certs:
            name = zip_entry_name(cert)
            if name in seen:
                skipped.append(cert)
                continue
            try:
                src = services.certificate_pdf_file(cert)
                with src, zf.open(name, "w") as dst:
                    while chunk := src.read(64 * 1024):
                        dst.write(chunk)
            except Exception:  # noqa: BLE001 - one failed render must not fail the archive
                logger.exception("Sertifikat %s tidak dapat dimasukkan ke ZIP.", cert.number)
                skipped.append(cert)
                continue
            seen.add(name)
            written += 1
            revoked += bool(cert.revoked_at)
        lines = [_("Sertifikat SIKAP: %(n)s berkas PDF.") % {"n": written}]
        if revoked:
            lines.append(
                _("%(n)s di antaranya sudah dicabut (berkas diberi cap DICABUT).") % {"n": revoked}
            )
        if skipped:
            lines.append(_("Tidak dapat dimasukkan (%(n)s):") % {"n": len(skipped)})
            lines += [f"- {c.number} · {c.employee.nip} · {c.holder_name}" for c in skipped]
        zf.writestr("MANIFEST.txt", "\r\n".join(lines) + "\r\n")
    return written, [c.number for c in skipped]
