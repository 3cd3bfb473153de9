"""The kompetensi endpoints of API.md: scoping, status codes, error bodies, query counts."""

import pytest

from kompetensi import services
from kompetensi.models import Employee, EvaluationPeriod, OrganizationUnit


def _hr_kes_sees(world, api):
    return api(world.hr_kes)


# -- units, competencies, positions, periods ------------------------------------------------------


def test_units(world, api):
    res = api(world.hr).get("/units")
    assert res.status_code == 200
    assert {u["code"] for u in res.json()["items"]} == {"DUK", "DUK-01", "KES"}
    assert [u["code"] for u in api(world.hr_kes).get("/units").json()["items"]] == ["KES"]
    assert api(world.staff.user).get("/units").status_code == 403
    assert api().get("/units").status_code == 401
    res = api(world.hr).post(
        "/units", {"code": "KES-01", "name": "Bidang P2P", "parent_code": "KES"}
    )
    assert res.status_code == 201 and res.json()["parent_code"] == "KES"
    assert api(world.hr).post("/units", {"code": "KES-01", "name": "x"}).status_code == 409
    res = api(world.hr_kes).post("/units", {"code": "DUK-09", "name": "x", "parent_code": "DUK"})
    assert res.status_code == 422 and "parent_code" in res.json()["detail"]
    assert api(world.staff.user).post("/units", {"code": "Z", "name": "Z"}).status_code == 403


def test_competencies(world, api):
    res = api(world.staff.user).get("/competencies")
    assert res.status_code == 200 and res.json()["count"] == 3
    assert [lv["level"] for lv in res.json()["items"][0]["levels"]] == [1, 2, 3, 4, 5]
    body = {
        "code": "T.X.01",
        "name": "Uji",
        "kind": "teknis",
        "levels": [{"level": 1, "description": "dasar"}],
    }
    assert api(world.staff.user).post("/competencies", body).status_code == 403
    assert api(world.hr).post("/competencies", body).status_code == 201
    assert api(world.hr).post("/competencies", body).status_code == 409
    res = api(world.hr).post("/competencies", {**body, "code": "T.X.02", "kind": "lain"})
    assert res.status_code == 422 and "kind" in res.json()["detail"]


def test_positions(world, api):
    res = api(world.hr).get("/positions")
    assert res.status_code == 200
    petugas = next(p for p in res.json()["items"] if p["code"] == "DUK.PETUGAS")
    assert {"competency_code": "M.3", "level": 3} in petugas["requirements"]
    assert api(world.staff.user).get("/positions").status_code == 403
    body = {
        "code": "KES.EPID",
        "name": "Epidemiolog",
        "kind": "fungsional",
        "unit_code": "KES",
        "requirements": [{"competency_code": "M.3", "level": 2}],
    }
    res = api(world.hr).post("/positions", body)
    assert res.status_code == 201 and res.json()["requirements"] == body["requirements"]
    res = api(world.hr).post(
        "/positions",
        {**body, "code": "KES.B", "requirements": [{"competency_code": "NOPE", "level": 2}]},
    )
    assert res.status_code == 422 and "competency_code" in res.json()["detail"]
    res = api(world.hr).post(
        "/positions",
        {**body, "code": "KES.C", "requirements": [{"competency_code": "M.3", "level": 7}]},
    )
    assert res.status_code == 422 and "level" in res.json()["detail"]


def test_periods(world, api):
    body = {"code": "2027", "name": "Periode 2027", "start": "2027-01-01", "end": "2027-12-31"}
    assert api(world.staff.user).post("/periods", body).status_code == 403
    assert api(world.hr).post("/periods", body).status_code == 201
    assert api(world.hr).post("/periods", body).status_code == 409
    res = api(world.hr).post("/periods", {**body, "code": "2028", "end": "2026-01-01"})
    assert res.status_code == 422 and "end" in res.json()["detail"]
    assert not EvaluationPeriod.objects.filter(code="2028").exists()


# -- employees ------------------------------------------------------------------------------------


def test_employee_create_and_errors(world, api):
    body = {
        "nip": "196903091994032001",
        "name": "Dra. Sri Lestari",
        "email": "sri@example.go.id",
        "employee_type": "PNS",
        "unit_code": "KES",
        "rank": "IV/a",
        "supervisor_nip": world.other.nip,
    }
    res = api(world.hr_kes).post("/employees", body)
    assert res.status_code == 201, res.json()
    assert res.json()["supervisor_nip"] == world.other.nip
    emp = Employee.objects.get(nip=body["nip"])
    assert emp.user.username == body["nip"] and not emp.user.has_usable_password()
    res = api(world.hr).post("/employees", body)
    assert res.status_code == 409 and "NIP" in res.json()["detail"]
    res = api(world.hr).post("/employees", {**body, "nip": "198502302010012003"})
    assert res.status_code == 422
    assert res.json()["detail"] == "Kolom 'nip': tanggal lahir pada NIP tidak valid."
    res = api(world.hr).post("/employees", {**body, "nip": "198704212012021002", "rank": "V/z"})
    assert res.status_code == 422 and "rank" in res.json()["detail"]
    res = api(world.hr_kes).post(
        "/employees", {**body, "nip": "198704212012021002", "unit_code": "DUK"}
    )
    assert res.status_code == 422 and "unit_code" in res.json()["detail"]
    res = api(world.hr).post("/employees", {"nip": "198704212012021002"})
    assert res.status_code == 422 and "name" in res.json()["detail"]
    assert not Employee.objects.filter(nip="198704212012021002").exists()
    assert api(world.staff.user).post("/employees", body).status_code == 403


def test_employee_scoping(world, api):
    staff = world.staff.nip
    assert api(world.hr).get(f"/employees/{staff}").status_code == 200
    assert api(world.hr_kes).get(f"/employees/{staff}").status_code == 404
    assert api(world.hr_kes).get(f"/employees/{world.other.nip}").status_code == 200
    assert api(world.staff.user).get(f"/employees/{staff}").json()["rank"] == "III/a"
    assert api(world.staff.user).get(f"/employees/{world.atasan.nip}").status_code == 404
    assert api(world.atasan.user).get(f"/employees/{staff}").status_code == 200
    assert api(world.outsider).get(f"/employees/{staff}").status_code == 404
    assert api(world.hr).get("/employees/000000000000000000").status_code == 404
    items = api(world.hr_kes).get("/employees").json()["items"]
    assert [e["nip"] for e in items] == [world.other.nip]
    assert api(world.hr).get("/employees").json()["count"] == 3
    assert api(world.staff.user).get("/employees").status_code == 403


def test_employee_patch(world, api):
    url = f"/employees/{world.staff.nip}"
    res = api(world.hr).patch(url, {"rank": "III/b", "name": "Rizki M."})
    assert res.status_code == 200 and res.json()["rank"] == "III/b"
    assert api(world.staff.user).patch(url, {"rank": "IV/e"}).status_code == 403
    assert api(world.hr_kes).patch(url, {"rank": "IV/e"}).status_code == 404
    res = api(world.hr).patch(f"/employees/{world.atasan.nip}", {"supervisor_nip": world.staff.nip})
    assert res.status_code == 422
    assert res.json()["detail"].startswith("Kolom 'supervisor_nip'")
    assert "melingkar" in res.json()["detail"]
    res = api(world.hr).patch(url, {"position_code": "DUK.KASI"})
    assert res.json()["position_code"] == "DUK.KASI"


# -- evaluations, profile, summary, SKP --------------------------------------------------------------


def _eval(world, nip=None, **kw):
    return {
        "employee_nip": nip or world.staff.nip,
        "period_code": "2026",
        "source": "supervisor",
        "scores": [{"competency_code": "M.3", "level": 2}],
        "finalize": True,
        **kw,
    }


def test_evaluation_rules(world, api):
    staff, atasan = world.staff.user, world.atasan.user
    assert api(staff).post("/evaluations", _eval(world)).status_code == 403
    assert api(world.outsider).post("/evaluations", _eval(world)).status_code == 404
    assert api(world.hr_kes).post("/evaluations", _eval(world)).status_code == 404
    assert api(atasan).post("/evaluations", _eval(world, source="self")).status_code == 403
    assert api(atasan).post("/evaluations", _eval(world, source="peer")).status_code == 403
    res = api(atasan).post(
        "/evaluations", _eval(world, scores=[{"competency_code": "M.3", "level": 6}])
    )
    assert res.status_code == 422 and "level" in res.json()["detail"]
    res = api(atasan).post("/evaluations", _eval(world, period_code="1999"))
    assert res.status_code == 422 and "period_code" in res.json()["detail"]
    res = api(atasan).post("/evaluations", _eval(world, source="boss"))
    assert res.status_code == 422 and "source" in res.json()["detail"]
    res = api(atasan).post("/evaluations", _eval(world))
    assert res.status_code == 201 and res.json()["status"] == "final"
    assert api(atasan).post("/evaluations", _eval(world)).status_code == 409
    res = api(staff).post("/evaluations", _eval(world, source="self", finalize=False))
    assert res.status_code == 201 and res.json()["status"] == "draft"
    assert api(world.hr).post("/evaluations", _eval(world, source="assessment")).status_code == 201
    services.period_set_open(actor=world.hr, period=world.period, is_open=False)
    res = api(world.hr).post("/evaluations", _eval(world, source="peer"))
    assert res.status_code == 409 and "ditutup" in res.json()["detail"]


def test_competencies_and_summary(world, api):
    api(world.atasan.user).post("/evaluations", _eval(world))
    url = f"/employees/{world.staff.nip}/competencies"
    res = api(world.staff.user).get(url)
    assert res.status_code == 200
    rows = {r["competency_code"]: r for r in res.json()}
    assert rows["M.3"]["gap"] == 1 and rows["M.3"]["source"] == "supervisor"
    assert rows["M.3"]["as_of"]
    assert rows["M.5"]["assessed_level"] is None and rows["M.5"]["gap"] is None
    assert api(world.atasan.user).get(url).status_code == 200
    assert api(world.hr).get(url).status_code == 200
    assert api(world.hr_kes).get(url).status_code == 404
    assert api(world.outsider).get(url).status_code == 404
    summary = api(world.staff.user).get(f"/employees/{world.staff.nip}/summary").json()
    assert summary == {
        "jpm": None,
        "ikk": None,
        "jpm_category": None,
        "jp_this_year": 0,
        "jp_target": 20,
        "open_needs": 0,
        "skp": None,
    }
    api(world.hr).post(
        "/evaluations",
        _eval(
            world,
            source="assessment",
            scores=[
                {"competency_code": "M.5", "level": 2},
                {"competency_code": "T.DUK.01", "level": 1},
            ],
        ),
    )
    summary = api(world.hr).get(f"/employees/{world.staff.nip}/summary").json()
    # min(2/3,1), min(2/2,1), min(1/2,1) → mean 0.7222 → 72.22
    assert summary["jpm"] == 72.22 and summary["ikk"] == 27.78
    assert summary["jpm_category"] == "Masih Memenuhi Syarat"
    assert api(world.outsider).get(f"/employees/{world.staff.nip}/summary").status_code == 404


def test_summary_providers(world, api):
    from core import hooks

    def provider(employee):
        return {"jp_this_year": 12, "open_needs": 2}

    hooks.register(hooks.EMPLOYEE_SUMMARY, provider)
    try:
        res = api(world.staff.user).get(f"/employees/{world.staff.nip}/summary").json()
    finally:
        hooks.unregister(hooks.EMPLOYEE_SUMMARY, provider)
    assert provider not in hooks.get_hooks(hooks.EMPLOYEE_SUMMARY)
    assert res["jp_this_year"] == 12 and res["open_needs"] == 2


def test_skp(world, api):
    url = f"/employees/{world.staff.nip}/skp"
    body = {"period_code": "2026", "hasil_kerja": "di_atas", "perilaku_kerja": "sesuai"}
    res = api(world.hr).post(url, body)
    assert res.status_code == 200 and res.json() == {"predicate": "Baik"}
    res = api(world.hr).post(url, {**body, "perilaku_kerja": "di_bawah"})
    assert res.json() == {"predicate": "Kurang/Misconduct"}
    world.staff.refresh_from_db()
    assert world.staff.development_review
    skp = api(world.hr).get(f"/employees/{world.staff.nip}/summary").json()["skp"]
    assert skp == {
        "period_code": "2026",
        "hasil_kerja": "di_atas",
        "perilaku_kerja": "di_bawah",
        "predicate": "Kurang/Misconduct",
    }
    res = api(world.hr).post(url, {**body, "hasil_kerja": "bagus"})
    assert res.status_code == 422 and "hasil_kerja" in res.json()["detail"]
    assert api(world.staff.user).post(url, body).status_code == 403
    assert api(world.hr_kes).post(url, body).status_code == 404
    assert api(world.outsider).post(url, body).status_code == 404


# -- query counts ---------------------------------------------------------------------------------


def _bulk_employees(world, count):
    import random

    from demo.seeds.kompetensi import make_nip

    rng = random.Random(count)
    Employee.objects.bulk_create(
        Employee(
            nip=make_nip(rng, female=bool(i % 2), sequence=i),
            name=f"Pegawai {i:05d}",
            unit=world.duk1 if i % 2 else world.kes,
            position=world.petugas,
            rank="III/a",
            supervisor=world.atasan,
        )
        for i in range(count)
    )
    services.profile_recompute()


@pytest.mark.parametrize("count", [10, 1000])
def test_employee_list_query_count(world, api, count, django_assert_max_num_queries):
    _bulk_employees(world, count)
    client = api(world.hr)
    with django_assert_max_num_queries(8):
        res = client.get("/employees", limit=500)
    assert res.status_code == 200 and len(res.json()["items"]) == min(count + 3, 500)
    assert all(e["unit_code"] for e in res.json()["items"])


def test_unit_parent_code_resolves(world):
    assert OrganizationUnit.objects.get(code="DUK-01").parent.code == "DUK"


def test_the_predicate_enum_of_the_document_is_the_rules_list():
    """The OpenAPI enum of ``predicate`` cannot drift from the predicates the rules compute."""
    from typing import get_args

    from kompetensi import rules
    from kompetensi.api.profile import Predicate

    assert get_args(Predicate) == rules.SKP_PREDICATES
