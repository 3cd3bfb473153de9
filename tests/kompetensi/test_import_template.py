"""The import pages offer an empty template with exactly the columns the importers read, and
say how imported staff get their accounts."""

import csv
import io

import pytest
from openpyxl import load_workbook

from kompetensi import importer

from .test_views import GOOD, _commit, _login, _upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_employee_template_has_the_importer_columns(world, client, fmt):
    _login(client, world.hr)
    response = client.get(f"/sdm/impor-pegawai/templat.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    rows = importer.read_table(data)
    assert [c.strip() for c in rows[0]] == list(importer.TEMPLATE_HEADERS)
    # Every header is one the importer recognises (nothing ignored, nothing missing).
    assert importer._header_map(rows[0]).keys() == set(importer.COLUMNS.values())
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        assert sheet.column_dimensions["A"].width >= 20
    else:
        assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == list(
            importer.TEMPLATE_HEADERS
        )


def test_skp_template_and_access(world, client):
    _login(client, world.hr)
    rows = importer.read_table(client.get("/sdm/impor-skp/templat.csv").content)
    assert rows[0] == list(importer.SKP_TEMPLATE_HEADERS)
    assert set(importer.SKP_COLUMNS) == {h.lower() for h in rows[0]}
    assert client.get("/sdm/impor-lain/templat.csv").status_code == 404
    assert client.get("/sdm/impor-pegawai/templat.pdf").status_code == 404
    _login(client, world.staff.user)
    assert client.get("/sdm/impor-pegawai/templat.csv").status_code == 403


def test_import_page_links_template_and_explains_accounts(world, client):
    _login(client, world.hr)
    html = client.get("/sdm/impor-pegawai/").content.decode()
    assert "/sdm/impor-pegawai/templat.xlsx" in html and "/sdm/impor-pegawai/templat.csv" in html
    assert "Lupa kata sandi?" in html and 'id="akun-pegawai"' in html
    html = client.get("/sdm/impor-skp/").content.decode()
    assert "/sdm/impor-skp/templat.xlsx" in html and 'id="akun-pegawai"' not in html


def test_imported_staff_activate_through_password_reset(world, client, mailoutbox):
    """What the page says is true: an imported account (no usable password) gets the link."""
    _login(client, world.hr)
    _upload(client, GOOD.encode())
    _commit(client)
    from kompetensi.models import Employee

    sri = Employee.objects.get(nip="196903091994032001")
    assert not sri.user.has_usable_password() and sri.user.email
    client.logout()
    client.post("/akun/reset/", {"email": sri.user.email.upper()})
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [sri.user.email]
    client.post("/akun/reset/", {"email": "tidak-ada@example.go.id"})
    assert len(mailoutbox) == 1
