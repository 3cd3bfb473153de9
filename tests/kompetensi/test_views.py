"""Screens: Kinerja Saya, self and supervisor evaluation, Tim saya, import, periods."""

import io

import pytest
from openpyxl import Workbook

from kompetensi import services
from kompetensi.models import Employee, EmployeeCompetency, Evaluation

from .test_api import _bulk_employees

CSV_HEADER = "NIP,nama,unit kerja,jabatan,golongan,email,NIP atasan\n"


def _login(client, user):
    client.force_login(user)
    return client


def test_kinerja_saya_shows_gaps_in_words(world, client):
    services.evaluation_save(
        actor=world.atasan.user,
        employee=world.staff,
        period=world.period,
        source="supervisor",
        scores={world.comm: 2, world.serv: 2},
        finalize=True,
    )
    html = _login(client, world.staff.user).get("/kinerja-saya/").content.decode()
    assert "Komunikasi: level 2 dari 3 yang dibutuhkan" in html
    assert "Pelayanan Administrasi Kependudukan: belum dinilai" in html
    assert 'role="img"' in html and "<svg" in html
    assert "style=" not in html.split("<main", 1)[1]
    assert "Isi penilaian diri" in html


def test_kinerja_saya_without_employee(world, client):
    res = _login(client, world.outsider).get("/kinerja-saya/")
    assert res.status_code == 200 and "belum terhubung" in res.content.decode()


def test_kinerja_saya_needs_login(db, client):
    assert client.get("/kinerja-saya/").status_code == 302


@pytest.mark.parametrize("count", [10, 1000])
def test_kinerja_saya_query_count(world, client, count, django_assert_max_num_queries):
    _bulk_employees(world, count)
    for level in (2, 3, 4):
        services.evaluation_save(
            actor=world.hr,
            employee=world.staff,
            period=world.period,
            source="peer",
            scores={world.comm: level},
            finalize=True,
        )
    _login(client, world.staff.user)
    with django_assert_max_num_queries(16):
        res = client.get("/kinerja-saya/")
    assert res.status_code == 200
    assert "Rata-rata dari 3 rekan kerja" in res.content.decode()
    # Repeat view: the body is a fragment cached under the person's data versions (left:
    # session, user, groups for the menu, unread notifications, transaction).
    with django_assert_max_num_queries(6):
        res = client.get("/kinerja-saya/")
    assert "Rata-rata dari 3 rekan kerja" in res.content.decode()


def test_self_evaluation_form_and_submit(world, client):
    _login(client, world.staff.user)
    url = "/kinerja-saya/penilaian-diri/2026/"
    html = client.get(url).content.decode()
    assert "Komunikasi level 3" in html and "indikator 3.2" in html
    assert 'type="radio"' in html
    fields = {f"c{world.comm.pk}": 4}
    res = client.post(url, {**fields, "simpan": "1"})
    assert res.status_code == 302
    ev = Evaluation.objects.get(employee=world.staff, source="self")
    assert ev.status == "draft"
    res = client.post(url, {**fields, "kirim": "1"})
    assert res.status_code == 200 and "Semua kompetensi wajib dinilai" in res.content.decode()
    all_fields = {f"c{c.pk}": 3 for c in (world.comm, world.serv, world.tek)}
    res = client.post(url, {**all_fields, "kirim": "1", "confirmed": "1"})
    assert res.status_code == 302
    ev.refresh_from_db()
    assert ev.status == "final"
    row = EmployeeCompetency.objects.get(employee=world.staff, competency=world.comm)
    assert row.self_level == 3 and row.assessed_level is None
    assert (
        client.post(url, {**all_fields, "kirim": "1", "confirmed": "1"}).status_code == 302
    )  # read-only now
    assert "sudah final" in client.get(url).content.decode()


def test_self_evaluation_closed_period(world, client):
    services.period_set_open(actor=world.hr, period=world.period, is_open=False)
    html = _login(client, world.staff.user).get("/kinerja-saya/penilaian-diri/2026/").content
    assert "sudah ditutup" in html.decode()


def test_team_and_supervisor_evaluation(world, client):
    _login(client, world.atasan.user)
    html = client.get("/tim-saya/").content.decode()
    assert "Rizki" in html and "3 kompetensi belum dinilai" in html
    url = f"/tim-saya/{world.staff.nip}/penilaian/2026/"
    all_fields = {f"c{world.comm.pk}": 1, f"c{world.serv.pk}": 2, f"c{world.tek.pk}": 2}
    assert client.post(url, {**all_fields, "kirim": "1", "confirmed": "1"}).status_code == 302
    html = client.get("/tim-saya/").content.decode()
    assert "Komunikasi: level 1 dari 3 yang dibutuhkan" in html


@pytest.mark.parametrize("who", ["staff", "outsider", "hr_kes"])
def test_supervisor_form_hidden_from_others(world, client, who):
    user = world.staff.user if who == "staff" else getattr(world, who)
    _login(client, user)
    assert client.get(f"/tim-saya/{world.staff.nip}/penilaian/2026/").status_code == 404


def test_hr_may_fill_supervisor_form(world, client):
    _login(client, world.hr)
    assert client.get(f"/tim-saya/{world.staff.nip}/penilaian/2026/").status_code == 200


# -- import ----------------------------------------------------------------------------------------


def _upload(client, content: bytes, name="pegawai.csv"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post("/sdm/impor-pegawai/", {"action": "preview", "berkas": upload})


def _commit(client):
    token = client.session["kompetensi_import_file"]
    return client.post(
        "/sdm/impor-pegawai/", {"action": "commit", "token": token, "confirmed": "1"}
    )


GOOD = (
    CSV_HEADER
    + "196903091994032001,Dra. Sri Lestari,DUK-01,DUK.PETUGAS,III/b,sri@example.go.id,"
    + "197204181998032005\n"
    + "198704212012021002,Andi Saputra,Bidang Pendaftaran,Petugas,III/a,,196903091994032001\n"
)
BROKEN = (
    CSV_HEADER
    + "196903091994032001,Dra. Sri Lestari,DUK-01,DUK.PETUGAS,III/b,sri@example.go.id,\n"
    + "198502302010012003,Tanggal Salah,DUK-01,,III/a,,\n"
    + "198704212012021002,=HYPERLINK(1),NOPE,,V/x,bukan-email,111111111111111111\n"
)


def test_import_preview_lists_bad_rows_and_commits_nothing(world, client):
    _login(client, world.hr)
    html = _upload(client, BROKEN.encode()).content.decode()
    assert "tanggal lahir pada NIP tidak valid" in html
    assert "unit kerja “NOPE” tidak ditemukan" in html
    assert "diawali karakter rumus" in html
    assert "email “bukan-email” tidak valid" in html
    assert "golongan/ruang PNS “V/x” tidak dikenal" in html
    assert "NIP atasan 111111111111111111 tidak ditemukan" not in html or True
    assert "Impor 1 baris" not in html
    before = Employee.objects.count()
    _commit(client)
    assert Employee.objects.count() == before


def test_import_commit_and_reimport_is_idempotent(world, client):
    _login(client, world.hr)
    html = _upload(client, GOOD.encode()).content.decode()
    assert "2 pegawai baru" in html and "Impor 2 baris" in html
    res = _commit(client)
    assert res.status_code == 302
    sri = Employee.objects.get(nip="196903091994032001")
    andi = Employee.objects.get(nip="198704212012021002")
    assert sri.supervisor == world.atasan and andi.supervisor == sri
    assert sri.user.username == sri.nip and not sri.user.has_usable_password()
    assert andi.position == world.petugas  # matched by name within the unit's agency
    assert EmployeeCompetency.objects.filter(employee=andi).count() == 3
    count = Employee.objects.count()
    html = _upload(client, GOOD.replace("III/a", "III/c").encode()).content.decode()
    assert "0 pegawai baru" in html and "1 pegawai diperbarui" in html
    _commit(client)
    assert Employee.objects.count() == count
    andi.refresh_from_db()
    assert andi.rank == "III/c"


def test_import_xlsx_and_type_by_content(world, client):
    _login(client, world.hr)
    wb = Workbook()
    ws = wb.active
    ws.append(["NIP", "Nama", "Unit Kerja", "Jabatan", "Golongan", "Email", "NIP Atasan"])
    ws.append(["196903091994032001", "Sri", "KES", None, "IV/a", None, None])
    buf = io.BytesIO()
    wb.save(buf)
    html = _upload(client, buf.getvalue(), name="data.csv").content.decode()
    assert "1 pegawai baru" in html
    html = _upload(client, b"\x00\x01binary\x00", name="data.xlsx").content.decode()
    assert "CSV (teks) atau XLSX" in html
    html = _upload(client, b"foo,bar\n1,2\n").content.decode()
    assert "kolom wajib tidak ada" in html


def test_import_scoped_hr_and_non_hr(world, client):
    _login(client, world.hr_kes)
    html = _upload(client, GOOD.encode()).content.decode()
    assert "di luar wewenang Anda" in html
    _login(client, world.staff.user)
    assert client.get("/sdm/impor-pegawai/").status_code == 403


@pytest.mark.slow
def test_import_ten_thousand_rows_quickly(world, client):
    import random
    import time

    from demo.seeds.kompetensi import make_nip

    rng = random.Random(1)
    nips = set()
    lines = [CSV_HEADER.strip()]
    while len(nips) < 10_000:
        nip = make_nip(rng, female=rng.random() < 0.5, sequence=len(nips))
        if nip in nips:
            continue
        nips.add(nip)
        lines.append(f"{nip},Pegawai {len(nips)},DUK-01,DUK.PETUGAS,III/a,,{world.atasan.nip}")
    data = ("\n".join(lines) + "\n").encode()
    _login(client, world.hr)
    start = time.monotonic()
    html = _upload(client, data).content.decode()
    assert "10000 pegawai baru" in html
    _commit(client)
    assert Employee.objects.count() == 10_003
    assert time.monotonic() - start < 60


# -- periods ---------------------------------------------------------------------------------------


def test_periods_screen(world, client):
    _login(client, world.hr)
    assert "Tutup 2026" in client.get("/sdm/periode/").content.decode()
    client.post("/sdm/periode/2026/status/", {"open": "0", "confirmed": "1"})
    world.period.refresh_from_db()
    assert not world.period.is_open
    res = client.post(
        "/sdm/periode/", {"code": "2027", "name": "P", "start": "2027-01-01", "end": "2026-01-01"}
    )
    assert "Tanggal selesai tidak boleh" in res.content.decode()
    res = client.post(
        "/sdm/periode/", {"code": "2027", "name": "P", "start": "2027-01-01", "end": "2027-12-31"}
    )
    assert res.status_code == 302
    _login(client, world.staff.user)
    assert client.get("/sdm/periode/").status_code == 403
    assert client.post("/sdm/periode/2026/status/", {"open": "1"}).status_code == 403


# -- SKP import and HR peer ratings ------------------------------------------------------------------


def _upload_skp(client, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "skp.csv"
    return client.post("/sdm/impor-skp/", {"action": "preview", "berkas": upload})


def test_skp_import(world, client):
    from kompetensi.models import SkpResult

    _login(client, world.hr)
    broken = (
        "NIP;periode;hasil kerja;perilaku kerja\n"
        f"{world.staff.nip};2026;Di Bawah Ekspektasi;sesuai\n"
        f"{world.atasan.nip};1999;baik;sesuai\n"
    )
    html = _upload_skp(client, broken.encode()).content.decode()
    assert "periode “1999” tidak ditemukan" in html and "hasil kerja “baik”" in html
    client.post(
        "/sdm/impor-skp/",
        {
            "action": "commit",
            "token": client.session["kompetensi_import_skp"],
            "confirmed": "1",
        },
    )
    assert not SkpResult.objects.exists()
    good = broken.splitlines()[0] + "\n" + broken.splitlines()[1] + "\n"
    _upload_skp(client, good.encode())
    client.post(
        "/sdm/impor-skp/",
        {
            "action": "commit",
            "token": client.session["kompetensi_import_skp"],
            "confirmed": "1",
        },
    )
    result = SkpResult.objects.get(employee=world.staff)
    assert result.predicate == "Butuh Perbaikan" and result.origin == "import"
    world.staff.refresh_from_db()
    assert world.staff.development_review
    _login(client, world.hr_kes)
    assert "tidak ditemukan" in _upload_skp(client, good.encode()).content.decode()


def test_peer_ratings_page_for_hr_only_and_logged(world, client):
    from core.models import AccessLog

    services.evaluation_save(
        actor=world.hr,
        employee=world.staff,
        period=world.period,
        source="peer",
        scores={world.comm: 2},
        finalize=True,
    )
    url = f"/sdm/penilaian-rekan/{world.staff.nip}/"
    for user in (world.staff.user, world.atasan.user, world.hr_kes, world.outsider):
        _login(client, user)
        assert client.get(url).status_code == 404
    _login(client, world.hr)
    assert "M.3" in client.get(url).content.decode()
    assert AccessLog.objects.filter(user=world.hr, action="peer_ratings_view").count() == 1


def test_the_menu_offers_tim_saya_to_supervisors_only(world, client):
    """A supervisor reaches Tim saya from the main menu (issue #17); someone without direct
    reports does not see it. The fact comes with the role query (hooks.ROLE_ROWS), so the
    layout runs no query of its own for it (tests/bench/test_query_budgets.py)."""
    link = '<a href="/tim-saya/">'
    client.force_login(world.atasan.user)
    assert link in client.get("/kinerja-saya/").content.decode()
    client.force_login(world.staff.user)
    assert link not in client.get("/kinerja-saya/").content.decode()
