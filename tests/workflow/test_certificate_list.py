"""HR's certificate list /sdm/sertifikat/ (issue #17): the certificates of the officer's units
with filters (unit, year, revoked) and a search (name, NIP, number), a fixed number of queries,
revoking from the list (confirmed, back to the list) and reissuing (re-rendered PDF with the
current data, confirmed, audit-logged, HR of the holder's unit only). Reachable from /sdm/ and
the admin's "Kompetensi & SDM" menu."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AccessLog, Notification
from kompetensi import rules
from workflow import services
from workflow.models import Assignment, Certificate

S = Assignment.Status
pytestmark = pytest.mark.django_db
URL = "/sdm/sertifikat/"


@pytest.fixture
def pdf_stub(monkeypatch):
    """A tiny PDF that carries the holder's name and NIP, so a reissue with new data differs."""
    calls = []

    def _render(ctx):
        calls.append(ctx)
        text = f"{ctx.number} {ctx.holder_name} {ctx.holder_nip}"
        return b"%PDF-1.7\n% " + text.encode() + b"\n%%EOF\n"

    monkeypatch.setattr("workflow.certificates.pdf.render_certificate_pdf", _render)
    return calls


def _certify(employee, module, *, jp: int = 12) -> Certificate:
    a = Assignment.objects.create(employee=employee, module=module, status=S.COMPLETED, jp=jp)
    return services.certificate_issue(assignment_id=a.pk)


@pytest.fixture
def world(db, unit, other_unit, make_user, make_employee, make_module, hr_user, pdf_stub):
    """DINKES (with sub-unit P2P) and BKPSDM, one certificate in each. ``hr_unit`` administers
    DINKES (so P2P), ``hr_other`` BKPSDM only; ``hr_all`` the whole city."""
    from kompetensi.models import OrganizationUnit

    sub = OrganizationUnit.objects.create(code="DINKES-P2P", name="Bidang P2P", parent=other_unit)
    holder = make_employee("pemegang", unit_=sub)
    outsider = make_employee("pegawai-bkpsdm", unit_=unit)
    module = make_module("Pelayanan Prima", jp=12, lessons=1, quiz=False)
    return {
        "sub": sub,
        "holder": holder,
        "outsider": outsider,
        "module": module,
        "make_module": make_module,
        "cert": _certify(holder, module),
        "other_cert": _certify(outsider, module, jp=8),
        "hr_all": hr_user,
        "hr_unit": make_user("hr-dinkes", "BKPSDM", hr_units=[other_unit]),
        "hr_other": make_user("hr-bkpsdm", "BKPSDM", hr_units=[unit]),
    }


def _numbers(response) -> list[str]:
    return [c.number for c in response.context["page_obj"].object_list]


# -- who sees what --------------------------------------------------------------------------


def test_list_shows_the_certificates_in_scope_only(client, world):
    client.force_login(world["hr_unit"])
    response = client.get(URL)
    assert response.status_code == 200
    assert _numbers(response) == [world["cert"].number]
    html = response.content.decode()
    cert = world["cert"]
    assert cert.holder_name in html
    assert rules.mask_nip(world["holder"].nip) in html
    assert world["holder"].nip not in html  # masked, as on the verification page
    assert "Pelayanan Prima" in html
    assert rules.long_date(timezone.localtime(cert.issued_at, rules.JAKARTA).date()) in html
    assert f"/sertifikat/{cert.verification_code}/unduh/" in html
    assert f"/verifikasi/{cert.verification_code}/" in html
    assert f"/sertifikat/{cert.verification_code}/cabut/" in html
    assert f"/sdm/sertifikat/{cert.verification_code}/terbitkan-ulang/" in html
    assert world["other_cert"].number not in html

    client.force_login(world["hr_all"])
    assert set(_numbers(client.get(URL))) == {cert.number, world["other_cert"].number}


def test_list_is_hr_only(client, world, make_user):
    assert client.get(URL).status_code == 302  # to sign in
    client.force_login(world["holder"].user)
    assert client.get(URL).status_code == 404
    client.force_login(make_user("hr-tanpa-cakupan", "BKPSDM", hr_units=()))
    assert client.get(URL).status_code == 404
    client.force_login(world["hr_unit"])
    assert client.post(URL).status_code == 405


# -- filters and search ----------------------------------------------------------------------


def test_filters_unit_year_and_status(client, world, make_employee):
    hr = world["hr_all"]
    client.force_login(hr)
    cert, other = world["cert"], world["other_cert"]
    assert _numbers(client.get(URL, {"unit": "DINKES"})) == [cert.number]
    assert _numbers(client.get(URL, {"unit": "DINKES-P2P"})) == [cert.number]
    assert _numbers(client.get(URL, {"unit": "BKPSDM"})) == [other.number]
    # an older certificate: a year of its own
    Certificate.objects.filter(pk=other.pk).update(year=cert.year - 1)
    response = client.get(URL)
    assert response.context["years"] == [cert.year, cert.year - 1]
    assert _numbers(client.get(URL, {"tahun": str(cert.year - 1)})) == [other.number]
    services.certificate_revoke(certificate=cert, actor=hr, reason="Data keliru")
    assert _numbers(client.get(URL, {"status": "dicabut"})) == [cert.number]
    assert _numbers(client.get(URL, {"status": "berlaku"})) == [other.number]
    html = client.get(URL, {"status": "dicabut"}).content.decode()
    assert "Dicabut" in html
    # a revoked certificate is neither reissued nor revoked again from the list
    assert "/terbitkan-ulang/" not in html and "/cabut/" not in html
    # nonsense filters are ignored rather than failing
    response = client.get(URL, {"tahun": "abc", "status": "x", "unit": "TIDAK-ADA"})
    assert response.status_code == 200
    assert set(_numbers(response)) == {cert.number, other.number}


def test_unit_filter_outside_scope_shows_nothing_of_it(client, world):
    client.force_login(world["hr_other"])
    response = client.get(URL, {"unit": "DINKES"})
    assert response.status_code == 200
    assert _numbers(response) == [world["other_cert"].number]  # the unit is ignored
    assert world["cert"].number not in response.content.decode()


def test_search_by_name_nip_and_number(client, world):
    client.force_login(world["hr_all"])
    cert, holder = world["cert"], world["holder"]
    holder.name = "Siti Aminah"
    holder.save(update_fields=["name"])
    Certificate.objects.filter(pk=cert.pk).update(holder_name="Siti Aminah")
    assert _numbers(client.get(URL, {"q": "aminah"})) == [cert.number]
    assert _numbers(client.get(URL, {"q": holder.nip})) == [cert.number]
    assert _numbers(client.get(URL, {"q": cert.number})) == [cert.number]
    assert _numbers(client.get(URL, {"q": "tidak ada orang ini"})) == []
    # the search never reaches beyond the scope
    client.force_login(world["hr_other"])
    assert _numbers(client.get(URL, {"q": "aminah"})) == []


def test_pagination_keeps_the_filters(client, world, make_employee, monkeypatch):
    monkeypatch.setattr("workflow.certificate_views.PER_PAGE", 2)
    for i in range(3):
        _certify(make_employee(f"p{i}", unit_=world["sub"]), world["module"])
    client.force_login(world["hr_unit"])
    response = client.get(URL, {"unit": "DINKES"})
    assert response.context["page_obj"].paginator.num_pages == 2
    html = response.content.decode()
    assert "unit=DINKES&amp;halaman=2" in html
    assert len(_numbers(client.get(URL, {"unit": "DINKES", "halaman": "2"}))) == 2


def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(ctx)


def test_a_fixed_number_of_queries(client, world, make_employee):
    from kompetensi.models import OrganizationUnit

    client.force_login(world["hr_all"])
    _queries(client)  # warm caches (HR scope, menu) once
    small = _queries(client)
    small_filtered = _queries(client, {"q": "Pegawai", "unit": "DINKES", "status": "berlaku"})
    for i in range(12):
        unit = OrganizationUnit.objects.create(code=f"U{i}", name=f"Unit {i}")
        employee = make_employee(f"banyak{i}", unit_=unit if i % 2 else world["sub"])
        _certify(employee, world["make_module"](f"Modul {i}", lessons=1, quiz=False))
        if i % 3 == 0:
            Certificate.objects.filter(employee=employee).update(
                year=2025, issued_at=timezone.now() - dt.timedelta(days=400)
            )
    assert len(_numbers(client.get(URL))) == 14
    assert _queries(client) == small
    assert _queries(client, {"q": "Pegawai", "unit": "DINKES", "status": "berlaku"}) == (
        small_filtered
    )


# -- revoke from the list ------------------------------------------------------------------


def test_revoke_from_the_list_asks_then_returns_to_it(client, world):
    cert = world["cert"]
    client.force_login(world["hr_unit"])
    back = f"{URL}?unit=DINKES"
    revoke = f"/sertifikat/{cert.verification_code}/cabut/"
    asked = client.post(revoke, {"reason": "Data keliru", "next": back})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Ya, cabut sertifikat" in html
    assert 'name="next"' in html and f'href="{back.replace("&", "&amp;")}"' in html
    cert.refresh_from_db()
    assert cert.revoked_at is None
    done = client.post(revoke, {"reason": "Data keliru", "next": back, "confirmed": "1"})
    assert done.status_code == 302 and done["Location"] == back
    cert.refresh_from_db()
    assert cert.revoked_at is not None and cert.revoked_reason == "Data keliru"


def test_revoke_ignores_a_foreign_next(client, world):
    cert = world["cert"]
    client.force_login(world["hr_unit"])
    response = client.post(
        f"/sertifikat/{cert.verification_code}/cabut/",
        {"reason": "Data keliru", "next": "https://contoh.invalid/", "confirmed": "1"},
    )
    assert response["Location"] == f"/verifikasi/{cert.verification_code}/"


def test_revoke_from_the_list_by_another_units_officer_is_404(client, world):
    cert = world["cert"]
    client.force_login(world["hr_other"])
    response = client.post(
        f"/sertifikat/{cert.verification_code}/cabut/",
        {"reason": "x", "next": URL, "confirmed": "1"},
    )
    assert response.status_code == 404
    cert.refresh_from_db()
    assert cert.revoked_at is None


# -- reissue --------------------------------------------------------------------------------


def _reissue_url(cert) -> str:
    return f"/sdm/sertifikat/{cert.verification_code}/terbitkan-ulang/"


def test_reissue_asks_then_renders_with_current_data(client, world, pdf_stub):
    cert, holder = world["cert"], world["holder"]
    services.certificate_render(certificate_id=cert.pk)
    cert.refresh_from_db()
    old_pdf, old_sha = cert.pdf.name, cert.sha256
    holder.name = "Pegawai Nama Diperbaiki, S.Kom."
    holder.save(update_fields=["name"])
    client.force_login(world["hr_unit"])
    back = f"{URL}?q=Pegawai"

    asked = client.post(_reissue_url(cert), {"next": back})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Ya, terbitkan ulang" in html and "Pegawai Nama Diperbaiki, S.Kom." in html
    cert.refresh_from_db()
    assert cert.sha256 == old_sha  # nothing happened yet

    done = client.post(_reissue_url(cert), {"next": back, "confirmed": "1"})
    assert done.status_code == 302 and done["Location"] == back
    cert.refresh_from_db()
    assert cert.holder_name == "Pegawai Nama Diperbaiki, S.Kom."
    assert cert.sha256 and cert.sha256 != old_sha
    assert cert.pdf.name != old_pdf
    assert pdf_stub[-1].holder_name == "Pegawai Nama Diperbaiki, S.Kom."
    with cert.pdf.open("rb") as fh:
        assert b"Diperbaiki" in fh.read()
    # number and verification code stay
    assert Certificate.objects.filter(number=cert.number, verification_code=cert.verification_code)
    log = AccessLog.objects.filter(action="reissue", object_id=str(cert.pk)).get()
    assert log.user == world["hr_unit"] and cert.number in log.detail
    assert Notification.objects.filter(
        user=holder.user, title__startswith="Sertifikat diterbitkan ulang"
    ).exists()


def test_reissue_by_another_units_officer_is_404_and_writes_nothing(client, world):
    cert = world["cert"]
    client.force_login(world["hr_other"])
    for data in ({"next": URL}, {"next": URL, "confirmed": "1"}):
        assert client.post(_reissue_url(cert), data).status_code == 404
    client.force_login(world["holder"].user)
    assert client.post(_reissue_url(cert), {"confirmed": "1"}).status_code == 404
    assert client.get(_reissue_url(cert)).status_code == 405
    cert.refresh_from_db()
    assert not cert.pdf
    assert not AccessLog.objects.filter(action="reissue").exists()


def test_reissue_of_a_revoked_certificate_is_refused(client, world):
    cert = world["cert"]
    services.certificate_revoke(certificate=cert, actor=world["hr_unit"], reason="Keliru")
    client.force_login(world["hr_unit"])
    response = client.post(_reissue_url(cert), {"next": URL}, follow=True)
    assert "tidak dapat diterbitkan ulang" in response.content.decode()
    assert not AccessLog.objects.filter(action="reissue").exists()


def test_reissue_service_checks_authority(world):
    cert = world["cert"]
    with pytest.raises(services.NotAllowed):
        services.certificate_reissue(certificate=cert, actor=world["holder"].user)
    with pytest.raises(services.NotFound):
        services.certificate_reissue(certificate=cert, actor=world["hr_other"])
    assert services.certificate_reissue(certificate=cert, actor=world["hr_all"]).sha256


# -- reachable --------------------------------------------------------------------------------


def test_linked_from_the_hr_dashboard_and_the_admin_menu(client, world, make_user):
    client.force_login(world["hr_unit"])
    assert f'href="{URL}"' in client.get("/sdm/").content.decode()
    assert URL in client.get("/admin/").content.decode()
    trainer = make_user("pelatih-sertifikat", "ASN", "Pelatih")
    client.force_login(trainer)
    assert URL not in client.get("/admin/").content.decode()
