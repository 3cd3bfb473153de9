"""The API under hostile input (issue #14, hole 10): bounded ``limit``/``offset``, bodies that
are not JSON objects refused with a declared 422, JSON errors everywhere under ``/api/`` (404,
405, 500, errors raised outside the operations), and the OpenAPI document declaring every
status and rule (``tests/security/test_api_fuzz.py`` runs schemathesis over it)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

MAX_INT64 = 2**63 - 1  # the largest value of a BigAutoField / SQL bigint
PAGE_MAX = 500  # API.md: ?limit= at most 500

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(make_user, api_token):
    user = make_user("robust-hr", "BKPSDM")
    return user, {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}


@pytest.fixture
def world(db):
    from kompetensi.models import Employee, OrganizationUnit

    unit = OrganizationUnit.objects.create(code="DINKES", name="Dinas Kesehatan")
    employee = Employee.objects.create(nip="198503302010011003", name="Budi", unit=unit)
    return {"unit": unit, "employee": employee}


def _client() -> Client:
    return Client(raise_request_exception=False)


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), (
        response.status_code,
        response["Content-Type"],
        response.content[:200],
    )
    body = json.loads(response.content)
    assert isinstance(body, dict) and isinstance(body.get("detail"), str), body
    return body


def _document() -> dict:
    from core.api import api

    return json.loads(json.dumps(api.get_openapi_schema()))  # keys as served


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield f"{method.upper()} {path}", operation


# -- limit / offset ------------------------------------------------------------------------------

LISTS = ["/api/v1/units", "/api/v1/employees", "/api/v1/competencies", "/api/v1/modules"]


@pytest.mark.parametrize("url", LISTS)
def test_offset_bounded_by_the_largest_database_integer(url, hr):
    _user, headers = hr
    client = _client()
    response = client.get(url, {"offset": MAX_INT64}, **headers)
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["items"] == []
    for offset in (MAX_INT64 + 1, 2**70, -1):
        response = client.get(url, {"offset": offset}, **headers)
        assert response.status_code == 422, (offset, response.content)
        assert "offset" in _json(response)["detail"]


@pytest.mark.parametrize("url", LISTS)
def test_limit_between_1_and_500(url, hr):
    _user, headers = hr
    client = _client()
    assert client.get(url, {"limit": PAGE_MAX}, **headers).status_code == 200
    for limit in (PAGE_MAX + 1, 0, "banyak"):
        response = client.get(url, {"limit": limit}, **headers)
        assert response.status_code == 422, (limit, response.content)
        assert "limit" in _json(response)["detail"]


def test_topic_posts_offset_bounded(hr):
    _user, headers = hr
    response = _client().get("/api/v1/topics/1", {"offset": MAX_INT64 + 1}, **headers)
    assert response.status_code == 422 and "offset" in _json(response)["detail"]


def test_every_paginated_list_declares_its_bounds():
    problems = []
    for label, operation in _operations(_document()):
        params = {p["name"]: p["schema"] for p in operation.get("parameters", [])}
        if "offset" in params:
            if params["offset"].get("maximum") != MAX_INT64:
                problems.append(f"{label}: offset tanpa maximum 2^63-1")
            if params.get("limit", {}).get("maximum") != PAGE_MAX:
                problems.append(f"{label}: limit tanpa maximum {PAGE_MAX}")
    assert not problems, problems


# -- request bodies ------------------------------------------------------------------------------

NOT_OBJECTS = ["[]", "[1, 2]", '"teks"', "42", "true", "null"]


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_a_body_that_is_not_an_object_is_422_and_writes_nothing(body, hr, world):
    from kompetensi.models import Employee, OrganizationUnit

    _user, headers = hr
    client = _client()
    nip = world["employee"].nip
    for method, url in [
        ("post", "/api/v1/units"),
        ("patch", f"/api/v1/employees/{nip}"),
        ("post", "/api/v1/feedback"),
    ]:
        response = getattr(client, method)(url, body, content_type="application/json", **headers)
        assert response.status_code == 422, (method, url, body, response.content)
        assert "objek JSON" in _json(response)["detail"]
    assert OrganizationUnit.objects.count() == 1
    assert Employee.objects.get(nip=nip).name == "Budi"


@pytest.mark.parametrize("body", ["{", '{"code": "X",}', "{'code': 'X'}", b"\xff\xfe{}"])
def test_malformed_json_is_a_declared_422_with_a_detail(body, hr):
    from kompetensi.models import OrganizationUnit

    _user, headers = hr
    response = _client().post("/api/v1/units", body, content_type="application/json", **headers)
    assert response.status_code == 422, response.content
    assert "JSON" in _json(response)["detail"]
    assert not OrganizationUnit.objects.exists()


def test_empty_body_names_what_is_missing(hr):
    _user, headers = hr
    response = _client().post("/api/v1/units", "", content_type="application/json", **headers)
    assert response.status_code == 422
    assert "objek JSON" in _json(response)["detail"]


def test_body_integers_and_booleans_are_json_types(hr):
    """``"3"`` is no integer and ``0`` no boolean (pydantic's lax mode would take them);
    ``3.0`` is the integer 3, as JSON Schema counts it."""
    from kompetensi.models import EvaluationPeriod

    _user, headers = hr
    client = _client()
    body = {"code": "2031", "name": "Periode 2031", "start": "2031-01-01", "end": "2031-12-31"}
    for wrong in (0, "true"):
        response = client.post(
            "/api/v1/periods",
            {**body, "is_open": wrong},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 422, (wrong, response.content)
        assert "is_open" in _json(response)["detail"]
    scores = {f"u{i}": 3 for i in range(1, 10)}
    feedback = {"unit_code": "X", "service": "x"}
    response = client.post(
        "/api/v1/feedback",
        {**feedback, "scores": {**scores, "u1": "3"}},
        content_type="application/json",
    )
    assert response.status_code == 422 and "u1" in _json(response)["detail"]
    response = client.post(
        "/api/v1/feedback",
        {**feedback, "scores": {**scores, "u1": 3.0}},
        content_type="application/json",
    )
    assert response.status_code == 404  # valid; the unit is unknown
    assert not EvaluationPeriod.objects.filter(code="2031").exists()


def test_unreadable_multipart_is_400_not_500(hr):
    _user, headers = hr
    response = _client().post(
        "/api/v1/employees/import?dry_run=true",
        b"--x\r\n",
        content_type="multipart/form-data",  # no boundary
        **headers,
    )
    assert response.status_code in (400, 403), response.content
    _json(response)


# -- JSON everywhere under /api/ -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/units%0A",
        "/api/v1/units/%0A",
        "/api/v1/employees/%0A/summary%0A",
        "/api/v1/tidak-ada",
        "/api/v1/units/",
        "/api/v1/",
        "/api/",
        "/api/v2/units",
    ],
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_paths_under_api_are_json_404(path, method, hr):
    _user, headers = hr
    response = getattr(_client(), method)(path, **headers)
    assert response.status_code in (404, 405), (path, response.status_code)
    assert response.status_code != 301
    _json(response)


def test_unsupported_method_is_json_405_with_allow(hr):
    _user, headers = hr
    response = _client().delete("/api/v1/units", **headers)
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert "DELETE" in _json(response)["detail"]


def test_unexpected_error_is_json_500_and_rolls_back(hr, monkeypatch):
    from kompetensi import services
    from kompetensi.models import OrganizationUnit

    real = services.unit_create

    def half_done(**kwargs):
        real(**kwargs)  # written…
        raise RuntimeError("boom")  # …then a bug

    monkeypatch.setattr(services, "unit_create", half_done)
    _user, headers = hr
    response = _client().post(
        "/api/v1/units", {"code": "BARU", "name": "Unit Baru"}, "application/json", **headers
    )
    assert response.status_code == 500
    assert "boom" not in _json(response)["detail"]
    assert not OrganizationUnit.objects.filter(code="BARU").exists()


def test_a_service_error_keeps_its_status_and_detail(hr, monkeypatch):
    from core.errors import Conflict
    from kompetensi import services

    def conflict(**kwargs):
        raise Conflict("sudah ada", field="code")

    monkeypatch.setattr(services, "unit_create", conflict)
    _user, headers = hr
    response = _client().post(
        "/api/v1/units", {"code": "X", "name": "Y"}, "application/json", **headers
    )
    assert response.status_code == 409
    assert _json(response)["detail"] == "Kolom 'code': sudah ada."


@pytest.mark.parametrize(
    ("error", "status"),
    [("validation", 422), ("integrity", 409)],
)
def test_model_and_database_refusals_are_not_500(error, status, hr, monkeypatch):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError

    from kompetensi import services
    from kompetensi.models import OrganizationUnit

    real = services.unit_create

    def refused(**kwargs):
        real(**kwargs)
        if error == "validation":
            raise ValidationError("Kode tidak sah.")
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(services, "unit_create", refused)
    _user, headers = hr
    response = _client().post(
        "/api/v1/units", {"code": "DUA", "name": "Unit"}, "application/json", **headers
    )
    assert response.status_code == status
    assert "UNIQUE" not in _json(response)["detail"]
    assert not OrganizationUnit.objects.filter(code="DUA").exists()


def test_errors_raised_outside_the_api_are_json_too(hr, settings):
    _user, headers = hr
    settings.ALLOWED_HOSTS = ["testserver"]
    response = _client().get("/api/v1/units", HTTP_HOST="jahat.example", **headers)
    assert response.status_code == 400
    _json(response)
    # The same outside /api/ stays Django's page.
    response = _client().get("/masuk/", HTTP_HOST="jahat.example")
    assert response.status_code == 400
    assert not response["Content-Type"].startswith("application/json")


def test_session_post_without_csrf_is_json(client, make_user):
    client.force_login(make_user("robust-sesi", "BKPSDM"))
    csrf_client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    csrf_client.cookies = client.cookies
    response = csrf_client.post("/api/v1/units", {"code": "Z", "name": "Z"}, "application/json")
    assert response.status_code in (401, 403)
    _json(response)


# -- the document --------------------------------------------------------------------------------


def test_every_operation_declares_validation_auth_and_multipart_errors():
    problems = []
    for label, operation in _operations(_document()):
        responses = operation["responses"]
        reads_input = operation.get("parameters") or operation.get("requestBody")
        if reads_input and "422" not in responses:
            problems.append(f"{label}: 422 tidak dideklarasikan")
        if operation.get("security") and "401" not in responses:
            problems.append(f"{label}: 401 tidak dideklarasikan")
        if label.split()[0] in {"POST", "PUT", "PATCH", "DELETE"} and "409" not in responses:
            problems.append(f"{label}: 409 tidak dideklarasikan")
        content = (operation.get("requestBody") or {}).get("content", {})
        if "multipart/form-data" in content and "400" not in responses:
            problems.append(f"{label}: 400 tidak dideklarasikan")
    assert not problems, problems


def test_feedback_schema_states_its_rules():
    schema = _document()["components"]["schemas"]
    feedback = schema["FeedbackIn"]
    assert set(feedback["required"]) == {"unit_code", "service", "scores"}
    scores = schema["SkmScoresIn"]
    assert scores["additionalProperties"] is False
    assert set(scores["required"]) == {f"u{i}" for i in range(1, 10)}
    assert all(
        (p["type"], p["minimum"], p["maximum"]) == ("integer", 1, 4)
        for p in scores["properties"].values()
    )
    nip = feedback["properties"]["employee_nip"]
    assert any("pattern" in option for option in nip.get("anyOf", [nip]))


def test_document_uses_json_schema_keywords_only():
    """A constraint written where pydantic cannot turn it into JSON Schema (e.g. ninja's
    ``Field(ge=…)`` inside ``Annotated``) shows up as ``ge``/``le`` that no client reads."""
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"ge", "le", "gt", "lt", "min_length", "max_length", "regex"}:
                    found.append(f"{path}/{key}")
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for value in node:
                walk(value, path)

    walk(_document(), "")
    assert not found, found
