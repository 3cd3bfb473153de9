"""The Wagtail admin asks the same rules (permission policies → permissions.py) and writes
through the same services: a scoped officer (``world.hr_kes``, Dinas Kesehatan) sees and
changes only their units; objects outside are 404, visible ones they may not change 403."""

import pytest
from django.urls import reverse

from core.audit import audit
from core.models import AccessLog
from core.roles import SYSTEM
from kompetensi import services
from kompetensi.models import (
    Competency,
    Employee,
    EvaluationPeriod,
    HrScope,
    OrganizationUnit,
    Position,
    SkpResult,
)
from skm import services as skm_services
from skm.models import ServicePoint


def _url(name, *args):
    return reverse(name, args=args)


def denied(res) -> bool:
    """Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard and a
    message (403 outside it)."""
    return res.status_code == 403 or (res.status_code == 302 and res.url == "/admin/")


@pytest.fixture
def no_scope(make_user):
    return make_user("sdm-tanpa-cakupan", "ASN", "BKPSDM", hr_units=())


def _skp(world, employee, hasil="sesuai"):
    return services.skp_record(
        actor=SYSTEM,
        employee=employee,
        period=world.period,
        hasil_kerja=hasil,
        perilaku_kerja="sesuai",
    )


# -- units -----------------------------------------------------------------------------------------


def test_unit_listing_is_scoped(world, client):
    client.force_login(world.hr_kes)
    html = client.get("/admin/unit/").content.decode()
    assert "Dinas Kesehatan" in html and "Disdukcapil" not in html
    csv = b"".join(client.get("/admin/unit/?export=csv").streaming_content).decode()
    assert "KES" in csv and "DUK" not in csv


def test_scoped_officer_cannot_rename_or_move_other_units(world, client):
    client.force_login(world.hr_kes)
    data = {"code": "DUK-01", "name": "Diambil", "kind": "bidang", "parent": world.kes.pk}
    assert client.get(_url("unit:edit", world.duk1.pk)).status_code == 404
    assert client.post(_url("unit:edit", world.duk1.pk), data).status_code == 404
    assert client.post(_url("unit:delete", world.duk1.pk)).status_code == 404
    world.duk1.refresh_from_db()
    assert world.duk1.parent == world.duk and world.duk1.name == "Bidang Pendaftaran"


def test_scoped_officer_cannot_rename_their_own_root(world, client):
    client.force_login(world.hr_kes)
    data = {"code": "KES", "name": "Diganti", "kind": "perangkat_daerah", "parent": ""}
    assert denied(client.get(_url("unit:edit", world.kes.pk)))
    assert denied(client.post(_url("unit:edit", world.kes.pk), data))
    assert denied(client.post(_url("unit:delete", world.kes.pk)))
    assert OrganizationUnit.objects.get(pk=world.kes.pk).name == "Dinas Kesehatan"


def test_scoped_officer_creates_only_below_their_units(world, client):
    client.force_login(world.hr_kes)
    url = _url("unit:add")
    res = client.post(url, {"code": "TOP", "name": "x", "kind": "perangkat_daerah", "parent": ""})
    assert res.status_code == 200  # the form: a parent is required for them
    res = client.post(url, {"code": "D9", "name": "x", "kind": "bidang", "parent": world.duk.pk})
    assert res.status_code == 200  # DUK is not among the choices
    assert not OrganizationUnit.objects.filter(code__in=["TOP", "D9"]).exists()
    res = client.post(
        url, {"code": "KES-01", "name": "P2P", "kind": "bidang", "parent": world.kes.pk}
    )
    assert res.status_code == 302
    unit = OrganizationUnit.objects.get(code="KES-01")
    assert unit.path == "KES/KES-01"
    assert AccessLog.objects.filter(
        action="create", object_type="kompetensi.organizationunit", user=world.hr_kes
    ).exists()
    # a unit below their root is theirs to rename
    res = client.post(
        _url("unit:edit", unit.pk),
        {"code": "KES-01", "name": "Bidang P2P", "kind": "bidang", "parent": world.kes.pk},
    )
    assert res.status_code == 302
    assert OrganizationUnit.objects.get(pk=unit.pk).name == "Bidang P2P"


def test_admin_move_recomputes_the_subtree(world, client):
    a = services.unit_create(actor=SYSTEM, code="DUK-01-A", name="Seksi A", parent=world.duk1)
    a1 = services.unit_create(actor=SYSTEM, code="DUK-01-A1", name="Sub A1", parent=a)
    client.force_login(world.hr)
    res = client.post(
        _url("unit:edit", world.duk1.pk),
        {"code": "DUK-01", "name": "Bidang Pendaftaran", "kind": "bidang", "parent": world.kes.pk},
    )
    assert res.status_code == 302, res.content.decode()[:2000]
    assert OrganizationUnit.objects.get(pk=a1.pk).path == "KES/DUK-01/DUK-01-A/DUK-01-A1"
    assert OrganizationUnit.objects.get(pk=a1.pk).depth == 3
    # the staff of DUK-01 are now in hr_kes's scope; a move below its own subtree is refused
    client.force_login(world.hr)
    res = client.post(
        _url("unit:edit", world.duk1.pk),
        {"code": "DUK-01", "name": "Bidang Pendaftaran", "kind": "bidang", "parent": a1.pk},
    )
    assert res.status_code == 200  # not a choice (and the service would refuse it)
    assert OrganizationUnit.objects.get(pk=world.duk1.pk).parent_id == world.kes.pk


# -- SKP results ------------------------------------------------------------------------------------


def test_skp_admin_is_scoped_for_create_edit_delete(world, client):
    theirs = _skp(world, world.other)
    not_theirs = _skp(world, world.staff, hasil="di_bawah")
    client.force_login(world.hr_kes)
    html = client.get("/admin/skp/").content.decode()
    assert "Sari" in html and "Rizki" not in html
    csv = b"".join(client.get("/admin/skp/?export=csv").streaming_content).decode()
    assert "Rizki" not in csv
    body = {"hasil_kerja": "di_atas", "perilaku_kerja": "di_atas"}
    assert client.get(_url("skp:edit", not_theirs.pk)).status_code == 404
    assert client.post(_url("skp:edit", not_theirs.pk), body).status_code == 404
    assert client.post(_url("skp:delete", not_theirs.pk)).status_code == 404
    res = client.post(
        _url("skp:add"),
        {"employee": world.staff.pk, "period": world.old.pk, **body},
    )
    assert res.status_code == 200  # not a choice for them
    assert not SkpResult.objects.filter(employee=world.staff, period=world.old).exists()
    not_theirs.refresh_from_db()
    assert not_theirs.hasil_kerja == "di_bawah"
    # their own employee: create, edit, delete through the service
    res = client.post(_url("skp:add"), {"employee": world.other.pk, "period": world.old.pk, **body})
    assert res.status_code == 302
    created = SkpResult.objects.get(employee=world.other, period=world.old)
    assert created.predicate == "Sangat Baik" and created.recorded_by == world.hr_kes
    res = client.post(
        _url("skp:edit", theirs.pk), {"hasil_kerja": "di_bawah", "perilaku_kerja": "di_bawah"}
    )
    assert res.status_code == 302
    theirs.refresh_from_db()
    assert theirs.hasil_kerja == "di_bawah" and theirs.employee == world.other
    assert client.post(_url("skp:delete", theirs.pk)).status_code == 302
    assert not SkpResult.objects.filter(pk=theirs.pk).exists()
    assert AccessLog.objects.filter(
        action="delete", object_type="kompetensi.skpresult", user=world.hr_kes
    ).exists()


# -- periods, dictionary, positions ---------------------------------------------------------------


def test_periods_admin_city_wide_only_for_writes(world, client):
    client.force_login(world.hr_kes)
    assert client.get("/admin/periode/").status_code == 200
    data = {"code": "2031", "name": "x", "start": "2031-01-01", "end": "2031-12-31"}
    assert denied(client.get(_url("periode:add")))
    assert denied(client.post(_url("periode:add"), {**data, "is_open": "on"}))
    assert denied(client.post(_url("periode:edit", world.period.pk), {**data, "code": "2026"}))
    assert denied(client.post(_url("periode:delete", world.old.pk)))
    assert not EvaluationPeriod.objects.filter(code="2031").exists()
    assert EvaluationPeriod.objects.get(pk=world.period.pk).is_open
    assert EvaluationPeriod.objects.filter(pk=world.old.pk).exists()
    client.force_login(world.hr)
    assert client.post(_url("periode:add"), {**data, "is_open": "on"}).status_code == 302
    res = client.post(
        _url("periode:edit", world.period.pk),
        {"code": "2026", "name": "Periode 2026", "start": "2026-01-01", "end": "2026-12-31"},
    )
    assert res.status_code == 302
    # is_open is fixed in the admin's edit form: closing a period (irreversible for its drafts)
    # happens on /sdm/periode/, which asks for confirmation first
    assert EvaluationPeriod.objects.get(pk=world.period.pk).is_open
    page = client.get(_url("periode:edit", world.period.pk)).content.decode()
    assert "/sdm/periode/" in page
    assert AccessLog.objects.filter(
        object_type="kompetensi.evaluationperiod", user=world.hr, action="update"
    ).exists()


def test_dictionary_admin_city_wide_only(world, client):
    client.force_login(world.hr_kes)
    assert client.get("/admin/kamus-kompetensi/").status_code == 200
    assert denied(client.get(_url("kamus-kompetensi:add")))
    assert denied(client.get(_url("kamus-kompetensi:edit", world.comm.pk)))
    assert denied(client.post(_url("kamus-kompetensi:delete", world.comm.pk)))
    assert Competency.objects.filter(pk=world.comm.pk).exists()


def test_positions_admin(world, client):
    umum = services.position_create(actor=SYSTEM, code="UMUM", name="Umum", kind="pelaksana")
    client.force_login(world.hr_kes)
    html = client.get("/admin/jabatan/").content.decode()
    assert "Umum" in html and "DUK.PETUGAS" not in html
    assert client.get(_url("jabatan:edit", world.petugas.pk)).status_code == 404
    assert denied(client.get(_url("jabatan:edit", umum.pk)))  # city-wide position
    assert denied(client.post(_url("jabatan:delete", umum.pk)))
    data = {
        "code": "KES.EPID",
        "kind": "fungsional",
        "jenjang": "",
        "name": "Epidemiolog",
        "unit": world.kes.pk,
        "requirements-TOTAL_FORMS": "1",
        "requirements-INITIAL_FORMS": "0",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-competency": str(world.comm.pk),
        "requirements-0-level": "3",
        "requirements-0-ORDER": "1",
        "requirements-0-DELETE": "",
        "requirements-0-id": "",
    }
    res = client.post(_url("jabatan:add"), {**data, "unit": ""})
    assert res.status_code == 200  # a position across units is not theirs to add
    res = client.post(_url("jabatan:add"), data)
    assert res.status_code == 302, res.content.decode()[:2000]
    pos = Position.objects.get(code="KES.EPID")
    assert pos.unit == world.kes and pos.requirements.get().level == 3


# -- employees and service points -----------------------------------------------------------------


def test_employee_admin_edit_goes_through_the_service(world, client):
    client.force_login(world.hr_kes)
    assert client.post(_url("pegawai:delete", world.staff.pk)).status_code == 404
    data = {
        "nip": world.other.nip,
        "employee_type": "PNS",
        "name": "Sari Dewi",
        "email": "",
        "unit": world.duk1.pk,  # not among their units
        "position": "",
        "rank": "III/b",
        "supervisor": "",
        "is_active": "on",
    }
    res = client.post(_url("pegawai:edit", world.other.pk), data)
    assert res.status_code == 200
    assert Employee.objects.get(pk=world.other.pk).unit == world.kes
    res = client.post(_url("pegawai:edit", world.other.pk), {**data, "unit": world.kes.pk})
    assert res.status_code == 302, res.content.decode()[:2000]
    assert Employee.objects.get(pk=world.other.pk).name == "Sari Dewi"
    assert AccessLog.objects.filter(
        action="update", employee=world.other, user=world.hr_kes
    ).exists()


def test_service_point_admin_is_scoped(world, client):
    duk_point = skm_services.service_point_create(
        actor=SYSTEM, code="duk-ktp", service="KTP-el", unit=world.duk
    )
    client.force_login(world.hr_kes)
    assert "KTP-el" not in client.get("/admin/titik-layanan/").content.decode()
    assert client.get(_url("titik-layanan:edit", duk_point.pk)).status_code == 404
    res = client.post(
        _url("titik-layanan:add"),
        {"code": "duk-kk", "service": "KK", "unit": world.duk.pk, "is_active": "on"},
    )
    assert res.status_code == 200
    assert not ServicePoint.objects.filter(code="duk-kk").exists()
    res = client.post(
        _url("titik-layanan:add"),
        {"code": "kes-loket", "service": "Loket", "unit": world.kes.pk, "is_active": "on"},
    )
    assert res.status_code == 302
    point = ServicePoint.objects.get(code="kes-loket")
    res = client.post(
        _url("titik-layanan:edit", point.pk),
        {"service": "Loket", "unit": world.duk.pk, "is_active": "on"},
    )
    assert res.status_code == 200
    assert ServicePoint.objects.get(pk=point.pk).unit == world.kes


# -- audit log ------------------------------------------------------------------------------------


def test_audit_log_hides_rows_of_other_units(world, client):
    mine = audit(actor=world.hr, action="view", obj=world.other, summary="baris-kes")
    other = audit(actor=world.hr, action="view", obj=world.staff, summary="baris-duk")
    audit(actor=world.hr, action="update", obj=world.duk, summary="baris-unit")
    client.force_login(world.hr_kes)
    html = client.get("/admin/log-audit/?q=baris").content.decode()
    assert "baris-kes" in html and "baris-duk" not in html and "baris-unit" not in html
    assert client.get(_url("log-audit:inspect", mine.pk)).status_code == 200
    assert client.get(_url("log-audit:inspect", other.pk)).status_code == 404
    assert denied(client.get(_url("log-audit:add")))
    assert denied(client.get(_url("log-audit:edit", mine.pk)))
    assert denied(client.post(_url("log-audit:delete", mine.pk)))
    client.force_login(world.hr)
    html = client.get("/admin/log-audit/?q=baris").content.decode()
    assert "baris-kes" in html and "baris-duk" in html and "baris-unit" in html


# -- HR scopes --------------------------------------------------------------------------------------


def test_city_wide_hr_grants_and_revokes_scopes_in_the_admin(world, client):
    client.force_login(world.hr)
    assert client.get("/admin/cakupan-sdm/").status_code == 200
    res = client.post(_url("cakupan-sdm:add"), {"username": "luar", "unit": world.duk.pk})
    assert res.status_code == 302, res.content.decode()[:2000]
    scope = HrScope.objects.get(user=world.outsider)
    assert scope.unit == world.duk and scope.granted_by == world.hr
    assert world.outsider.groups.filter(name="BKPSDM").exists()
    assert AccessLog.objects.filter(action="grant", user=world.hr, object_id=str(scope.pk))
    res = client.post(_url("cakupan-sdm:add"), {"username": "luar", "unit": world.duk.pk})
    assert res.status_code == 200  # already granted
    res = client.post(_url("cakupan-sdm:add"), {"username": "tidak-ada", "unit": ""})
    assert res.status_code == 200
    assert HrScope.objects.filter(user=world.outsider).count() == 1
    assert denied(client.get(_url("cakupan-sdm:edit", scope.pk)))  # never edited
    assert client.post(_url("cakupan-sdm:delete", scope.pk)).status_code == 302
    assert not HrScope.objects.filter(pk=scope.pk).exists()
    assert AccessLog.objects.filter(action="revoke_permission", user=world.hr).exists()


def test_scoped_officer_cannot_touch_scopes_in_the_admin(world, client):
    own = HrScope.objects.get(user=world.hr_kes)
    client.force_login(world.hr_kes)
    assert denied(client.get("/admin/cakupan-sdm/"))
    assert denied(client.post(_url("cakupan-sdm:add"), {"username": "hr_kes", "unit": ""}))
    # no scope row is visible to them at all: 404
    assert client.post(_url("cakupan-sdm:delete", own.pk)).status_code == 404
    assert list(HrScope.objects.filter(user=world.hr_kes)) == [own]


# -- no scope row: nothing --------------------------------------------------------------------------

PREFIXES = [
    "unit",
    "kamus-kompetensi",
    "jabatan",
    "pegawai",
    "periode",
    "skp",
    "titik-layanan",
    "log-audit",
    "cakupan-sdm",
]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_officer_without_scope_row_sees_nothing(world, client, no_scope, prefix):
    client.force_login(no_scope)
    assert denied(client.get(f"/admin/{prefix}/"))
    assert denied(client.get(f"/admin/{prefix}/new/"))


def test_city_wide_hr_opens_every_listing(world, client):
    client.force_login(world.hr)
    for prefix in PREFIXES:
        assert client.get(f"/admin/{prefix}/").status_code == 200, prefix


def test_forms_render_for_city_wide_and_scoped_officers(world, client):
    point = skm_services.service_point_create(
        actor=SYSTEM, code="kes-loket", service="Loket", unit=world.kes
    )
    result = _skp(world, world.other)
    kes_unit = services.unit_create(actor=SYSTEM, code="KES-01", name="P2P", parent=world.kes)
    kes_pos = services.position_create(
        actor=SYSTEM, code="KES.X", name="x", kind="pelaksana", unit=world.kes
    )
    scope = HrScope.objects.get(user=world.hr_kes)
    editable = {
        "unit": kes_unit.pk,
        "kamus-kompetensi": world.comm.pk,
        "jabatan": kes_pos.pk,
        "pegawai": world.other.pk,
        "periode": world.period.pk,
        "skp": result.pk,
        "titik-layanan": point.pk,
    }
    client.force_login(world.hr)
    for prefix, pk in editable.items():
        assert client.get(f"/admin/{prefix}/new/").status_code == 200, prefix
        assert client.get(_url(f"{prefix}:edit", pk)).status_code == 200, prefix
        assert client.get(_url(f"{prefix}:delete", pk)).status_code == 200, prefix
        assert client.get(_url(f"{prefix}:history", pk)).status_code == 200, prefix
    assert client.get(_url("cakupan-sdm:add")).status_code == 200
    assert client.get(_url("cakupan-sdm:delete", scope.pk)).status_code == 200
    client.force_login(world.hr_kes)
    for prefix in ("unit", "jabatan", "pegawai", "skp", "titik-layanan"):
        pk = editable[prefix]
        assert client.get(f"/admin/{prefix}/new/").status_code == 200, prefix
        assert client.get(_url(f"{prefix}:edit", pk)).status_code == 200, prefix
    # another unit's object: not found on every page about it, history included
    assert client.get(_url("pegawai:history", world.staff.pk)).status_code == 404
    assert client.get(_url("unit:usage", world.duk.pk)).status_code == 404
