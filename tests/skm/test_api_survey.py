# ruff: noqa: F811 - the skm_world fixture is imported from test_skm
"""The citizen survey's part of issue #16 (API.md "Citizen feedback (SKM)"): service points per
unit (public list, HR registration, codes unique per unit), the respondent profile (API, form,
HR page), IKM per calendar period (year, semester, quarter) and rate limits that fit a service
counter (paired tablets, per-device cookie, a generous per-IP limit, every attempt counting)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from core.errors import NotAllowed
from skm import rules
from skm import services as skm_services
from skm.models import KioskDevice, ServiceFeedback, ServicePoint

from .test_skm import FORM_URL, WORKED, add_feedback, form_data, scores, skm_world  # noqa: F401

CANONICAL_FORM = "/umpan-balik/DUKCAPIL-01/ktp-el/"
BODY = {"unit_code": "DUKCAPIL-01", "service": "ktp-el"}
PROFILE = {"gender": "P", "age_group": "26-35", "education": "D4/S1", "occupation": "swasta"}


def _post(client, payload, ip="192.0.2.10"):
    return client.post("/api/v1/feedback", payload, content_type="application/json", REMOTE_ADDR=ip)


def _varied(i: int) -> dict[str, int]:
    """Nine answers that differ for i = 0..63 (no duplicate within the window)."""
    return {**scores(3), "u1": 1 + i % 4, "u2": 1 + i // 4 % 4, "u3": 1 + i // 16 % 4}


# ---------------------------------------------------------------------------------------------
# Service points: GET (public) and POST (HR of the unit)
# ---------------------------------------------------------------------------------------------


def test_public_list_of_a_units_service_points(skm_world, api, settings):
    settings.SITE_URL = "https://sikap.example.go.id"
    ServicePoint.objects.create(
        code="tutup", unit=skm_world["sub"], service="Tutup", is_active=False
    )
    res = api().get("/units/DUKCAPIL/services")
    assert res.status_code == 200, res.content
    body = res.json()
    # The unit's own points and its sub-units', active only, by unit then code.
    assert body == {
        "count": 2,
        "items": [
            {
                "code": "akta",
                "name": "Akta Kelahiran",
                "unit_code": "DUKCAPIL",
                "survey_url": "https://sikap.example.go.id/umpan-balik/DUKCAPIL/akta/",
            },
            {
                "code": "ktp-el",
                "name": "Perekaman KTP-el",
                "unit_code": "DUKCAPIL-01",
                "survey_url": "https://sikap.example.go.id/umpan-balik/DUKCAPIL-01/ktp-el/",
            },
        ],
    }
    assert api().get("/units/DUKCAPIL-01/services").json()["count"] == 1
    page = api().get("/units/DUKCAPIL/services", limit=1, offset=1).json()
    assert (page["count"], [i["code"] for i in page["items"]]) == (2, ["ktp-el"])
    res = api().get("/units/TIDAK-ADA/services")
    assert res.status_code == 404 and "TIDAK-ADA" in res.json()["detail"]


@pytest.mark.parametrize("extra", [0, 60])
def test_service_point_list_query_count_is_fixed(
    skm_world, api, django_assert_max_num_queries, extra
):
    ServicePoint.objects.bulk_create(
        ServicePoint(code=f"loket-{i}", unit=skm_world["sub"], service=f"Loket {i}")
        for i in range(extra)
    )
    client = api()
    # the unit, the count, the page (+ the request's savepoint and its release)
    with django_assert_max_num_queries(5):
        res = client.get("/units/DUKCAPIL/services", limit=500)
    assert res.json()["count"] == 2 + extra


def test_hr_of_the_unit_registers_a_service_point(skm_world, make_user, api):
    w = skm_world
    scoped = make_user("sdm-dukcapil", "BKPSDM", hr_units=[w["root"]])
    res = api(scoped).post("/units/DUKCAPIL-01/services", {"code": "loket-1", "name": "Legalisir"})
    assert res.status_code == 201, res.content
    assert res.json()["code"] == "loket-1" and res.json()["unit_code"] == "DUKCAPIL-01"
    assert res.json()["survey_url"].endswith("/umpan-balik/DUKCAPIL-01/loket-1/")
    point = ServicePoint.objects.get(unit=w["sub"], code="loket-1")
    assert point.service == point.name == "Legalisir"
    # The same code in another unit is another point (city-wide HR may write anywhere) …
    city = make_user("sdm-kota", "BKPSDM")
    res = api(city).post("/units/DPM/services", {"code": "loket-1", "name": "Informasi"})
    assert res.status_code == 201, res.content
    # … but not twice in one unit.
    res = api(city).post("/units/DUKCAPIL-01/services", {"code": "loket-1", "name": "Lagi"})
    assert res.status_code == 409 and "code" in res.json()["detail"]
    assert ServicePoint.objects.filter(code="loket-1").count() == 2


@pytest.mark.parametrize(
    ("who", "status"),
    [("asn", 403), ("hr_other", 403), ("anonymous", 401), ("hr_no_scope", 403)],
)
def test_others_cannot_register_a_service_point(skm_world, make_user, api, who, status):
    w = skm_world
    users = {
        "asn": lambda: make_user("pegawai", "ASN"),
        "hr_other": lambda: make_user("sdm-dpm", "BKPSDM", hr_units=[w["other"]]),
        "hr_no_scope": lambda: make_user("sdm-kosong", "BKPSDM", hr_units=()),
        "anonymous": lambda: None,
    }
    before = ServicePoint.objects.count()
    res = api(users[who]()).post("/units/DUKCAPIL-01/services", {"code": "baru", "name": "Baru"})
    assert res.status_code == status, res.content
    assert res.json()["detail"]
    assert ServicePoint.objects.count() == before


def test_service_point_input_errors_write_nothing(skm_world, make_user, api):
    client = api(make_user("sdm", "BKPSDM"))
    before = ServicePoint.objects.count()
    cases = [
        ({"code": "Loket 1", "name": "X"}, "code"),
        ({"code": "loket-1", "name": "   "}, "name"),
        ({"code": "loket-1"}, "name"),
        ({"code": "loket-1", "name": "X", "unit_code": "DPM"}, "unit_code"),
    ]
    for payload, field in cases:
        res = client.post("/units/DUKCAPIL-01/services", payload)
        assert res.status_code == 422, (payload, res.content)
        assert field in res.json()["detail"], res.json()
    assert client.post("/units/TIDAK-ADA/services", {"code": "x", "name": "X"}).status_code == 404
    assert ServicePoint.objects.count() == before


def test_feedback_service_is_the_point_code_of_that_unit(skm_world, make_user, api):
    w = skm_world
    twin = ServicePoint.objects.create(code="ktp-el", unit=w["other"], service="KTP-el DPM")
    here = _post(api().client, {**BODY, "scores": scores(4)})
    there = _post(api().client, {"unit_code": "DPM", "service": "ktp-el", "scores": scores(2)})
    assert (here.status_code, there.status_code) == (201, 201)
    assert ServiceFeedback.objects.get(pk=here.json()["id"]).service_point == w["point"]
    assert ServiceFeedback.objects.get(pk=there.json()["id"]).service_point == twin
    res = _post(api().client, {"unit_code": "DPM", "service": "akta", "scores": scores(2)})
    assert res.status_code == 404  # akta is a point of another unit


def test_a_code_shared_by_two_units_keeps_both_surveys_apart(skm_world, client):
    w = skm_world
    # The first URL (code only) serves the form while only one unit has the code.
    assert client.get(FORM_URL).status_code == 200
    ServicePoint.objects.create(code="ktp-el", unit=w["other"], service="KTP-el DPM")
    assert client.get(FORM_URL).status_code == 404
    assert "Perekaman KTP-el" in client.get(CANONICAL_FORM).content.decode()
    assert "KTP-el DPM" in client.get("/umpan-balik/DPM/ktp-el/").content.decode()
    # The public list links to the unit's own address.
    assert 'href="/umpan-balik/DPM/ktp-el/"' in client.get("/umpan-balik/").content.decode()


# ---------------------------------------------------------------------------------------------
# Respondent profile
# ---------------------------------------------------------------------------------------------


def test_api_stores_the_respondent_profile(skm_world, api):
    res = _post(api().client, {**BODY, "scores": scores(3), "respondent": PROFILE})
    assert res.status_code == 201, res.content
    fb = ServiceFeedback.objects.get(pk=res.json()["id"])
    stored = (
        fb.respondent_gender,
        fb.respondent_age_group,
        fb.respondent_education,
        fb.respondent_occupation,
    )
    assert stored == ("P", "26-35", "D4/S1", "swasta")
    # Optional: left out, partly given or null.
    res = _post(api().client, {**BODY, "scores": scores(2), "respondent": {"gender": "L"}})
    fb = ServiceFeedback.objects.get(pk=res.json()["id"])
    assert (fb.respondent_gender, fb.respondent_age_group) == ("L", None)
    res = _post(api().client, {**BODY, "scores": scores(1), "respondent": None})
    assert ServiceFeedback.objects.get(pk=res.json()["id"]).respondent_gender is None


@pytest.mark.parametrize(
    ("respondent", "field"),
    [
        ({"gender": "W"}, "respondent.gender"),
        ({"age_group": "25"}, "respondent.age_group"),
        ({"education": "SMK"}, "respondent.education"),
        ({"occupation": "Swasta"}, "respondent.occupation"),
        ({"umur": 30}, "respondent.umur"),
        ("P", "respondent"),
    ],
)
def test_api_refuses_a_wrong_respondent_code_naming_the_field(skm_world, api, respondent, field):
    res = _post(api().client, {**BODY, "scores": scores(3), "respondent": respondent})
    assert res.status_code == 422, res.content
    assert f"'{field}'" in res.json()["detail"]
    assert not ServiceFeedback.objects.exists()


def test_service_refuses_a_wrong_code_too():
    with pytest.raises(skm_services.FeedbackError) as exc:
        skm_services.clean_respondent({"education": "SMA/SMK"})
    assert exc.value.part == "respondent.education"
    assert "SD, SMP, SMA" in str(exc.value)


def test_public_form_asks_the_profile_in_indonesian(skm_world, client):
    html = client.get(CANONICAL_FORM).content.decode()
    for text in (
        "Tentang Anda (tidak wajib)",
        "Jenis kelamin",
        "Laki-laki",
        "Usia",
        "≤ 25 tahun",
        "Pendidikan terakhir",
        "SMA/SMK",
        "Pekerjaan utama",
        "Pelajar/Mahasiswa",
        "— tidak menjawab —",
    ):
        assert text in html, text
    # After the nine elements, before the officer and the comment.
    assert html.index('id="f-u9"') < html.index('id="f-responden"') < html.index('id="f-comment"')
    assert re.search(r'<select name="responden_gender"[^>]*>', html)
    assert "required" not in re.search(r'<select name="responden_gender"[^>]*>', html).group(0)


def test_public_form_stores_the_profile_and_refuses_a_wrong_code(skm_world, client):
    data = form_data(
        responden_gender="L",
        responden_age_group=">55",
        responden_education="SMA",
        responden_occupation="pelajar",
    )
    res = client.post(CANONICAL_FORM, data)
    assert res.status_code == 302
    assert res["Location"] == "/umpan-balik/DUKCAPIL-01/ktp-el/terima-kasih/"
    fb = ServiceFeedback.objects.get()
    assert (fb.respondent_gender, fb.respondent_age_group) == ("L", ">55")
    assert (fb.respondent_education, fb.respondent_occupation) == ("SMA", "pelajar")
    # Not answered: stored as not answered.
    res = client.post(CANONICAL_FORM, form_data(u9=1, responden_gender=""))
    assert res.status_code == 302
    assert ServiceFeedback.objects.filter(respondent_gender__isnull=True).count() == 1
    res = client.post(CANONICAL_FORM, form_data(u9=2, responden_education="SMK"))
    assert res.status_code == 422
    assert "Pilihan untuk “Pendidikan terakhir” tidak dikenal. Pilih lagi." in res.content.decode()
    assert ServiceFeedback.objects.count() == 2


def test_hr_page_shows_the_profile_as_counts(skm_world, client, make_user):
    w = skm_world
    add_feedback(w["point"], w["current"], [scores(3)] * 3)
    ServiceFeedback.objects.filter(pk__in=ServiceFeedback.objects.values("pk")[:2]).update(
        respondent_gender="P", respondent_occupation="wirausaha"
    )
    client.force_login(make_user("sdm", "BKPSDM"))
    html = client.get("/sdm/umpan-balik/").content.decode()
    section = html[html.index('id="profil"') :]
    assert "Profil responden" in html
    assert re.search(r"Perempuan</th><td class=\"num\">2<", section)
    assert re.search(r"Laki-laki</th><td class=\"num\">0<", section)
    assert re.search(r"Wirausaha</th><td class=\"num\">2<", section)
    assert re.search(r"Tidak menjawab</th><td class=\"num muted\">1<", section)


# ---------------------------------------------------------------------------------------------
# IKM per calendar period
# ---------------------------------------------------------------------------------------------


def _at(point, when: datetime, rows):
    """Feedback given at ``when`` (Asia/Jakarta wall clock)."""
    before = ServiceFeedback.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    add_feedback(point, None, rows)
    aware = timezone.make_aware(when, rules.JAKARTA)
    ServiceFeedback.objects.filter(pk__gt=before).update(created_at=aware)


def test_calendar_periods_read_the_days_in_jakarta(skm_world, make_user, api):
    w = skm_world
    _at(w["point"], datetime(2025, 6, 30, 23, 59), WORKED)  # S1, Q2 (16:59 UTC)
    _at(w["point"], datetime(2025, 7, 1, 0, 30), [scores(4)])  # S2, Q3 (30 June 17:30 UTC)
    _at(w["point"], datetime(2025, 12, 31, 23, 0), [scores(1)])  # S2, Q4
    _at(w["point"], datetime(2026, 1, 1, 0, 0), [scores(2)])  # the next year
    client = api(make_user("sdm", "BKPSDM"))

    def ikm(period):
        res = client.get("/units/DUKCAPIL/ikm", period=period)
        assert res.status_code == 200, res.content
        return res.json()

    s1 = ikm("2025-S1")
    assert (s1["period"], s1["from"], s1["to"], s1["responses"]) == (
        "2025-S1",
        "2025-01-01",
        "2025-06-30",
        4,
    )
    assert (s1["ikm"], s1["category"], s1["quality"]) == (72.92, "C", "Kurang Baik")
    q3 = ikm("2025-Q3")
    assert (q3["from"], q3["to"], q3["responses"], q3["ikm"]) == (
        "2025-07-01",
        "2025-09-30",
        1,
        100.0,
    )
    assert ikm("2025-q4")["period"] == "2025-Q4"
    assert ikm("2025-S2")["responses"] == 2
    assert ikm("2025-Q2")["responses"] == 4
    assert ikm("2025-Q1")["responses"] == 0
    assert ikm("2025")["responses"] == 6
    year = ikm("2026")
    assert (year["from"], year["to"], year["responses"]) == ("2026-01-01", "2026-12-31", 1)


def test_ikm_defaults_to_this_year(skm_world, make_user, api):
    w = skm_world
    add_feedback(w["point"], w["current"], [scores(4)] * 2)
    body = api(make_user("sdm", "BKPSDM")).get("/units/DUKCAPIL/ikm").json()
    year = rules.jakarta_today().year
    assert (body["period"], body["from"], body["to"]) == (
        str(year),
        f"{year}-01-01",
        f"{year}-12-31",
    )
    assert body["responses"] == 2


@pytest.mark.parametrize(
    "period",
    ["2026-S3", "2026-Q5", "2026-Q0", "26", "2026-H1", "", " 2026", "2026\n", "1899", "3000"],
)
def test_a_malformed_period_is_422_saying_what_is_expected(skm_world, make_user, api, period):
    res = api(make_user("sdm", "BKPSDM")).get("/units/DUKCAPIL/ikm", period=period)
    assert res.status_code == 422, res.content
    detail = res.json()["detail"]
    assert detail.startswith("Kolom 'period':"), detail
    assert any(word in detail for word in ("YYYY-S1", "S1 atau S2", "tahun harus antara"))


def test_rules_calendar_period():
    assert rules.calendar_period("2024-Q1").end.isoformat() == "2024-03-31"
    assert rules.calendar_period("2024-S2").start.isoformat() == "2024-07-01"
    assert rules.calendar_period("2028-q1").end.isoformat() == "2028-03-31"
    assert rules.calendar_period("2024-Q1").label == "Triwulan 1 2024"
    assert rules.calendar_period(None).code == str(rules.jakarta_today().year)
    assert rules.calendar_period_codes(2026) == [
        "2026",
        "2026-S1",
        "2026-S2",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]


def test_hr_page_offers_calendar_periods(skm_world, client, make_user):
    w = skm_world
    _at(w["point"], datetime(2025, 8, 15, 10, 0), WORKED)
    client.force_login(make_user("sdm", "BKPSDM"))
    html = client.get("/sdm/umpan-balik/", {"period": "2025-Q3"}).content.decode()
    assert '<option value="2025-Q3" selected>Triwulan 3 2025</option>' in html
    assert '<option value="2025-S1">Semester 1 2025</option>' in html
    year = rules.jakarta_today().year
    assert f'<option value="{year}">Tahun {year}</option>' in html
    assert "72,92" in html and "Kurang Baik" in html
    html = client.get("/sdm/umpan-balik/", {"period": "2025-Q1"}).content.decode()
    assert "72,92" not in html
    res = client.get("/sdm/umpan-balik/", {"period": "semester-1"})
    assert res.status_code == 200
    html = res.content.decode()
    assert "Periode “semester-1” tidak dikenal" in html
    assert f'<option value="{year}" selected>' in html


@pytest.mark.parametrize("responses", [10, 400])
def test_hr_page_query_count_is_fixed(
    skm_world, client, make_user, django_assert_max_num_queries, responses
):
    w = skm_world
    rows = [scores(1 + i % 4) for i in range(responses)]
    add_feedback(w["point"], w["current"], rows)
    ServiceFeedback.objects.filter(
        pk__in=list(ServiceFeedback.objects.values_list("pk", flat=True))[::3]
    ).update(respondent_gender="L", respondent_age_group="36-45")
    client.force_login(make_user("sdm", "BKPSDM"))
    with django_assert_max_num_queries(18):
        res = client.get("/sdm/umpan-balik/")
    assert res.status_code == 200


# ---------------------------------------------------------------------------------------------
# Rate limits that fit a service counter
# ---------------------------------------------------------------------------------------------


def _pair(client, point, hr) -> KioskDevice:
    device, code = skm_services.kiosk_create(actor=hr, point=point, name="Tablet loket 1")
    res = client.post(f"/loket/pasang/{code}/")
    assert res.status_code == 302, res.content
    assert res["Location"] == f"/umpan-balik/{point.unit.code}/{point.code}/"
    return device


def test_a_paired_kiosk_sends_200_answers_in_an_afternoon(skm_world, client, make_user):
    w = skm_world
    device = _pair(client, w["point"], make_user("sdm", "BKPSDM"))
    year = rules.jakarta_today().year
    with freeze_time(f"{year}-03-10 13:00:00+07:00") as frozen:
        for i in range(200):
            # Citizens one after another; several give the very same answers.
            data = form_data(u7=4) if i % 3 else form_data(u1=1 + i % 4)
            res = client.post(CANONICAL_FORM, data, REMOTE_ADDR="10.1.1.1")
            assert res.status_code == 302, (i, res.status_code)
            frozen.tick(timedelta(seconds=10 + (i * 37) % 80))
        end = timezone.localtime(timezone.now(), rules.JAKARTA)
    assert end.hour < 18  # still the afternoon
    assert ServiceFeedback.objects.filter(kiosk=device).count() == 200
    # The phones on the office's Wi-Fi (the same address) kept their whole allowance.
    client.cookies.pop(skm_services.KIOSK_COOKIE)
    assert client.post(CANONICAL_FORM, form_data(u9=1), REMOTE_ADDR="10.1.1.1").status_code == 302


def test_a_paired_kiosk_is_held_to_its_cadence(skm_world, client, make_user, api):
    w = skm_world
    device = _pair(client, w["point"], make_user("sdm", "BKPSDM"))
    with freeze_time("2026-03-10 13:00:01+07:00") as frozen:
        assert client.post(CANONICAL_FORM, form_data(u1=1)).status_code == 302
        res = client.post(CANONICAL_FORM, form_data(u1=2))  # a second tap, 0 s later
        assert res.status_code == 429
        assert "Tunggu beberapa detik" in res.content.decode()
        frozen.tick(timedelta(seconds=10))
        # The API answers the tablet with the same rule (its cookie goes with the request).
        res = _post(client, {**BODY, "scores": scores(4)})
        assert res.status_code == 201, res.content
        res = _post(client, {**BODY, "scores": scores(3)})
        assert res.status_code == 429 and res["Retry-After"] == "10"
    assert ServiceFeedback.objects.filter(kiosk=device).count() == 2


def test_a_kiosk_answers_only_for_its_own_point(skm_world, client, make_user):
    w = skm_world
    _pair(client, w["point"], make_user("sdm", "BKPSDM"))
    res = _post(client, {"unit_code": "DPM", "service": "izin", "scores": scores(4)})
    assert res.status_code == 422
    assert "service" in res.json()["detail"] and "titik layanan lain" in res.json()["detail"]
    # On the web, another point's form treats the tablet like any device.
    res = client.post("/umpan-balik/DPM/izin/", form_data())
    assert res.status_code == 302
    assert ServiceFeedback.objects.get().kiosk is None


def test_a_revoked_kiosk_is_an_ordinary_device_again(skm_world, client, make_user):
    w = skm_world
    hr = make_user("sdm", "BKPSDM")
    device = _pair(client, w["point"], hr)
    skm_services.kiosk_revoke(actor=hr, device=device)
    for i in range(skm_services.DEVICE_RATE_LIMIT):
        assert (
            client.post(CANONICAL_FORM, form_data(u1=1 + i % 4, u2=1 + i // 4)).status_code == 302
        )
    assert client.post(CANONICAL_FORM, form_data(u3=1)).status_code == 429
    assert not ServiceFeedback.objects.filter(kiosk__isnull=False).exists()


def test_a_script_hammering_from_one_ip_is_refused_refusals_counting(skm_world, client):
    ip = "203.0.113.66"
    sent = created = 0
    for i in range(skm_services.IP_RATE_LIMIT):
        kind = i % 4
        if kind == 0:  # a valid answer
            res = _post(client, {**BODY, "scores": _varied(i)}, ip)
            assert res.status_code == 201, res.content
            created += 1
        elif kind == 1:  # not even JSON
            res = client.post(
                "/api/v1/feedback", "{x", content_type="application/json", REMOTE_ADDR=ip
            )
            assert res.status_code == 422
        elif kind == 2:  # probing service codes
            res = _post(client, {**BODY, "service": f"coba-{i}", "scores": scores(3)}, ip)
            assert res.status_code == 404
        else:  # probing through the public form, without keeping cookies
            client.cookies.clear()
            res = client.post(CANONICAL_FORM, form_data(u1=9), REMOTE_ADDR=ip)
            assert res.status_code == 422
        client.cookies.clear()
        sent += 1
    assert sent == skm_services.IP_RATE_LIMIT
    # Over the limit: refused, and the refusals go on counting.
    for _ in range(20):
        res = _post(client, {**BODY, "scores": scores(4)}, ip)
        assert res.status_code == 429
        assert res["Retry-After"] == str(int(skm_services.IP_RATE_WINDOW.total_seconds()))
    res = client.post(CANONICAL_FORM, form_data(u9=4), REMOTE_ADDR=ip)
    assert res.status_code == 429
    assert ServiceFeedback.objects.count() == created
    # Another address (another phone network) is not affected.
    assert _post(client, {**BODY, "scores": scores(4)}, "203.0.113.67").status_code == 201


def test_the_ip_limit_is_an_hour_wide(skm_world, client):
    ip = "203.0.113.70"
    with freeze_time("2026-03-10 08:00:00+07:00") as frozen:
        for i in range(skm_services.IP_RATE_LIMIT):
            assert _post(client, {**BODY, "scores": _varied(i)}, ip).status_code == 201
            frozen.tick(timedelta(seconds=30))  # 60 answers in 30 minutes
        assert _post(client, {**BODY, "scores": scores(4)}, ip).status_code == 429
        frozen.tick(skm_services.IP_RATE_WINDOW)
        assert _post(client, {**BODY, "scores": scores(4)}, ip).status_code == 201


def test_one_device_cookie_is_the_main_guard(skm_world, client):
    client.get(CANONICAL_FORM)  # the phone receives its device cookie
    for i in range(skm_services.DEVICE_RATE_LIMIT):
        res = client.post(
            CANONICAL_FORM, form_data(u1=1 + i % 4, u2=1 + i // 4), REMOTE_ADDR=f"10.9.0.{i}"
        )
        assert res.status_code == 302
    # The same phone through the API and another network: still the same device.
    res = _post(client, {**BODY, "scores": scores(1)}, "10.9.9.9")
    assert res.status_code == 429
    assert res["Retry-After"] == str(int(skm_services.DEVICE_RATE_WINDOW.total_seconds()))
    assert ServiceFeedback.objects.count() == skm_services.DEVICE_RATE_LIMIT


# ---------------------------------------------------------------------------------------------
# Pairing a tablet: the public link, the admin page
# ---------------------------------------------------------------------------------------------


def test_pairing_link_asks_first_then_pairs_once(skm_world, client, make_user):
    w = skm_world
    device, code = skm_services.kiosk_create(
        actor=make_user("sdm", "BKPSDM"), point=w["point"], name="Tablet loket 2"
    )
    assert device.pairing_hash == KioskDevice.hash_token(code)
    for value in KioskDevice.objects.values_list().get():
        assert code not in str(value)
    page = client.get(f"/loket/pasang/{code}/")
    assert page.status_code == 200
    assert "Tablet loket 2" in page.content.decode() and "Perekaman KTP-el" in page.content.decode()
    assert skm_services.KIOSK_COOKIE not in page.cookies
    assert KioskDevice.objects.get().paired_at is None  # a GET (a link preview) pairs nothing
    res = client.post(f"/loket/pasang/{code}/")
    assert res.status_code == 302
    cookie = res.cookies[skm_services.KIOSK_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) >= 365 * 24 * 3600
    device.refresh_from_db()
    assert device.paired_at and device.pairing_hash is None
    assert device.token_hash == KioskDevice.hash_token(cookie.value) and cookie.value != code
    assert "Perangkat loket: Tablet loket 2" in client.get(CANONICAL_FORM).content.decode()
    # The tablet opening its used link again goes to its form; anyone else: no longer valid.
    assert client.get(f"/loket/pasang/{code}/")["Location"] == CANONICAL_FORM
    client.cookies.clear()
    assert client.post(f"/loket/pasang/{code}/").status_code == 404
    assert client.get(f"/loket/pasang/{code}/").status_code == 404
    assert client.get("/loket/pasang/bukan-kode/").status_code == 404


def test_pairing_link_expires(skm_world, client, make_user):
    _device, code = skm_services.kiosk_create(
        actor=make_user("sdm", "BKPSDM"), point=skm_world["point"], name="Tablet"
    )
    with freeze_time(timezone.now() + skm_services.KIOSK_PAIRING_TTL + timedelta(minutes=1)):
        assert client.post(f"/loket/pasang/{code}/").status_code == 404
    assert not KioskDevice.objects.filter(paired_at__isnull=False).exists()


def test_thanks_page_on_a_kiosk_returns_to_the_form(skm_world, client, make_user):
    _pair(client, skm_world["point"], make_user("sdm", "BKPSDM"))
    res = client.post(CANONICAL_FORM, form_data())
    html = client.get(res["Location"]).content.decode()
    assert f'<meta http-equiv="refresh" content="8;url={CANONICAL_FORM}">' in html
    assert "Isi penilaian berikutnya" in html


def _devices_url(point) -> str:
    return f"/admin/titik-layanan/perangkat/{point.pk}/"


def test_hr_of_the_unit_creates_a_pairing_qr_code_in_the_admin(skm_world, client, make_user):
    w = skm_world
    client.force_login(make_user("sdm-dukcapil", "BKPSDM", hr_units=[w["root"]]))
    listing = client.get("/admin/titik-layanan/").content.decode()
    assert _devices_url(w["point"]) in listing
    assert client.get(_devices_url(w["point"])).status_code == 200
    res = client.post(_devices_url(w["point"]), {"name": "Tablet loket 3"})
    assert res.status_code == 200
    html = res.content.decode()
    assert "data:image/svg+xml" in html
    code = re.search(r"/loket/pasang/([A-Za-z0-9_-]+)/", html).group(1)
    device = KioskDevice.objects.get()
    assert (device.name, device.service_point) == ("Tablet loket 3", w["point"])
    assert device.pairing_hash == KioskDevice.hash_token(code)
    # Shown once: the page afterwards has the device, not its link.
    again = client.get(_devices_url(w["point"])).content.decode()
    assert "Tablet loket 3" in again and code not in again
    assert client.post(_devices_url(w["point"]), {"name": ""}).status_code == 200
    assert KioskDevice.objects.count() == 1


@pytest.mark.parametrize(("who", "status"), [("hr_other", 404), ("asn", 302), ("anonymous", 302)])
def test_others_cannot_create_or_revoke_a_kiosk(skm_world, client, make_user, who, status):
    w = skm_world
    device, _code = skm_services.kiosk_create(
        actor=make_user("sdm", "BKPSDM"), point=w["point"], name="Tablet"
    )
    user = {
        "hr_other": lambda: make_user("sdm-dpm", "BKPSDM", hr_units=[w["other"]]),
        "asn": lambda: make_user("pegawai", "ASN"),
        "anonymous": lambda: None,
    }[who]()
    if user is not None:
        client.force_login(user)
    assert client.get(_devices_url(w["point"])).status_code == status
    assert client.post(_devices_url(w["point"]), {"name": "Curian"}).status_code == status
    revoke = f"{_devices_url(w['point'])}cabut/{device.pk}/"
    assert client.post(revoke).status_code == status
    assert KioskDevice.objects.count() == 1
    assert KioskDevice.objects.get().revoked_at is None


def test_hr_revokes_a_kiosk_in_the_admin(skm_world, client, make_user):
    w = skm_world
    hr = make_user("sdm-dukcapil", "BKPSDM", hr_units=[w["root"]])
    tablet = client.__class__()
    device = _pair(tablet, w["point"], hr)
    client.force_login(hr)
    revoke = f"{_devices_url(w['point'])}cabut/{device.pk}/"
    assert client.get(revoke).status_code == 405
    asked = client.post(revoke)  # an irreversible act: the admin asks first
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Ya, cabut perangkat" in page and "Tidak dapat dibatalkan" in page
    device.refresh_from_db()
    assert device.revoked_at is None
    res = client.post(revoke, {"confirmed": "1"})
    assert res.status_code == 302 and res["Location"] == _devices_url(w["point"])
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert skm_services.kiosk_from_token(tablet.cookies[skm_services.KIOSK_COOKIE].value) is None
    assert "Perangkat loket" not in tablet.get(CANONICAL_FORM).content.decode()


def test_kiosk_services_check_authority(skm_world, make_user):
    w = skm_world
    other = make_user("sdm-dpm", "BKPSDM", hr_units=[w["other"]])
    asn = make_user("pegawai", "ASN")
    for actor in (other, asn):
        with pytest.raises(NotAllowed):
            skm_services.kiosk_create(actor=actor, point=w["point"], name="Tablet")
    device, _code = skm_services.kiosk_create(
        actor=make_user("sdm", "BKPSDM"), point=w["point"], name="Tablet"
    )
    for actor in (other, asn):
        with pytest.raises(NotAllowed):
            skm_services.kiosk_revoke(actor=actor, device=device)
    assert KioskDevice.objects.get().revoked_at is None
