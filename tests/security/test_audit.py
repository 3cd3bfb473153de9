"""The append-only audit log (core/audit.py, AccessLog)."""

import pytest

from core.audit import audit
from core.models import AccessLog
from core.roles import SYSTEM
from kompetensi import services
from kompetensi.models import Competency, EvaluationPeriod, OrganizationUnit

NIP = "198503152010012003"


@pytest.fixture
def unit(db):
    return OrganizationUnit.objects.create(code="U1", name="Dinas Satu", kind="dinas")


@pytest.fixture
def employee(unit, groups):
    return services.employee_create(actor=SYSTEM, nip=NIP, name="Siti Aminah", unit=unit)


def test_rows_cannot_be_changed_or_deleted(employee):
    row = audit(action="view", obj=employee, summary="uji")
    assert row.object_type == "kompetensi.employee" and row.object_id == str(employee.pk)
    assert row.employee == employee
    row.detail = "diubah"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=row.pk).update(detail="x")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=row.pk).detail == "uji"


def test_employee_and_evaluation_changes_are_audited(employee, make_user):
    hr = make_user("hr-audit", "BKPSDM")
    assert AccessLog.objects.filter(action="create", employee=employee).exists()
    services.employee_update(actor=hr, employee=employee, name="Siti Aminah Putri")
    assert AccessLog.objects.filter(action="update", object_type="kompetensi.employee").exists()
    comp = Competency.objects.create(code="M.3", name="Komunikasi", kind="manajerial")
    period = EvaluationPeriod.objects.create(
        code="2026", name="2026", start="2026-01-01", end="2026-12-31", is_open=True
    )
    ev = services.evaluation_save(
        actor=hr,
        employee=employee,
        period=period,
        source="assessment",
        scores={comp: 3},
        finalize=True,
    )
    rows = AccessLog.objects.filter(object_type="kompetensi.evaluation", object_id=str(ev.pk))
    assert {r.action for r in rows} == {"create", "update"}
    assert all(r.user == hr and r.employee == employee for r in rows)


def test_hr_scope_grants_and_revokes_are_audited(unit, make_user, client):
    boss = make_user("hr-kota", "BKPSDM")
    hr = make_user("hr-scope", "ASN")
    scope = services.hr_scope_grant(actor=boss, user=hr, unit=unit)
    grant = AccessLog.objects.get(action="grant")
    assert grant.user == boss and "hr-scope" in grant.detail and unit.code in grant.detail
    services.hr_scope_revoke(actor=boss, scope=scope)
    revoke = AccessLog.objects.get(action="revoke_permission")
    assert revoke.user == boss and unit.code in revoke.detail


def test_hr_view_is_audited_with_hashed_ip(employee, unit, make_user, client):
    hr = make_user("hr-lihat", "BKPSDM")
    client.force_login(hr)
    r = client.get(f"/sdm/pegawai/{NIP}/", REMOTE_ADDR="203.0.113.9")
    assert r.status_code == 200
    row = AccessLog.objects.filter(employee=employee, user=hr).latest("created_at")
    assert row.ip_hash and "203.0.113.9" not in row.ip_hash
    assert not AccessLog.objects.filter(ip_hash__contains="203.0.113").exists()


def test_admin_listing_is_read_only(employee, make_user, client):
    hr = make_user("hr-admin", "BKPSDM")
    audit(action="view", obj=employee, summary="lihat")
    client.force_login(hr)
    r = client.get("/admin/log-audit/", {"q": NIP[:8]})
    assert r.status_code == 200
    assert "lihat" in r.content.decode()
    assert client.get("/admin/log-audit/new/").status_code in (403, 302, 404)
    row = AccessLog.objects.first()
    assert client.get(f"/admin/log-audit/edit/{row.pk}/").status_code in (403, 302, 404)
    assert client.get(f"/admin/log-audit/delete/{row.pk}/").status_code in (
        403,
        302,
        404,
    )
    asn = make_user("asn-admin", "ASN")
    client.force_login(asn)
    assert client.get("/admin/log-audit/").status_code in (302, 403)
