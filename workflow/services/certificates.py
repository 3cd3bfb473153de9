"""Certificates: issue (gapless numbering), render and sign the PDF, hand out the file (stamped
when revoked), revoke, reissue (re-render with current data)."""

from __future__ import annotations

import logging

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dataversion
from core.models import Notification
from core.notifications import notify
from kompetensi import rules
from workflow.certificates import templates as certificate_templates
from workflow.certificates.numbering import certificate_number, next_sequence
from workflow.certificates.verification import verify_url
from workflow.models import Assignment, Certificate

from .assignments import _as_user
from .common import S, TransitionError, WorkflowError, _check, jakarta_now, require_hr_over

logger = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------------
# Certificates
# ------------------------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, assignment_id: int) -> Certificate | None:
    """Issue the certificate of a completed assignment (idempotent: one per assignment, by a
    database constraint; a failed insert rolls the sequence back, so numbers stay gapless)."""
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("employee", "module")
        .filter(pk=assignment_id)
        .first()
    )
    if a is None:
        return None
    existing = Certificate.objects.filter(assignment_id=a.pk).first()
    if existing is not None:
        # Issued before, but the process that issued it may have died between the commit and
        # queueing what follows (a redelivered task lands here): queue what is missing.
        certificate_follow_up(existing)
        return existing
    if a.status != S.COMPLETED:
        return None
    now = timezone.now()
    year = jakarta_now().year
    sequence = next_sequence(year)
    valid = a.module.certificate_valid_months
    cert = Certificate.objects.create(
        assignment=a,
        employee=a.employee,
        module=a.module,
        number=certificate_number(sequence, year),
        year=year,
        sequence=sequence,
        verification_code=rules.new_verification_code(),
        jp=a.jp or a.module.jp,
        holder_name=a.employee.name,
        module_title=a.module.title,
        issued_at=now,
        completed_at=a.completed_at or now,
        expires_at=(now + relativedelta(months=valid)) if valid else None,
    )
    a.status = _check(a, "certify")
    a.save(update_fields=["status"])
    if a.employee.user_id:
        notify(
            user_ids=[a.employee.user_id],
            kind=Notification.Kind.CERTIFICATE,
            title=_("Sertifikat terbit: %s") % a.module.title,
            body=_("Sertifikat nomor %(n)s untuk “%(m)s” telah terbit.")
            % {"n": cert.number, "m": a.module.title},
            url=reverse("workflow:my_training"),
            dedupe_key=f"cert:{cert.pk}",
        )
    from core.audit import audit

    audit(action="issue", obj=cert, employee=a.employee, summary=f"sertifikat {cert.number}")
    from workflow.tasks import render_certificate

    render_certificate.delay_on_commit(cert.pk)
    return cert


def certificate_follow_up(cert: Certificate) -> str | None:
    """Queue (after commit) the next step a certificate still lacks: its PDF, else its e-mail
    to the holder. Idempotent: both tasks do nothing when their work is done. Returns the
    name of what was queued, or None."""
    from workflow.tasks import email_certificate, render_certificate

    if not cert.pdf:
        render_certificate.delay_on_commit(cert.pk)
        return "render"
    if cert.emailed_at is None and cert.revoked_at is None:
        email_certificate.delay_on_commit(cert.pk)
        return "email"
    return None


def certificate_context(cert: Certificate, template=None):
    """What the PDF prints; wording and signatory from the default certificate template
    (``template`` if given), see workflow/certificates/templates.py for the precedence."""
    from workflow.certificates.pdf import CertificateContext

    if template is None:
        template = certificate_templates.default_template()

    employee = cert.employee
    module = cert.module
    competencies = [
        (mc.competency.name, mc.target_level)
        for mc in module.module_competencies.select_related("competency").all()
    ]
    started = cert.assignment.started_at or cert.assignment.created_at or cert.completed_at
    return CertificateContext(
        number=cert.number,
        holder_name=cert.holder_name,
        holder_nip=employee.nip,
        holder_rank=employee.rank or "",
        holder_position=employee.position.name if employee.position_id else "",
        holder_unit=employee.unit.name if employee.unit_id else "",
        module_title=cert.module_title,
        competencies=competencies,
        jp=cert.jp,
        start_date=timezone.localtime(started, rules.JAKARTA).date(),
        completion_date=timezone.localtime(cert.completed_at, rules.JAKARTA).date(),
        issue_date=timezone.localtime(cert.issued_at, rules.JAKARTA).date(),
        verify_url=verify_url(cert.verification_code),
        verification_code=cert.verification_code,
        **certificate_templates.template_values(template, module),
    )


def certificate_render(*, certificate_id: int) -> Certificate | None:
    """Render and store the PDF once (skip when it exists). Safe to re-run after a crash: the
    file name is fixed, a half-written file is overwritten, the row is updated only if empty."""
    with transaction.atomic():
        # One render per certificate at a time: the row lock makes a racing render (the
        # sweep, a redelivered task, a download) wait and then find the PDF, so a file another
        # process may already be serving is never deleted under it.
        cert = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("employee__position", "employee__unit", "module", "assignment")
            .filter(pk=certificate_id)
            .first()
        )
        if cert is None or cert.pdf:
            return cert
        return _certificate_render_locked(cert)


def _certificate_render_locked(cert: Certificate) -> Certificate:
    from core.pdf import pdf_sha256
    from workflow.certificates.pdf import render_certificate_pdf

    data = render_certificate_pdf(certificate_context(cert))
    # PAdES signature when a signer is configured (workflow/certificates/signing.py); the
    # SHA-256 is of the final, signed bytes.
    from workflow.certificates.signing import sign_pdf

    data, signed_by = sign_pdf(data)
    digest = pdf_sha256(data)
    name = f"certificates/{cert.year}/{cert.verification_code}.pdf"
    if signed_by:
        # A signature carries its signing time, so two racing renders differ: each gets its
        # own content-addressed name and the loser removes only its own file (a fixed name
        # would let the loser overwrite the winner's file under the winner's SHA-256).
        name = f"certificates/{cert.year}/{cert.verification_code}-{digest[:12]}.pdf"
    elif default_storage.exists(name):
        default_storage.delete(name)
    if signed_by and default_storage.exists(name):  # same bytes already stored
        stored = name
    else:
        stored = default_storage.save(name, ContentFile(data))
    updated = Certificate.objects.filter(pk=cert.pk, pdf="").update(
        pdf=stored, sha256=digest, signed_by=signed_by
    )
    dataversion.bump("sdm", *dataversion.for_person(employee=cert.employee_id))
    if not updated:  # pragma: no cover - another worker won the race
        winner = Certificate.objects.filter(pk=cert.pk).values_list("pdf", flat=True).first()
        if winner != stored:
            default_storage.delete(stored)
    cert.refresh_from_db()
    return cert


def certificate_pdf_file(cert: Certificate):
    """The PDF to hand out for ``cert`` (download, verification page, ZIP): the stored file,
    rendered first if it is missing; for a revoked certificate a copy stamped "DICABUT"
    (the stored original and its SHA-256 stay as issued). A binary file object."""
    import io

    from workflow.certificates.pdf import stamp_revoked

    if not cert.pdf:
        cert = certificate_render(certificate_id=cert.pk)
    if not cert.revoked_at:
        return cert.pdf.open("rb")
    with cert.pdf.open("rb") as fh:
        original = fh.read()
    revoked = rules.numeric_date(cert.revoked_at)
    lines = [
        _("DICABUT pada %(d)s: sertifikat %(n)s tidak berlaku lagi.")
        % {"d": revoked, "n": cert.number},
        _("Periksa statusnya di %s") % verify_url(cert.verification_code),
    ]
    try:
        return io.BytesIO(stamp_revoked(original, lines=lines))
    except Exception:  # noqa: BLE001 - never hand out the unstamped original instead
        logger.exception("Cap DICABUT gagal untuk sertifikat %s; hanya pemberitahuan.", cert.pk)
        from django.utils.html import escape

        from core import pdf

        body = "".join(f"<p>{escape(line)}</p>" for line in lines)
        html = f"<h1>DICABUT</h1><p>{escape(cert.module_title)}</p>{body}"
        return io.BytesIO(pdf.render_html_pdf(html))


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """HR of the holder's unit revokes a certificate with a reason. From then on its JP no
    longer count (``selectors.credited_assignments``), its PDF is served stamped "DICABUT"
    and the holder is told (notification and e-mail)."""
    cert = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("employee__unit")
        .get(pk=certificate.pk)
    )
    require_hr_over(actor, cert.employee)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Alasan pencabutan wajib diisi."))
    if cert.revoked_at:
        raise TransitionError(_("Sertifikat ini sudah dicabut."))
    cert.revoked_at = timezone.now()
    cert.revoked_reason = reason
    cert.revoked_by = _as_user(actor)
    cert.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    from core.audit import audit

    audit(
        actor=actor,
        action="revoke",
        obj=cert,
        employee=cert.employee,
        summary=f"sertifikat {cert.number} dicabut: {reason}",
    )
    if cert.employee.user_id:
        notify(
            user_ids=[cert.employee.user_id],
            kind=Notification.Kind.CERTIFICATE,
            title=_("Sertifikat dicabut: %s") % cert.module_title,
            body=_(
                "Sertifikat nomor %(n)s untuk “%(m)s” dicabut oleh BKPSDM. Alasan: %(r)s. "
                "JP pelatihan ini (%(jp)s JP) tidak lagi dihitung."
            )
            % {"n": cert.number, "m": cert.module_title, "r": reason, "jp": cert.jp},
            url=reverse("workflow:verify_code", args=[cert.verification_code]),
            dedupe_key=f"cert-revoked:{cert.pk}",
        )
    return cert


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor) -> Certificate:
    """HR whose scope covers the holder's unit re-renders the PDF of a certificate that is not
    revoked, with the current certificate template and the holder's current data (name, rank,
    position, unit): e.g. after a misspelt name was corrected. The number, verification code
    and dates stay; the new PDF (and its SHA-256 on the verification page) replaces the old
    one, whose copies then no longer match. Audit-logged; the holder is told."""
    from core.pdf import pdf_sha256
    from workflow.certificates.pdf import render_certificate_pdf
    from workflow.certificates.signing import sign_pdf

    cert = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("employee__position", "employee__unit", "module", "assignment")
        .get(pk=certificate.pk)
    )
    require_hr_over(actor, cert.employee)
    if cert.revoked_at:
        raise TransitionError(_("Sertifikat yang sudah dicabut tidak dapat diterbitkan ulang."))
    old_name, old_pdf = cert.holder_name, cert.pdf.name if cert.pdf else ""
    cert.holder_name = cert.employee.name
    data, signed_by = sign_pdf(render_certificate_pdf(certificate_context(cert)))
    digest = pdf_sha256(data)
    # A new, content-addressed name: the old file keeps serving until this commits, and a
    # rollback leaves the row pointing at it.
    name = f"certificates/{cert.year}/{cert.verification_code}-{digest[:12]}.pdf"
    stored = name if default_storage.exists(name) else default_storage.save(name, ContentFile(data))
    cert.pdf = stored
    cert.sha256 = digest
    cert.signed_by = signed_by
    cert.save(update_fields=["holder_name", "pdf", "sha256", "signed_by"])
    if old_pdf and old_pdf != stored:
        transaction.on_commit(lambda: default_storage.delete(old_pdf))
    dataversion.bump("sdm", *dataversion.for_person(employee=cert.employee_id))
    from core.audit import audit

    renamed = f" (nama: {old_name} → {cert.holder_name})" if old_name != cert.holder_name else ""
    audit(
        actor=actor,
        action="reissue",
        obj=cert,
        employee=cert.employee,
        summary=f"sertifikat {cert.number} diterbitkan ulang{renamed}"[:300],
    )
    if cert.employee.user_id:
        notify(
            user_ids=[cert.employee.user_id],
            kind=Notification.Kind.CERTIFICATE,
            title=_("Sertifikat diterbitkan ulang: %s") % cert.module_title,
            body=_(
                "Sertifikat nomor %(n)s untuk “%(m)s” diterbitkan ulang oleh BKPSDM dengan data "
                "terkini. Nomor dan kode verifikasinya tetap; unduh berkas PDF yang baru."
            )
            % {"n": cert.number, "m": cert.module_title},
            url=reverse("workflow:verify_code", args=[cert.verification_code]),
            dedupe_key=f"cert-reissued:{cert.pk}:{digest[:12]}",
        )
    return cert
