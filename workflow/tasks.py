"""Celery tasks of the workflow app: thin, idempotent, ids only."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone


@shared_task(name="workflow.tasks.issue_certificate", acks_late=True)
def issue_certificate(assignment_id: int) -> int | None:
    """Issue the certificate of a completed assignment (idempotent), then render its PDF."""
    from .services import certificate_issue

    cert = certificate_issue(assignment_id=assignment_id)
    return cert.pk if cert else None


@shared_task(
    name="workflow.tasks.render_certificate",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def render_certificate(certificate_id: int) -> bool:
    """Render a certificate's PDF once; a redelivered task finds the PDF and returns."""
    from .services import certificate_render

    cert = certificate_render(certificate_id=certificate_id)
    if cert and cert.pdf and not cert.emailed_at:
        email_certificate.delay_on_commit(cert.pk)  # e-mail the holder (once, see below)
    return bool(cert and cert.pdf)


@shared_task(name="workflow.tasks.send_due_reminders")
def send_due_reminders() -> int:
    """Daily (beat): 7 days and 1 day before the due date, on it, then weekly while overdue."""
    from .services import reminders_send

    return reminders_send()


@shared_task(name="workflow.tasks.check_certificate_expiry")
def check_certificate_expiry() -> int:
    """Daily (beat): remind 30 days before a certificate expires and create the renewal."""
    from .services import certificates_check_expiry

    return certificates_check_expiry()


@shared_task(
    name="workflow.tasks.email_certificate",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def email_certificate(certificate_id: int) -> bool:
    """E-mail the rendered certificate PDF to its holder, once: the row is claimed
    (``emailed_at`` set by a conditional update inside the transaction) before sending, so a
    second run or a racing worker sends nothing. A failed send rolls the claim back."""
    from django.core.mail import EmailMessage

    from .models import Certificate

    with transaction.atomic():
        cert = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("employee__user")
            .filter(pk=certificate_id, emailed_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if cert is None or not cert.pdf:
            return False
        user = cert.employee.user
        if user is None or not user.email:
            return False
        claimed = Certificate.objects.filter(pk=cert.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False
        from core import dataversion  # the HR view shows when it was e-mailed

        dataversion.bump("sdm", *dataversion.for_person(employee=cert.employee_id))
        with cert.pdf.open("rb") as fh:
            data = fh.read()
        message = EmailMessage(
            subject=f"[SIKAP] Sertifikat {cert.number}: {cert.module_title}",
            body=(
                f"Yth. {cert.holder_name},\n\n"
                f"Selamat, sertifikat pelatihan \u201c{cert.module_title}\u201d ({cert.jp} JP) "
                f"nomor {cert.number} telah terbit dan terlampir dalam e-mail ini.\n\n"
                f"Keaslian sertifikat dapat diperiksa di "
                f"{settings.SITE_URL}/verifikasi/{cert.verification_code}/\n\n"
                "Salam,\nBKPSDM Kota Serang"
            ),
            to=[user.email],
        )
        filename = "sertifikat-" + cert.number.replace("/", "-") + ".pdf"
        message.attach(filename, data, "application/pdf")
        message.send()
    return True


@shared_task(name="workflow.tasks.sweep_follow_ups")
def sweep_follow_ups() -> dict:
    """Every few minutes (beat): queue again the certificate follow-ups a crash may have lost
    (issue, render, e-mail; see ``services.follow_ups_sweep``)."""
    from dataclasses import asdict

    from .services import follow_ups_sweep

    return asdict(follow_ups_sweep())
