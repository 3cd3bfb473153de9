"""Citizen satisfaction survey (SKM): IKM against hand-computed examples, the public form and
its abuse rules, the API, scoping, the ≥ 5 aggregate rule and the feedback → need rule."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from kompetensi.models import (
    Competency,
    Employee,
    EmployeeCompetency,
    EvaluationPeriod,
    OrganizationUnit,
    Position,
    PositionRequirement,
)
from skm import rules
from skm import selectors as skm_selectors
from skm import services as skm_services
from skm.models import ServiceFeedback, ServicePoint
from workflow.feedback_needs import raise_needs_from_feedback
from workflow.models import TrainingNeed

CODES = rules.SKM_CODES
FORM_URL = "/umpan-balik/ktp-el/"

# Worked example (computed by hand):
#        u1 u2 u3 u4 u5 u6 u7 u8 u9
# R1      4  4  3  4  3  3  4  2  3
# R2      3  3  3  4  3  3  3  2  3
# R3      3  2  2  4  3  4  3  1  3
# R4      2  3  2  4  3  3  2  2  2
# sums   12 12 10 16 12 13 12  7 11
# NRR  3.00 3.00 2.50 4.00 3.00 3.25 3.00 1.75 2.75   Σ = 26.25
# IKM = 26.25 / 9 = 2.91666…; × 25 = 72.91666… → 72.92 → C "Kurang Baik"
WORKED = [
    [4, 4, 3, 4, 3, 3, 4, 2, 3],
    [3, 3, 3, 4, 3, 3, 3, 2, 3],
    [3, 2, 2, 4, 3, 4, 3, 1, 3],
    [2, 3, 2, 4, 3, 3, 2, 2, 2],
]
WORKED_NRR = {
    "u1": 3.0,
    "u2": 3.0,
    "u3": 2.5,
    "u4": 4.0,
    "u5": 3.0,
    "u6": 3.25,
    "u7": 3.0,
    "u8": 1.75,
    "u9": 2.75,
}


def scores(*values: int) -> dict[str, int]:
    if len(values) == 1:
        values = values * 9
    return dict(zip(CODES, values, strict=True))


def responses_with_total(n: int, total: int) -> list[dict[str, int]]:
    """``n`` responses whose 9·n answers add up to ``total`` (each answer 1–4)."""
    answers = [1] * (9 * n)
    rest = total - 9 * n
    i = 0
    while rest > 0:
        step = min(3, rest)
        answers[i] += step
        rest -= step
        i += 1
    return [dict(zip(CODES, answers[k * 9 : k * 9 + 9], strict=True)) for k in range(n)]


@pytest.fixture
def skm_world(db, make_user):
    today = rules.jakarta_today()
    root = OrganizationUnit.objects.create(
        code="DUKCAPIL", name="Dinas Dukcapil", kind="perangkat_daerah"
    )
    sub = OrganizationUnit.objects.create(
        code="DUKCAPIL-01", name="Bidang Pendaftaran", parent=root
    )
    other = OrganizationUnit.objects.create(code="DPM", name="DPMPTSP", kind="perangkat_daerah")
    front = Position.objects.create(
        code="PETUGAS", name="Petugas Pelayanan", kind="pelaksana", is_front_line=True
    )
    back = Position.objects.create(code="ADM", name="Pengadministrasi", kind="pelaksana")
    m5 = Competency.objects.create(code="M.5", name="Pelayanan Publik", kind="manajerial")
    m3 = Competency.objects.create(code="M.3", name="Komunikasi", kind="manajerial")
    PositionRequirement.objects.create(position=front, competency=m5, level=2)
    current = EvaluationPeriod.objects.create(
        code=str(today.year),
        name=f"Periode {today.year}",
        start=date(today.year, 1, 1),
        end=date(today.year, 12, 31),
    )
    last = EvaluationPeriod.objects.create(
        code=str(today.year - 1),
        name=f"Periode {today.year - 1}",
        start=date(today.year - 1, 1, 1),
        end=date(today.year - 1, 12, 31),
        is_open=False,
    )
    officer = Employee.objects.create(
        nip="199305122019031004", name="Rizki Maulana", unit=sub, position=front
    )
    colleague = Employee.objects.create(
        nip="199001012015031001", name="Budi Santoso", unit=root, position=front
    )
    clerk = Employee.objects.create(
        nip="198801012012032002", name="Sari Dewi", unit=sub, position=back
    )
    outsider = Employee.objects.create(
        nip="198501012010011001", name="Andi Pratama", unit=other, position=front
    )
    point = ServicePoint.objects.create(code="ktp-el", unit=sub, service="Perekaman KTP-el")
    point_root = ServicePoint.objects.create(code="akta", unit=root, service="Akta Kelahiran")
    point_other = ServicePoint.objects.create(code="izin", unit=other, service="Perizinan")
    return {
        "today": today,
        "root": root,
        "sub": sub,
        "other": other,
        "front": front,
        "m5": m5,
        "m3": m3,
        "current": current,
        "last": last,
        "officer": officer,
        "colleague": colleague,
        "clerk": clerk,
        "outsider": outsider,
        "point": point,
        "point_root": point_root,
        "point_other": point_other,
    }


def add_feedback(point, period, rows, employee=None):
    ServiceFeedback.objects.bulk_create(
        ServiceFeedback(
            service_point=point,
            unit_id=point.unit_id,
            period=period,
            employee=employee,
            **(row if isinstance(row, dict) else dict(zip(CODES, row, strict=True))),
        )
        for row in rows
    )


def form_data(**override) -> dict[str, str]:
    data = dict.fromkeys(CODES, "3")
    data.update({k: str(v) for k, v in override.items()})
    return data


# ---------------------------------------------------------------------------------------------
# IKM: worked examples and category boundaries
# ---------------------------------------------------------------------------------------------


def test_ikm_worked_example_through_selectors(skm_world):
    w = skm_world
    add_feedback(w["point"], w["current"], WORKED)
    add_feedback(w["point"], w["last"], [scores(1)] * 3)  # another period: not counted
    add_feedback(w["point_other"], w["current"], [scores(1)] * 3)  # another unit

    points = ServicePoint.objects.filter(pk=w["point"].pk)
    [row] = skm_selectors.ikm_by_service_point(points, w["current"])
    result = row.ikm
    assert result.responses == 4
    assert {c: float(v) for c, v in result.per_element.items()} == WORKED_NRR
    assert result.ikm_unit_display == Decimal("72.92")
    assert (result.category, result.quality) == ("C", "Kurang Baik")

    # The unit with its sub-units: the same 4 responses plus the root point's.
    add_feedback(w["point_root"], w["current"], [scores(4)] * 2)
    unit = skm_selectors.ikm_for_unit(w["root"], w["current"])
    # sums per element + 8 each; Σ NRR over 6 = (26.25·4 + 72) / 6 = 29.5 → IKM 3.2777… → 81.94
    assert unit.responses == 6
    assert unit.ikm_unit_display == Decimal("81.94")
    assert unit.category == "B"
    assert skm_selectors.ikm_for_unit(w["sub"], w["current"]).responses == 4
    city = skm_selectors.ikm_for_units(OrganizationUnit.objects.all(), w["current"])
    assert city.responses == 9


@pytest.mark.parametrize(
    ("n", "total", "shown", "category", "quality"),
    [
        (38, 889, 64.99, "D", "Tidak Baik"),
        (5, 117, 65.00, "C", "Kurang Baik"),
        (26, 717, 76.60, "C", "Kurang Baik"),
        (19, 524, 76.61, "B", "Baik"),
        (19, 604, 88.30, "B", "Baik"),
        (24, 763, 88.31, "A", "Sangat Baik"),
        (3, 27, 25.00, "D", "Tidak Baik"),
        (3, 108, 100.00, "A", "Sangat Baik"),
    ],
)
def test_ikm_category_boundaries_through_api(
    skm_world, make_user, api, n, total, shown, category, quality
):
    # e.g. 19 respondents, answers adding up to 524: IKM = 524 / (9·19) = 3.06432…,
    # × 25 = 76.608… → 76.61 → B, while 26 respondents with 717 give 76.6025… → 76.60 → C.
    w = skm_world
    add_feedback(w["point"], w["current"], responses_with_total(n, total))
    hr = make_user("sdm", "BKPSDM")
    res = api(hr).get("/units/DUKCAPIL/ikm", period=w["current"].code)
    assert res.status_code == 200, res.content
    body = res.json()
    assert body["responses"] == n
    assert body["ikm"] == shown
    assert (body["category"], body["quality"]) == (category, quality)


def test_ikm_api_worked_example_and_zero_responses(skm_world, make_user, api):
    w = skm_world
    add_feedback(w["point"], w["current"], WORKED)
    client = api(make_user("sdm", "BKPSDM"))
    body = client.get("/units/DUKCAPIL-01/ikm", period=w["current"].code).json()
    year = w["current"].code  # the calendar year (the feedback is given today)
    assert body == {
        "unit_code": "DUKCAPIL-01",
        "period": year,
        "from": f"{year}-01-01",
        "to": f"{year}-12-31",
        "responses": 4,
        "per_element": WORKED_NRR,
        "ikm": 72.92,
        "ikm_1_4": 2.92,
        "category": "C",
        "quality": "Kurang Baik",
    }
    empty = client.get("/units/DPM/ikm", period=w["current"].code).json()
    assert empty["responses"] == 0
    assert empty["ikm"] is None and empty["category"] is None and empty["quality"] is None
    assert set(empty["per_element"]) == set(CODES)
    assert all(v is None for v in empty["per_element"].values())
    assert client.get("/units/DUKCAPIL/ikm", period="1999").json()["responses"] == 0
    assert client.get("/units/DUKCAPIL/ikm", period="tahun-ini").status_code == 422
    # Without ?period: this calendar year.
    assert client.get("/units/DUKCAPIL/ikm").json()["responses"] == 4


def test_ikm_api_scoping(skm_world, make_user, api):
    w = skm_world
    scoped = make_user("sdm-dpm", "BKPSDM", hr_units=[w["other"]])
    client = api(scoped)
    assert client.get("/units/DPM/ikm").status_code == 200
    res = client.get("/units/DUKCAPIL/ikm")
    assert res.status_code == 404
    assert client.get("/units/DUKCAPIL-01/ikm").status_code == 404
    assert api(make_user("pegawai", "ASN")).get("/units/DPM/ikm").status_code == 403
    assert api().get("/units/DPM/ikm").status_code == 401


# ---------------------------------------------------------------------------------------------
# The public form
# ---------------------------------------------------------------------------------------------


def test_point_list_groups_and_searches(skm_world, client):
    res = client.get("/umpan-balik/")
    html = res.content.decode()
    assert res.status_code == 200
    assert "Dinas Dukcapil" in html and "Perekaman KTP-el" in html and "Perizinan" in html
    html = client.get("/umpan-balik/", {"q": "ktp"}).content.decode()
    assert "Perekaman KTP-el" in html and "Perizinan" not in html
    html = client.get("/umpan-balik/", {"q": "dukcapil"}).content.decode()
    assert "Akta Kelahiran" in html and "Perizinan" not in html


def test_form_renders_the_questionnaire_without_nips(skm_world, client):
    res = client.get(FORM_URL)
    html = res.content.decode()
    assert res.status_code == 200
    assert html.count("<fieldset") == 11  # nine elements + the respondent + the officer
    assert html.count("<legend>") == 11
    for element in rules.SKM_ELEMENT_DETAILS.values():
        assert str(element.name) in html
        for answer in element.answers:
            assert str(answer) in html
    # Front-line staff of the unit and its parent's subtree only: the point's unit subtree.
    assert "Rizki Maulana" in html
    assert "Sari Dewi" not in html  # not front line
    assert "Andi Pratama" not in html  # another unit
    assert "Budi Santoso" not in html  # the parent unit is not the point's subtree
    values = re.findall(r'name="petugas" value="([^"]*)"', html)
    assert len(values) == 2 and values[0] == ""
    for employee in Employee.objects.all():
        assert employee.nip not in html
        assert str(employee.pk) not in values and employee.nip not in values
    assert "<script" not in html
    assert skm_services.DEVICE_COOKIE in res.cookies
    assert 'class="honeypot"' in html


def test_submit_stores_hashes_never_the_raw_ip(
    skm_world, client, django_capture_on_commit_callbacks
):
    w = skm_world
    token = skm_selectors.staff_token(w["point"], w["officer"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(
            FORM_URL,
            form_data(u7=4, petugas=token, comment="Cepat"),
            REMOTE_ADDR="203.0.113.7",
        )
    assert res.status_code == 302
    assert res["Location"] == "/umpan-balik/DUKCAPIL-01/ktp-el/terima-kasih/"
    fb = ServiceFeedback.objects.get()
    assert (fb.u7, fb.u1, fb.employee_id, fb.comment) == (4, 3, w["officer"].pk, "Cepat")
    assert fb.period_id == w["current"].pk
    assert fb.unit_id == w["sub"].pk
    assert fb.ip_hash == skm_services.salted_hash("ip", "203.0.113.7")
    assert len(fb.ip_hash) == 64 and len(fb.device_hash) == 64
    for value in ServiceFeedback.objects.values_list().get():
        assert "203.0.113.7" not in str(value)
    assert client.get(res["Location"]).status_code == 200


def test_honeypot_pretends_success_and_stores_nothing(skm_world, client):
    res = client.post(FORM_URL, form_data(situs_web="http://spam.example"))
    assert res.status_code == 302
    assert ServiceFeedback.objects.count() == 0


def test_duplicate_within_ten_minutes_is_ignored(skm_world, client):
    assert client.post(FORM_URL, form_data()).status_code == 302
    assert client.post(FORM_URL, form_data()).status_code == 302
    assert ServiceFeedback.objects.count() == 1
    assert client.post(FORM_URL, form_data(u9=4)).status_code == 302  # other answers
    assert ServiceFeedback.objects.count() == 2
    # After the window the same answers count again.
    ServiceFeedback.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    assert client.post(FORM_URL, form_data()).status_code == 302
    assert ServiceFeedback.objects.count() == 3


def test_rate_limit_per_ip(skm_world, client):
    for i in range(skm_services.IP_RATE_LIMIT):
        client.cookies.pop(skm_services.DEVICE_COOKIE, None)  # a new device each time
        res = client.post(
            FORM_URL, form_data(u1=1 + i % 4, u2=1 + i // 4 % 4), REMOTE_ADDR="198.51.100.1"
        )
        assert res.status_code == 302
    client.cookies.pop(skm_services.DEVICE_COOKIE, None)
    res = client.post(FORM_URL, form_data(u3=1), REMOTE_ADDR="198.51.100.1")
    assert res.status_code == 429
    assert "Terlalu banyak umpan balik" in res.content.decode()
    assert ServiceFeedback.objects.count() == skm_services.IP_RATE_LIMIT
    # Another address is not affected.
    assert client.post(FORM_URL, form_data(u3=1), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_rate_limit_per_device(skm_world, client):
    client.get(FORM_URL)  # receives the device cookie
    for i in range(skm_services.DEVICE_RATE_LIMIT):
        res = client.post(
            FORM_URL, form_data(u1=1 + i % 4, u2=1 + i // 4), REMOTE_ADDR=f"10.0.0.{i}"
        )
        assert res.status_code == 302
    res = client.post(FORM_URL, form_data(u3=1), REMOTE_ADDR="10.0.0.99")
    assert res.status_code == 429
    assert ServiceFeedback.objects.count() == skm_services.DEVICE_RATE_LIMIT


def test_client_ip_trusts_forwarded_for_only_behind_a_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    settings.AXES_IPWARE_PROXY_COUNT = 0
    assert skm_services.client_ip(request) == "10.0.0.1"
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert skm_services.client_ip(request) == "5.6.7.8"
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert skm_services.client_ip(request) == "1.2.3.4"
    bad = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="bukan-ip")
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert skm_services.client_ip(bad) == "10.0.0.1"


def test_form_validation_messages_and_nothing_written(skm_world, client):
    data = form_data()
    del data["u3"]
    data["u1"] = "5"
    data["comment"] = "x" * 1001
    data["petugas"] = "bukan-token"
    res = client.post(FORM_URL, data)
    html = res.content.decode()
    assert res.status_code == 422
    assert "Pilih salah satu jawaban untuk unsur “Waktu Penyelesaian”." in html
    assert "Jawaban untuk unsur “Persyaratan” harus salah satu dari 1 sampai 4." in html
    assert "Saran paling banyak 1000 karakter (sekarang 1001)." in html
    assert "Petugas yang dipilih tidak melayani di sini. Pilih lagi." in html
    assert ServiceFeedback.objects.count() == 0
    # The answers already given stay checked.
    assert re.search(r'name="u2" value="3"[^>]*checked', html)


def test_unknown_or_inactive_point_is_404(skm_world, client):
    assert client.get("/umpan-balik/tidak-ada/").status_code == 404
    ServicePoint.objects.filter(code="ktp-el").update(is_active=False)
    assert client.get(FORM_URL).status_code == 404


def test_comments_are_escaped_on_output(skm_world, client, make_user):
    w = skm_world
    evil = '<script>alert("x")</script><b>tebal</b>'
    client.post(FORM_URL, form_data(comment=evil))
    assert ServiceFeedback.objects.get().comment == evil  # stored as plain text
    client.force_login(make_user("sdm", "BKPSDM"))
    html = client.get("/sdm/umpan-balik/", {"period": w["current"].code}).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;tebal&lt;/b&gt;" in html
    assert "<script>alert" not in html


@pytest.mark.parametrize("staff", [5, 100])
def test_form_query_count_is_fixed(skm_world, client, django_assert_max_num_queries, staff):
    w = skm_world
    Employee.objects.bulk_create(
        Employee(
            nip=f"19900101201503{i:04d}",
            name=f"Petugas {i:03d}",
            unit=w["sub"],
            position=w["front"],
        )
        for i in range(staff)
    )
    # point, perangkat daerah name, staff (+ the request's savepoint and its release)
    with django_assert_max_num_queries(5):
        res = client.get(FORM_URL)
    assert res.content.decode().count('name="petugas"') == staff + 2  # + officer, + "none"
    with django_assert_max_num_queries(5):
        client.get("/umpan-balik/")


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------


def test_api_feedback_create_and_errors(skm_world, api):
    w = skm_world
    client = api()
    body = {"unit_code": "DUKCAPIL-01", "service": "perekaman ktp-el", "scores": scores(3)}
    res = client.post("/feedback", body)
    assert res.status_code == 201, res.content
    assert res.json()["status"] == "created"
    assert res.json()["period_code"] == w["current"].code
    again = client.post("/feedback", body)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert again.json()["id"] == res.json()["id"]

    nip = {**body, "scores": scores(4), "employee_nip": "19930512 201903 1 004"}
    res = client.post("/feedback", nip)
    assert res.status_code == 201
    assert ServiceFeedback.objects.get(pk=res.json()["id"]).employee_id == w["officer"].pk

    def detail(payload, status):
        cache.clear()  # every attempt counts towards the rate limit: a fresh window for each
        res = client.post("/feedback", payload)
        assert res.status_code == status, res.content
        return res.json()["detail"]

    assert "tidak ditemukan" in detail({**body, "unit_code": "XXX"}, 404)
    assert "tidak ditemukan" in detail({**body, "service": "Paspor"}, 404)
    assert "u3" in detail({**body, "scores": {**scores(3), "u3": 5}}, 422)
    missing = scores(2)
    del missing["u8"]
    assert "u8" in detail({**body, "scores": missing}, 422)
    assert "u1" in detail({**body, "scores": {**scores(2), "u1": "3"}}, 422)
    assert "comment" in detail({**body, "scores": scores(1), "comment": "x" * 1001}, 422)
    assert ServiceFeedback.objects.count() == 2
    # A NIP that is not an officer of the point is not told apart (tests/kompetensi/
    # test_skm_oracle.py): the answer is kept for the point, without the employee.
    cache.clear()
    res = client.post("/feedback", {**body, "scores": scores(1), "employee_nip": w["outsider"].nip})
    assert res.status_code == 201
    assert ServiceFeedback.objects.get(pk=res.json()["id"]).employee_id is None


def test_api_feedback_rate_limited(skm_world, api):
    client = api()
    for i in range(skm_services.IP_RATE_LIMIT):  # no cookies: the IP's limit
        payload = {"unit_code": "DPM", "service": "izin", "scores": scores(1 + i % 4, *[2] * 8)}
        payload["scores"].update(u2=1 + i // 4 % 4, u3=1 + i // 16 % 4)
        assert client.post("/feedback", payload).status_code == 201
    res = client.post("/feedback", {"unit_code": "DPM", "service": "izin", "scores": scores(4)})
    assert res.status_code == 429
    assert "Terlalu banyak" in res.json()["detail"]
    assert ServiceFeedback.objects.count() == skm_services.IP_RATE_LIMIT


# ---------------------------------------------------------------------------------------------
# HR page, poster, the employee's own summary
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra_points", [0, 40])
def test_hr_page_is_scoped(
    skm_world, client, make_user, django_assert_max_num_queries, extra_points
):
    w = skm_world
    add_feedback(w["point"], w["current"], WORKED)
    add_feedback(w["point_other"], w["current"], [scores(4)] * 3)
    for i in range(extra_points):
        unit = OrganizationUnit.objects.create(
            code=f"DPM-{i:02d}", name=f"Loket {i}", parent=w["other"]
        )
        extra = ServicePoint.objects.create(code=f"loket-{i}", unit=unit, service=f"Loket {i}")
        add_feedback(extra, w["current"], [scores(1 + i % 4)] * 2)
    scoped = make_user("sdm-dpm", "BKPSDM", hr_units=[w["other"]])
    client.force_login(scoped)
    with django_assert_max_num_queries(18):
        html = client.get("/sdm/umpan-balik/").content.decode()
    assert "Perizinan" in html and "Perekaman KTP-el" not in html
    client.force_login(make_user("sdm", "BKPSDM"))
    html = client.get("/sdm/umpan-balik/").content.decode()
    assert "Perekaman KTP-el" in html and "72,92" in html and "Kurang Baik" in html
    client.force_login(make_user("pegawai", "ASN"))
    assert client.get("/sdm/umpan-balik/").status_code == 403
    client.logout()
    assert client.get("/sdm/umpan-balik/").status_code == 302


def test_poster_pdf_scoped(skm_world, client, make_user, monkeypatch):
    from skm import poster

    seen = {}

    def fake(ctx):
        seen["ctx"] = ctx
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(poster, "render_poster_pdf", fake)
    scoped = make_user("sdm-dpm", "BKPSDM", hr_units=[skm_world["other"]])
    client.force_login(scoped)
    assert client.get("/umpan-balik/DUKCAPIL-01/ktp-el/poster.pdf").status_code == 404
    assert client.get("/umpan-balik/DUKCAPIL/ktp-el/poster.pdf").status_code == 404
    res = client.get("/umpan-balik/DPM/izin/poster.pdf")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    assert seen["ctx"].feedback_url.endswith("/umpan-balik/DPM/izin/")
    assert seen["ctx"].service_name == "Perizinan"


def _summary(employee, period):
    """The employee's own feedback summary for one period (the page's selector)."""
    [(_period, result)] = skm_selectors.employee_feedback_history(employee, [period])
    return result


def test_employee_summary_needs_five_responses(skm_world, client):
    w = skm_world
    add_feedback(w["point"], w["current"], [scores(3)] * 4, employee=w["officer"])
    assert _summary(w["officer"], w["current"]) is None
    add_feedback(w["point"], w["current"], [scores(4)], employee=w["officer"])
    summary = _summary(w["officer"], w["current"])
    assert summary.responses == 5
    assert summary.per_element["u7"] == Decimal("3.2")
    # Shown to the employee themself, in aggregate only.
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("rizki", password="x")
    Employee.objects.filter(pk=w["officer"].pk).update(user=user)
    add_feedback(w["point"], w["last"], [scores(2)] * 4, employee=w["officer"])
    client.force_login(user)
    html = client.get("/kinerja-saya/umpan-balik/").content.decode()
    assert "5 tanggapan" in html
    assert "Belum cukup tanggapan (minimal 5)" in html  # last period: only 4


# ---------------------------------------------------------------------------------------------
# Feedback → need
# ---------------------------------------------------------------------------------------------


def u7_rows(n: int, u7_total: int) -> list[dict[str, int]]:
    base, extra = divmod(u7_total, n)
    return [{**scores(3), "u7": base + (1 if i < extra else 0)} for i in range(n)]


def test_need_raised_below_threshold_with_enough_responses(skm_world):
    w = skm_world
    period = w["current"]
    # 10 responses, u7 sum 30 → mean 3.0 < 3.0644 → needs for M.5 and M.3.
    add_feedback(w["point"], period, u7_rows(10, 30), employee=w["officer"])
    EmployeeCompetency.objects.create(employee=w["officer"], competency=w["m5"], assessed_level=1)
    assert raise_needs_from_feedback(period_id=period.pk) == 2
    needs = {n.competency.code: n for n in TrainingNeed.objects.select_related("competency")}
    assert set(needs) == {"M.5", "M.3"}
    m5, m3 = needs["M.5"], needs["M.3"]
    assert (m5.required_level, m5.assessed_level, m5.gap) == (2, 1, 1)  # PositionRequirement
    assert (m3.required_level, m3.assessed_level, m3.gap) == (1, None, 1)  # default pelaksana
    for need in needs.values():
        assert need.origin == "feedback" and need.status == "open" and need.needs_confirmation
        assert need.period_id == period.pk and need.employee_id == w["officer"].pk
    # Idempotent.
    assert raise_needs_from_feedback(period_id=period.pk) == 0
    assert TrainingNeed.objects.count() == 2


@pytest.mark.parametrize(
    ("n", "u7_total", "raised"),
    [
        (10, 30, True),  # 3.00
        (25, 76, True),  # 3.04 < 3.0644
        (10, 31, False),  # 3.10
        (9, 18, False),  # too few responses
    ],
)
def test_need_threshold_and_minimum(skm_world, n, u7_total, raised):
    w = skm_world
    add_feedback(w["point"], w["current"], u7_rows(n, u7_total), employee=w["officer"])
    assert raise_needs_from_feedback(period_id=w["current"].pk) == (2 if raised else 0)


def test_need_counts_only_the_period_and_the_named_employees(skm_world):
    w = skm_world
    add_feedback(w["point"], w["last"], u7_rows(10, 20), employee=w["officer"])
    add_feedback(w["point"], w["current"], u7_rows(10, 20), employee=w["colleague"])
    assert raise_needs_from_feedback(period_id=w["current"].pk, employee_ids=[w["officer"].pk]) == 0
    assert raise_needs_from_feedback(period_id=w["current"].pk) == 2
    assert set(TrainingNeed.objects.values_list("employee_id", flat=True)) == {w["colleague"].pk}


def test_submission_raises_need_on_commit(skm_world, client, django_capture_on_commit_callbacks):
    w = skm_world
    add_feedback(w["point"], w["current"], u7_rows(9, 18), employee=w["officer"])
    token = skm_selectors.staff_token(w["point"], w["officer"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(FORM_URL, form_data(u7=1, petugas=token))
    assert res.status_code == 302
    assert TrainingNeed.objects.filter(employee=w["officer"], origin="feedback").count() == 2


def test_ikm_by_unit_rolls_up_to_the_perangkat_daerah(skm_world):
    w = skm_world
    add_feedback(w["point"], w["current"], WORKED)
    add_feedback(w["point_root"], w["current"], [scores(4)] * 2)
    add_feedback(w["point_other"], w["current"], [scores(2)])
    points = ServicePoint.objects.all()
    rows = {r.obj.code: r for r in skm_selectors.ikm_by_unit(points, w["current"])}
    assert list(rows) == ["DPM", "DUKCAPIL", "DUKCAPIL-01"]
    assert rows["DUKCAPIL"].ikm.responses == 6
    assert rows["DUKCAPIL"].ikm.ikm_unit_display == Decimal("81.94")
    assert rows["DUKCAPIL-01"].ikm.ikm_unit_display == Decimal("72.92")
    assert rows["DUKCAPIL-01"].obj.label == "Dinas Dukcapil — Bidang Pendaftaran"
    # Limited to a scope: the sub-unit only (its parent is not in the scope).
    scope = OrganizationUnit.objects.filter(code="DUKCAPIL-01")
    scoped = skm_selectors.ikm_by_unit(points.filter(unit__in=scope), w["current"], units=scope)
    assert [r.obj.code for r in scoped] == ["DUKCAPIL-01"]
    per_point = {
        r.obj.code: r.ikm.responses
        for r in skm_selectors.ikm_by_service_point(points, w["current"])
    }
    assert per_point == {"ktp-el": 4, "akta": 2, "izin": 1}


def test_seed_tells_the_story_and_is_idempotent(db, groups):
    import io

    from demo.management.commands.seed_demo import SeedContext
    from demo.seeds import kompetensi as seed
    from demo.seeds import skm as skm_seed

    def ctx():
        return SeedContext(
            scale="small", employees=60, with_demo_users=True, seed=2026, stdout=io.StringIO()
        )

    first = ctx()
    seed.run(first)
    skm_seed.run(first)
    count = ServiceFeedback.objects.count()
    assert ServicePoint.objects.count() == 13
    assert count > 13 * 40
    asn = Employee.objects.get(user__username="asn")
    last = EvaluationPeriod.objects.get(code="2025")
    before = _summary(asn, last)
    assert before.responses >= rules.U7_MIN_RESPONSES
    assert before.per_element["u7"] < rules.U7_NEED_THRESHOLD
    now = _summary(asn, EvaluationPeriod.objects.get(code="2026"))
    assert now.per_element["u7"] > rules.U7_NEED_THRESHOLD
    assert set(
        TrainingNeed.objects.filter(employee=asn, origin="feedback").values_list(
            "competency__code", "period__code"
        )
    ) == {("M.5", "2025"), ("M.3", "2025")}
    again = ctx()
    seed.run(again)
    skm_seed.run(again)
    assert ServiceFeedback.objects.count() == count
