"""The permission matrix: every route of our apps (from the URL configuration) and every API
operation (from the OpenAPI schema) × every role, with the expected status.

A route or API operation without an entry in ``EXPECTED``/``EXPECTED_API`` fails the test
("new URL without an entry"): decide who may reach it and add a line. Pages are requested
with GET (POST-only views answer 405); API writes are sent with an empty JSON body, so a role
that may call them gets 422 (validation) and one that may not gets 401/403/404. URL kwargs are
filled from the seeded demo world (tests/security/demo_world.py): the objects belong to the
demo ASN (unit of the scoped HR officer ``hr_unit``, report of the demo supervisor);
``hr_other`` is an HR officer scoped to another unit. The writes themselves (valid bodies,
what each role wrote): tests/security/test_write_matrix.py.

To print the current matrix in this file's format (after adding a route):
``SIKAP_MATRIX_PRINT=1 pytest tests/security/test_permission_matrix.py -s``."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver

from .demo_world import demo  # noqa: F401 - module-scoped fixture

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "asn",
    "supervisor",
    "asn_other",
    "trainer",
    "reviewer",
    "hr_unit",
    "hr_other",
    "hr_all",
    "superuser",
)

# Route prefixes that aren't ours: Wagtail admin internals and the API (tested by schema; the
# JSON 404 for the rest of /api/, "^api/", by tests/security/test_api_robustness.py).
SKIP_PREFIXES = ("admin/", "api/v1/", "^api/", "django-admin/", "__debug__/")


def iter_routes(patterns=None, prefix: str = ""):
    """(pattern string, URLPattern) for every leaf route outside SKIP_PREFIXES."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        route = prefix + str(p.pattern)
        if route.startswith(SKIP_PREFIXES):
            continue
        if isinstance(p, URLResolver):
            yield from iter_routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p


def concrete_url(route: str, d) -> str:
    """The URL to request for ``route`` with objects of the demo world."""
    o, kw = d.objs, d.kw
    if route == "akun/token/<int:pk>/cabut/":  # a token of the demo ASN
        if "api_token_id" not in kw:
            from core.models import ApiToken

            kw["api_token_id"] = ApiToken.issue(user=d.users["asn"], name="matriks")[0].pk
        return f"/akun/token/{kw['api_token_id']}/cabut/"
    if route == "notifikasi/<int:pk>/buka/":  # a notification of the demo ASN
        if "notification_id" not in kw:
            from core.models import Notification

            kw["notification_id"] = Notification.objects.create(
                user=d.users["asn"], kind="reminder", title="Matriks", url="/pelatihan-saya/"
            ).pk
        return f"/notifikasi/{kw['notification_id']}/buka/"
    point_url = f"/umpan-balik/{o['point'].unit.code}/{o['point'].code}/"
    special = {
        "akun/email/<str:token>/": "/akun/email/tautan-tidak-sah/",
        "dokumen/^(\\d+)/(.*)$": "/dokumen/999999/tidak-ada.pdf",
        "^((?:[\\w\\-]+/)*)$": "/",
        "akun/reset/<uidb64>/<token>/": "/akun/reset/MQ/abc-123/",
        "umpan-balik/<slug:code>/": f"/umpan-balik/{o['point'].code}/",
        "umpan-balik/<str:unit>/<slug:code>/": point_url,
        "umpan-balik/<str:unit>/<slug:code>/terima-kasih/": f"{point_url}terima-kasih/",
        "umpan-balik/<str:unit>/<slug:code>/poster.pdf": f"{point_url}poster.pdf",
        "loket/pasang/<str:token>/": "/loket/pasang/tautan-tidak-berlaku/",
        "sdm/impor-<str:kind>/templat.<str:fmt>": "/sdm/impor-pegawai/templat.xlsx",
        "sdm/unit/<str:code>/": f"/sdm/unit/{o['asn_emp'].unit.code}/",
        "sdm/periode/<str:code>/status/": f"/sdm/periode/{kw['period']}/status/",
        "sdm/rekomendasi/<int:pk>/": f"/sdm/rekomendasi/{kw['assignment_id']}/",
        "forum/topik/<int:pk>/<str:action>/": f"/forum/topik/{kw['topic_id']}/ikuti/",
        "tim-saya/<str:nip>/penilaian/<str:period>/": (
            f"/tim-saya/{o['asn_emp'].nip}/penilaian/{kw['period']}/"
        ),
    }
    if route in special:
        return special[route]
    values = {
        "nip": o["asn_emp"].nip,
        "period": kw["period"],
        "code": kw["code"],
        "lesson_id": str(kw["lesson_id"]),
        "module_id": str(kw["module_id"]),
        "slug": kw["slug"],
        "restriction_id": "999999",
        "page_view_restriction_id": "999999",
        "page_id": str(kw["module_id"]),
    }
    if route.startswith("forum/topik/"):
        values["pk"] = str(kw["topic_id"])
    elif route.startswith("forum/pesan/"):
        values["pk"] = str(o["post"].pk)
    elif route.startswith("forum/laporan/"):
        values["pk"] = str(o["report"].pk if o.get("report") else 999999)
    elif "eksternal" in route:
        values["pk"] = str(o["external"].pk if o.get("external") else 999999)
    url = route
    import re

    for match in re.findall(r"<(?:\w+:)?(\w+)>", route):
        url = re.sub(rf"<(?:\w+:)?{match}>", values[match], url, count=1)
    return "/" + url


def api_path(path: str, d) -> str:
    o, kw = d.objs, d.kw
    values = {
        "nip": o["asn_emp"].nip,
        "code": kw["code"],
        "module_id": kw["module_id"],
        "lesson_id": kw["lesson_id"],
        "assignment_id": kw["assignment_id"],
        "topic_id": kw["topic_id"],
        "slug": kw["slug"],
        "number": o["cert"].number if o.get("cert") else "0/X/0",
        # no such scope row: deleting a real one would change the module's demo world
        "scope_id": 999999999,
    }
    if "{evaluation_id}" in path:
        from kompetensi.models import Evaluation

        # the demo ASN's own (self) evaluation: final, so finalising it again is 409
        values["evaluation_id"] = (
            Evaluation.objects.filter(employee=o["asn_emp"], source="self")
            .order_by("pk")
            .first()
            .pk
        )
    if path.startswith("/api/v1/units/{code}"):
        values["code"] = o["asn_emp"].unit.code
    elif path.startswith("/api/v1/periods/{code}"):
        values["code"] = kw["period"]
    return path.format(**{k: str(v) for k, v in values.items()})


def _request(client, user, url: str) -> int:
    cache.clear()  # rate limits must not make the outcome depend on the order
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def _api_request(client, api_token, user, method: str, path: str) -> int:
    cache.clear()
    client.logout()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"} if user else {}
    call = getattr(client, method)
    if method == "get":
        return call(path, **headers).status_code
    return call(path, {}, content_type="application/json", **headers).status_code


def _print_table(name: str, rows: dict) -> None:
    print(f"\n{name} = {{")  # noqa: T201
    for key, statuses in rows.items():
        print(f"    {key!r}: {statuses!r},")  # noqa: T201
    print("}")  # noqa: T201


@pytest.fixture
def no_pdf(monkeypatch):
    """PDF rendering is not what's tested here (and is slow)."""

    def fake(*args, **kwargs):
        return b"%PDF-1.4 test"

    monkeypatch.setattr("core.pdf.render_html_pdf", fake)
    monkeypatch.setattr("reports.privacy.render_html_pdf", fake)
    monkeypatch.setattr("skm.poster.render_poster_pdf", fake)
    monkeypatch.setattr("workflow.certificates.pdf.render_certificate_pdf", fake)


@pytest.mark.slow(seconds=15)
def test_every_route_by_role(demo, client, no_pdf):  # noqa: F811
    users = {"anonymous": None, **demo.users}
    actual: dict[str, tuple] = {}
    for route, _p in iter_routes():
        url = concrete_url(route, demo)
        actual[route] = tuple(_request(client, users[r], url) for r in ROLES)
    # Wagtail pages served by the catch-all route: catalogue, a module, a lesson, help
    o = demo.objs
    for name, url in (
        ("page:catalog", o["module"].get_parent().url),
        ("page:module", o["module"].url),
        ("page:lesson", o["lesson"].url),
        ("page:help", "/panduan/"),
    ):
        actual[name] = tuple(_request(client, users[r], url) for r in ROLES)
    if os.environ.get("SIKAP_MATRIX_PRINT"):
        _print_table("EXPECTED", actual)
    missing = sorted(set(actual) - set(EXPECTED))
    assert not missing, f"new URL without an entry in EXPECTED: {missing}"
    wrong = {
        route: {
            r: (exp, got)
            for r, exp, got in zip(ROLES, EXPECTED[route], st, strict=True)
            if exp != got
        }
        for route, st in actual.items()
        if st != EXPECTED[route]
    }
    assert not wrong, f"(expected, got) per role: {wrong}"


EXPECTED_API_OWN_CERT = {
    "GET /api/v1/certificates/{number}/pdf": (401, 200, 404, 404, 404, 404, 200, 404, 200, 200),
}


def test_every_api_operation_by_role(demo, client, api_token):  # noqa: F811
    from core.api import api

    cert = demo.objs.get("cert")
    if cert is not None and cert.employee_id == demo.objs["asn_emp"].pk:
        EXPECTED_API.update(EXPECTED_API_OWN_CERT)

    users = {"anonymous": None, **demo.users}
    schema = api.get_openapi_schema()
    actual: dict[str, tuple] = {}
    for path, operations in schema["paths"].items():
        for method in operations:
            key = f"{method.upper()} {path}"
            url = api_path(path, demo)
            actual[key] = tuple(
                _api_request(client, api_token, users[r], method, url) for r in ROLES
            )
    if os.environ.get("SIKAP_MATRIX_PRINT"):
        _print_table("EXPECTED_API", actual)
    missing = sorted(set(actual) - set(EXPECTED_API))
    assert not missing, f"new API operation without an entry in EXPECTED_API: {missing}"
    wrong = {key: (EXPECTED_API[key], st) for key, st in actual.items() if st != EXPECTED_API[key]}
    assert not wrong, f"(expected, got) in role order {ROLES}: {wrong}"


def test_admin_entry_points(demo, client):  # noqa: F811
    users = {"anonymous": None, **demo.users}
    expected = {
        "anonymous": 302,
        "asn": 302,
        "supervisor": 302,
        "asn_other": 302,
        "trainer": 200,
        "reviewer": 200,
        "hr_unit": 200,
        "hr_other": 200,
        "hr_all": 200,
        "superuser": 200,
    }
    got = {role: _request(client, users[role], "/admin/") for role in ROLES}
    assert got == expected
    # the audit log: HR with a scope (the rows of their units) and superuser only
    got = {role: _request(client, users[role], "/admin/log-audit/") for role in ROLES}
    assert {r for r, s in got.items() if s == 200} == {"hr_unit", "hr_other", "hr_all", "superuser"}


EXPECTED: dict[str, tuple] = {
    # route: statuses in ROLES order (anonymous, asn, supervisor, asn_other, trainer,
    # reviewer, hr_unit, hr_other, hr_all, superuser)
    "masuk/": (200, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "keluar/": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "akun/kata-sandi/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "akun/kata-sandi/selesai/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "akun/reset/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "akun/reset/terkirim/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "akun/reset/<uidb64>/<token>/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "akun/reset/selesai/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # only role accounts enrol an authenticator (with an enrolment code); others go on
    "akun/2fa/": (302, 302, 302, 302, 302, 302, 200, 200, 200, 200),
    "akun/token/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "akun/token/<int:pk>/cabut/": (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    "akun/email/<str:token>/": (400, 400, 400, 400, 400, 400, 400, 400, 400, 400),
    "i18n/setlang/": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "dokumen/^(\\d+)/(.*)$": (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "dokumen/authenticate_with_password/<int:restriction_id>/": (
        404,
        404,
        404,
        404,
        404,
        404,
        404,
        404,
        404,
        404,
    ),
    "umpan-balik/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "umpan-balik/<slug:code>/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "umpan-balik/<str:unit>/<slug:code>/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "umpan-balik/<str:unit>/<slug:code>/terima-kasih/": (
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        200,
    ),
    # a pairing link that is not (or no longer) valid: 404 for everyone
    "loket/pasang/<str:token>/": (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "sdm/umpan-balik/": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "kinerja-saya/umpan-balik/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "kinerja-saya/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "kinerja-saya/penilaian-diri/<str:period>/": (302, 200, 200, 200, 200, 200, 404, 404, 200, 404),
    "tim-saya/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "tim-saya/<str:nip>/penilaian/<str:period>/": (
        302,
        404,
        200,
        404,
        404,
        404,
        200,
        404,
        200,
        200,
    ),
    "sdm/impor-pegawai/": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "sdm/impor-skp/": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "sdm/impor-<str:kind>/templat.<str:fmt>": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "sdm/penilaian-rekan/<str:nip>/": (302, 404, 404, 404, 404, 404, 200, 404, 200, 200),
    "sdm/periode/": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "sdm/periode/<str:code>/status/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "sdm/": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "sdm/unit/<str:code>/": (302, 403, 403, 403, 403, 403, 200, 404, 200, 200),
    "sdm/pegawai/<str:nip>/": (302, 403, 403, 403, 403, 403, 200, 404, 200, 200),
    "sdm/efektivitas/": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "sdm/ekspor/riwayat-kursus/": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "pelatihan-saya/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "pelajaran/<int:lesson_id>/selesai/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "pelajaran/<int:lesson_id>/kuis/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "modul/<int:module_id>/ikuti/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "notifikasi/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "notifikasi/baca/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # only the demo ASN's own notification opens (redirect to its page); anyone else's is 404
    "notifikasi/<int:pk>/buka/": (302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    "umpan-balik/<str:unit>/<slug:code>/poster.pdf": (
        302,
        403,
        403,
        403,
        403,
        403,
        404,
        404,
        200,
        200,
    ),
    "verifikasi/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "verifikasi/<str:code>/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "sertifikat/<str:code>/unduh/": (302, 404, 404, 404, 404, 404, 404, 404, 200, 200),
    "sertifikat/<str:code>/cabut/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "sdm/kebutuhan/": (302, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "sdm/rekomendasi/": (302, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "sdm/rekomendasi/<int:pk>/": (302, 404, 404, 404, 404, 404, 200, 404, 200, 200),
    "sdm/kebutuhan-tanpa-modul/": (302, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "pelatihan-saya/eksternal/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "pelatihan-saya/eksternal/baru/": (302, 200, 200, 200, 200, 200, 302, 302, 200, 302),
    "pelatihan-saya/eksternal/<int:pk>/bukti/": (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "sdm/pembelajaran-eksternal/": (302, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "sdm/pembelajaran-eksternal/<int:pk>/setujui/": (
        302,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
    ),
    "sdm/pembelajaran-eksternal/<int:pk>/tolak/": (
        302,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
    ),
    "sdm/sertifikat/unduh.zip": (302, 404, 404, 404, 404, 404, 400, 400, 400, 400),
    "sdm/sertifikat/": (302, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "sdm/sertifikat/<str:code>/terbitkan-ulang/": (
        302,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
        405,
    ),
    "forum/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "forum/cari/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "forum/moderasi/": (302, 404, 200, 404, 200, 404, 200, 200, 200, 200),
    "forum/preferensi/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "forum/laporan/<int:pk>/selesai/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "forum/topik/<int:pk>/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "forum/topik/<int:pk>/balas/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "forum/topik/<int:pk>/pindahkan/": (302, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "forum/topik/<int:pk>/<str:action>/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "forum/pesan/<int:pk>/": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "forum/pesan/<int:pk>/ubah/": (302, 200, 302, 302, 302, 302, 200, 200, 200, 200),
    "forum/pesan/<int:pk>/riwayat/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "forum/pesan/<int:pk>/hapus/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "forum/pesan/<int:pk>/terima-kasih/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "forum/pesan/<int:pk>/jawaban/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "forum/pesan/<int:pk>/laporkan/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "forum/pesan/<int:pk>/sembunyikan/": (302, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "forum/pesan/<int:pk>/tampilkan/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "forum/pesan/<int:pk>/moderasi/": (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    "forum/<slug:slug>/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "forum/<slug:slug>/topik-baru/": (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "forum/<slug:slug>/akses/": (302, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        404,
        404,
        404,
        404,
        404,
        404,
        404,
        404,
        404,
        404,
    ),
    "_util/login/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "^((?:[\\w\\-]+/)*)$": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # personal data export (reports/privacy.py): the person themself; HR in scope
    "kinerja-saya/data-saya.json": (302, 200, 200, 200, 200, 200, 404, 404, 200, 404),
    "kinerja-saya/data-saya.pdf": (302, 200, 200, 200, 200, 200, 404, 404, 200, 404),
    "sdm/pegawai/<str:nip>/data.json": (302, 404, 404, 404, 404, 404, 200, 404, 200, 200),
    "page:catalog": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "page:module": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "page:lesson": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "page:help": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}

EXPECTED_API: dict[str, tuple] = {
    # writes with an empty body: 422 once authenticated (the body is validated before the
    # permission check; the permission itself is tested per app), 401 anonymous
    "GET /api/v1/health": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/units": (401, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "POST /api/v1/units": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    # an empty PATCH of the demo ASN's unit: hidden from non-HR (404); the scoped officer's own
    # root is not theirs to change (403); city-wide: 200 (nothing changes)
    "PATCH /api/v1/units/{code}": (401, 404, 404, 404, 404, 404, 403, 404, 200, 200),
    "GET /api/v1/hr-scopes": (401, 403, 403, 403, 403, 403, 403, 403, 200, 200),
    "POST /api/v1/hr-scopes": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "DELETE /api/v1/hr-scopes/{scope_id}": (401, 403, 403, 403, 403, 403, 403, 403, 404, 404),
    "GET /api/v1/competencies": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/competencies": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/positions": (401, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "POST /api/v1/positions": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/employees": (401, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "POST /api/v1/employees": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    # no file in the body: 422 (the import's authority: tests/kompetensi/test_import_trust.py)
    "POST /api/v1/employees/import": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/employees/{nip}": (401, 200, 200, 404, 404, 404, 200, 404, 200, 200),
    "PATCH /api/v1/employees/{nip}": (401, 403, 403, 404, 404, 404, 200, 404, 200, 200),
    "POST /api/v1/periods": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/periods": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # an empty PATCH: city-wide HR only (periods belong to the whole city)
    "PATCH /api/v1/periods/{code}": (401, 403, 403, 403, 403, 403, 403, 403, 200, 200),
    "POST /api/v1/evaluations": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    # the demo ASN's own self-evaluation (final): the employee and HR in scope read it; only the
    # employee may finalise it (already final: 409), HR sees it but may not (403)
    "GET /api/v1/evaluations": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/evaluations/{evaluation_id}": (401, 200, 404, 404, 404, 404, 200, 404, 200, 200),
    "POST /api/v1/evaluations/{evaluation_id}/finalize": (
        401,
        409,
        404,
        404,
        404,
        404,
        403,
        404,
        403,
        403,
    ),
    "GET /api/v1/employees/{nip}/competencies": (401, 200, 200, 404, 404, 404, 200, 404, 200, 200),
    "GET /api/v1/employees/{nip}/summary": (401, 200, 200, 404, 404, 404, 200, 404, 200, 200),
    "POST /api/v1/employees/{nip}/skp": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /api/v1/feedback": (422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/units/{code}/ikm": (401, 403, 403, 403, 403, 403, 200, 404, 200, 200),
    "GET /api/v1/units/{code}/services": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/units/{code}/services": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/modules": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/modules/{module_id}": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/lessons/{lesson_id}": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/periods/{code}/recommend": (401, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "GET /api/v1/employees/{nip}/assignments": (401, 200, 200, 404, 404, 404, 200, 404, 200, 200),
    "POST /api/v1/assignments": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /api/v1/assignments/{assignment_id}/approve": (
        401,
        403,
        403,
        403,
        403,
        403,
        409,
        404,
        409,
        409,
    ),
    "POST /api/v1/assignments/{assignment_id}/cancel": (
        401,
        403,
        403,
        403,
        403,
        403,
        409,
        404,
        409,
        409,
    ),
    "POST /api/v1/lessons/{lesson_id}/complete": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/lessons/{lesson_id}/quiz": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/employees/{nip}/certificates": (401, 200, 404, 404, 404, 404, 200, 404, 200, 200),
    "GET /api/v1/certificates": (401, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    # the matrix's certificate (``d.objs["cert"]``: the demo ASN's when the seeded demo gives
    # them one, else another unit's): the holder and HR in scope; the others 404. The row for
    # the ASN's own certificate is in EXPECTED_API_OWN_CERT.
    "GET /api/v1/certificates/{number}/pdf": (401, 404, 404, 404, 404, 404, 404, 404, 200, 200),
    "GET /api/v1/certificates/verify/{code}": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/certificates/{number}/revoke": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/units/{code}/report": (401, 403, 403, 403, 403, 403, 200, 404, 200, 200),
    "GET /api/v1/forums": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/forums/{slug}/topics": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/topics/{topic_id}": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/topics/{topic_id}/posts": (401, 422, 422, 422, 422, 422, 422, 422, 422, 422),
}
