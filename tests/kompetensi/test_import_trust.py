"""The employee import bounded by the importer's scope and losing nothing (issue #14, holes 1
and 5), on the web page and through ``POST /api/v1/employees/import``."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import InvalidInput
from core.models import AccessLog
from kompetensi import services
from kompetensi.models import Employee

from .conftest import NIP_ATASAN, NIP_OTHER, NIP_STAFF

NIP_NEW = "196903091994032001"
NIP_NEW_2 = "198704212012021002"
URL = "/sdm/impor-pegawai/"


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _upload(client, data: bytes, name="pegawai.csv"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(URL, {"action": "preview", "berkas": upload})


def _commit(client):
    return client.post(
        URL,
        {
            "action": "commit",
            "token": client.session["kompetensi_import_file"],
            "confirmed": "1",
        },
    )


def _api_import(client, token: str, data: bytes, *, dry_run: bool):
    upload = io.BytesIO(data)
    upload.name = "pegawai.csv"
    return client.post(
        f"/api/v1/employees/import?dry_run={'true' if dry_run else 'false'}",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _snapshot(*nips):
    return {
        e["nip"]: e
        for e in Employee.objects.filter(nip__in=nips).values(
            "nip",
            "name",
            "email",
            "employee_type",
            "unit_id",
            "position_id",
            "rank",
            "supervisor_id",
        )
    }


@pytest.fixture
def filled(world):
    """The staff member with every optional field stored."""
    Employee.objects.filter(pk=world.staff.pk).update(email="rizki@serangkota.go.id")
    world.staff.refresh_from_db()
    return world


# -- hole 1: an employee is not pulled into the importer's scope ------------------------------


def test_web_import_refuses_pulling_an_employee_from_outside_the_scope(world, client):
    client.force_login(world.hr_kes)
    before = _snapshot(NIP_STAFF)
    # the row's target unit (KES) is in hr_kes's scope, the employee's current unit is not
    html = _upload(client, _csv("NIP,nama,unit kerja", f"{NIP_STAFF},Rizki,KES")).content.decode()
    assert "unit kerjanya di luar wewenang Anda" in html
    assert "Impor 1 baris" not in html
    # what is stored about that employee is not shown
    assert "DUK-01" not in html.split("Pratinjau", 1)[1]
    _commit(client)
    assert _snapshot(NIP_STAFF) == before
    world.staff.refresh_from_db()
    assert world.staff.unit == world.duk1


def test_api_import_refuses_pulling_an_employee_from_outside_the_scope(world, client, api_token):
    token = api_token(world.hr_kes)
    data = _csv("NIP,unit kerja,email", f"{NIP_STAFF},KES,penyerang@example.com")
    before = _snapshot(NIP_STAFF)
    res = _api_import(client, token, data, dry_run=True)
    assert res.status_code == 200
    body = res.json()
    assert body["errors"] and body["errors"][0]["row"] == 2
    assert body["errors"][0]["field"] == "nip"
    assert body["changes"] == [] and body["updated"] == 0
    res = _api_import(client, token, data, dry_run=False)
    assert res.status_code == 422
    assert "tidak ada yang diimpor" in res.json()["detail"]
    assert res.json()["errors"][0]["field"] == "nip"
    assert _snapshot(NIP_STAFF) == before


def test_moving_an_own_employee_out_of_scope_is_refused(world, client, api_token):
    res = _api_import(
        client,
        api_token(world.hr_kes),
        _csv("NIP,unit kerja", f"{NIP_OTHER},DUK-01"),
        dry_run=False,
    )
    assert res.status_code == 422
    assert [(e["row"], e["field"]) for e in res.json()["errors"]] == [(2, "unit_code")]
    world.other.refresh_from_db()
    assert world.other.unit == world.kes


def test_scoped_officer_imports_into_their_own_unit(world, client, api_token):
    data = _csv(
        "NIP,nama,unit kerja,golongan",
        f"{NIP_OTHER},Sari,KES,III/c",
        f"{NIP_NEW},Dewi,Dinas Kesehatan,III/a",
    )
    res = _api_import(client, api_token(world.hr_kes), data, dry_run=False)
    assert res.status_code == 200, res.json()
    body = res.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 1, 0)
    world.other.refresh_from_db()
    assert world.other.rank == "III/c"
    assert Employee.objects.get(nip=NIP_NEW).unit == world.kes


def test_scoped_officer_cannot_create_in_another_unit(world, client):
    client.force_login(world.hr_kes)
    html = _upload(client, _csv("NIP,nama,unit kerja", f"{NIP_NEW},Dewi,DUK-01")).content.decode()
    assert "unit kerja “DUK-01” di luar wewenang Anda" in html
    _commit(client)
    assert not Employee.objects.filter(nip=NIP_NEW).exists()


def test_officer_without_scope_imports_nothing(world, client, make_user, api_token):
    officer = make_user("hr_tanpa_cakupan", "ASN", "BKPSDM", hr_units=())
    data = _csv("NIP,nama,unit kerja", f"{NIP_NEW},Dewi,KES")
    client.force_login(officer)
    assert client.get(URL).status_code == 403
    assert _upload(client, data).status_code == 403
    res = _api_import(client, api_token(officer), data, dry_run=False)
    assert res.status_code == 403 and res.json()["detail"]
    assert not Employee.objects.filter(nip=NIP_NEW).exists()


def test_non_hr_gets_403(world, client, api_token):
    data = _csv("NIP,nama,unit kerja", f"{NIP_NEW},Dewi,KES")
    client.force_login(world.staff.user)
    assert client.get(URL).status_code == 403
    assert _upload(client, data).status_code == 403
    client.logout()
    for user in (world.staff.user, world.outsider):
        res = _api_import(client, api_token(user), data, dry_run=True)
        assert res.status_code == 403 and res.json()["detail"]
    anonymous = client.post("/api/v1/employees/import", {"file": SimpleUploadedFile("a.csv", data)})
    assert anonymous.status_code == 401
    assert not Employee.objects.filter(nip=NIP_NEW).exists()


# -- hole 5: a column absent from the file leaves the stored value alone -----------------------


def test_absent_columns_keep_the_stored_values(filled, client):
    world = filled
    before = _snapshot(NIP_STAFF)[NIP_STAFF]
    client.force_login(world.hr)
    # no jabatan, golongan, email, NIP atasan, jenis ASN: only the name changes
    html = _upload(
        client, _csv("NIP,nama,unit kerja", f"{NIP_STAFF},Rizki Ramadhan,DUK-01")
    ).content.decode()
    assert "1 pegawai diperbarui" in html and "Impor 1 baris" in html
    assert _commit(client).status_code == 302
    after = _snapshot(NIP_STAFF)[NIP_STAFF]
    assert after == {**before, "name": "Rizki Ramadhan"}
    assert after["email"] == "rizki@serangkota.go.id"
    assert after["position_id"] == world.petugas.pk and after["rank"] == "III/a"
    assert after["supervisor_id"] == world.atasan.pk


def test_only_the_nip_column_is_required(filled, client, api_token):
    res = _api_import(
        client, api_token(filled.hr), _csv("NIP;golongan", f"{NIP_STAFF};III/b"), dry_run=False
    )
    assert res.status_code == 200, res.json()
    assert res.json()["changes"] == [
        {"nip": NIP_STAFF, "field": "rank", "old": "III/a", "new": "III/b"}
    ]
    staff = Employee.objects.get(nip=NIP_STAFF)
    assert (staff.name, staff.rank, staff.email) == ("Rizki", "III/b", "rizki@serangkota.go.id")
    # a new employee still needs a name and a unit
    res = _api_import(client, api_token(filled.hr), _csv("NIP", NIP_NEW), dry_run=True)
    assert {e["field"] for e in res.json()["errors"]} == {"name", "unit_code"}


def test_empty_cell_keeps_and_a_dash_clears(filled, client, api_token):
    token = api_token(filled.hr)
    header = "NIP,nama,unit kerja,jabatan,golongan,email,NIP atasan"
    # empty cells in present columns: unchanged
    res = _api_import(client, token, _csv(header, f"{NIP_STAFF},,,,,,"), dry_run=False)
    assert res.status_code == 200 and res.json()["unchanged"] == 1, res.json()
    staff = Employee.objects.get(nip=NIP_STAFF)
    assert staff.email == "rizki@serangkota.go.id" and staff.supervisor_id == filled.atasan.pk
    # "-" clears the optional values
    res = _api_import(client, token, _csv(header, f"{NIP_STAFF},,,-,-,-,-"), dry_run=False)
    assert res.status_code == 200, res.json()
    assert {c["field"]: (c["old"], c["new"]) for c in res.json()["changes"]} == {
        "position_code": ("DUK.PETUGAS", None),
        "rank": ("III/a", None),
        "email": ("rizki@serangkota.go.id", None),
        "supervisor_nip": (NIP_ATASAN, None),
    }
    staff.refresh_from_db()
    assert (staff.position_id, staff.rank, staff.email, staff.supervisor_id) == (None, "", "", None)
    assert staff.name == "Rizki" and staff.unit == filled.duk1
    # the name and the unit cannot be cleared
    res = _api_import(client, token, _csv("NIP,nama,unit kerja", f"{NIP_STAFF},-,-"), dry_run=True)
    assert {e["field"] for e in res.json()["errors"]} == {"name", "unit_code"}


def test_preview_lists_every_change_old_to_new(filled, client):
    client.force_login(filled.hr)
    data = _csv(
        "NIP,nama,unit kerja,golongan,email",
        f"{NIP_STAFF},Rizki,DUK-01,III/c,rizki.baru@serangkota.go.id",
        f"{NIP_ATASAN},Euis,DUK-01,III/d,",
        f"{NIP_NEW},Dewi,KES,IV/a,dewi@serangkota.go.id",
    )
    html = _upload(client, data).content.decode()
    assert "1 pegawai baru" in html
    assert "1 pegawai diperbarui" in html and "1 tidak berubah" in html
    table = html.split('class="import-changes"', 1)[1].split("</table>", 1)[0]
    assert "III/a" in table and "III/c" in table
    assert "rizki@serangkota.go.id" in table and "rizki.baru@serangkota.go.id" in table
    assert "Euis" not in table  # unchanged employees are not listed as changed
    assert "Dewi" in html and "IV/a" in html  # the new employee with what will be stored
    assert "Sel kosong berarti" in html  # the page says what an empty cell means


def test_a_failing_last_row_writes_nothing(world, client):
    client.force_login(world.hr)
    data = _csv(
        "NIP,nama,unit kerja,golongan",
        f"{NIP_NEW},Dewi,KES,III/a",
        f"{NIP_STAFF},Rizki,DUK-01,III/d",
        f"{NIP_NEW_2},Andi,TIDAK-ADA,III/a",
    )
    html = _upload(client, data).content.decode()
    assert "unit kerja “TIDAK-ADA” tidak ditemukan" in html
    _commit(client)
    assert not Employee.objects.filter(nip__in=[NIP_NEW, NIP_NEW_2]).exists()
    world.staff.refresh_from_db()
    assert world.staff.rank == "III/a"


def test_a_write_failing_on_the_last_row_rolls_everything_back(world, client, monkeypatch):
    """The checks pass but the last write fails (here: the e-mail service refuses): every
    earlier write of the same import is rolled back."""
    calls = []

    def refuse(**kwargs):
        calls.append(kwargs)
        raise InvalidInput("alamat e-mail ditolak", field="email")

    monkeypatch.setattr(services, "employee_update", refuse)
    client.force_login(world.hr)
    data = _csv(
        "NIP,nama,unit kerja,golongan,email",
        f"{NIP_NEW},Dewi,KES,III/a,dewi@serangkota.go.id",
        f"{NIP_ATASAN},Euis,DUK-01,IV/a,",
        f"{NIP_STAFF},Rizki,DUK-01,III/b,rizki@serangkota.go.id",
    )
    assert "Impor 3 baris" in _upload(client, data).content.decode()
    res = _commit(client)
    assert res.status_code == 200 and "alamat e-mail ditolak" in res.content.decode()
    assert len(calls) == 1 and calls[0]["actor"] == world.hr
    assert not Employee.objects.filter(nip=NIP_NEW).exists()
    world.atasan.refresh_from_db()
    world.staff.refresh_from_db()
    assert (world.atasan.rank, world.staff.rank, world.staff.email) == ("III/d", "III/a", "")
    assert not AccessLog.objects.filter(detail__startswith="impor").exists()


def test_reimporting_the_same_file_changes_nothing(world, client, api_token):
    token = api_token(world.hr)
    data = _csv(
        "NIP,nama,unit kerja,jabatan,golongan,email,NIP atasan,jenis ASN",
        f"{NIP_NEW},Dewi,KES,,III/a,dewi@serangkota.go.id,{NIP_ATASAN},PNS",
        f"{NIP_STAFF},Rizki,DUK-01,DUK.PETUGAS,III/b,rizki@serangkota.go.id,{NIP_NEW},PNS",
    )
    first = _api_import(client, token, data, dry_run=False)
    assert first.status_code == 200, first.json()
    assert (first.json()["created"], first.json()["updated"]) == (1, 1)
    again = _api_import(client, token, data, dry_run=True).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert again["changes"] == [] and again["errors"] == []
    client.force_login(world.hr)
    html = _upload(client, data).content.decode()
    assert "0 pegawai baru" in html and "0 pegawai diperbarui" in html
    assert "2 tidak berubah" in html


# -- the API ------------------------------------------------------------------------------------


def test_api_dry_run_writes_nothing_and_commit_writes(filled, client, api_token):
    token = api_token(filled.hr)
    data = _csv(
        "NIP,nama,unit kerja,golongan",
        f"{NIP_STAFF},Rizki,KES,III/b",
        f"{NIP_NEW},Dewi,KES,III/a",
    )
    res = _api_import(client, token, data, dry_run=True)
    assert res.status_code == 200
    body = res.json()
    assert (body["created"], body["updated"], body["unchanged"], body["errors"]) == (1, 1, 0, [])
    assert {"nip": NIP_STAFF, "field": "unit_code", "old": "DUK-01", "new": "KES"} in body[
        "changes"
    ]
    assert {"nip": NIP_NEW, "field": "name", "old": None, "new": "Dewi"} in body["changes"]
    assert not Employee.objects.filter(nip=NIP_NEW).exists()
    assert Employee.objects.get(nip=NIP_STAFF).unit == filled.duk1
    res = _api_import(client, token, data, dry_run=False)
    assert res.status_code == 200 and res.json()["created"] == 1
    dewi = Employee.objects.get(nip=NIP_NEW)
    assert dewi.user.username == NIP_NEW and not dewi.user.has_usable_password()
    staff = Employee.objects.get(nip=NIP_STAFF)
    assert (staff.unit, staff.rank, staff.email) == (filled.kes, "III/b", "rizki@serangkota.go.id")
    # each created or changed employee is in the audit log, by the importer
    logged = AccessLog.objects.filter(user=filled.hr, detail__startswith="impor")
    assert {(r.employee.nip, r.action) for r in logged} == {
        (NIP_NEW, "create"),
        (NIP_STAFF, "update"),
    }


def test_api_import_is_not_shadowed_by_the_employee_path(world, client, api_token):
    res = client.post(
        "/api/v1/employees/import", {}, HTTP_AUTHORIZATION=f"Bearer {api_token(world.hr)}"
    )
    assert res.status_code == 422  # the file is missing: not 405 from /employees/{nip}
    assert "file" in res.json()["detail"]
    res = client.post(
        "/api/v1/employees/import",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.staff.user)}",
    )
    assert res.status_code == 422 and res.json()["detail"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "kosong"),
        (b"\x00\x01\x02binary", "CSV (teks) atau XLSX"),
        (b"nama,unit kerja\nDewi,KES\n", "kolom wajib tidak ada: NIP"),
        (b"NIP,nama\n", "tidak berisi baris data"),
    ],
)
def test_api_bad_file_is_422(world, client, api_token, data, words):
    res = _api_import(client, api_token(world.hr), data, dry_run=False)
    assert res.status_code == 422
    assert words in res.json()["detail"] and "file" in res.json()["detail"]


def test_api_too_big_file_is_422(world, client, api_token, monkeypatch):
    from kompetensi import importer

    monkeypatch.setattr(importer, "MAX_BYTES", 10)
    res = _api_import(client, api_token(world.hr), _csv("NIP", NIP_STAFF), dry_run=True)
    assert res.status_code == 422 and "8 MB" in res.json()["detail"]


def test_api_import_is_in_the_openapi_document(world, client, api_token):
    doc = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {api_token(world.hr)}")
    operation = doc.json()["paths"]["/api/v1/employees/import"]["post"]
    assert {"200", "401", "403", "422"} <= set(operation["responses"])
    assert "multipart/form-data" in operation["requestBody"]["content"]


# -- e-mail of a role account ---------------------------------------------------------------------


def test_import_does_not_change_the_email_of_a_role_account(world, client, api_token):
    world.atasan.user.groups.add(Group.objects.get(name="Pelatih"))
    Employee.objects.filter(pk=world.atasan.pk).update(email="euis@serangkota.go.id")
    res = _api_import(
        client,
        api_token(world.hr),
        _csv("NIP,email", f"{NIP_ATASAN},penyerang@example.com"),
        dry_run=False,
    )
    assert res.status_code == 422
    assert [(e["row"], e["field"]) for e in res.json()["errors"]] == [(2, "email")]
    world.atasan.refresh_from_db()
    world.atasan.user.refresh_from_db()
    assert world.atasan.email == "euis@serangkota.go.id"
    assert world.atasan.user.email != "penyerang@example.com"


def test_import_email_change_goes_through_the_employee_service(filled, client, monkeypatch):
    seen = []
    original = services.employee_update

    def spy(**kwargs):
        seen.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(services, "employee_update", spy)
    client.force_login(filled.hr)
    _upload(client, _csv("NIP,email", f"{NIP_STAFF},rizki.baru@serangkota.go.id"))
    assert _commit(client).status_code == 302
    assert [(k["actor"], k["employee"].nip, k["email"]) for k in seen] == [
        (filled.hr, NIP_STAFF, "rizki.baru@serangkota.go.id")
    ]
    assert Employee.objects.get(nip=NIP_STAFF).email == "rizki.baru@serangkota.go.id"


def test_skp_import_needs_an_hr_scope_too(world, client, make_user):
    officer = make_user("hr_tanpa_cakupan", "ASN", "BKPSDM", hr_units=())
    client.force_login(officer)
    assert client.get("/sdm/impor-skp/").status_code == 403
    client.force_login(world.hr_kes)
    assert client.get("/sdm/impor-skp/").status_code == 200
