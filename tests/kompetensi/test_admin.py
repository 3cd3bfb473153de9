"""Wagtail admin viewsets for HR: listings, search, export, scoping, inline requirements."""

import pytest

from kompetensi.models import EmployeeCompetency, PositionRequirement

PREFIXES = ["unit", "kamus-kompetensi", "jabatan", "pegawai", "periode", "skp", "titik-layanan"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_hr_sees_listings_and_exports(world, client, prefix):
    client.force_login(world.hr)
    res = client.get(f"/admin/{prefix}/")
    assert res.status_code == 200
    res = client.get(f"/admin/{prefix}/?export=csv")
    assert res.status_code == 200
    res = client.get(f"/admin/{prefix}/?export=xlsx")
    assert res.status_code == 200


@pytest.mark.parametrize("prefix", PREFIXES)
def test_non_hr_cannot_open_admin_viewsets(world, client, prefix):
    client.force_login(world.staff.user)
    res = client.get(f"/admin/{prefix}/")
    assert res.status_code in (302, 403)


def test_employee_listing_scoped_and_searchable(world, client):
    # rows are told apart by their edit links (a name may also be part of an admin label,
    # e.g. "Sari" in "Saring menurut")
    staff_row = f"/admin/pegawai/edit/{world.staff.pk}/"
    other_row = f"/admin/pegawai/edit/{world.other.pk}/"
    client.force_login(world.hr_kes)
    html = client.get("/admin/pegawai/").content.decode()
    assert other_row in html and staff_row not in html
    assert client.get(staff_row).status_code == 404
    client.force_login(world.hr)
    html = client.get("/admin/pegawai/?q=Rizki").content.decode()
    assert staff_row in html and other_row not in html
    res = client.get("/admin/pegawai/?export=csv")
    csv = b"".join(res.streaming_content).decode()
    assert world.staff.nip in csv


def test_employee_admin_form_checks_nip(world, client):
    client.force_login(world.hr)
    res = client.post(
        "/admin/pegawai/new/",
        {
            "nip": "198502302010012003",
            "employee_type": "PNS",
            "name": "Uji",
            "email": "",
            "unit": world.kes.pk,
            "rank": "III/a",
            "is_active": "on",
        },
    )
    assert res.status_code == 200
    assert "tanggal lahir pada NIP tidak valid" in res.content.decode()


def test_position_inline_requirement_change_recomputes(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.hr)
    reqs = list(PositionRequirement.objects.filter(position=world.kasi))
    data = {
        "code": world.kasi.code,
        "kind": world.kasi.kind,
        "jenjang": "",
        "name": world.kasi.name,
        "unit": world.duk.pk,
        "requirements-TOTAL_FORMS": str(len(reqs)),
        "requirements-INITIAL_FORMS": str(len(reqs)),
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
    }
    for i, req in enumerate(reqs):
        data.update(
            {
                f"requirements-{i}-id": str(req.pk),
                f"requirements-{i}-competency": str(req.competency_id),
                f"requirements-{i}-level": "4",
                f"requirements-{i}-ORDER": str(i + 1),
                f"requirements-{i}-DELETE": "",
            }
        )
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(f"/admin/jabatan/edit/{world.kasi.pk}/", data)
    assert res.status_code == 302, res.content.decode()[:3000]
    row = EmployeeCompetency.objects.get(employee=world.atasan, competency=world.comm)
    assert row.required_level == 4


def test_service_point_code_fixed_after_creation(world, client):
    from skm.models import ServicePoint

    client.force_login(world.hr)
    res = client.post(
        "/admin/titik-layanan/new/",
        {"code": "duk-ktp", "service": "Perekaman KTP-el", "unit": world.duk.pk, "is_active": "on"},
    )
    assert res.status_code == 302
    point = ServicePoint.objects.get(code="duk-ktp")
    res = client.post(
        f"/admin/titik-layanan/edit/{point.pk}/",
        {"code": "lain", "service": "Perekaman KTP-el (lantai 1)", "unit": world.duk.pk},
    )
    assert res.status_code == 302
    point.refresh_from_db()
    assert point.code == "duk-ktp" and point.service.endswith("(lantai 1)")
