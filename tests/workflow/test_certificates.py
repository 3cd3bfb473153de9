"""Certificates: the real PDF's text (WeasyPrint real here, mocked elsewhere) and gapless
numbering under concurrency on PostgreSQL."""

import io
import threading

from django.db import connection

from tests.services import require_service
from workflow import services
from workflow.models import Assignment, Certificate, CertificateSequence

S = Assignment.Status


def test_real_pdf_text(db, make_module, make_employee, settings, tmp_path):
    from pypdf import PdfReader

    settings.MEDIA_ROOT = tmp_path
    e = make_employee()
    m = make_module("Komunikasi Efektif dalam Pelayanan Publik", jp=20)
    a = Assignment.objects.create(employee=e, module=m, status=S.COMPLETED, jp=20)
    cert = services.certificate_issue(assignment_id=a.pk)
    cert = services.certificate_render(certificate_id=cert.pk)
    data = cert.pdf.read()
    assert data.startswith(b"%PDF")
    from core.pdf import pdf_sha256

    assert cert.sha256 == pdf_sha256(data)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert e.name in text
    nip = e.nip
    assert f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" in text
    assert cert.number in text
    assert "Komunikasi Efektif dalam Pelayanan Publik" in text
    assert "20 (dua puluh) jam pelajaran" in text
    assert f"/verifikasi/{cert.verification_code}/" in text.replace(" ", "")


def test_concurrent_numbering_on_postgresql(transactional_db, make_module, make_employee, fake_pdf):
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "penomoran sertifikat bersamaan hanya bermakna di PostgreSQL (SELECT … FOR UPDATE); "
        "SQLite mengunci seluruh basis data",
    )
    m = make_module(lessons=1, quiz=False)
    assignments = [
        Assignment.objects.create(employee=make_employee(), module=m, status=S.COMPLETED, jp=1)
        for _ in range(24)
    ]
    # every assignment twice: two completions racing for the same certificate
    work = [a.pk for a in assignments] * 2
    barrier = threading.Barrier(16)
    errors = []

    def run(chunk):
        from django.db import connections

        try:
            barrier.wait(10)
            for pk in chunk:
                services.certificate_issue(assignment_id=pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work[i::16],)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    year = services.jakarta_now().year
    numbers = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, 25))
    assert CertificateSequence.objects.get(year=year).last_value == 24
    assert Certificate.objects.values("assignment").distinct().count() == 24
    assert not Assignment.objects.exclude(status=S.CERTIFIED).exists()
