"""Digital signatures (PAdES) on certificate PDFs, with a pluggable signer.

A signer is any object with ``sign_pdf(data: bytes) -> tuple[bytes, str]`` returning the signed
PDF and the signer's name (shown on the verification page). Which signer is used comes from
the setting ``SIKAP_CERTIFICATE_SIGNER``: a dotted path to a class (or factory) called without
arguments; empty/None means certificates are not signed. The national e-signature service
(BSrE) can later be plugged in the same way, without touching the render task.

``LocalKeySigner`` signs with a PKCS#12 file (``SIKAP_SIGNING_P12_PATH`` and
``SIKAP_SIGNING_P12_PASSWORD``): PAdES baseline B-B, SHA-256, whole-file coverage. Nothing is
fetched over the network (no timestamp authority, no OCSP/CRL), so signing is fast and works
offline; a PDF reader shows who signed the file and that it has not been changed since.
"""

from __future__ import annotations

import io
import threading
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

__all__ = ["LocalKeySigner", "Signer", "get_signer", "sign_pdf", "signer_display_name"]


class Signer(Protocol):
    def sign_pdf(self, data: bytes) -> tuple[bytes, str]:  # pragma: no cover - protocol
        ...


def signer_display_name(cert) -> str:
    """A person-readable name from an X.509 certificate (asn1crypto): CN, else O, else the
    whole subject."""
    subject = cert.subject.native
    for key in ("common_name", "organization_name"):
        value = subject.get(key)
        if value:
            return value if isinstance(value, str) else ", ".join(value)
    return cert.subject.human_friendly


class LocalKeySigner:
    """PAdES B-B with a local PKCS#12 key; the key is loaded once per process."""

    field_name = "SertifikatSIKAP"
    reason = "Sertifikat pelatihan SIKAP"

    def __init__(
        self,
        p12_path: str | None = None,
        password: str | bytes | None = None,
        *,
        location: str | None = None,
    ) -> None:
        self.p12_path = p12_path or getattr(settings, "SIKAP_SIGNING_P12_PATH", "")
        if password is None:
            password = getattr(settings, "SIKAP_SIGNING_P12_PASSWORD", "")
        self.password = password.encode() if isinstance(password, str) else password
        self.location = location or getattr(settings, "SIKAP_AGENCY_NAME", "")
        if not self.p12_path:
            raise ImproperlyConfigured("SIKAP_SIGNING_P12_PATH is not set")
        self._signer = None
        self._lock = threading.Lock()

    def _load(self):
        if self._signer is None:
            with self._lock:
                if self._signer is None:
                    from pyhanko.sign import signers

                    signer = signers.SimpleSigner.load_pkcs12(
                        pfx_file=self.p12_path, passphrase=self.password or None
                    )
                    if signer is None:
                        raise ImproperlyConfigured(
                            f"cannot load the PKCS#12 key {self.p12_path} (file or password)"
                        )
                    self._signer = signer
        return self._signer

    @property
    def name(self) -> str:
        return signer_display_name(self._load().signing_cert)

    def sign_pdf(self, data: bytes) -> tuple[bytes, str]:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        signer = self._load()
        meta = signers.PdfSignatureMetadata(
            field_name=self.field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=self.reason,
            location=self.location or None,
            use_pades_lta=False,
            embed_validation_info=False,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer)
        return out.getvalue(), signer_display_name(signer.signing_cert)


_cache: dict[str, object] = {}
_cache_lock = threading.Lock()


def get_signer() -> Signer | None:
    """The configured signer (one instance per process and setting), or None."""
    path = getattr(settings, "SIKAP_CERTIFICATE_SIGNER", None)
    if not path:
        return None
    with _cache_lock:
        signer = _cache.get(path)
        if signer is None:
            signer = import_string(path)()
            _cache.clear()
            _cache[path] = signer
    return signer  # type: ignore[return-value]


def reset_signer_cache() -> None:
    """Forget the cached signer (tests that change the settings)."""
    with _cache_lock:
        _cache.clear()


def sign_pdf(data: bytes) -> tuple[bytes, str]:
    """Sign ``data`` with the configured signer; unsigned ``(data, "")`` when there is none."""
    signer = get_signer()
    if signer is None:
        return data, ""
    return signer.sign_pdf(data)
