"""The HR-editable certificate template: validation, one default, what the certificate prints
(wording, signatory precedence, number format, background), PDF/A-3b, the admin preview, and
a signed certificate end to end (signer on the verification page and in the API)."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from workflow import services
from workflow.certificates import signing
from workflow.certificates import templates as certificate_templates
from workflow.models import Assignment, Certificate, CertificateTemplate

S = Assignment.Status
pytestmark = pytest.mark.django_db

VALID_NIP = "197501012000031002"


def make_template(**overrides):
    values = {
        "name": "Templat 2026",
        "is_default": True,
        "title": "PIAGAM",
        "subtitle": "Tanda Kelulusan Pelatihan",
        "issuer": "Badan Kepegawaian Daerah",
        "signatory_name": "Dr. Hj. Contoh Penandatangan, M.Si.",
        "signatory_nip": VALID_NIP,
        "signatory_position": "Kepala BKPSDM Kota Serang",
        "place": "Kota Serang",
    }
    values.update(overrides)
    tpl = CertificateTemplate(**values)
    tpl.full_clean()
    tpl.save()
    return tpl


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


@pytest.fixture
def completed(make_module, make_employee, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def _make(**module_fields):
        e = make_employee()
        m = make_module("Komunikasi Efektif", jp=20)
        for key, value in module_fields.items():
            setattr(m, key, value)
        if module_fields:
            m.save()
        return Assignment.objects.create(employee=e, module=m, status=S.COMPLETED, jp=20)

    return _make


def issue_and_render(assignment) -> Certificate:
    cert = services.certificate_issue(assignment_id=assignment.pk)
    return services.certificate_render(certificate_id=cert.pk)


# ------------------------------------------------------------------------------------------
# Model rules
# ------------------------------------------------------------------------------------------


def test_only_one_default_template_database_constraint():
    make_template()
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateTemplate.objects.create(name="Kedua", is_default=True, signatory_name="X")
    CertificateTemplate.objects.create(name="Ketiga", is_default=False, signatory_name="X")
    assert CertificateTemplate.objects.filter(is_default=True).count() == 1


def test_second_default_is_a_form_error_in_indonesian():
    make_template()
    other = CertificateTemplate(name="Kedua", is_default=True, signatory_name="X")
    with pytest.raises(ValidationError) as exc:
        other.full_clean()
    assert "is_default" in exc.value.message_dict


@pytest.mark.parametrize("nip", ["12345", "197501012000031", "19750101200003100X"])
def test_signatory_nip_is_validated(nip):
    tpl = CertificateTemplate(name="Salah", signatory_name="X", signatory_nip=nip)
    with pytest.raises(ValidationError) as exc:
        tpl.full_clean()
    assert "signatory_nip" in exc.value.message_dict


@pytest.mark.parametrize("fmt", ["{seq}", "{year}", "{seq}/{year}/{unit}", "{seq:05d/{year}"])
def test_number_format_is_validated(fmt):
    tpl = CertificateTemplate(name="Salah", signatory_name="X", number_format=fmt)
    with pytest.raises(ValidationError) as exc:
        tpl.full_clean()
    assert "number_format" in exc.value.message_dict


# ------------------------------------------------------------------------------------------
# What the certificate prints
# ------------------------------------------------------------------------------------------


def test_without_template_builtin_wording_and_signatory(completed):
    cert = issue_and_render(completed())
    text = pdf_text(cert.pdf.read())
    assert "SERTIFIKAT" in text.replace(" ", "")
    assert "Kepala BKPSDM Kota Serang" in text
    assert cert.signed_by == ""


def test_default_template_wording_signatory_and_number_format(completed):
    make_template(number_format="{seq:04d}/STTP-BKPSDM/{year}")
    cert = issue_and_render(completed())
    assert re.fullmatch(r"0001/STTP-BKPSDM/\d{4}", cert.number)
    text = pdf_text(cert.pdf.read())
    assert "PIAGAM" in text.replace(" ", "")
    assert "TANDA KELULUSAN PELATIHAN" in text
    assert "BADAN KEPEGAWAIAN DAERAH" in text
    assert "Dr. Hj. Contoh Penandatangan, M.Si." in text
    assert "19750101 200003 1 002" in text
    assert "Kota Serang," in text
    assert cert.number in text


def test_module_signatory_overrides_the_template(completed):
    make_template()
    a = completed(
        signatory_name="Ir. Penandatangan Modul",
        signatory_nip="198001012005011003",
        signatory_position="Kepala Dinas Mitra",
    )
    text = pdf_text(issue_and_render(a).pdf.read())
    assert "Ir. Penandatangan Modul" in text
    assert "Kepala Dinas Mitra" in text
    assert "Contoh Penandatangan" not in text
    assert "PIAGAM" in text.replace(" ", "")  # the rest still comes from the template


def test_non_default_template_is_not_used(completed):
    make_template(is_default=False)
    text = pdf_text(issue_and_render(completed()).pdf.read())
    assert "Contoh Penandatangan" not in text


def _image(tmp_path):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image
    from wagtail.models import Collection

    # A transactional test elsewhere may have flushed the migration-made root collection.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    buf = io.BytesIO()
    PILImage.new("RGB", (600, 424), (235, 240, 250)).save(buf, format="PNG")
    buf.seek(0)
    return Image.objects.create(
        title="Latar", file=ImageFile(buf, name="latar.png"), collection=root
    )


def test_background_image_is_embedded_as_a_jpeg(completed, tmp_path):
    tpl = make_template(background=_image(tmp_path))
    values = certificate_templates.template_values(tpl)
    assert values["background"].startswith("data:image/jpeg;base64,")
    data = issue_and_render(completed()).pdf.read()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    # The JPEG background (the QR code is a PNG, Flate-encoded; nothing else is a JPEG).
    assert b"/DCTDecode" in data


def test_unusable_background_renders_without_it(tmp_path, completed):
    tpl = make_template(background=_image(tmp_path))
    tpl.background.file.storage.delete(tpl.background.file.name)
    assert certificate_templates.template_values(tpl)["background"] == ""
    assert issue_and_render(completed()).pdf


def test_background_must_be_an_image_data_url():
    from tests.workflow.test_pdf import make_ctx

    with pytest.raises(ValueError):
        make_ctx(background='data:image/png;base64,AAA"); } @import url("x')
    with pytest.raises(ValueError):
        make_ctx(background="file:///etc/passwd")


# ------------------------------------------------------------------------------------------
# PDF/A-3b
# ------------------------------------------------------------------------------------------


def test_certificate_declares_pdfa_3b():
    from tests.workflow.test_pdf import make_ctx
    from workflow.certificates import pdf

    data = pdf.render_certificate_pdf(make_ctx())
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp)
    assert "/OutputIntents" in reader.trailer["/Root"]


# ------------------------------------------------------------------------------------------
# Admin: BKPSDM edits and previews; others may not
# ------------------------------------------------------------------------------------------


def test_hr_edits_and_previews_a_sample_pdf(client, hr_user):
    tpl = make_template()
    client.force_login(hr_user)
    index = client.get("/admin/templat-sertifikat/")
    assert index.status_code == 200
    edit = client.get(f"/admin/templat-sertifikat/edit/{tpl.pk}/")
    assert edit.status_code == 200
    preview_url = reverse("certificate_template:preview", args=[tpl.pk])
    assert preview_url.encode() in edit.content
    r = client.get(preview_url)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("inline")
    text = pdf_text(r.content)
    assert "Contoh Nama Peserta" in text
    assert "Dr. Hj. Contoh Penandatangan, M.Si." in text


def test_hr_creates_a_template_in_the_admin(client, hr_user):
    client.force_login(hr_user)
    data = {
        "name": "Baru",
        "is_default": "on",
        "title": "SERTIFIKAT",
        "subtitle": "Surat Tanda Tamat Pelatihan",
        "agency": "",
        "issuer": "BKPSDM",
        "background": "",
        "signatory_name": "Kepala",
        "signatory_nip": "12345",
        "signatory_position": "Kepala BKPSDM",
        "place": "Serang",
        "number_format": "",
    }
    r = client.post("/admin/templat-sertifikat/new/", data)
    assert r.status_code == 200  # the form again, with the NIP error
    assert not CertificateTemplate.objects.exists()
    data["signatory_nip"] = VALID_NIP
    r = client.post("/admin/templat-sertifikat/new/", data)
    assert r.status_code == 302
    assert CertificateTemplate.objects.get().is_default


def test_asn_cannot_preview_or_edit(client, make_user):
    tpl = make_template()
    client.force_login(make_user("asn-biasa", "ASN"))
    r = client.get(reverse("certificate_template:preview", args=[tpl.pk]))
    assert r.status_code in (302, 403)
    r = client.get(f"/admin/templat-sertifikat/edit/{tpl.pk}/")
    assert r.status_code in (302, 403)


def test_scoped_hr_reads_and_previews_but_only_city_wide_hr_changes(client, make_user):
    """The template prints on every unit's certificates: an officer scoped to one unit sees
    and previews it; adding, changing, copying and deleting are for city-wide HR (issue #14;
    the group's model permissions alone let every officer change it)."""
    from kompetensi.models import OrganizationUnit

    tpl = make_template()
    unit = OrganizationUnit.objects.create(code="U1", name="Unit Satu", kind="perangkat_daerah")
    client.force_login(make_user("sdm-unit", "BKPSDM", hr_units=[unit]))
    assert client.get("/admin/templat-sertifikat/").status_code == 200
    preview = client.get(reverse("certificate_template:preview", args=[tpl.pk]))
    assert preview.status_code == 200
    for url in (
        "/admin/templat-sertifikat/new/",
        f"/admin/templat-sertifikat/edit/{tpl.pk}/",
        f"/admin/templat-sertifikat/copy/{tpl.pk}/",
        f"/admin/templat-sertifikat/delete/{tpl.pk}/",
    ):
        assert client.get(url).status_code in (302, 403), url
        assert client.post(url, {"name": "Diubah", "signatory_name": "X"}).status_code in (
            302,
            403,
        ), url
    tpl.refresh_from_db()
    assert CertificateTemplate.objects.count() == 1 and tpl.name != "Diubah"
    # An officer without any scope sees nothing.
    client.force_login(make_user("sdm-tanpa", "BKPSDM", hr_units=()))
    assert client.get("/admin/templat-sertifikat/").status_code in (302, 403)


# ------------------------------------------------------------------------------------------
# Signed certificate end to end
# ------------------------------------------------------------------------------------------


def test_signed_certificate_shows_the_signer(completed, settings, tmp_path, client, api):
    from core.pdf import pdf_sha256
    from tests.workflow.test_signing import PASSWORD, SIGNER_NAME, _make_p12, validate

    path, trusted = _make_p12(tmp_path)
    settings.SIKAP_SIGNING_P12_PATH = str(path)
    settings.SIKAP_SIGNING_P12_PASSWORD = PASSWORD
    settings.SIKAP_CERTIFICATE_SIGNER = "workflow.certificates.signing.LocalKeySigner"
    signing.reset_signer_cache()
    try:
        cert = issue_and_render(completed())
    finally:
        signing.reset_signer_cache()
    data = cert.pdf.read()
    assert cert.signed_by == SIGNER_NAME
    assert cert.sha256 == pdf_sha256(data)  # of the signed bytes
    status = validate(data, trusted)
    assert status.intact and status.valid and status.trusted

    html = client.get(reverse("workflow:verify_code", args=[cert.verification_code]))
    assert SIGNER_NAME in html.content.decode()
    body = api().get(f"/certificates/verify/{cert.verification_code}")
    assert body.status_code == 200
    assert body.json()["signed_by"] == SIGNER_NAME


def test_racing_signed_renders_keep_the_winners_file(completed, settings, tmp_path, monkeypatch):
    """Two workers render the same signed certificate at once (a redelivered task): the
    signatures differ (signing time), the loser must not overwrite or delete the winner's
    file, so the stored file always matches the stored SHA-256."""
    from core.pdf import pdf_sha256
    from tests.workflow.test_signing import PASSWORD, _make_p12

    path, _trusted = _make_p12(tmp_path)
    settings.SIKAP_SIGNING_P12_PATH = str(path)
    settings.SIKAP_SIGNING_P12_PASSWORD = PASSWORD
    settings.SIKAP_CERTIFICATE_SIGNER = "workflow.certificates.signing.LocalKeySigner"
    signing.reset_signer_cache()
    real_sign = signing.sign_pdf
    cert = services.certificate_issue(assignment_id=completed().pk)
    state = {"raced": False}

    def racing_sign(data):
        if state["raced"]:  # the winner's own signing
            return real_sign(data)
        state["raced"] = True
        services.certificate_render(certificate_id=cert.pk)  # the winner, meanwhile
        signed, name = real_sign(data)
        return signed + b"\n% loser\n", name  # make sure the loser's bytes differ

    monkeypatch.setattr(signing, "sign_pdf", racing_sign)
    try:
        services.certificate_render(certificate_id=cert.pk)
    finally:
        signing.reset_signer_cache()
    cert.refresh_from_db()
    data = cert.pdf.read()
    assert cert.sha256 == pdf_sha256(data)
    assert not data.endswith(b"% loser\n")
    files = list((tmp_path / "certificates").rglob("*.pdf"))
    assert len(files) == 1
