"""Certificate e-mail to the holder (once) and the HR certificate ZIP download."""

import io
import zipfile

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.workflow.conftest import finish_module
from workflow import services, tasks
from workflow.models import Assignment, Certificate

pytestmark = pytest.mark.django_db
S = Assignment.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def issued(make_module, make_employee, fake_pdf):
    """A certificate issued through the services, PDF not rendered yet."""
    e = make_employee("pemegang-z")
    m = make_module("Pelayanan Prima", jp=12)
    finish_module(e.user, m)
    a = Assignment.objects.get(employee=e)
    services.certificate_issue(assignment_id=a.pk)
    return Certificate.objects.get(employee=e)


def test_render_task_emails_certificate_once(issued, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.render_certificate(issued.pk)
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == [issued.employee.user.email]
    assert issued.number in msg.subject
    (name, content, mimetype) = msg.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert name == "sertifikat-" + issued.number.replace("/", "-") + ".pdf"
    issued.refresh_from_db()
    assert issued.emailed_at is not None
    # the task run again (redelivery), and the render task again: no second e-mail
    assert tasks.email_certificate(issued.pk) is False
    with django_capture_on_commit_callbacks(execute=True):
        tasks.render_certificate(issued.pk)
    assert len(mail.outbox) == 1


def test_email_task_twice_sends_one(issued):
    services.certificate_render(certificate_id=issued.pk)
    mail.outbox.clear()
    assert tasks.email_certificate(issued.pk) is True
    assert tasks.email_certificate(issued.pk) is False
    assert len(mail.outbox) == 1


def test_email_waits_for_pdf_and_skips_without_address(issued):
    mail.outbox.clear()
    assert tasks.email_certificate(issued.pk) is False  # no PDF yet: not claimed
    issued.refresh_from_db()
    assert issued.emailed_at is None
    services.certificate_render(certificate_id=issued.pk)
    user = issued.employee.user
    user.email = ""
    user.save(update_fields=["email"])
    assert tasks.email_certificate(issued.pk) is False
    assert mail.outbox == []


# ------------------------------------------------------------------------------------------
# ZIP
# ------------------------------------------------------------------------------------------


@pytest.fixture
def make_cert(make_module):
    module = make_module("Modul Zip", jp=10)
    seq = iter(range(1, 10_000))

    def _make(employee, *, year=2026, rendered=True):
        n = next(seq)
        a = Assignment.objects.create(
            employee=employee, module=module, status=S.CERTIFIED, jp=10, completion_year=year
        )
        now = timezone.now()
        cert = Certificate.objects.create(
            assignment=a,
            employee=employee,
            module=module,
            number=f"{n:05d}/SIKAP/{year}",
            year=year,
            sequence=n,
            verification_code=f"CODE{n:022d}",
            jp=10,
            holder_name=employee.name,
            module_title=module.title,
            issued_at=now,
            completed_at=now,
        )
        if rendered:
            cert.pdf.save(
                f"{cert.verification_code}.pdf", ContentFile(b"%PDF-1.7 " + cert.number.encode())
            )
        return cert

    return _make


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_zip_of_unit_with_manifest(client, hr_user, make_employee, make_cert, other_unit, fake_pdf):
    e1 = make_employee("z1")
    e2 = make_employee("z2")
    far = make_employee("z3", unit_=other_unit)
    c1 = make_cert(e1)
    c2 = make_cert(e2, rendered=False)
    make_cert(far)
    client.force_login(hr_user)
    response = client.get(reverse("workflow:certificates_zip"), {"unit": "BKPSDM"})
    zf = _zip(response)
    names = set(zf.namelist())
    # Every certificate of the unit: the one not rendered yet is rendered for the archive
    # (it used to be left out and only listed in the manifest).
    assert names == {
        f"{c1.number.replace('/', '-')}_{e1.nip}.pdf",
        f"{c2.number.replace('/', '-')}_{e2.nip}.pdf",
        "MANIFEST.txt",
    }
    assert zf.read(f"{c1.number.replace('/', '-')}_{e1.nip}.pdf").startswith(b"%PDF")
    assert zf.read(f"{c2.number.replace('/', '-')}_{e2.nip}.pdf").startswith(b"%PDF")
    c2.refresh_from_db()
    assert c2.pdf and c2.sha256  # rendered and stored, as any other render
    manifest = zf.read("MANIFEST.txt").decode()
    assert manifest.startswith("Sertifikat SIKAP: 2 berkas PDF.")
    assert response["X-Certificate-Count"] == "2"
    assert "-2-berkas.zip" in response["Content-Disposition"]


def test_zip_of_year_and_scope(client, hr_user, make_user, make_employee, make_cert, other_unit):
    e1 = make_employee("y1")
    far = make_employee("y2", unit_=other_unit)
    make_cert(e1, year=2025)
    c26 = make_cert(e1, year=2026)
    cfar = make_cert(far, year=2026)
    client.force_login(hr_user)
    zf = _zip(client.get(reverse("workflow:certificates_zip"), {"period": "2026"}))
    assert len(zf.namelist()) == 3  # two PDFs + manifest
    assert f"{c26.number.replace('/', '-')}_{e1.nip}.pdf" in zf.namelist()

    scoped = make_user("hr-dinkes-z", "BKPSDM", hr_units=[other_unit])
    client.force_login(scoped)
    zf = _zip(client.get(reverse("workflow:certificates_zip"), {"period": "2026"}))
    assert set(zf.namelist()) == {f"{cfar.number.replace('/', '-')}_{far.nip}.pdf", "MANIFEST.txt"}
    assert client.get(reverse("workflow:certificates_zip"), {"unit": "BKPSDM"}).status_code == 404
    client.force_login(e1.user)
    assert client.get(reverse("workflow:certificates_zip"), {"period": "2026"}).status_code == 404


def test_zip_bad_params(client, hr_user):
    client.force_login(hr_user)
    url = reverse("workflow:certificates_zip")
    assert client.get(url).status_code == 400
    assert client.get(url, {"period": "20x6"}).status_code == 400
    assert client.get(url, {"unit": "TIDAKADA"}).status_code == 404


def test_zip_fixed_queries(client, hr_user, make_employee, make_cert):
    client.force_login(hr_user)
    counts = []
    for n in (2, 12):
        while Certificate.objects.count() < n:
            make_cert(make_employee())
        with CaptureQueriesContext(connection) as ctx:
            zf = _zip(client.get(reverse("workflow:certificates_zip"), {"unit": "BKPSDM"}))
        assert len(zf.namelist()) == n + 1
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
