"""Every power bounded by its scope (issue #14): the services decide, with ``actor``, and the
API and the HTML views give the same answer. ``world.hr`` is city-wide HR, ``world.hr_kes``
administers Dinas Kesehatan (KES) only; the demo staff work in DUK/DUK-01."""

from datetime import date

import pytest

from core.errors import Conflict, InvalidInput, NotAllowed
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
from kompetensi.permissions import employees_managed_by, forget_hr_scope, units_visible_to
from skm import services as skm_services
from skm.models import ServicePoint
from tests.factories import set_hr_scope

NEW_NIP = "196903091994032001"


@pytest.fixture
def no_scope(make_user):
    """A BKPSDM member without any scope row: administers nothing."""
    return make_user("sdm-tanpa-cakupan", "ASN", "BKPSDM", hr_units=())


def _tree(world):
    """KES → KES-A → KES-A1 → KES-A2, with an employee in the sub-sub-unit."""
    a = services.unit_create(actor=SYSTEM, code="KES-A", name="Bidang A", parent=world.kes)
    a1 = services.unit_create(actor=SYSTEM, code="KES-A1", name="Seksi A1", parent=a)
    a2 = services.unit_create(actor=SYSTEM, code="KES-A2", name="Subseksi A2", parent=a1)
    emp = services.employee_create(actor=SYSTEM, nip=NEW_NIP, name="Dalam", unit=a2)
    return a, a1, a2, emp


# -- employees ------------------------------------------------------------------------------------


def test_employee_create_needs_the_unit_in_scope(world):
    with pytest.raises(NotAllowed) as info:
        services.employee_create(actor=world.hr_kes, nip=NEW_NIP, name="X", unit=world.duk1)
    assert info.value.field == "unit_code"
    assert not Employee.objects.filter(nip=NEW_NIP).exists()
    emp = services.employee_create(actor=world.hr_kes, nip=NEW_NIP, name="X", unit=world.kes)
    assert emp.unit == world.kes
    assert AccessLog.objects.filter(action="create", employee=emp, user=world.hr_kes).exists()


def test_employee_update_scoped_to_the_stored_unit(world):
    with pytest.raises(NotAllowed):
        services.employee_update(actor=world.hr_kes, employee=world.staff, name="Diambil")
    # Changing the unit in memory first (as a form does) gains nothing: the stored unit counts.
    staff = Employee.objects.get(pk=world.staff.pk)
    staff.unit = world.kes
    with pytest.raises(NotAllowed):
        services.employee_update(actor=world.hr_kes, employee=staff, unit=world.kes)
    assert Employee.objects.get(pk=world.staff.pk).unit == world.duk1


def test_moving_an_employee_needs_both_units(world, make_user):
    with pytest.raises(NotAllowed) as info:
        services.employee_update(actor=world.hr_kes, employee=world.other, unit=world.duk1)
    assert info.value.field == "unit_code"
    assert Employee.objects.get(pk=world.other.pk).unit == world.kes
    both = make_user("sdm-dua", "BKPSDM", hr_units=[world.kes, world.duk])
    services.employee_update(actor=both, employee=world.other, unit=world.duk1)
    assert Employee.objects.get(pk=world.other.pk).unit == world.duk1


def test_officer_without_scope_row_administers_nothing(world, no_scope):
    with pytest.raises(NotAllowed):
        services.employee_create(actor=no_scope, nip=NEW_NIP, name="X", unit=world.kes)
    with pytest.raises(NotAllowed):
        services.employee_update(actor=no_scope, employee=world.other, name="Y")
    with pytest.raises(NotAllowed):
        services.unit_create(actor=no_scope, code="X1", name="X", parent=world.kes)
    with pytest.raises(NotAllowed):
        services.skp_record(
            actor=no_scope,
            employee=world.other,
            period=world.period,
            hasil_kerja="sesuai",
            perilaku_kerja="sesuai",
        )
    assert not units_visible_to(no_scope).exists()
    assert not employees_managed_by(no_scope).exists()


def test_officer_without_scope_row_sees_nothing_in_the_api(world, api, no_scope):
    client = api(no_scope)
    assert client.get("/units").json()["count"] == 0
    assert client.get("/employees").json()["count"] == 0
    assert client.get(f"/employees/{world.other.nip}").status_code == 404
    body = {"code": "KES-9", "name": "x", "parent_code": "KES"}
    res = client.post("/units", body)
    assert res.status_code == 422 and "parent_code" in res.json()["detail"]
    assert client.post("/units", {"code": "TOP", "name": "x"}).status_code == 403
    assert client.patch("/units/KES", {"name": "x"}).status_code == 404


# -- units ----------------------------------------------------------------------------------------


def test_unit_create_only_below_units_in_scope(world):
    with pytest.raises(NotAllowed):
        services.unit_create(actor=world.hr_kes, code="TOP", name="Dinas Baru")
    with pytest.raises(NotAllowed):
        services.unit_create(actor=world.hr_kes, code="DUK-09", name="x", parent=world.duk)
    unit = services.unit_create(actor=world.hr_kes, code="KES-01", name="P2P", parent=world.kes)
    assert unit.path == "KES/KES-01" and unit.depth == 1
    top = services.unit_create(actor=world.hr, code="TOP", name="Dinas Baru")
    assert top.parent is None and top.kind == OrganizationUnit.Kind.PERANGKAT_DAERAH
    with pytest.raises(InvalidInput):
        services.unit_create(actor=world.hr, code="A/B", name="garis miring")


def test_scoped_officer_cannot_rename_or_move_their_own_root(world):
    with pytest.raises(NotAllowed):
        services.unit_update(actor=world.hr_kes, unit=world.kes, name="Dinas Kesehatan Kota")
    with pytest.raises(NotAllowed):
        services.unit_update(actor=world.hr_kes, unit=world.kes, parent=world.duk)
    world.kes.refresh_from_db()
    assert world.kes.name == "Dinas Kesehatan" and world.kes.parent is None
    unit = services.unit_update(actor=world.hr, unit=world.kes, name="Dinas Kesehatan Kota")
    assert unit.name == "Dinas Kesehatan Kota"
    assert AccessLog.objects.filter(
        action="update", object_type="kompetensi.organizationunit", user=world.hr
    ).exists()


def test_scoped_officer_cannot_pull_another_unit_under_theirs(world):
    # DUK-01 (with the demo staff) moved under KES would put it in hr_kes's scope.
    with pytest.raises(NotAllowed):
        services.unit_update(actor=world.hr_kes, unit=world.duk1, parent=world.kes)
    with pytest.raises(NotAllowed):
        services.unit_update(actor=world.hr_kes, unit=world.duk1, name="Diambil")
    world.duk1.refresh_from_db()
    assert world.duk1.parent == world.duk and world.duk1.path == "DUK/DUK-01"
    assert not employees_managed_by(world.hr_kes).filter(pk=world.staff.pk).exists()


def test_scoped_officer_moves_within_their_units_only(world):
    a, a1, a2, _emp = _tree(world)
    b = services.unit_create(actor=world.hr_kes, code="KES-B", name="Bidang B", parent=world.kes)
    moved = services.unit_update(actor=world.hr_kes, unit=a1, parent=b)
    assert moved.path == "KES/KES-B/KES-A1"
    with pytest.raises(NotAllowed):  # out of their units
        services.unit_update(actor=world.hr_kes, unit=a1, parent=world.duk)
    with pytest.raises(NotAllowed):  # to the top level: city-wide only
        services.unit_update(actor=world.hr_kes, unit=b, parent=None)


def test_moving_a_unit_below_itself_is_refused(world):
    a, a1, a2, _emp = _tree(world)
    for target in (a, a2):
        with pytest.raises(InvalidInput) as info:
            services.unit_update(actor=world.hr, unit=a, parent=target)
        assert info.value.field == "parent_code"
    a.refresh_from_db()
    assert a.parent == world.kes


def test_moving_a_unit_moves_its_whole_subtree(world):
    a, a1, a2, emp = _tree(world)
    services.unit_update(actor=world.hr, unit=a, parent=world.duk1)
    rows = dict(
        OrganizationUnit.objects.filter(code__startswith="KES-A").values_list("code", "path")
    )
    assert rows == {
        "KES-A": "DUK/DUK-01/KES-A",
        "KES-A1": "DUK/DUK-01/KES-A/KES-A1",
        "KES-A2": "DUK/DUK-01/KES-A/KES-A1/KES-A2",
    }
    depths = dict(
        OrganizationUnit.objects.filter(code__startswith="KES-A").values_list("code", "depth")
    )
    assert depths == {"KES-A": 2, "KES-A1": 3, "KES-A2": 4}
    # The employee of the sub-sub-unit is found under the new ancestor and left the old scope.
    assert Employee.objects.filter(unit__path__startswith="DUK/").filter(pk=emp.pk).exists()
    assert not employees_managed_by(world.hr_kes).filter(pk=emp.pk).exists()
    duk_only = world.hr_kes.__class__.objects.get(pk=world.hr_kes.pk)
    set_hr_scope(duk_only, world.duk)
    assert employees_managed_by(duk_only).filter(pk=emp.pk).exists()
    # and back to the top level
    services.unit_update(actor=world.hr, unit=a, parent=None)
    assert OrganizationUnit.objects.get(code="KES-A2").path == "KES-A/KES-A1/KES-A2"
    assert OrganizationUnit.objects.get(code="KES-A2").depth == 2


def test_subtree_move_runs_a_fixed_number_of_queries(world):
    """The same number of queries for a subtree of 2 units as for one of 25 (one UPDATE
    rewrites every descendant's path and depth)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def chain(prefix, n):
        parent, units = world.kes, []
        for i in range(n):
            parent = services.unit_create(
                actor=SYSTEM, code=f"{prefix}{i}", name=f"U{i}", parent=parent
            )
            units.append(parent)
        return units

    small, big = chain("S", 2), chain("K", 25)
    counts, totals = [], []
    for units in (small, big):
        forget_hr_scope(world.hr)  # each move reads the officer's scope afresh
        with CaptureQueriesContext(connection) as queries:
            services.unit_update(actor=world.hr, unit=units[0], parent=world.duk1)
        # (Wagtail's reference index adds a query or two of its own once the admin is loaded)
        counts.append(sum("kompetensi_organizationunit" in q["sql"] for q in queries))
        totals.append(len(queries))
    assert counts[0] == counts[1] <= 8, counts
    assert max(totals) <= 20, totals
    assert OrganizationUnit.objects.get(code="K24").path.startswith("DUK/DUK-01/K0/K1/")
    assert OrganizationUnit.objects.get(code="K24").depth == 2 + 24


def test_unit_delete(world):
    empty = services.unit_create(actor=world.hr, code="KES-X", name="X", parent=world.kes)
    with pytest.raises(NotAllowed):
        services.unit_delete(actor=world.hr_kes, unit=world.kes)  # their own root
    with pytest.raises(Conflict):
        services.unit_delete(actor=world.hr, unit=world.duk1)  # has employees
    services.unit_delete(actor=world.hr_kes, unit=empty)
    assert not OrganizationUnit.objects.filter(code="KES-X").exists()


# -- framework: dictionary, periods, positions ------------------------------------------------------


def test_dictionary_and_periods_are_city_wide_only(world):
    with pytest.raises(NotAllowed):
        services.competency_create(actor=world.hr_kes, code="T.K.01", name="Uji", kind="teknis")
    with pytest.raises(NotAllowed):
        services.competency_save(
            actor=world.hr_kes, competency=Competency(code="T.K.02", name="x", kind="teknis")
        )
    with pytest.raises(NotAllowed):
        services.period_create(
            actor=world.hr_kes, code="2030", name="x", start=date(2030, 1, 1), end=date(2030, 2, 1)
        )
    with pytest.raises(NotAllowed):
        services.period_set_open(actor=world.hr_kes, period=world.period, is_open=False)
    with pytest.raises(NotAllowed):
        services.period_update(actor=world.hr_kes, period=world.period, name="x")
    assert EvaluationPeriod.objects.get(pk=world.period.pk).is_open
    assert not Competency.objects.filter(code__startswith="T.K.").exists()
    services.period_set_open(actor=world.hr, period=world.period, is_open=False)
    assert not EvaluationPeriod.objects.get(pk=world.period.pk).is_open
    assert AccessLog.objects.filter(
        action="update", object_type="kompetensi.evaluationperiod", user=world.hr
    ).exists()


def test_positions_of_a_unit_for_its_hr_city_wide_positions_for_city_wide_hr(world):
    with pytest.raises(NotAllowed):
        services.position_create(actor=world.hr_kes, code="UMUM", name="Umum", kind="pelaksana")
    with pytest.raises(NotAllowed):
        services.position_create(
            actor=world.hr_kes, code="D.X", name="x", kind="pelaksana", unit=world.duk
        )
    with pytest.raises(NotAllowed):
        services.position_set_requirements(
            actor=world.hr_kes, position=world.petugas, requirements=[(world.comm, 1)]
        )
    pos = services.position_create(
        actor=world.hr_kes, code="KES.X", name="x", kind="pelaksana", unit=world.kes
    )
    assert pos.unit == world.kes
    assert services.position_create(actor=world.hr, code="UMUM", name="Umum", kind="pelaksana")
    # Moving a unit's position to another unit needs that unit too (position_save).
    pos.unit = world.duk
    with pytest.raises(NotAllowed):
        services.position_save(actor=world.hr_kes, position=pos)
    assert Position.objects.get(pk=pos.pk).unit == world.kes


# -- evaluations ------------------------------------------------------------------------------------


def test_hr_evaluations_are_scoped_including_finalize(world):
    kw = {"employee": world.staff, "period": world.period, "scores": {world.comm: 3}}
    for source in ("peer", "assessment", "supervisor"):
        with pytest.raises(NotAllowed):
            services.evaluation_save(actor=world.hr_kes, source=source, **kw)
    draft = services.evaluation_save(actor=world.hr, source="assessment", **kw)
    with pytest.raises(NotAllowed):
        services.evaluation_finalize(actor=world.hr_kes, evaluation=draft)
    with pytest.raises(NotAllowed):
        services.evaluation_submit(actor=world.hr_kes, evaluation=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


# -- SKP results and service points ----------------------------------------------------------------


def test_skp_record_and_delete_need_hr_of_the_employee(world):
    kw = {"period": world.period, "hasil_kerja": "di_bawah", "perilaku_kerja": "sesuai"}
    with pytest.raises(NotAllowed):
        services.skp_record(actor=world.hr_kes, employee=world.staff, **kw)
    with pytest.raises(NotAllowed):
        services.skp_record(actor=world.atasan.user, employee=world.staff, **kw)
    assert not SkpResult.objects.exists()
    result = services.skp_record(actor=world.hr, employee=world.staff, **kw)
    world.staff.refresh_from_db()
    assert world.staff.development_review
    with pytest.raises(NotAllowed):
        services.skp_delete(actor=world.hr_kes, result=result)
    assert SkpResult.objects.filter(pk=result.pk).exists()
    services.skp_delete(actor=world.hr, result=result)
    assert not SkpResult.objects.filter(pk=result.pk).exists()
    world.staff.refresh_from_db()
    assert not world.staff.development_review  # no result left: no flag
    assert AccessLog.objects.filter(
        action="delete", object_type="kompetensi.skpresult", employee=world.staff
    ).exists()


def test_service_points_of_units_in_scope(world):
    with pytest.raises(NotAllowed):
        skm_services.service_point_create(
            actor=world.hr_kes, code="duk-ktp", service="KTP-el", unit=world.duk
        )
    point = skm_services.service_point_create(
        actor=world.hr_kes, code="kes-loket", service="Loket", unit=world.kes
    )
    with pytest.raises(NotAllowed):
        skm_services.service_point_update(actor=world.hr_kes, point=point, unit=world.duk)
    assert ServicePoint.objects.get(pk=point.pk).unit == world.kes
    duk_point = skm_services.service_point_create(
        actor=world.hr, code="duk-ktp", service="KTP-el", unit=world.duk
    )
    with pytest.raises(NotAllowed):
        skm_services.service_point_update(actor=world.hr_kes, point=duk_point, service="x")
    with pytest.raises(NotAllowed):
        skm_services.service_point_delete(actor=world.hr_kes, point=duk_point)
    with pytest.raises(InvalidInput):
        skm_services.service_point_create(
            actor=world.hr, code="Bukan Slug", service="x", unit=world.duk
        )
    skm_services.service_point_delete(actor=world.hr_kes, point=point)
    assert not ServicePoint.objects.filter(pk=point.pk).exists()


# -- API ---------------------------------------------------------------------------------------------


def test_api_unit_patch_rename_and_scope(world, api):
    assert api(world.hr_kes).patch("/units/DUK-01", {"name": "x"}).status_code == 404
    assert api(world.staff.user).patch("/units/KES", {"name": "x"}).status_code == 404
    res = api(world.hr_kes).patch("/units/KES", {"name": "Dinkes"})
    assert res.status_code == 403
    assert OrganizationUnit.objects.get(code="KES").name == "Dinas Kesehatan"
    api(world.hr_kes).post("/units", {"code": "KES-01", "name": "P2P", "parent_code": "KES"})
    res = api(world.hr_kes).patch("/units/KES-01", {"name": "Bidang P2P"})
    assert res.status_code == 200
    assert res.json() == {"code": "KES-01", "name": "Bidang P2P", "parent_code": "KES"}
    res = api(world.hr_kes).patch("/units/KES-01", {"name": None})
    assert res.status_code == 422 and "name" in res.json()["detail"]


def test_api_unit_patch_move(world, api):
    a, a1, a2, emp = _tree(world)
    # a unit the officer can't see as new parent: not found; top level: 403
    res = api(world.hr_kes).patch("/units/KES-A1", {"parent_code": "DUK"})
    assert res.status_code == 422 and "parent_code" in res.json()["detail"]
    res = api(world.hr_kes).patch("/units/KES-A1", {"parent_code": None})
    assert res.status_code == 403
    res = api(world.hr).patch("/units/KES-A", {"parent_code": "KES-A2"})
    assert res.status_code == 422 and "parent_code" in res.json()["detail"]
    res = api(world.hr).patch("/units/KES-A", {"parent_code": "NOPE"})
    assert res.status_code == 422
    res = api(world.hr).patch("/units/KES-A", {"parent_code": "DUK"})
    assert res.status_code == 200 and res.json()["parent_code"] == "DUK"
    assert OrganizationUnit.objects.get(code="KES-A2").path == "DUK/KES-A/KES-A1/KES-A2"
    items = api(world.hr).get("/employees", unit_code="KES-A2").json()["items"]
    assert [e["nip"] for e in items] == [emp.nip]
    assert api(world.hr_kes).get(f"/employees/{emp.nip}").status_code == 404


def test_api_unit_create_through_the_service(world, api):
    res = api(world.hr_kes).post("/units", {"code": "TOP", "name": "x"})
    assert res.status_code == 403
    res = api(world.hr_kes).post("/units", {"code": "KES-02", "name": "x", "parent_code": "KES"})
    assert res.status_code == 201
    assert AccessLog.objects.filter(
        action="create", object_type="kompetensi.organizationunit", user=world.hr_kes
    ).exists()


def test_api_framework_writes_are_city_wide(world, api):
    period = {"code": "2030", "name": "x", "start": "2030-01-01", "end": "2030-12-31"}
    assert api(world.hr_kes).post("/periods", period).status_code == 403
    competency = {"code": "T.K.01", "name": "Uji", "kind": "teknis"}
    assert api(world.hr_kes).post("/competencies", competency).status_code == 403
    position = {"code": "UMUM", "name": "Umum", "kind": "pelaksana"}
    assert api(world.hr_kes).post("/positions", position).status_code == 403
    res = api(world.hr_kes).post("/positions", {**position, "unit_code": "DUK"})
    assert res.status_code == 422 and "unit_code" in res.json()["detail"]
    assert not EvaluationPeriod.objects.filter(code="2030").exists()
    assert not Competency.objects.filter(code="T.K.01").exists()
    assert not Position.objects.filter(code="UMUM").exists()
    assert api(world.hr).post("/periods", period).status_code == 201


def test_api_skp_refused_out_of_scope(world, api):
    body = {"period_code": "2026", "hasil_kerja": "sesuai", "perilaku_kerja": "sesuai"}
    url = f"/employees/{world.staff.nip}/skp"
    assert api(world.hr_kes).post(url, body).status_code == 404
    res = api(world.atasan.user).post(url, body)  # sees the report, may not record SKP
    assert res.status_code == 403
    assert not SkpResult.objects.exists()
    assert api(world.hr).post(url, body).status_code == 200


def test_api_employee_patch_decided_by_the_service(world, api):
    url = f"/employees/{world.staff.nip}"
    res = api(world.staff.user).patch(url, {"name": "Saya Sendiri"})
    assert res.status_code == 403
    res = api(world.hr_kes).patch(f"/employees/{world.other.nip}", {"unit_code": "DUK-01"})
    assert res.status_code == 422 and "unit_code" in res.json()["detail"]
    assert Employee.objects.get(pk=world.other.pk).unit == world.kes


# -- API: HR scopes -----------------------------------------------------------------------------------


def test_api_hr_scopes_grant_list_revoke(world, api):
    res = api(world.hr).post("/hr-scopes", {"username": "luar", "unit_code": "DUK"})
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["username"] == "luar" and body["unit_code"] == "DUK"
    grant = AccessLog.objects.get(action="grant", object_type="kompetensi.hrscope")
    assert grant.user == world.hr and "luar" in grant.detail and "DUK" in grant.detail
    assert world.outsider.groups.filter(name="BKPSDM").exists()
    # the new officer now administers DUK and its sub-units, through the API too
    luar = world.outsider.__class__.objects.get(pk=world.outsider.pk)
    assert api(luar).get(f"/employees/{world.staff.nip}").status_code == 200
    again = api(world.hr).post("/hr-scopes", {"username": "luar", "unit_code": "DUK"})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert HrScope.objects.filter(user=world.outsider).count() == 1
    res = api(world.hr).post("/hr-scopes", {"username": "luar", "unit_code": None})
    assert res.status_code == 201 and res.json()["unit_code"] is None
    listing = api(world.hr).get("/hr-scopes", username="luar").json()
    assert listing["count"] == 2
    assert {i["unit_code"] for i in listing["items"]} == {"DUK", None}
    everyone = api(world.hr).get("/hr-scopes").json()
    assert {(i["username"], i["unit_code"]) for i in everyone["items"]} >= {
        ("hr", None),
        ("hr_kes", "KES"),
    }
    as_hr = api(world.hr)
    client, headers = as_hr.client, as_hr.headers
    res = client.delete(f"/api/v1/hr-scopes/{body['id']}", **headers)
    assert res.status_code == 204
    assert not HrScope.objects.filter(pk=body["id"]).exists()
    revoke = AccessLog.objects.get(action="revoke_permission", object_type="kompetensi.hrscope")
    assert revoke.user == world.hr and "DUK" in revoke.detail
    assert client.delete(f"/api/v1/hr-scopes/{body['id']}", **headers).status_code == 404
    assert client.delete(f"/api/v1/hr-scopes/{2**70}", **headers).status_code == 404


def test_api_hr_scopes_errors(world, api):
    res = api(world.hr).post("/hr-scopes", {"username": "tidak-ada", "unit_code": "DUK"})
    assert res.status_code == 422 and "username" in res.json()["detail"]
    res = api(world.hr).post("/hr-scopes", {"username": "luar", "unit_code": "NOPE"})
    assert res.status_code == 422 and "unit_code" in res.json()["detail"]
    res = api(world.hr).post("/hr-scopes", {"unit_code": "DUK"})
    assert res.status_code == 422
    assert not HrScope.objects.filter(user=world.outsider).exists()


@pytest.mark.parametrize("who", ["hr_kes", "staff", "no_scope"])
def test_api_hr_scopes_for_city_wide_only(world, api, no_scope, who):
    user = {"hr_kes": world.hr_kes, "staff": world.staff.user, "no_scope": no_scope}[who]
    client = api(user)
    assert client.get("/hr-scopes").status_code == 403
    res = client.post("/hr-scopes", {"username": user.username, "unit_code": None})
    assert res.status_code == 403
    scope = HrScope.objects.get(user=world.hr_kes)
    assert (
        client.client.delete(f"/api/v1/hr-scopes/{scope.pk}", **client.headers).status_code == 403
    )
    assert HrScope.objects.filter(pk=scope.pk).exists()
    assert not HrScope.objects.filter(user=user, unit__isnull=True).exists()
    assert api().get("/hr-scopes").status_code == 401


# -- HTML views ----------------------------------------------------------------------------------------


def test_periods_page_city_wide_only_for_writes(world, client):
    client.force_login(world.hr_kes)
    res = client.get("/sdm/periode/")
    assert res.status_code == 200
    html = res.content.decode()
    assert "Periode 2026" in html and "Buka periode baru" not in html
    assert "/sdm/periode/2026/status/" not in html
    res = client.post(
        "/sdm/periode/",
        {"code": "2031", "name": "x", "start": "2031-01-01", "end": "2031-12-31"},
    )
    assert res.status_code == 403
    assert not EvaluationPeriod.objects.filter(code="2031").exists()
    assert (
        client.post("/sdm/periode/2026/status/", {"open": "0", "confirmed": "1"}).status_code == 403
    )
    assert EvaluationPeriod.objects.get(code="2026").is_open
    client.force_login(world.hr)
    assert (
        client.post("/sdm/periode/2026/status/", {"open": "0", "confirmed": "1"}).status_code == 302
    )
    assert not EvaluationPeriod.objects.get(code="2026").is_open


def test_peer_ratings_page_hidden_from_officer_without_scope(world, client, no_scope):
    client.force_login(no_scope)
    assert client.get(f"/sdm/penilaian-rekan/{world.other.nip}/").status_code == 404
    client.force_login(world.hr_kes)
    assert client.get(f"/sdm/penilaian-rekan/{world.other.nip}/").status_code == 200
    assert client.get(f"/sdm/penilaian-rekan/{world.staff.nip}/").status_code == 404
