"""Every kompetensi service that writes names the cache versions it changed
(core/dataversion.py): Kinerja Saya, the HR dashboard, unit and employee pages are fresh at the
next request. Each test renders the page warm (twice: the second from the cache), calls the
service, and renders it again."""

from datetime import date

import pytest

from kompetensi import importer, services
from kompetensi.models import Employee

pytestmark = pytest.mark.django_db


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _warm(client, url) -> str:
    _html(client, url)
    return _html(client, url)


def _total(client, url="/sdm/") -> int:
    return client.get(url).context["dash"]["kpis"]["total"]


def test_a_final_evaluation_shows_on_kinerja_saya(world, client):
    client.force_login(world.staff.user)
    assert "Komunikasi: belum dinilai" in _warm(client, "/kinerja-saya/")
    services.evaluation_save(
        actor=world.atasan.user,
        employee=world.staff,
        period=world.period,
        source="supervisor",
        scores={world.comm: 2},
        finalize=True,
    )  # scores in bulk, then the profile recompute (bulk) and its receivers
    assert "Komunikasi: level 2 dari 3 yang dibutuhkan" in _html(client, "/kinerja-saya/")


def test_new_position_requirements_show_on_kinerja_saya(world, client):
    client.force_login(world.staff.user)
    assert "Komunikasi: belum dinilai (dibutuhkan level 3)" in _warm(client, "/kinerja-saya/")
    services.position_set_requirements(
        actor=world.hr, position=world.petugas, requirements=[(world.comm, 4)]
    )
    html = _html(client, "/kinerja-saya/")
    assert "dibutuhkan level 4" in html and "Pelayanan Publik" not in html


def test_a_renamed_competency_shows_on_kinerja_saya(world, client):
    client.force_login(world.staff.user)
    assert "Komunikasi Efektif" not in _warm(client, "/kinerja-saya/")
    world.comm.name = "Komunikasi Efektif"
    services.competency_save(actor=world.hr, competency=world.comm)
    assert "Komunikasi Efektif" in _html(client, "/kinerja-saya/")


def test_employee_create_update_and_delete_show_on_the_dashboard(world, client):
    client.force_login(world.hr)
    total = _total(client)
    assert _total(client) == total  # cached
    new = services.employee_create(
        actor=world.hr, nip="199001012015031001", name="Baru", unit=world.kes, rank="III/a"
    )
    assert _total(client) == total + 1
    services.employee_update(actor=world.hr, employee=new, is_active=False)
    assert _total(client) == total
    services.employee_update(actor=world.hr, employee=new, is_active=True)
    assert _total(client) == total + 1
    services.employee_delete(actor=world.hr, employee=new)
    assert _total(client) == total


def test_a_renamed_employee_shows_in_the_unit_list(world, client):
    client.force_login(world.hr)
    url = f"/sdm/unit/{world.duk.code}/"
    assert "Rizki Ramadhan" not in _warm(client, url)
    services.employee_update(actor=world.hr, employee=world.staff, name="Rizki Ramadhan")
    assert "Rizki Ramadhan" in _html(client, url)


def test_a_new_supervisor_shows_on_the_hr_employee_page(world, client):
    client.force_login(world.hr)
    url = f"/sdm/pegawai/{world.staff.nip}/"
    assert "Sari" not in _warm(client, url)
    services.employee_update(actor=world.hr, employee=world.staff, supervisor=world.other)
    assert "Sari" in _html(client, url)


def test_unit_rename_and_move_show_on_the_dashboard(world, client):
    client.force_login(world.hr)
    assert "Bidang Pendaftaran Penduduk" not in _warm(client, f"/sdm/unit/{world.duk.code}/")
    services.unit_update(actor=world.hr, unit=world.duk1, name="Bidang Pendaftaran Penduduk")
    assert "Bidang Pendaftaran Penduduk" in _html(client, f"/sdm/unit/{world.duk.code}/")
    kes_url = f"/sdm/unit/{world.kes.code}/"
    before = _total(client, kes_url)
    assert _total(client, kes_url) == before
    services.unit_update(actor=world.hr, unit=world.duk1, parent=world.kes)  # 2 employees move
    assert _total(client, kes_url) == before + 2


def test_skp_record_shows_on_the_hr_employee_page(world, client):
    client.force_login(world.hr)
    url = f"/sdm/pegawai/{world.staff.nip}/"
    assert "Butuh Perbaikan" not in _warm(client, url)
    services.skp_record(
        actor=world.hr,
        employee=world.staff,
        period=world.period,
        hasil_kerja="di_bawah",
        perilaku_kerja="sesuai",
    )
    assert "Butuh Perbaikan" in _html(client, url)


def test_a_new_period_shows_in_the_period_picker(world, client):
    client.force_login(world.hr)
    assert "Periode 2027" not in _warm(client, "/sdm/")
    services.period_create(
        actor=world.hr, code="2027", name="Periode 2027", start=date(2027, 1, 1),
        end=date(2027, 12, 31),
    )  # fmt: skip
    assert "Periode 2027" in _html(client, "/sdm/")


def test_an_employee_import_shows_on_the_dashboard(world, client):
    client.force_login(world.hr)
    total = _total(client)
    assert _total(client) == total
    data = (
        "NIP,nama,unit kerja,jabatan,golongan,email,NIP atasan\n"
        "196903091994032001,Sri Wahyuni,KES,,IV/a,,\n"
        "198704212012021002,Andi,KES,,III/a,,196903091994032001\n"
    )
    plan = importer.import_employees(data.encode(), actor=world.hr, dry_run=False)
    assert plan.committed, plan.errors
    assert _total(client) == total + 2


def test_an_skp_import_shows_on_the_hr_employee_page(world, client):
    client.force_login(world.hr)
    url = f"/sdm/pegawai/{world.staff.nip}/"
    assert "Butuh Perbaikan" not in _warm(client, url)
    data = f"NIP;periode;hasil kerja;perilaku kerja\n{world.staff.nip};2026;Di Bawah Ekspektasi;sesuai\n"
    plan = importer.import_skp(data.encode(), actor=world.hr, dry_run=False)
    assert plan.committed, plan.errors
    assert "Butuh Perbaikan" in _html(client, url)
    assert Employee.objects.get(pk=world.staff.pk).development_review


def test_writes_for_another_person_leave_kinerja_saya_cached(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.staff.user)
    _warm(client, "/kinerja-saya/")
    services.evaluation_save(
        actor=world.hr,
        employee=world.other,
        period=world.period,
        source="peer",
        scores={world.comm: 3},
        finalize=True,
    )
    with django_assert_max_num_queries(6):  # the cached fragment: no profile queries
        assert client.get("/kinerja-saya/").status_code == 200
