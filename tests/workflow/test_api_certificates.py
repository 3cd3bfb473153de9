"""Certificates in the REST API (API.md "Additions (v1, second round)", issue #16): the PDF
download by token or session (holder, HR in scope; others 404, anonymous 401; revoked ones
stamped "DICABUT"), HR's scoped certificate list with its filters and a fixed number of
queries, every ``pdf_url`` pointing at the download, times with the Asia/Jakarta offset."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from workflow import services
from workflow.models import Assignment, Certificate

S = Assignment.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_stub(monkeypatch):
    """The certificate renderer replaced by a small, well-formed one-page PDF (pypdf), so the
    "DICABUT" stamp is applied to a real PDF (WeasyPrint itself is tested in test_pdf.py)."""
    from pypdf import PdfWriter

    calls = []

    def _render(ctx):
        calls.append(ctx.number)
        writer = PdfWriter()
        writer.add_blank_page(width=842, height=595)
        writer.add_metadata({"/Title": ctx.number})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    monkeypatch.setattr("workflow.certificates.pdf.render_certificate_pdf", _render)
    return calls


@pytest.fixture
def world(db, unit, other_unit, make_user, make_employee, make_module, hr_user, pdf_stub):
    """DINKES with a sub-unit P2P; the holder works in P2P, under a supervisor.
    ``hr_unit`` administers DINKES (so P2P), ``hr_other`` administers BKPSDM only."""
    from kompetensi.models import OrganizationUnit

    sub = OrganizationUnit.objects.create(code="DINKES-P2P", name="Bidang P2P", parent=other_unit)
    boss = make_employee("atasan", unit_=sub)
    holder = make_employee("pemegang", unit_=sub, supervisor=boss)
    module = make_module("Pelayanan Prima", jp=12, lessons=1, quiz=False)
    return {
        "sub": sub,
        "holder": holder,
        "boss": boss,
        "module": module,
        "cert": _certify(holder, module),
        "hr_all": hr_user,
        "hr_unit": make_user("hr-dinkes", "BKPSDM", hr_units=[other_unit]),
        "hr_other": make_user("hr-bkpsdm", "BKPSDM", hr_units=[unit]),
        "asn_other": make_employee("asn-lain", unit_=other_unit),
    }


def _certify(employee, module, *, jp: int = 12) -> Certificate:
    a = Assignment.objects.create(employee=employee, module=module, status=S.COMPLETED, jp=jp)
    return services.certificate_issue(assignment_id=a.pk)


def _pdf_path(cert: Certificate) -> str:
    return f"/certificates/{cert.number}/pdf"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _local(url: str) -> str:
    """An absolute URL of this site as the test client requests it."""
    site = settings.SITE_URL.rstrip("/")
    assert url.startswith(f"{site}/api/v1/"), url
    return url[len(site) :]


# -- GET /certificates/{number}/pdf --------------------------------------------------------------


def test_pdf_with_a_token_as_the_holder(api, world):
    cert = world["cert"]
    assert "/" in cert.number and not cert.pdf  # rendered on demand, like the web download
    r = api(world["holder"].user).get(_pdf_path(cert))
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/pdf"
    assert r["Cache-Control"] == "private, no-store"
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment;") and cert.number.replace("/", "-") in disposition
    data = _body(r)
    assert data.startswith(b"%PDF")
    cert.refresh_from_db()
    assert cert.pdf and cert.sha256  # stored once, served as issued
    from core.pdf import pdf_sha256

    assert pdf_sha256(data) == cert.sha256


@pytest.mark.parametrize("role", ["hr_unit", "hr_all"])
def test_pdf_with_a_token_as_hr_in_scope(api, world, role):
    r = api(world[role]).get(_pdf_path(world["cert"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert _body(r).startswith(b"%PDF")


@pytest.mark.parametrize("role", ["hr_other", "asn_other", "boss"])
def test_pdf_refused_to_others_as_not_found(api, world, role):
    user = world[role] if role.startswith("hr_") else world[role].user
    r = api(user).get(_pdf_path(world["cert"]))
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json") and r.json()["detail"]


def test_pdf_anonymous_and_bad_token_are_401(api, client, world):
    r = api().get(_pdf_path(world["cert"]))
    assert r.status_code == 401 and "detail" in r.json()
    r = client.get(f"/api/v1{_pdf_path(world['cert'])}", HTTP_AUTHORIZATION="Bearer salah")
    assert r.status_code == 401


def test_pdf_unknown_numbers_are_404(api, world):
    client = api(world["hr_all"])
    for number in ("99999/SIKAP/2026", "x" * 300, "verify"):
        r = client.get(f"/certificates/{number}/pdf")
        assert r.status_code == 404 and r.json()["detail"], number


def test_pdf_with_a_browser_session(client, world):
    cert = world["cert"]
    client.force_login(world["holder"].user)
    r = client.get(f"/api/v1{_pdf_path(cert)}")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert _body(r).startswith(b"%PDF")
    client.force_login(world["hr_unit"])
    assert client.get(f"/api/v1{_pdf_path(cert)}").status_code == 200
    client.force_login(world["hr_other"])
    assert client.get(f"/api/v1{_pdf_path(cert)}").status_code == 404


def test_revoked_pdf_is_stamped(api, world):
    from core.pdf import pdf_sha256

    cert = world["cert"]
    original = _body(api(world["holder"].user).get(_pdf_path(cert)))
    assert "DICABUT" not in _text(original)
    services.certificate_revoke(certificate=cert, actor=world["hr_unit"], reason="Data keliru")
    for user in (world["holder"].user, world["hr_unit"]):
        r = api(user).get(_pdf_path(cert))
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert "DICABUT" in r["Content-Disposition"]
        stamped = _body(r)
        assert "DICABUT" in _text(stamped) and cert.number in _text(stamped)
        assert pdf_sha256(stamped) != pdf_sha256(original)
    cert.refresh_from_db()
    assert cert.sha256 == pdf_sha256(original)  # the stored original is untouched


# -- pdf_url and issued_at ----------------------------------------------------------------------


def test_every_pdf_url_resolves_to_the_download(api, world):
    holder, cert = world["holder"], world["cert"]
    client = api(holder.user)
    item = client.get(f"/employees/{holder.nip}/certificates").json()["items"][0]
    assert item["pdf_url"] == f"{settings.SITE_URL.rstrip('/')}/api/v1{_pdf_path(cert)}"
    hr = api(world["hr_unit"])
    listed = hr.get("/certificates").json()["items"][0]
    assert listed["pdf_url"] == item["pdf_url"]
    for who, url in ((client, item["pdf_url"]), (hr, listed["pdf_url"])):
        r = who.client.get(_local(url), **who.headers)
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def _jakarta(value: str) -> dt.datetime:
    assert value.endswith("+07:00"), value
    return dt.datetime.fromisoformat(value)


def test_times_carry_the_jakarta_offset(api, world):
    holder, cert = world["holder"], world["cert"]
    issued = cert.issued_at
    mine = api(holder.user).get(f"/employees/{holder.nip}/certificates").json()["items"][0]
    assert abs(_jakarta(mine["issued_at"]) - issued) < dt.timedelta(milliseconds=1)
    listed = api(world["hr_all"]).get("/certificates").json()["items"][0]
    assert listed["issued_at"] == mine["issued_at"]
    Certificate.objects.filter(pk=cert.pk).update(expires_at=issued + dt.timedelta(days=365))
    verified = api().get(f"/certificates/verify/{cert.verification_code}").json()
    assert verified["issued_at"] == mine["issued_at"]
    assert _jakarta(verified["expires_at"]) - _jakarta(verified["issued_at"]) == dt.timedelta(
        days=365
    )
    revoked = api(world["hr_unit"]).post(f"/certificates/{cert.number}/revoke", {"reason": "Uji"})
    assert revoked.status_code == 200
    _jakarta(revoked.json()["revoked_at"])


# -- GET /certificates ----------------------------------------------------------------------------


@pytest.fixture
def listed(world, make_employee, make_module, other_unit, unit):
    """Besides the holder's certificate (P2P, this year): one in DINKES issued a year earlier
    and revoked, one in BKPSDM (outside hr_unit's scope)."""
    module = make_module("Etika ASN", jp=6, lessons=1, quiz=False)
    dinkes = _certify(make_employee(unit_=other_unit), module, jp=6)
    earlier = dinkes.issued_at - dt.timedelta(days=365)
    Certificate.objects.filter(pk=dinkes.pk).update(
        issued_at=earlier,
        year=timezone.localtime(earlier).year,
        revoked_at=timezone.now(),
        revoked_reason="Uji",
    )
    bkpsdm = _certify(make_employee(unit_=unit), module, jp=6)
    return {"p2p": world["cert"], "dinkes": Certificate.objects.get(pk=dinkes.pk), "bkpsdm": bkpsdm}


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return [item["number"] for item in body["items"]]


def test_list_fields_and_order(api, world, listed):
    r = api(world["hr_all"]).get("/certificates")
    assert _numbers(r) == [listed["bkpsdm"].number, listed["p2p"].number, listed["dinkes"].number]
    item = r.json()["items"][1]
    cert = listed["p2p"]
    assert item == {
        "number": cert.number,
        "nip": world["holder"].nip,
        "holder_name": world["holder"].name,
        "module_title": "Pelayanan Prima",
        "jp": 12,
        "issued_at": item["issued_at"],
        "revoked": False,
        "verify_url": services.verify_url(cert.verification_code),
        "pdf_url": f"{settings.SITE_URL.rstrip('/')}/api/v1{_pdf_path(cert)}",
    }
    assert r.json()["items"][2]["revoked"] is True


def test_list_is_scoped_to_the_officers_units(api, world, listed):
    hr_unit = api(world["hr_unit"])
    assert _numbers(hr_unit.get("/certificates")) == [listed["p2p"].number, listed["dinkes"].number]
    assert _numbers(hr_unit.get("/certificates", unit_code="DINKES")) == [
        listed["p2p"].number,
        listed["dinkes"].number,
    ]
    assert _numbers(hr_unit.get("/certificates", unit_code="DINKES-P2P")) == [listed["p2p"].number]
    # A unit outside the scope and one that does not exist: the same 404.
    for code in ("BKPSDM", "TIDAK-ADA"):
        r = hr_unit.get("/certificates", unit_code=code)
        assert r.status_code == 404 and "unit_code" in r.json()["detail"]
    hr_other = api(world["hr_other"])
    assert _numbers(hr_other.get("/certificates")) == [listed["bkpsdm"].number]
    assert hr_other.get("/certificates", unit_code="DINKES").status_code == 404


def test_list_filters(api, world, listed):
    client = api(world["hr_all"])
    this_year = listed["p2p"].year
    assert _numbers(client.get("/certificates", year=this_year)) == [
        listed["bkpsdm"].number,
        listed["p2p"].number,
    ]
    assert _numbers(client.get("/certificates", year=listed["dinkes"].year)) == [
        listed["dinkes"].number
    ]
    assert _numbers(client.get("/certificates", revoked="true")) == [listed["dinkes"].number]
    assert _numbers(client.get("/certificates", revoked="false")) == [
        listed["bkpsdm"].number,
        listed["p2p"].number,
    ]
    assert _numbers(
        client.get("/certificates", unit_code="DINKES", year=this_year, revoked="false")
    ) == [listed["p2p"].number]
    paged = client.get("/certificates", limit=1, offset=1).json()
    assert paged["count"] == 3 and [i["number"] for i in paged["items"]] == [listed["p2p"].number]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "26"}, "year"),
        ({"year": "20260"}, "year"),
        ({"year": "tahun"}, "year"),
        ({"revoked": "mungkin"}, "revoked"),
        ({"unit_code": "U" * 41}, "unit_code"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_list_bad_filters_are_422_naming_the_field(api, world, params, field):
    r = api(world["hr_all"]).get("/certificates", **params)
    assert r.status_code == 422, r.content
    assert field in r.json()["detail"]


def test_list_refused_to_non_hr(api, world, make_user):
    assert api(world["holder"].user).get("/certificates").status_code == 403
    assert api(world["boss"].user).get("/certificates").status_code == 403
    # A BKPSDM member without any HR scope row administers nothing.
    assert api(make_user("hr-tanpa", "BKPSDM", hr_units=())).get("/certificates").status_code == 403
    r = api().get("/certificates")
    assert r.status_code == 401 and r.json()["detail"]


def test_list_runs_a_fixed_number_of_queries(api, world, make_employee, make_module, other_unit):
    module = make_module("Modul Massal", jp=2, lessons=1, quiz=False)
    client = api(world["hr_unit"])
    counts = []
    for n in (2, 25):
        while Certificate.objects.filter(employee__unit__path__startswith="DINKES").count() < n:
            _certify(make_employee(unit_=world["sub"]), module, jp=2)
        client.get("/certificates", unit_code="DINKES")  # warm caches
        with CaptureQueriesContext(connection) as ctx:
            r = client.get("/certificates", unit_code="DINKES", limit=500)
        assert len(_numbers(r)) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 10, counts


def test_employee_certificates_still_listed(api, world):
    """The holder's own list keeps its contract (fields unchanged)."""
    holder = world["holder"]
    r = api(holder.user).get(f"/employees/{holder.nip}/certificates")
    assert r.status_code == 200
    assert set(r.json()["items"][0]) == {
        "number",
        "module_title",
        "jp",
        "issued_at",
        "revoked",
        "verify_url",
        "pdf_url",
    }
    assert api(world["hr_other"]).get(f"/employees/{holder.nip}/certificates").status_code == 404


def test_openapi_declares_the_certificate_operations(client):
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    pdf = paths["/api/v1/certificates/{number}/pdf"]["get"]
    assert set(pdf["responses"]["200"]["content"]) == {"application/pdf"}
    assert {"401", "404"} <= set(pdf["responses"])
    listing = paths["/api/v1/certificates"]["get"]
    assert {"200", "401", "403", "404", "422"} <= set(listing["responses"])
    params = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert {"unit_code", "year", "revoked", "limit", "offset"} <= set(params)
    year = next(o for o in params["year"]["anyOf"] if o.get("type") == "integer")
    assert (year["minimum"], year["maximum"]) == (1000, 9999)
    for path, method in (
        ("/api/v1/certificates", "get"),
        ("/api/v1/certificates/{number}/pdf", "get"),
        ("/api/v1/employees/{nip}/certificates", "get"),
        ("/api/v1/certificates/verify/{code}", "get"),
        ("/api/v1/certificates/{number}/revoke", "post"),
    ):
        operation = paths[path][method]
        assert operation["summary"] and operation["description"] and operation["tags"], path
        ok = operation["responses"]["200"]["content"]
        if "application/json" in ok:
            assert "example" in ok["application/json"], path
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]["$ref"]
                assert schema.endswith(("/ErrorOut", "/ValidationErrorOut")), (path, status)
