"""The workflow part of the REST API contract (API.md): paths, fields, status codes."""

import datetime as dt

import pytest

from tests.workflow.conftest import finish_module
from workflow import services
from workflow.models import Assignment, Certificate

S = Assignment.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(make_module, make_employee, fake_pdf):
    e = make_employee("pemegang")
    m = make_module("Pelayanan Prima", jp=12)
    finish_module(e.user, m)
    services.certificate_issue(assignment_id=Assignment.objects.get(employee=e).pk)
    return Certificate.objects.get(employee=e)


def test_recommend_endpoint(api, hr_user, make_module, make_employee, make_gap, period):
    make_module(target=3)
    make_gap(make_employee(), required=3, assessed=1)
    response = api(hr_user).post("/periods/2026/recommend")
    assert response.status_code == 200
    assert response.json() == {"needs": 1, "recommended": 1, "without_module": 0}
    assert api(hr_user).post("/periods/2026/recommend").json() == {
        "needs": 0,
        "recommended": 0,
        "without_module": 0,
    }
    assert api(hr_user).post("/periods/1999/recommend").status_code == 404


def test_recommend_needs_hr(api, make_employee, period):
    e = make_employee()
    assert api(e.user).post("/periods/2026/recommend").status_code == 403
    assert api().post("/periods/2026/recommend").status_code == 401


def test_assignment_create_approve_cancel(api, hr_user, make_module, make_employee):
    e, m = make_employee(), make_module()
    due = (services.jakarta_today() + dt.timedelta(days=10)).isoformat()
    client = api(hr_user)
    response = client.post(
        "/assignments", {"employee_nip": e.nip, "module_id": m.pk, "due_date": due}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "assigned" and body["due_date"] == due
    assert set(body) == {
        "id",
        "module_id",
        "module_title",
        "status",
        "due_date",
        "progress_percent",
        "certificate_number",
    }
    dup = client.post("/assignments", {"employee_nip": e.nip, "module_id": m.pk})
    assert dup.status_code == 409 and "penugasan terbuka" in dup.json()["detail"]
    # approve an assigned one: illegal → 409
    conflict = client.post(f"/assignments/{body['id']}/approve", {})
    assert conflict.status_code == 409 and conflict.json()["detail"]
    assert (
        client.post(f"/assignments/{body['id']}/cancel", {"reason": "salah"}).json()["status"]
        == "cancelled"
    )
    assert client.post(f"/assignments/{body['id']}/cancel", {}).status_code == 409
    assert client.post("/assignments/999999/cancel", {}).status_code == 404


def test_assignment_create_bad_input(api, hr_user, make_module, make_employee):
    m = make_module()
    client = api(hr_user)
    assert (
        client.post("/assignments", {"employee_nip": "000", "module_id": m.pk}).status_code == 404
    )
    r = client.post("/assignments", {"module_id": m.pk})
    assert r.status_code == 422 and "employee_nip" in r.json()["detail"]
    e = make_employee()
    r = client.post(
        "/assignments", {"employee_nip": e.nip, "module_id": m.pk, "due_date": "2000-01-01"}
    )
    assert r.status_code == 422
    assert not Assignment.objects.exists()


def test_approve_recommended(api, hr_user, make_module, make_employee):
    a = Assignment.objects.create(
        employee=make_employee(), module=make_module(), status=S.RECOMMENDED
    )
    r = api(hr_user).post(f"/assignments/{a.pk}/approve", {"due_date": None})
    assert r.status_code == 200 and r.json()["status"] == "assigned"


def test_approve_and_cancel_without_a_body(client, api_token, hr_user, make_module, make_employee):
    """The body is optional (OpenAPI ``required: false``): no body at all is the defaults."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(hr_user)}"}
    approve = Assignment.objects.create(
        employee=make_employee(), module=make_module(), status=S.RECOMMENDED
    )
    empty = {"data": b"", "content_type": "application/json", **headers}
    r = client.post(f"/api/v1/assignments/{approve.pk}/approve", **empty)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "assigned"
    r = client.post(f"/api/v1/assignments/{approve.pk}/cancel", **empty)
    assert r.status_code == 200, r.content
    approve.refresh_from_db()
    assert approve.status == S.CANCELLED and approve.cancel_reason == ""


def test_scoped_hr_cannot_touch_other_units(
    api, make_user, make_module, make_employee, other_unit, unit
):
    scoped = make_user("hr-dinkes", "BKPSDM", hr_units=[other_unit])
    a = Assignment.objects.create(
        employee=make_employee(), module=make_module(), status=S.RECOMMENDED
    )
    assert api(scoped).post(f"/assignments/{a.pk}/approve", {}).status_code == 404


def test_employee_assignments_visibility(api, hr_user, make_module, make_employee, make_user):
    boss = make_employee("bos")
    e = make_employee(supervisor=boss)
    m = make_module()
    services.assignment_create(employee=e, module=m, due_date=None, actor=hr_user)
    for user in (hr_user, e.user, boss.user):
        r = api(user).get(f"/employees/{e.nip}/assignments")
        assert r.status_code == 200
        assert r.json()["count"] == 1 and r.json()["items"][0]["module_id"] == m.pk
    stranger = make_employee()
    assert api(stranger.user).get(f"/employees/{e.nip}/assignments").status_code == 404


def test_lesson_complete_and_quiz(api, make_module, make_employee):
    from portal.models import LessonPage

    e, m = make_employee(), make_module(lessons=2)
    first, last = LessonPage.objects.child_of(m).order_by("path")
    client = api(e.user)
    r = client.post(f"/lessons/{first.pk}/complete")
    assert r.status_code == 200 and r.json() == {
        "assignment_status": "in_progress",
        "progress_percent": 33,
    }
    r = client.post(f"/lessons/{last.pk}/quiz", {"answers": {"q1": ["c2"]}})
    body = r.json()
    assert body == {
        "score_percent": 0,
        "passed": False,
        "best_score_percent": 0,
        "module_completed": False,
        "questions": body["questions"],
    }
    # Per question: right or wrong with the explanation, never which choice is right.
    assert [(q["question_id"], q["status"], q["chosen"]) for q in body["questions"]] == [
        ("q1", "wrong", ["c2"])
    ]
    assert "correct" not in r.content.decode()
    r = client.post(f"/lessons/{last.pk}/quiz", {"answers": {"q1": ["c1"]}})
    body = r.json()
    assert {k: body[k] for k in ("score_percent", "passed", "best_score_percent")} == {
        "score_percent": 100,
        "passed": True,
        "best_score_percent": 100,
    }
    assert body["module_completed"] is True
    assert [q["status"] for q in body["questions"]] == ["right"]
    r = client.post(f"/lessons/{last.pk}/quiz", {"answers": {"q1": ["c2"]}})
    assert r.json()["best_score_percent"] == 100
    assert client.post(f"/lessons/{first.pk}/quiz", {"answers": {}}).status_code == 422
    assert client.post("/lessons/999999/complete").status_code == 404
    assert client.post(f"/lessons/{last.pk}/quiz", {"answers": "x"}).status_code == 422


def test_certificates_list(api, certified, hr_user, make_employee):
    holder = certified.employee
    r = api(holder.user).get(f"/employees/{holder.nip}/certificates")
    assert r.status_code == 200
    item = r.json()["items"][0]
    assert set(item) == {
        "number",
        "module_title",
        "jp",
        "issued_at",
        "revoked",
        "verify_url",
        "pdf_url",
    }
    assert item["number"] == certified.number and item["jp"] == 12 and item["revoked"] is False
    assert item["verify_url"].endswith(f"/verifikasi/{certified.verification_code}/")
    assert api(hr_user).get(f"/employees/{holder.nip}/certificates").status_code == 200
    assert api(make_employee().user).get(f"/employees/{holder.nip}/certificates").status_code == 404


def test_verify_and_revoke(api, certified, hr_user, make_employee):
    public = api()
    r = public.get(f"/certificates/verify/{certified.verification_code}")
    assert r.status_code == 200
    body = r.json()
    for key in (
        "valid",
        "number",
        "holder_name",
        "nip_masked",
        "module_title",
        "jp",
        "issued_at",
        "revoked",
        "sha256",
    ):
        assert key in body
    assert body["valid"] is True and body["revoked"] is False
    assert (
        body["nip_masked"] == certified.employee.nip[:4] + "********" + certified.employee.nip[-4:]
    )
    assert public.get("/certificates/verify/AAAAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    # revoke by number (it contains slashes)
    assert "/" in certified.number
    asn = make_employee()
    assert (
        api(asn.user).post(f"/certificates/{certified.number}/revoke", {"reason": "x"}).status_code
        == 403
    )
    assert (
        api(hr_user).post(f"/certificates/{certified.number}/revoke", {"reason": " "}).status_code
        == 422
    )
    r = api(hr_user).post(f"/certificates/{certified.number}/revoke", {"reason": "Data keliru"})
    assert r.status_code == 200 and r.json()["revoked"] is True
    assert (
        api(hr_user)
        .post(f"/certificates/{certified.number}/revoke", {"reason": "lagi"})
        .status_code
        == 409
    )
    assert (
        api(hr_user).post("/certificates/99999/SIKAP/2026/revoke", {"reason": "x"}).status_code
        == 404
    )
    body = public.get(f"/certificates/verify/{certified.verification_code}").json()
    assert body["valid"] is False and body["revoked"] is True and body["status"] == "revoked"


def test_openapi_lists_the_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/periods/{code}/recommend",
        "/api/v1/employees/{nip}/assignments",
        "/api/v1/assignments",
        "/api/v1/assignments/{assignment_id}/approve",
        "/api/v1/assignments/{assignment_id}/cancel",
        "/api/v1/lessons/{lesson_id}/complete",
        "/api/v1/lessons/{lesson_id}/quiz",
        "/api/v1/employees/{nip}/certificates",
        "/api/v1/certificates/verify/{code}",
        "/api/v1/certificates/{number}/revoke",
    ):
        assert path in paths, path


@pytest.mark.parametrize("path", ["assignments", "certificates"])
def test_employee_lists_fixed_queries(api, hr_user, make_module, make_employee, fake_pdf, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def learner(n):
        e = make_employee()
        for _ in range(n):
            a = Assignment.objects.create(
                employee=e, module=make_module(lessons=1, quiz=False), status=S.COMPLETED, jp=2
            )
            services.certificate_issue(assignment_id=a.pk)
        return e

    counts = []
    client = api(hr_user)
    for e in (learner(2), learner(15)):
        client.get(f"/employees/{e.nip}/{path}")  # warm caches
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/employees/{e.nip}/{path}")
        assert r.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 12
