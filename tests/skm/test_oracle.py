"""The public SKM path is no oracle (issue #14, hole 6): ``POST /api/v1/feedback`` answers a
right and a wrong ``employee_nip`` alike, and every attempt counts towards the rate limit,
refused ones too (the API and the public form)."""

from __future__ import annotations

import pytest

from kompetensi.models import Employee
from skm import services as skm_services
from skm.models import ServiceFeedback

from .test_skm import FORM_URL, form_data, scores, skm_world  # noqa: F401 - fixture

BODY = {"unit_code": "DUKCAPIL-01", "service": "ktp-el"}


def _post(client, payload, ip):
    return client.post("/api/v1/feedback", payload, content_type="application/json", REMOTE_ADDR=ip)


def _shape(response) -> tuple:
    body = response.json()
    return response.status_code, sorted(body), body["status"], body["period_code"]


@pytest.mark.parametrize(
    "wrong",
    ["outsider", "clerk", "colleague", "unknown"],
    ids=["other-unit", "not-front-line", "outside-the-point", "no-such-nip"],
)
def test_a_wrong_nip_gets_the_same_answer_as_a_right_one(skm_world, client, wrong):  # noqa: F811
    w = skm_world
    nip = "199912312020121999" if wrong == "unknown" else w[wrong].nip
    assert not Employee.objects.filter(nip=nip, pk=w["officer"].pk).exists()
    right = _post(
        client, {**BODY, "scores": scores(4), "employee_nip": w["officer"].nip}, "1.1.1.1"
    )
    other = _post(client, {**BODY, "scores": scores(4), "employee_nip": nip}, "2.2.2.2")
    assert right.status_code == 201, right.content
    assert _shape(other) == _shape(right)
    assert other.json()["id"] != right.json()["id"]
    assert ServiceFeedback.objects.get(pk=right.json()["id"]).employee_id == w["officer"].pk
    # The wrong NIP's answer still counts for the service point, about nobody.
    kept = ServiceFeedback.objects.get(pk=other.json()["id"])
    assert (kept.employee_id, kept.service_point_id, kept.u1) == (None, w["point"].pk, 4)


def test_a_duplicate_with_a_wrong_nip_is_a_duplicate_too(skm_world, client):  # noqa: F811
    w = skm_world
    first = _post(
        client, {**BODY, "scores": scores(2), "employee_nip": w["officer"].nip}, "3.3.3.3"
    )
    again = _post(
        client, {**BODY, "scores": scores(2), "employee_nip": w["outsider"].nip}, "3.3.3.3"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_a_malformed_nip_is_bad_input_whoever_it_names(skm_world, client):  # noqa: F811
    res = _post(client, {**BODY, "scores": scores(3), "employee_nip": "12345"}, "4.4.4.4")
    assert res.status_code == 422
    assert "employee_nip" in res.json()["detail"]
    assert ServiceFeedback.objects.count() == 0


REFUSED = [
    ({**BODY, "scores": scores(9)}, 422),  # out of range
    ({**BODY, "service": "tidak-ada", "scores": scores(3)}, 404),  # unknown service
    ({"unit_code": "DUKCAPIL-01"}, 422),  # fields missing
    ({**BODY, "scores": scores(3), "comment": "x" * 1001}, 422),  # comment too long
]


def test_api_refused_attempts_count_towards_the_limit(skm_world, client):  # noqa: F811
    statuses = []
    for i in range(skm_services.IP_RATE_LIMIT):  # no cookies: the IP's limit
        payload, expected = REFUSED[i % len(REFUSED)]
        res = _post(client, payload, "198.51.100.7")
        statuses.append(res.status_code)
        assert res.status_code == expected, res.content
    res = _post(client, {**BODY, "scores": scores(3)}, "198.51.100.7")
    assert res.status_code == 429, (statuses, res.content)
    assert "Terlalu banyak" in res.json()["detail"]
    assert res["Retry-After"] == str(int(skm_services.IP_RATE_WINDOW.total_seconds()))
    assert ServiceFeedback.objects.count() == 0
    # A body that is not even JSON counts and is refused once over the limit.
    res = client.post(
        "/api/v1/feedback", "{oops", content_type="application/json", REMOTE_ADDR="198.51.100.7"
    )
    assert res.status_code == 429
    # Another address is not affected.
    assert _post(client, {**BODY, "scores": scores(3)}, "198.51.100.8").status_code == 201


def test_api_duplicates_count_towards_the_limit(skm_world, client):  # noqa: F811
    for i in range(skm_services.IP_RATE_LIMIT):
        res = _post(client, {**BODY, "scores": scores(3)}, "198.51.100.9")
        assert res.status_code == (201 if i == 0 else 200)
    assert _post(client, {**BODY, "scores": scores(1)}, "198.51.100.9").status_code == 429
    assert ServiceFeedback.objects.count() == 1


def test_form_refused_attempts_count_towards_the_limit(skm_world, client):  # noqa: F811
    bad = form_data(u1="9")
    for _ in range(skm_services.DEVICE_RATE_LIMIT - 1):  # the device cookie's limit
        assert client.post(FORM_URL, bad, REMOTE_ADDR="203.0.113.50").status_code == 422
    # The honeypot (a bot) counts too.
    res = client.post(FORM_URL, form_data(situs_web="x"), REMOTE_ADDR="203.0.113.50")
    assert res.status_code == 302
    res = client.post(FORM_URL, form_data(), REMOTE_ADDR="203.0.113.50")
    assert res.status_code == 429
    assert "Terlalu banyak umpan balik" in res.content.decode()
    assert ServiceFeedback.objects.count() == 0
