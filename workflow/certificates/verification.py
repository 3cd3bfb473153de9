"""Verifying a certificate: the public URL its QR code holds, finding it by its verification
code, and its status (valid, revoked, expired). The pages are ``/verifikasi/`` (views.py) and
``GET /api/v1/verify/{code}`` (api.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kompetensi import rules
from workflow.models import Certificate


def verify_url(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('workflow:verify_code', args=[code])}"


def certificate_by_code(code: str) -> Certificate | None:
    normal = rules.normalise_code(code or "")
    if not rules.is_verification_code(normal):
        return None
    return Certificate.objects.select_related("employee").filter(verification_code=normal).first()


def certificate_status(cert: Certificate, now=None) -> str:
    """ "valid", "revoked" (dicabut) or "expired" (kedaluwarsa)."""
    if cert.revoked_at:
        return "revoked"
    if cert.expires_at and cert.expires_at <= (now or timezone.now()):
        return "expired"
    return "valid"
