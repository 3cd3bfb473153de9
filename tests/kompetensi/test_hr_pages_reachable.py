"""HR's pages are reachable from /sdm/ and from the admin's "Kompetensi & SDM" menu (issue #17):
employee import, SKP import, evaluation periods; not offered to anyone else."""

import pytest

from tests import factories

PAGES = ("/sdm/impor-pegawai/", "/sdm/impor-skp/", "/sdm/periode/")


@pytest.fixture
def hr(db):
    return factories.user("sdm-menu", "ASN", "BKPSDM")


def test_dashboard_links_to_hr_data_pages(client, hr):
    client.force_login(hr)
    html = client.get("/sdm/").content.decode()
    for path in PAGES:
        assert f'href="{path}"' in html, path


def test_admin_menu_offers_imports_to_hr_only(client, hr):
    client.force_login(hr)
    html = client.get("/admin/").content.decode()
    for path in ("/sdm/impor-pegawai/", "/sdm/impor-skp/"):
        assert path in html, path
    trainer = factories.user("pelatih-menu", "ASN", "Pelatih")
    client.force_login(trainer)
    html = client.get("/admin/").content.decode()
    assert "/sdm/impor-pegawai/" not in html
