"""External learning: upload checks (content, size, name), permissions (404), HR review
(approve / reject / link a need), JP ledger (year of the end date), history and export."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification
from workflow import external
from workflow.models import ExternalLearning, TrainingNeed

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(make_employee, make_user, other_unit, hr_user):
    boss = make_employee("atasan-e")
    asn = make_employee("asn-e", supervisor=boss)
    other = make_employee("asn-lain")
    far = make_employee("asn-jauh", unit_=other_unit)
    scoped = make_user("hr-dinkes", "BKPSDM", hr_units=[other_unit])
    return {"boss": boss, "asn": asn, "other": other, "far": far, "hr": hr_user, "scoped": scoped}


def form_data(**over):
    data = {
        "title": "Pelatihan Dasar Pelayanan Publik",
        "provider": "BPSDM Provinsi Banten",
        "kind": "kursus",
        "start_date": "2026-03-02",
        "end_date": "2026-03-04",
        "jp": "24",
        "proof": SimpleUploadedFile("sertifikat.pdf", PDF, content_type="application/pdf"),
    }
    data.update(over)
    return data


def make_record(employee, *, jp=10, end=dt.date(2026, 3, 4), status="submitted", title="Webinar"):
    record = ExternalLearning(
        employee=employee,
        title=title,
        provider="LAN RI",
        kind="webinar",
        start_date=end - dt.timedelta(days=1),
        end_date=end,
        jp=jp,
        status=status,
        proof_name="bukti.pdf",
        proof_content_type="application/pdf",
    )
    record.proof.save("bukti.pdf", SimpleUploadedFile("bukti.pdf", PDF), save=False)
    record.save()
    return record


# ------------------------------------------------------------------------------------------
# Recording (ASN)
# ------------------------------------------------------------------------------------------


def test_form_page_in_indonesian(client, world):
    client.force_login(world["asn"].user)
    r = client.get(reverse("workflow:external_new"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Catat pembelajaran eksternal" in html and 'enctype="multipart/form-data"' in html
    assert 'for="id_proof"' in html


@pytest.mark.parametrize(
    ("name", "content", "ctype"),
    [("sertifikat.pdf", PDF, "application/pdf"), ("foto.PNG", PNG, "image/png"),
     ("scan.jpeg", JPEG, "image/jpeg")],
)  # fmt: skip
def test_submit_valid_types(client, world, name, content, ctype):
    client.force_login(world["asn"].user)
    r = client.post(
        reverse("workflow:external_new"),
        form_data(proof=SimpleUploadedFile(name, content, content_type="text/plain")),
    )
    assert r.status_code == 302
    rec = ExternalLearning.objects.get()
    assert rec.employee == world["asn"] and rec.status == "submitted" and rec.jp == 24
    assert rec.proof_content_type == ctype
    assert rec.proof.name.startswith(f"bukti/{dt.date.today().year}/")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("palsu.pdf", b"MZ\x90\x00 this is an exe", "Jenis berkas tidak diterima"),
        ("teks.pdf", b"hanya teks biasa", "Jenis berkas tidak diterima"),
        ("gif.png", b"GIF89a" + b"\x00" * 20, "Jenis berkas tidak diterima"),
        ("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "maksimal 5 MB"),
    ],
)
def test_submit_rejects_bad_proof_and_writes_nothing(
    client, world, tmp_path, name, content, message
):
    client.force_login(world["asn"].user)
    r = client.post(
        reverse("workflow:external_new"),
        form_data(proof=SimpleUploadedFile(name, content, content_type="application/pdf")),
    )
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not ExternalLearning.objects.exists()
    assert not (tmp_path / "bukti").exists()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"jp": "0"}, "JP minimal 1"),
        ({"jp": "201"}, "JP maksimal 200"),
        ({"jp": "x"}, "JP harus bilangan bulat"),
        ({"end_date": "2026-03-01"}, "tidak boleh sebelum tanggal mulai"),
        ({"title": ""}, "wajib diisi"),
        ({"kind": "liburan"}, "Pilih"),
        ({"proof": ""}, "wajib diisi"),
    ],
)
def test_submit_rejects_bad_fields(client, world, over, message):
    client.force_login(world["asn"].user)
    r = client.post(reverse("workflow:external_new"), form_data(**over))
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not ExternalLearning.objects.exists()


def test_exactly_5mb_accepted(client, world):
    client.force_login(world["asn"].user)
    content = b"%PDF-" + b"0" * (5 * 1024 * 1024 - 5)
    r = client.post(
        reverse("workflow:external_new"),
        form_data(proof=SimpleUploadedFile("ok.pdf", content)),
    )
    assert r.status_code == 302


def test_filename_sanitised(world):
    upload = SimpleUploadedFile('../../etc/pass wd<script>".PDF', PDF)
    data = {
        "title": "Seminar",
        "provider": "BPSDM",
        "kind": "seminar",
        "start_date": dt.date(2026, 1, 5),
        "end_date": dt.date(2026, 1, 5),
        "jp": 4,
    }
    rec = external.external_learning_submit(employee=world["asn"], data=data, proof=upload)
    assert ".." not in rec.proof.name and "<" not in rec.proof.name and " " not in rec.proof.name
    assert rec.proof.name.startswith("bukti/") and rec.proof.name.endswith(".pdf")
    assert rec.proof_name.endswith(".pdf") and "/" not in rec.proof_name
    assert "<" not in rec.proof_name and '"' not in rec.proof_name
    # the service checks the content as well (not only the form)
    with pytest.raises(external.ExternalLearningError):
        external.external_learning_submit(
            employee=world["asn"], data=data, proof=SimpleUploadedFile("a.pdf", b"not a pdf")
        )
    assert ExternalLearning.objects.count() == 1


def test_mine_lists_only_own(client, world):
    make_record(world["asn"], title="Milik saya")
    make_record(world["other"], title="Milik orang lain")
    client.force_login(world["asn"].user)
    html = client.get(reverse("workflow:external_mine")).content.decode()
    assert "Milik saya" in html and "Milik orang lain" not in html
    assert (
        reverse("workflow:external_mine")
        in client.get(reverse("workflow:my_training")).content.decode()
    )


# ------------------------------------------------------------------------------------------
# Proof download: owner + HR of their unit; others 404
# ------------------------------------------------------------------------------------------


def test_proof_download_permissions(client, world):
    rec = make_record(world["asn"])
    url = reverse("workflow:external_proof", args=[rec.pk])
    for key, expected in [
        ("asn", 200),
        ("hr", 200),
        ("other", 404),
        ("boss", 404),
        ("far", 404),
    ]:
        user = world[key] if key == "hr" else world[key].user
        client.force_login(user)
        r = client.get(url)
        assert r.status_code == expected, key
        if expected == 200:
            assert b"".join(r.streaming_content) == PDF
            assert r["Content-Type"] == "application/pdf"
    client.force_login(world["scoped"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # login


# ------------------------------------------------------------------------------------------
# HR review
# ------------------------------------------------------------------------------------------


def test_hr_list_scoped_and_fixed_queries(
    client, world, make_employee, django_assert_max_num_queries
):
    make_record(world["far"], title="Dinkes punya")
    make_record(world["asn"], title="BKPSDM punya")
    client.force_login(world["scoped"])
    html = client.get(reverse("workflow:external_review")).content.decode()
    assert "Dinkes punya" in html and "BKPSDM punya" not in html
    client.force_login(world["asn"].user)
    assert client.get(reverse("workflow:external_review")).status_code == 404

    client.force_login(world["hr"])
    counts = []
    for n in (3, 30):
        while ExternalLearning.objects.count() < n:
            make_record(make_employee(), title="Kursus")
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("workflow:external_review"))
        assert r.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_approve_with_need_closes_it_and_notifies(client, world, competency, period):
    need = TrainingNeed.objects.create(
        employee=world["asn"], competency=competency, period=period, required_level=3, gap=2
    )
    rec = make_record(world["asn"], title="Kursus Komunikasi")
    client.force_login(world["hr"])
    html = client.get(reverse("workflow:external_review")).content.decode()
    assert f'value="{need.pk}"' in html
    r = client.post(reverse("workflow:external_approve", args=[rec.pk]), {"need": need.pk})
    assert r.status_code == 200 and "Ya, setujui" in r.content.decode()  # asks first
    rec.refresh_from_db()
    assert rec.status == "submitted"
    r = client.post(
        reverse("workflow:external_approve", args=[rec.pk]), {"need": need.pk, "confirmed": "1"}
    )
    assert r.status_code == 302
    rec.refresh_from_db()
    need.refresh_from_db()
    assert rec.status == "approved" and rec.reviewed_by == world["hr"] and rec.reviewed_at
    assert rec.need == need
    assert need.status == "closed" and need.closed_by == world["hr"]
    assert need.closed_reason == "Dipenuhi pembelajaran eksternal: Kursus Komunikasi"
    assert Notification.objects.filter(user=world["asn"].user, title__contains="disetujui")
    # a second review is a conflict, nothing changes
    with pytest.raises(external.ExternalLearningError) as exc:
        external.external_learning_reject(record=rec, actor=world["hr"], reason="x")
    assert exc.value.status == 409


def test_approve_with_need_of_someone_else_refused(client, world, competency, period):
    need = TrainingNeed.objects.create(
        employee=world["other"], competency=competency, period=period, required_level=3, gap=2
    )
    rec = make_record(world["asn"])
    client.force_login(world["hr"])
    client.post(reverse("workflow:external_approve", args=[rec.pk]), {"need": need.pk})
    rec.refresh_from_db()
    need.refresh_from_db()
    assert rec.status == "submitted" and need.status == "open"


def test_reject_requires_reason(client, world):
    rec = make_record(world["asn"])
    client.force_login(world["hr"])
    client.post(reverse("workflow:external_reject", args=[rec.pk]), {"reason": "  "})
    rec.refresh_from_db()
    assert rec.status == "submitted"
    asked = client.post(
        reverse("workflow:external_reject", args=[rec.pk]), {"reason": "Bukti tidak jelas"}
    ).content.decode()
    assert (
        "Ya, tolak" in asked and "Bukti tidak jelas" in asked and "Tidak dapat dibatalkan" in asked
    )
    rec.refresh_from_db()
    assert rec.status == "submitted"
    client.post(
        reverse("workflow:external_reject", args=[rec.pk]),
        {"reason": "Bukti tidak jelas", "confirmed": "1"},
    )
    rec.refresh_from_db()
    assert rec.status == "rejected" and rec.reason == "Bukti tidak jelas"
    n = Notification.objects.get(user=world["asn"].user, title__contains="ditolak")
    assert "Bukti tidak jelas" in n.body


def test_review_outside_scope_is_404(client, world):
    rec = make_record(world["asn"])
    for user in (world["scoped"], world["asn"].user, world["boss"].user):
        client.force_login(user)
        assert client.post(reverse("workflow:external_approve", args=[rec.pk])).status_code == 404
        assert (
            client.post(
                reverse("workflow:external_reject", args=[rec.pk]), {"reason": "x"}
            ).status_code
            == 404
        )
    rec.refresh_from_db()
    assert rec.status == "submitted"


# ------------------------------------------------------------------------------------------
# JP ledger, history, export
# ------------------------------------------------------------------------------------------


def test_jp_ledger_counts_approved_in_end_year(world, hr_user):
    from reports.selectors.dashboard import employee_kpis
    from reports.selectors.jp import employee_jp_per_year
    from reports.selectors.scope import Scope
    from workflow.selectors import jp_for_employee

    e = world["asn"]
    make_record(e, jp=8, end=dt.date(2025, 12, 31), status="approved")
    make_record(e, jp=15, end=dt.date(2026, 1, 1), status="approved")
    make_record(e, jp=50, end=dt.date(2026, 6, 1), status="submitted")
    make_record(e, jp=60, end=dt.date(2026, 6, 1), status="rejected")
    assert jp_for_employee(employee=e, year=2025) == 8
    assert jp_for_employee(employee=e, year=2026) == 15
    assert jp_for_employee(employee=e, year=2027) == 0

    make_record(e, jp=5, end=dt.date(2026, 2, 1), status="approved")  # 20 JP in 2026
    scope = Scope.for_user(hr_user)
    kpis = employee_kpis(scope, year=2026, period=None)
    assert kpis["jp_compliant"] == 1 and kpis["jp_total"] == 20
    assert employee_kpis(scope, year=2025, period=None)["jp_compliant"] == 0
    years = {r["year"]: r for r in employee_jp_per_year(e)}
    assert years[2025]["jp"] == 8 and years[2026]["jp"] == 20 and years[2026]["compliant"]


def test_learner_pages_show_external_jp(client, world):
    from workflow.selectors import jakarta_year, learner_home

    e = world["asn"]
    make_record(e, jp=7, end=dt.date(jakarta_year(), 1, 2), status="approved")
    assert learner_home(user=e.user)["jp_this_year"] == 7
    client.force_login(e.user)
    assert "7 / 20 JP" in client.get(reverse("workflow:my_training")).content.decode()


def test_history_page_and_export_row(client, world):
    e = world["asn"]
    make_record(e, jp=12, end=dt.date(2026, 5, 20), status="approved", title="Coaching ASN")
    make_record(e, jp=3, end=dt.date(2026, 5, 20), status="rejected", title="Ditolak Saja")
    client.force_login(world["hr"])
    html = client.get(reverse("reports:sdm_employee", args=[e.nip])).content.decode()
    assert "Pembelajaran eksternal" in html and "Coaching ASN" in html

    r = client.get(
        reverse("reports:sdm_training_history_export"), {"period": "2026", "format": "json"}
    )
    assert r.status_code == 200
    import json

    rows = json.loads(b"".join([r.content]))
    ext = [row for row in rows if row["namaKursus"] == "Coaching ASN"]
    assert ext == [
        {
            "nipBaru": e.nip,
            "namaKursus": "Coaching ASN",
            "jenisKursus": "teknis",
            "jumlahJam": 12,
            "tahunKursus": 2026,
            "tanggalKursus": "19-05-2026",
            "tanggalSelesaiKursus": "20-05-2026",
            "nomorSertipikat": "",
            "institusiPenyelenggara": "LAN RI",
        }
    ]
    assert not [row for row in rows if row["namaKursus"] == "Ditolak Saja"]
    # a scoped officer of another unit does not get it
    client.force_login(world["scoped"])
    r = client.get(
        reverse("reports:sdm_training_history_export"), {"period": "2026", "format": "json"}
    )
    assert b"Coaching ASN" not in r.content
