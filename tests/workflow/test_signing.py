"""PAdES signing of certificates with a throw-away key (workflow/certificates/signing.py), validated with
pyHanko against a trust root of exactly that key's certificate."""

import datetime as dt
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from workflow.certificates import signing

SIGNER_NAME = "Kepala BKPSDM Kota Serang (Uji)"
PASSWORD = "rahasia-uji"


def _make_p12(directory, *, name=SIGNER_NAME):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kota Serang"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    path = directory / "signer.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"sikap", key, cert, None, serialization.BestAvailableEncryption(PASSWORD.encode())
        )
    )
    return path, cert


@pytest.fixture
def p12(tmp_path):
    return _make_p12(tmp_path)


@pytest.fixture
def local_signer(p12, settings):
    path, cert = p12
    settings.SIKAP_SIGNING_P12_PATH = str(path)
    settings.SIKAP_SIGNING_P12_PASSWORD = PASSWORD
    settings.SIKAP_CERTIFICATE_SIGNER = "workflow.certificates.signing.LocalKeySigner"
    signing.reset_signer_cache()
    yield cert
    signing.reset_signer_cache()


def validate(data: bytes, trusted_cert):
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(trusted_cert.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(io.BytesIO(data))
    assert len(reader.embedded_signatures) == 1
    vc = ValidationContext(trust_roots=[root], allow_fetching=False)
    return validate_pdf_signature(reader.embedded_signatures[0], vc)


def minimal_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_no_signer_configured_leaves_the_pdf_unsigned(settings):
    settings.SIKAP_CERTIFICATE_SIGNER = None
    signing.reset_signer_cache()
    data = minimal_pdf()
    assert signing.get_signer() is None
    assert signing.sign_pdf(data) == (data, "")


def test_local_key_signature_is_intact_trusted_and_covers_the_whole_file(local_signer):
    from pyhanko.sign.validation import SignatureCoverageLevel

    signed, name = signing.sign_pdf(minimal_pdf())
    assert name == SIGNER_NAME
    status = validate(signed, local_signer)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level is None or status.modification_level.name == "NONE"


def test_a_changed_byte_breaks_the_signature(local_signer):
    signed, _name = signing.sign_pdf(minimal_pdf())
    # Flip one byte inside the signed range (in the original page content, before the
    # signature's incremental update).
    index = signed.index(b"/MediaBox")
    tampered = signed[:index] + b"/MediaBoX" + signed[index + len(b"/MediaBox") :]
    status = validate(tampered, local_signer)
    assert not status.intact


def test_untrusted_key_is_not_trusted(local_signer, tmp_path):
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    _path, other_cert = _make_p12(other_dir, name="Orang Lain")
    signed, _name = signing.sign_pdf(minimal_pdf())
    status = validate(signed, other_cert)
    assert status.intact
    assert not status.trusted


def test_signer_is_built_once_per_setting(local_signer):
    assert signing.get_signer() is signing.get_signer()


def test_missing_key_path_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SIKAP_SIGNING_P12_PATH = ""
    with pytest.raises(ImproperlyConfigured):
        signing.LocalKeySigner()


def test_wrong_password_is_refused(p12):
    path, _cert = p12
    signer = signing.LocalKeySigner(str(path), "salah")
    with pytest.raises(Exception):  # noqa: B017 - pyHanko/cryptography raise their own
        signer.sign_pdf(minimal_pdf())


def test_certificate_pdf_signed_and_pdfa(local_signer):
    """The real certificate (PDF/A-3b): the signature is an incremental update, the PDF/A
    declaration stays, and the whole file is covered."""
    from pyhanko.sign.validation import SignatureCoverageLevel

    from tests.workflow.test_pdf import make_ctx
    from workflow.certificates import pdf

    data = pdf.render_certificate_pdf(make_ctx())
    signed, name = signing.sign_pdf(data)
    assert signed.startswith(data)
    status = validate(signed, local_signer)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert name == SIGNER_NAME
