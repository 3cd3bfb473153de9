"""HR dashboards (/sdm/), their exports and the unit report API, against the hand-built
dataset of test_reports_data (expected numbers worked out by hand in each test)."""

import csv
import io
import json
from decimal import Decimal
from unittest import mock

import pytest

from kompetensi import rules
from reports.exports import csv_bytes, safe_cell
from reports.selectors.dashboard import (
    assignments_by_state,
    certificates_issued,
    competency_gaps,
    employee_kpis,
    unit_breakdown,
)
from reports.selectors.effectiveness import effectiveness
from reports.selectors.employee import evaluation_history
from reports.selectors.scope import Scope
from reports.selectors.skm import employee_feedback, ikm_by_group
from reports.selectors.training_history import KIND_TO_JENIS, RIWAYAT_KURSUS_FIELDS
from reports.selectors.unit import employee_list

from .test_data import NIPS, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def hr(make_user):
    return make_user("hr-kota", "BKPSDM")


@pytest.fixture
def hr_dinkes(make_user, world):
    user = make_user("hr-dinkes", "BKPSDM", hr_units=[world.units["A"]])
    return user


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def city():
    return Scope(paths=None)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


def test_city_kpis(world):
    k = employee_kpis(city(), year=world.year, period=world.periods["cur"])
    # Active: e1..e4 (e5 inactive). Assessed (any level): e1, e2, e4. Gap: e1, e2, e4.
    # JP this year: e1 12+8=20 ✓, e2 10, e3 0, e4 25 ✓ → 2 of 4.
    # Flags: e2 weak SKP, e3 review flag.
    assert k["total"] == 4
    assert k["assessed"] == 3 and k["assessed_pct"] == Decimal("75.0")
    assert k["with_gap"] == 3
    assert k["jp_compliant"] == 2 and k["jp_compliant_pct"] == Decimal("50.0")
    assert k["jp_total"] == 20 + 10 + 0 + 25
    assert (k["flagged"], k["weak_skp"], k["dev_review"]) == (2, 1, 1)


def test_city_competency_gaps(world):
    gaps = competency_gaps(city())
    # M.1: required e1,e2,e3,e4; assessed e1,e2,e4; gaps 1,2,1 → mean 4/3.
    # T.1: required e1,e2; assessed e1; no gap. SK.1 is nobody's requirement.
    assert [g["code"] for g in gaps] == ["M.1", "T.1"]
    m1, t1 = gaps
    assert (m1["required"], m1["assessed"], m1["with_gap"]) == (4, 3, 3)
    assert m1["mean_gap"] == Decimal("1.33")
    assert (t1["required"], t1["assessed"], t1["with_gap"], t1["mean_gap"]) == (2, 1, 0, None)


def test_assignments_and_certificates(world):
    today = rules.jakarta_today()
    data = assignments_by_state(city(), today=today)
    counts = {s["status"]: (s["count"], s["overdue"]) for s in data["states"]}
    # a1,a4,a8,a9 certified; a2,a3 completed; a5 assigned (due yesterday); a6 in progress
    # (due tomorrow); a7 cancelled. a9 belongs to the inactive e5 but is still an assignment.
    assert counts == {
        "recommended": (0, 0),
        "assigned": (1, 1),
        "in_progress": (1, 0),
        "completed": (2, 0),
        "certified": (4, 0),
        "cancelled": (1, 0),
        "withdrawn": (0, 0),
    }
    assert (data["total"], data["overdue"]) == (9, 1)
    # Certificates: a1 (Y), a4 (Y-1), a8 (Y).
    assert certificates_issued(city(), year=world.year)["issued"] == 2


def test_ikm_by_root_unit(world):
    ikm = ikm_by_group(city(), period=world.periods["cur"])
    # DINKES (from DINKES-P): answers all 4 and all 3 → NRR 3.5 → 87.50, B.
    # DISDUK: one response all 2 → 50.00, D. City: (4+3+2)/3 = 3 → 75.00, C.
    assert ikm["DINKES"].responses == 2
    assert ikm["DINKES"].ikm_unit_display == Decimal("87.50")
    assert ikm["DINKES"].category == "B"
    assert (ikm["DISDUK"].ikm_unit_display, ikm["DISDUK"].category) == (Decimal("50.00"), "D")
    assert (ikm["__all__"].ikm_unit_display, ikm["__all__"].category) == (Decimal("75.00"), "C")


def test_unit_breakdown_city_and_unit(world):
    period = world.periods["cur"]
    rows = {r["code"]: r for r in unit_breakdown(city(), year=world.year, period=period)}
    assert set(rows) == {"DINKES", "DISDUK"}
    assert (rows["DINKES"]["total"], rows["DINKES"]["jp_compliant"]) == (3, 1)
    assert rows["DINKES"]["flagged"] == 2 and rows["DINKES"]["ikm"] == Decimal("87.50")
    assert (rows["DISDUK"]["total"], rows["DISDUK"]["jp_compliant"]) == (1, 1)
    unit_scope = Scope.for_unit(world.units["A"])
    rows = {r["code"]: r for r in unit_breakdown(unit_scope, year=world.year, period=period)}
    # The unit itself (e1) and its sub-unit DINKES-P (e2, e3, and the feedback).
    assert rows["DINKES"]["is_self"] and rows["DINKES"]["total"] == 1
    assert rows["DINKES-P"]["total"] == 2 and rows["DINKES-P"]["ikm_responses"] == 2


def test_unit_scope_numbers(world):
    scope = Scope.for_unit(world.units["A"])
    k = employee_kpis(scope, year=world.year, period=world.periods["cur"])
    assert (k["total"], k["assessed"], k["with_gap"], k["jp_compliant"]) == (3, 2, 2, 1)
    m1 = competency_gaps(scope)[0]
    assert (m1["required"], m1["assessed"], m1["with_gap"], m1["mean_gap"]) == (
        3,
        2,
        2,
        Decimal("1.50"),
    )


def test_employee_list_sorts_by_gap_and_jp(world):
    scope = Scope.for_unit(world.units["A"])
    kw = {"year": world.year, "period": world.periods["cur"]}
    by_gap = list(employee_list(scope, sort="gap", **kw))
    assert [e.nip for e in by_gap] == [NIPS["e2"], NIPS["e1"], NIPS["e3"]]
    assert [(e.gap_total, e.gap_count) for e in by_gap] == [(2, 1), (1, 1), (0, 0)]
    by_jp = list(employee_list(scope, sort="jp", **kw))
    assert [e.jp_year for e in by_jp] == [0, 10, 20]
    assert [e.jp_year for e in employee_list(scope, sort="-jp", **kw)] == [20, 10, 0]


def test_evaluation_history_uses_the_authoritative_source(world):
    hist = evaluation_history(world.emps["e1"])
    assert [p["code"] for p in hist["periods"]] == [str(world.year - 1), str(world.year)]
    rows = {r["code"]: r for r in hist["rows"]}
    # M.1: Y-1 supervisor 1 (self 3 shown beside); Y assessment 2 beats supervisor 3 → +1.
    assert [v["level"] for v in rows["M.1"]["values"]] == [1, 2]
    assert rows["M.1"]["values"][0]["self"] == 3
    assert rows["M.1"]["values"][1]["source"] == "assessment"
    assert rows["M.1"]["change"] == 1
    # T.1: peers 2 and 3 → median 2.5 rounded down = 2; the draft self 5 is ignored.
    assert [v["level"] for v in rows["T.1"]["values"]] == [None, 2]
    assert rows["T.1"]["values"][1]["self"] is None


def test_effectiveness_per_module_and_competency(world):
    data = effectiveness(city(), period=None)
    # Needs with a completed/certified assignment: n1 (e1 M.1, X, closed), n2 (e2 M.1, X,
    # addressed), n3 (e4 M.1, X, closed), n4 (e2 T.1, Y, closed). n5 (in progress) is out.
    modules = {r["name"]: r for r in data["modules"]}
    x = modules["Integritas dalam Pelayanan"]
    assert (x["needs"], x["closed"], x["pending"], x["share"]) == (3, 2, 1, Decimal("66.7"))
    y = modules["Pengelolaan Data Dasar"]
    assert (y["needs"], y["closed"], y["share"]) == (1, 1, Decimal("100.0"))
    comps = {r["code"]: r for r in data["competencies"]}
    assert (comps["M.1"]["needs"], comps["M.1"]["closed"]) == (3, 2)
    assert (comps["T.1"]["needs"], comps["T.1"]["closed"]) == (1, 1)
    assert (data["needs"], data["closed"], data["share"]) == (4, 3, Decimal("75.0"))
    # Needs of the current period only: n5 has no completed training → nothing.
    assert effectiveness(city(), period=world.periods["cur"])["needs"] == 0


def test_employee_feedback_only_in_aggregate_from_five(world):
    e1 = employee_feedback(world.emps["e1"], period=world.periods["prev"])
    assert e1["all"]["shown"] and e1["all"]["responses"] == 5
    assert e1["all"]["ikm"].ikm_unit_display == Decimal("100.00")
    e2 = employee_feedback(world.emps["e2"], period=world.periods["prev"])
    assert e2["period"] == {"responses": 4, "shown": False, "ikm": None}


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def test_overview_page_shows_numbers_and_charts(world, hr_client):
    r = hr_client.get("/sdm/", {"period": str(world.year)})
    assert r.status_code == 200
    html = r.content.decode()
    assert r.context["dash"]["kpis"]["total"] == 4
    assert 'role="img"' in html and "<title" in html
    assert "style=" not in html.split("<main", 1)[1]
    assert "Integritas" in html and "Dinas Kependudukan" in html
    assert "/sdm/unit/DINKES/" in html


def test_unit_page_lists_employees_sorted(world, hr_client):
    r = hr_client.get("/sdm/unit/DINKES/", {"urut": "jp"})
    assert r.status_code == 200
    names = [row["name"] for row in r.context["people"]["employee_table"].rows]
    assert names == ["=CMD|' /C calc'!A0", "Budi Santoso", "Siti Aminah"]
    assert f"/sdm/pegawai/{NIPS['e2']}/" in r.content.decode()


def test_employee_page(world, hr_client):
    r = hr_client.get(f"/sdm/pegawai/{NIPS['e1']}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "19850315 201001 2 003" in html
    assert "Gap tertutup" in html  # need n1 status
    assert r.context["me"]["jp_this_year"] == 20
    from core.models import AccessLog

    log = AccessLog.objects.get(employee=world.emps["e1"], action="hr_development_history_view")
    assert log.action == "hr_development_history_view" and log.user.username == "hr-kota"
    # Hidden feedback for e2 (4 responses): no IKM figure, only the count.
    r2 = hr_client.get(f"/sdm/pegawai/{NIPS['e2']}/", {"period": str(world.year - 1)})
    assert not r2.context["me"]["feedback"]["period"]["shown"]
    assert r2.context["me"]["weak_skp"] is False  # e2's weak SKP is of period Y, not Y-1
    r3 = hr_client.get(f"/sdm/pegawai/{NIPS['e2']}/", {"period": str(world.year)})
    assert r3.context["me"]["weak_skp"] is True
    assert r2.status_code == 200


def test_effectiveness_page(world, hr_client):
    r = hr_client.get("/sdm/efektivitas/")
    assert r.status_code == 200
    assert r.context["data"]["share"] == Decimal("75.0")


# ---------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62", "'+62"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Budi", "Budi"),
        (-2, -2),
        (None, ""),
    ],
)
def test_safe_cell_escapes_formulas(value, expected):
    assert safe_cell(value) == expected


def test_table_csv_export(world, hr_client):
    r = hr_client.get("/sdm/", {"ekspor": "kesenjangan", "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0] == [
        "Kode",
        "Kompetensi",
        "Pegawai dengan standar",
        "Sudah dinilai",
        "Pegawai dengan gap",
        "Rata-rata gap",
    ]
    assert rows[1] == ["M.1", "Integritas", "4", "3", "3", "1.33"]


def test_table_xlsx_export_escapes_formulas(world, hr_client):
    from openpyxl import load_workbook

    r = hr_client.get("/sdm/", {"ekspor": "tinjauan", "format": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Nama",
        "Total gap",
        "JP tahun ini",
        "Predikat SKP",
        "Tanda tinjauan",
        "NIP",
        "Unit",
        "Jabatan",
    )
    names = {row[0] for row in rows[1:]}
    assert names == {"'=CMD|' /C calc'!A0", "Budi Santoso"}
    nips = {row[5] for row in rows[1:]}
    assert NIPS["e2"] in nips  # a text cell, not a number that loses digits
    csv_r = hr_client.get("/sdm/", {"ekspor": "tinjauan", "format": "csv"})
    assert "'=CMD|' /C calc'!A0" in csv_r.content.decode()


def test_employee_list_export_has_all_rows(world, hr_client):
    r = hr_client.get("/sdm/unit/DINKES/", {"ekspor": "pegawai", "format": "csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0][:2] == ["Nama", "Total gap"] and len(rows) == 4
    assert rows[1][:2] == ["Budi Santoso", "2"] and rows[1][5] == NIPS["e2"]


def test_unknown_export_table_is_404_and_bad_format_400(world, hr_client):
    assert hr_client.get("/sdm/", {"ekspor": "nope"}).status_code == 404
    assert hr_client.get("/sdm/", {"ekspor": "unit", "format": "exe"}).status_code == 400


def test_training_history_json_fields(world, hr_client):
    y = world.year
    r = hr_client.get("/sdm/ekspor/riwayat-kursus/", {"period": str(y), "format": "json"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    records = json.loads(r.content)
    # Certified with a certificate, completed in Y: a1 (e1, module X) and a8 (e4, X).
    assert [rec["nipBaru"] for rec in records] == [NIPS["e1"], NIPS["e4"]]
    first = records[0]
    assert list(first) == [
        "nipBaru",
        "namaKursus",
        "jenisKursus",
        "jumlahJam",
        "tahunKursus",
        "tanggalKursus",
        "tanggalSelesaiKursus",
        "nomorSertipikat",
        "institusiPenyelenggara",
    ]
    assert first == {
        "nipBaru": NIPS["e1"],
        "namaKursus": "Integritas dalam Pelayanan",
        "jenisKursus": "manajerial",
        "jumlahJam": 12,
        "tahunKursus": y,
        "tanggalKursus": f"01-03-{y}",
        "tanggalSelesaiKursus": f"15-03-{y}",
        "nomorSertipikat": f"00001/SIKAP/{y}",
        "institusiPenyelenggara": "BKPSDM Kota Serang",
    }


def test_training_history_csv_and_kind_mapping(world, hr_client):
    y = world.year - 1
    r = hr_client.get("/sdm/ekspor/riwayat-kursus/", {"period": str(y), "format": "csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0] == list(RIWAYAT_KURSUS_FIELDS)
    # a4: e2, module Y whose main competency is T.1 → teknis.
    assert rows[1][:5] == [NIPS["e2"], "Pengelolaan Data Dasar", "teknis", "30", str(y)]
    assert rows[1][6] == f"09-09-{y}"
    assert len(rows) == 2
    assert (
        hr_client.get("/sdm/ekspor/riwayat-kursus/", {"period": "xx", "format": "csv"})
    ).status_code == 400
    assert (
        hr_client.get("/sdm/ekspor/riwayat-kursus/", {"period": str(y), "format": "xml"})
    ).status_code == 400


def test_sosial_kultural_maps_to_manajerial():
    assert KIND_TO_JENIS["sosial_kultural"] == "manajerial"


def test_csv_bytes_header_is_escaped_too():
    assert csv_bytes(["=a"], [["b"]]).decode().splitlines() == ["'=a", "b"]


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/sdm/unit/DINKES/", f"/sdm/pegawai/{NIPS['e1']}/"])
def test_pdf_report_is_rendered_with_charts(world, hr_client, path):
    with mock.patch("core.pdf.render_html_pdf", return_value=b"%PDF-1.7 fake") as render:
        r = hr_client.get(path, {"format": "pdf"})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content == b"%PDF-1.7 fake"
    html = render.call_args.args[0]
    assert "<svg" in html and 'role="img"' in html
    assert render.call_args.kwargs == {"stylesheet": "report"}


@pytest.mark.slow
def test_real_pdf_of_a_unit(world, hr_client):
    r = hr_client.get("/sdm/unit/DINKES/", {"format": "pdf"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


# ---------------------------------------------------------------------------------------------
# Access and scoping
# ---------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_and_non_hr_is_forbidden(world, client, make_user):
    r = client.get("/sdm/")
    assert r.status_code == 302 and "/masuk/" in r["Location"]
    client.force_login(make_user("pegawai", "ASN"))
    for path in (
        "/sdm/",
        "/sdm/unit/DINKES/",
        f"/sdm/pegawai/{NIPS['e1']}/",
        "/sdm/efektivitas/",
        "/sdm/ekspor/riwayat-kursus/?format=json",
    ):
        assert client.get(path).status_code == 403, path


def test_scoped_hr_sees_only_their_units(world, client, hr_dinkes):
    client.force_login(hr_dinkes)
    r = client.get("/sdm/")
    assert r.status_code == 200
    html = r.content.decode()
    assert r.context["dash"]["kpis"]["total"] == 3
    assert "Dinas Kependudukan" not in html and "Dewi Lestari" not in html
    assert [u["code"] for u in r.context["dash"]["unit_table"].rows] == ["DINKES"]
    assert r.context["dash"]["ikm_all"].responses == 2
    assert r.context["dash"]["certs"]["issued"] == 1
    assert client.get("/sdm/unit/DISDUK/").status_code == 404
    assert client.get(f"/sdm/pegawai/{NIPS['e4']}/").status_code == 404
    assert client.get("/sdm/unit/DINKES-P/").status_code == 200
    assert client.get(f"/sdm/pegawai/{NIPS['e2']}/").status_code == 200
    export = client.get("/sdm/ekspor/riwayat-kursus/", {"format": "json"})
    assert NIPS["e4"] not in export.content.decode()
    eff = client.get("/sdm/efektivitas/").context["data"]
    assert (eff["needs"], eff["closed"]) == (3, 2)  # n1, n2, n4 — not e4's n3
    csv_r = client.get("/sdm/", {"ekspor": "unit", "format": "csv"}).content.decode()
    assert "Kependudukan" not in csv_r


def test_scoped_hr_of_a_sub_unit_cannot_see_the_parent(world, make_user, client):
    user = make_user("hr-pelayanan", "BKPSDM", hr_units=[world.units["A1"]])
    client.force_login(user)
    assert client.get("/sdm/unit/DINKES/").status_code == 404
    assert client.get(f"/sdm/pegawai/{NIPS['e1']}/").status_code == 404
    assert client.get("/sdm/").context["kpis"]["total"] == 2


# ---------------------------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------------------------


def test_api_unit_report(world, api, hr):
    r = api(hr).get("/units/DINKES/report", period=str(world.year))
    assert r.status_code == 200
    body = r.json()
    assert body["unit"] == {"code": "DINKES", "name": "Dinas Kesehatan"}
    assert body["period"]["code"] == str(world.year)
    assert body["employees"] == 3
    assert body["competencies"][0] == {
        "code": "M.1",
        "name": "Integritas",
        "kind": "manajerial",
        "employees_required": 3,
        "employees_assessed": 2,
        "employees_with_gap": 2,
        "mean_gap": 1.5,
    }
    assert body["competencies"][1]["employees_with_gap"] == 0
    assert body["competencies"][1]["mean_gap"] is None
    assert body["jp_compliance"] == {
        "year": world.year,
        "target_jp": 20,
        "employees": 3,
        "employees_compliant": 1,
        "share": 33.3,
    }


def test_api_unit_report_access(world, api, hr_dinkes, make_user):
    assert api(hr_dinkes).get("/units/DISDUK/report").status_code == 404
    assert api(hr_dinkes).get("/units/NOPE/report").status_code == 404
    assert api(hr_dinkes).get("/units/DINKES/report", period="1999").status_code == 404
    assert api(hr_dinkes).get("/units/DINKES-P/report").status_code == 200
    assert api(make_user("asn-1", "ASN")).get("/units/DINKES/report").status_code == 403
    assert api().get("/units/DINKES/report").status_code == 401
