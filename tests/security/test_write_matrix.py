"""The write matrix: every state-changing URL of the HTML views, every write operation of the
API (from the OpenAPI schema) and every add/edit/delete (and other POST) view of our Wagtail
admin viewsets and of the training pages × the ten roles, with the expected outcome.

Each case (tests/security/write_cases.py) sends a request that would succeed for a role
allowed to make it, about an object in the demo ASN's unit (the unit of ``hr_unit``; ``hr_other``
administers another unit). A cell is the response status, written ``"+<status>"`` when the
attempt wrote something (rows that stayed, e-mails, on-commit work); a plain number means
nothing was written. Every attempt is rolled back. Besides the table, three rules hold for
every case: a refusal (401, 403, 404, 405) writes nothing; in an HR act on the demo ASN's
unit (``scoped``) ``hr_unit`` writes and ``hr_other`` does not.

A route, API operation or admin view without an entry fails the test ("new URL without an
entry"): add a case in write_cases.py (or the route to ``READ_ONLY``/``ADMIN_READ_ONLY``,
where a POST by every role is checked to write nothing) and its line here. To print the
current tables in this file's format, with the tables each row wrote as a comment:
``SIKAP_MATRIX_PRINT=1 pytest tests/security/test_write_matrix.py -s``."""

from __future__ import annotations

import json
import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .demo_world import demo  # noqa: F401 - module-scoped fixture
from .test_permission_matrix import concrete_url, iter_routes
from .write_cases import (
    ADMIN_READ_ONLY,
    READ_ONLY,
    ROLES,
    Case,
    Outcome,
    admin_cases,
    admin_read_only_url,
    api_cases,
    html_cases,
    load_forms,
    run_attempt,
)

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")
REFUSED = (401, 403, 404, 405)


@pytest.fixture
def no_pdf(monkeypatch):
    """PDF rendering is not what's tested here (and is slow)."""

    def fake(*args, **kwargs):
        return b"%PDF-1.4 test"

    monkeypatch.setattr("core.pdf.render_html_pdf", fake)
    monkeypatch.setattr("reports.privacy.render_html_pdf", fake)
    monkeypatch.setattr("skm.poster.render_poster_pdf", fake)
    monkeypatch.setattr("workflow.certificates.pdf.render_certificate_pdf", fake)


def _run(client, demo, cases: list[Case], channel: str) -> dict[str, tuple[Outcome, ...]]:  # noqa: F811
    return {
        case.key: tuple(run_attempt(client, case, demo, role, channel=channel) for role in ROLES)
        for case in cases
    }


def _print_table(name: str, rows: dict[str, tuple[Outcome, ...]]) -> None:
    print(f"\n{name}: dict[str, tuple] = {{")
    for key, outcomes in rows.items():
        written = sorted(set().union(*(o.written for o in outcomes)))
        cells = ", ".join(json.dumps(o.cell) for o in outcomes)
        print(f"    # {', '.join(written) or '-'}")
        print(f"    {json.dumps(key)}: ({cells}),")
    print("}")


def _check(name: str, cases: list[Case], actual, expected: dict) -> None:
    if os.environ.get("SIKAP_MATRIX_PRINT"):
        _print_table(name, actual)
    missing = sorted(set(actual) - set(expected))
    assert not missing, f"new case without an entry in {name}: {missing}"
    stale = sorted(set(expected) - set(actual))
    assert not stale, f"entries of {name} without a case: {stale}"
    # A refusal writes nothing; an HR act on the demo ASN's unit is hr_unit's, not hr_other's.
    for case in cases:
        outcomes = dict(zip(ROLES, actual[case.key], strict=True))
        for role, outcome in outcomes.items():
            assert not (outcome.status in REFUSED and outcome.written), (
                f"{case.key}: {role} was refused ({outcome.status}) but wrote {outcome.written}"
            )
        if case.scoped:
            assert outcomes["hr_unit"].acted, f"{case.key}: hr_unit (in scope) did not act"
            assert not outcomes["hr_other"].written, (
                f"{case.key}: hr_other (another unit) wrote {outcomes['hr_other'].written}"
            )
    wrong = {
        key: {
            role: (exp, got.cell)
            for role, exp, got in zip(ROLES, expected[key], outcomes, strict=True)
            if exp != got.cell
        }
        for key, outcomes in actual.items()
        if tuple(o.cell for o in outcomes) != expected[key]
    }
    assert not wrong, f"(expected, got) per role: {wrong}"


# -- HTML views --------------------------------------------------------------------------------


def test_every_html_write_by_role(demo, client, no_pdf):  # noqa: F811
    cases = html_cases()
    routes = {route for route, pattern in iter_routes()}
    covered = {case.route for case in cases}
    missing = sorted(routes - covered - set(READ_ONLY))
    assert not missing, f"new URL without an entry (a write case or READ_ONLY): {missing}"
    assert not sorted((covered | set(READ_ONLY)) - routes), "entries for routes that are gone"
    assert not covered & set(READ_ONLY), "a route is both written and read-only"
    _check("EXPECTED_HTML", cases, _run(client, demo, cases, "html"), EXPECTED_HTML)


def test_read_only_routes_write_nothing(demo, client, no_pdf):  # noqa: F811
    wrote = {}
    for route, allowed in READ_ONLY.items():
        url = concrete_url(route, demo)
        case = Case(route, lambda c, url=url: url)
        for role in ROLES:
            outcome = run_attempt(client, case, demo, role, channel="html")
            if outcome.written - allowed:
                wrote[(route, role)] = (outcome.status, sorted(outcome.written))
    assert not wrote, f"a POST to a read-only route wrote: {wrote}"


# -- API ---------------------------------------------------------------------------------------


def test_every_api_write_by_role(demo, client, no_pdf):  # noqa: F811
    from core.api import api

    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path}"
        for path, ops in schema["paths"].items()
        for method in ops
        if method in WRITE_METHODS
    }
    cases = api_cases()
    covered = {case.route for case in cases}
    missing = sorted(operations - covered)
    assert not missing, f"new API write without a case: {missing}"
    assert not sorted(covered - operations), "cases for operations that are gone"
    _check("EXPECTED_API", cases, _run(client, demo, cases, "api"), EXPECTED_API)


# -- Wagtail admin -----------------------------------------------------------------------------


# un-namespaced admin views of our apps are named after their app (``core_api_tokens``)
OUR_APP_PREFIXES = tuple(
    f"{app}_" for app in ("core", "kompetensi", "skm", "portal", "workflow", "forum", "reports")
)


def _admin_routes(patterns=None, namespace: str = "", inside: bool = False):
    """``namespace:name`` of every admin view of our viewsets, our account pages and the
    page editor."""
    from .write_cases import ADMIN_VIEWSETS

    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            below = inside or str(p.pattern) == "admin/"
            yield from _admin_routes(p.url_patterns, p.namespace or namespace, below)
        elif isinstance(p, URLPattern) and inside and p.name:
            if namespace in ADMIN_VIEWSETS or namespace == "wagtailadmin_pages":
                yield f"{namespace}:{p.name}"
            elif not namespace and p.name.startswith(OUR_APP_PREFIXES):
                yield p.name


@pytest.mark.slow(seconds=15)
def test_every_admin_write_by_role(demo, client, no_pdf):  # noqa: F811
    cases = admin_cases()
    routes = set(_admin_routes())
    covered = {case.route for case in cases}
    missing = sorted(routes - covered - ADMIN_READ_ONLY)
    assert not missing, f"new admin view without an entry (a case or ADMIN_READ_ONLY): {missing}"
    assert not sorted((covered | ADMIN_READ_ONLY) - routes), "entries for views that are gone"
    load_forms(client, cases, demo)
    _check("EXPECTED_ADMIN", cases, _run(client, demo, cases, "admin"), EXPECTED_ADMIN)


def test_admin_read_only_views_write_nothing(demo, client, no_pdf):  # noqa: F811
    wrote = {}
    for key in sorted(ADMIN_READ_ONLY):
        url = admin_read_only_url(key, demo)
        if url is None:
            continue
        case = Case(key, lambda c, url=url: url)
        for role in ROLES:
            outcome = run_attempt(client, case, demo, role, channel="admin")
            if outcome.written:
                wrote[(key, role)] = (outcome.status, sorted(outcome.written))
    assert not wrote, f"a POST to a read-only admin view wrote: {wrote}"


# fmt: off
EXPECTED_HTML: dict[str, tuple] = {
    # statuses in ROLES order: anonymous, asn, supervisor, asn_other, trainer, reviewer,
    # hr_unit, hr_other, hr_all, superuser
    "masuk/": ("+302", 302, 302, 302, 302, 302, 302, 302, 302, 302),
    # Wagtail's sign-in form for restricted pages: credentials sign in, also over a session
    "_util/login/": ("+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "keluar/": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "akun/kata-sandi/": (302, "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "akun/reset/": ("+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    # a valid link (sent to the account's confirmed address) is the capability
    "akun/reset/<uidb64>/<token>/": ("+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    # with an enrolment code for one's own account; only role accounts enrol
    "akun/2fa/": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "akun/token/<int:pk>/cabut/": (302, "+302", 404, 404, 404, 404, 404, 404, 404, 404),
    "akun/email/<str:token>/": ("+200", "+200", "+200", "+200", "+200", "+200", "+200", "+200", "+200", "+200"),
    "i18n/setlang/": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "umpan-balik/<slug:code>/": ("+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "umpan-balik/<str:unit>/<slug:code>/": ("+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "loket/pasang/<str:token>/": ("+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "kinerja-saya/penilaian-diri/<str:period>/": (302, "+302", "+302", "+302", "+302", "+302", 404, 404, "+302", 404),
    "tim-saya/<str:nip>/penilaian/<str:period>/": (302, 404, "+302", 404, 404, 404, "+302", 404, "+302", "+302"),
    # the preview writes nothing; hr_other's commit shows the demo ASN's row as an error
    "sdm/impor-pegawai/ #pratinjau": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "sdm/impor-pegawai/ #impor": (302, 403, 403, 403, 403, 403, "+302", 200, "+302", "+302"),
    "sdm/impor-skp/ #pratinjau": (302, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "sdm/impor-skp/ #impor": (302, 403, 403, 403, 403, 403, "+302", 200, "+302", "+302"),
    "sdm/periode/": (302, 403, 403, 403, 403, 403, 403, 403, "+302", "+302"),
    "sdm/periode/<str:code>/status/": (302, 403, 403, 403, 403, 403, 403, 403, "+302", "+302"),
    "pelajaran/<int:lesson_id>/selesai/": (302, 302, "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "pelajaran/<int:lesson_id>/kuis/": (302, "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "modul/<int:module_id>/ikuti/": (302, "+302", "+302", "+302", "+302", "+302", 302, 302, "+302", 302),
    "notifikasi/baca/": (302, "+302", "+302", 302, 302, 302, 302, 302, 302, 302),
    "sertifikat/<str:code>/cabut/": (302, 404, 404, 404, 404, 404, "+302", 404, "+302", "+302"),
    # HR's certificate list: the PDF re-rendered with current data, HR of the holder's unit only
    "sdm/sertifikat/<str:code>/terbitkan-ulang/": (302, 404, 404, 404, 404, 404, "+302", 404, "+302", "+302"),
    "sdm/kebutuhan/": (302, 404, 404, 404, 404, 404, "+302", 404, "+302", "+302"),
    # over the officer's own units: hr_other's run finds nothing of the demo ASN's
    "sdm/rekomendasi/ #jalankan": (302, 404, 404, 404, 404, 404, "+302", 302, "+302", "+302"),
    "sdm/rekomendasi/ #setujui": (302, 404, 404, 404, 404, 404, "+302", 302, "+302", "+302"),
    "sdm/rekomendasi/ #batalkan": (302, 404, 404, 404, 404, 404, "+302", 302, "+302", "+302"),
    "sdm/rekomendasi/<int:pk>/ #simpan": (302, 404, 404, 404, 404, 404, "+302", 404, "+302", "+302"),
    "sdm/rekomendasi/<int:pk>/ #setujui": (302, 404, 404, 404, 404, 404, "+302", 404, "+302", "+302"),
    "sdm/rekomendasi/<int:pk>/ #batalkan": (302, 404, 404, 404, 404, 404, "+302", 404, "+302", "+302"),
    "pelatihan-saya/eksternal/baru/": (302, "+302", "+302", "+302", "+302", "+302", 302, 302, "+302", 302),
    "sdm/pembelajaran-eksternal/<int:pk>/setujui/": (302, 404, 404, 404, 404, 404, "+302", 404, "+302", "+302"),
    "sdm/pembelajaran-eksternal/<int:pk>/tolak/": (302, 404, 404, 404, 404, 404, "+302", 404, "+302", "+302"),
    "forum/preferensi/": (302, "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    # forums are not unit-bound: every BKPSDM officer moderates the public forums without a
    # module and manages access to private ones
    "forum/laporan/<int:pk>/selesai/": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    # a GET that writes the reader's own read marker
    "forum/topik/<int:pk>/": (302, "+200", "+200", "+200", "+200", "+200", "+200", "+200", "+200", "+200"),
    "forum/topik/<int:pk>/balas/": (302, "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "forum/topik/<int:pk>/pindahkan/": (302, 404, 404, 404, 404, 404, "+302", "+302", "+302", "+302"),
    "forum/topik/<int:pk>/<str:action>/ #kunci": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum/topik/<int:pk>/<str:action>/ #sematkan": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum/topik/<int:pk>/<str:action>/ #ikuti": (302, "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "forum/pesan/<int:pk>/ubah/": (302, "+302", 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum/pesan/<int:pk>/hapus/": (302, "+302", 302, 302, 302, 302, 302, 302, 302, 302),
    "forum/pesan/<int:pk>/terima-kasih/": (302, "+302", "+302", "+302", "+302", "+302", "+302", "+302", 302, "+302"),
    "forum/pesan/<int:pk>/jawaban/": (302, "+302", 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum/pesan/<int:pk>/laporkan/": (302, "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "forum/pesan/<int:pk>/sembunyikan/": (302, 404, 404, 404, 404, 404, "+302", "+302", "+302", "+302"),
    "forum/pesan/<int:pk>/tampilkan/": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum/pesan/<int:pk>/moderasi/ #setujui": (302, 404, 404, 302, 404, 404, "+302", "+302", "+302", "+302"),
    "forum/pesan/<int:pk>/moderasi/ #tolak": (302, 404, 404, 302, 404, 404, "+302", "+302", "+302", "+302"),
    "forum/<slug:slug>/topik-baru/": (302, "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302", "+302"),
    "forum/<slug:slug>/akses/ #beri": (302, 404, 404, 404, 404, 404, "+302", "+302", "+302", "+302"),
    "forum/<slug:slug>/akses/ #cabut": (302, 404, 404, 404, 404, 404, "+302", "+302", "+302", "+302"),
}

EXPECTED_API: dict[str, tuple] = {
    # outside the scope a unit code reads as unknown (422), an employee as absent (404)
    "POST /api/v1/units": (401, 403, 403, 403, 403, 403, "+201", 422, "+201", "+201"),
    "PATCH /api/v1/units/{code}": (401, 404, 404, 404, 404, 404, "+200", 404, "+200", "+200"),
    "PATCH /api/v1/units/{code} #pindah": (401, 404, 404, 404, 404, 404, "+200", 404, "+200", "+200"),
    "POST /api/v1/competencies": (401, 403, 403, 403, 403, 403, 403, 403, "+201", "+201"),
    "POST /api/v1/positions": (401, 403, 403, 403, 403, 403, "+201", 422, "+201", "+201"),
    "POST /api/v1/employees": (401, 403, 403, 403, 403, 403, "+201", 422, "+201", "+201"),
    "POST /api/v1/employees/import": (401, 403, 403, 403, 403, 403, "+200", 422, "+200", "+200"),
    "POST /api/v1/employees/import #uji-coba": (401, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    "PATCH /api/v1/employees/{nip}": (401, 403, 403, 404, 404, 404, "+200", 404, "+200", "+200"),
    "POST /api/v1/periods": (401, 403, 403, 403, 403, 403, 403, 403, "+201", "+201"),
    "POST /api/v1/evaluations #self": (401, "+201", 403, 404, 404, 404, 403, 404, 403, 403),
    "POST /api/v1/evaluations #supervisor": (401, 403, "+201", 404, 404, 404, "+201", 404, "+201", "+201"),
    "POST /api/v1/evaluations #peer": (401, 403, 403, 404, 404, 404, "+201", 404, "+201", "+201"),
    "POST /api/v1/evaluations #assessment": (401, 403, 403, 404, 404, 404, "+201", 404, "+201", "+201"),
    "POST /api/v1/employees/{nip}/skp": (401, 403, 403, 404, 404, 404, "+200", 404, "+200", "+200"),
    "POST /api/v1/hr-scopes": (401, 403, 403, 403, 403, 403, 403, 403, "+201", "+201"),
    "POST /api/v1/units/{code}/services": (401, 403, 403, 403, 403, 403, "+201", 403, "+201", "+201"),
    "PATCH /api/v1/periods/{code}": (401, 403, 403, 403, 403, 403, 403, 403, "+200", "+200"),
    # a draft supervisor evaluation: its writer (the supervisor) and HR in scope (API.md)
    "POST /api/v1/evaluations/{evaluation_id}/finalize": (401, 403, "+200", 404, 404, 404, "+200", 404, "+200", "+200"),
    "DELETE /api/v1/hr-scopes/{scope_id}": (401, 403, 403, 403, 403, 403, 403, 403, "+204", "+204"),
    "POST /api/v1/feedback": ("+201", "+201", "+201", "+201", "+201", "+201", "+201", "+201", "+201", "+201"),
    "POST /api/v1/periods/{code}/recommend": (401, 403, 403, 403, 403, 403, "+200", 200, "+200", "+200"),
    "POST /api/v1/assignments": (401, 403, 403, 403, 403, 403, "+201", 404, "+201", "+201"),
    "POST /api/v1/assignments/{assignment_id}/approve": (401, 403, 403, 403, 403, 403, "+200", 404, "+200", "+200"),
    "POST /api/v1/assignments/{assignment_id}/cancel": (401, 403, 403, 403, 403, 403, "+200", 404, "+200", "+200"),
    "POST /api/v1/lessons/{lesson_id}/complete": (401, 200, "+200", "+200", "+200", "+200", "+200", "+200", "+200", "+200"),
    "POST /api/v1/lessons/{lesson_id}/quiz": (401, "+200", "+200", "+200", "+200", "+200", "+200", "+200", "+200", "+200"),
    "POST /api/v1/certificates/{number}/revoke": (401, 403, 403, 403, 403, 403, "+200", 404, "+200", "+200"),
    "POST /api/v1/forums/{slug}/topics": (401, "+201", "+201", "+201", "+201", "+201", "+201", "+201", "+201", "+201"),
    "POST /api/v1/topics/{topic_id}/posts": (401, "+201", "+201", "+201", "+201", "+201", "+201", "+201", "+201", "+201"),
}

EXPECTED_ADMIN: dict[str, tuple] = {
    "unit:add": (302, 302, 302, 302, 302, 302, "+302", 200, "+302", "+302"),
    "unit:edit": (302, 302, 302, 302, 302, 302, "+302", 404, "+302", "+302"),
    "unit:delete": (302, 302, 302, 302, 404, 404, "+302", 404, "+302", "+302"),
    "unit:edit #pindah": (302, 302, 302, 302, 302, 302, "+302", 404, "+302", "+302"),
    "kamus-kompetensi:add": (302, 302, 302, 302, 302, 302, 302, 302, "+302", "+302"),
    "kamus-kompetensi:edit": (302, 302, 302, 302, 302, 302, 302, 302, "+302", "+302"),
    "kamus-kompetensi:delete": (302, 302, 302, 302, 404, 404, 302, 302, "+302", "+302"),
    "jabatan:add": (302, 302, 302, 302, 302, 302, "+302", 200, "+302", "+302"),
    "jabatan:edit": (302, 302, 302, 302, 302, 302, "+302", 404, "+302", "+302"),
    "jabatan:delete": (302, 302, 302, 302, 404, 404, "+302", 404, "+302", "+302"),
    "pegawai:add": (302, 302, 302, 302, 302, 302, "+302", 200, "+302", "+302"),
    "pegawai:edit": (302, 302, 302, 302, 302, 302, "+302", 404, "+302", "+302"),
    "pegawai:delete": (302, 302, 302, 302, 404, 404, "+302", 404, "+302", "+302"),
    "periode:add": (302, 302, 302, 302, 302, 302, 302, 302, "+302", "+302"),
    "periode:edit": (302, 302, 302, 302, 302, 302, 302, 302, "+302", "+302"),
    "periode:delete": (302, 302, 302, 302, 404, 404, 302, 302, "+302", "+302"),
    "skp:add": (302, 302, 302, 302, 302, 302, "+302", 200, "+302", "+302"),
    "skp:edit": (302, 302, 302, 302, 302, 302, "+302", 404, "+302", "+302"),
    "skp:delete": (302, 302, 302, 302, 404, 404, "+302", 404, "+302", "+302"),
    "titik-layanan:add": (302, 302, 302, 302, 302, 302, "+302", 200, "+302", "+302"),
    "titik-layanan:edit": (302, 302, 302, 302, 302, 302, "+302", 404, "+302", "+302"),
    "titik-layanan:delete": (302, 302, 302, 302, 404, 404, "+302", 404, "+302", "+302"),
    "titik-layanan:devices": (302, 302, 302, 302, 404, 404, "+200", 404, "+200", "+200"),
    "titik-layanan:device_revoke": (302, 302, 302, 302, 404, 404, "+302", 404, "+302", "+302"),
    # append-only: nobody adds, edits or deletes
    "log-audit:add": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "log-audit:edit": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "log-audit:delete": (302, 302, 302, 302, 404, 404, 302, 404, 302, 302),
    "cakupan-sdm:add": (302, 302, 302, 302, 302, 302, 302, 302, "+302", "+302"),
    # a scope row is never edited (revoke it, grant another)
    "cakupan-sdm:edit": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "cakupan-sdm:delete": (302, 302, 302, 302, 404, 404, 404, 404, "+302", "+302"),
    # city-wide HR only: the template prints on every unit's certificates
    "certificate_template:add": (302, 302, 302, 302, 302, 302, 302, 302, "+302", "+302"),
    "certificate_template:edit": (302, 302, 302, 302, 302, 302, 302, 302, "+302", "+302"),
    "certificate_template:delete": (302, 302, 302, 302, 302, 302, 302, 302, "+302", "+302"),
    "certificate_template:copy": (302, 302, 302, 302, 302, 302, 302, 302, "+302", "+302"),
    "forum_forums:add": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum_forums:edit": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum_forums:delete": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum_forums:copy": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum_categories:add": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum_categories:edit": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum_categories:delete": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "forum_categories:copy": (302, 302, 302, 302, 302, 302, "+302", "+302", "+302", "+302"),
    "core_api_token_revoke": (302, 302, 302, 302, 404, 404, 404, 404, 404, "+302"),
    "core_otp_enrolment_codes": (302, 302, 302, 302, 302, 302, 302, 302, "+200", "+200"),
    # trainer: drafts in their module, submits for review; reviewer: edits, approves and
    # publishes (a trainer's "publish" only saves a draft: #terbitkan watches the live page)
    "wagtailadmin_pages:add #pelajaran": (302, 302, 302, 302, "+302", 302, 302, 302, 302, "+302"),
    "wagtailadmin_pages:add #modul": (302, 302, 302, 302, "+302", 302, 302, 302, 302, "+302"),
    "wagtailadmin_pages:edit": (302, 302, 302, 302, "+302", "+302", 302, 302, 302, "+302"),
    "wagtailadmin_pages:edit #terbitkan": (302, 302, 302, 302, 302, "+302", 302, 302, 302, "+302"),
    # a lesson goes to review with its module (portal/review.py): submitting it alone starts no
    # review (Wagtail saves a draft); submitting the module does
    "wagtailadmin_pages:edit #ajukan": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "wagtailadmin_pages:edit #modul-ajukan": (302, 302, 302, 302, "+302", "+302", 302, 302, 302, "+302"),
    "wagtailadmin_pages:edit #modul-terbitkan": (302, 302, 302, 302, 302, "+302", 302, 302, 302, "+302"),
    "wagtailadmin_pages:revisions_revert": (302, 302, 302, 302, "+302", "+302", 302, 302, 302, "+302"),
    "wagtailadmin_pages:delete": (302, 302, 302, 302, 302, "+302", 302, 302, 302, "+302"),
    "wagtailadmin_pages:unpublish": (302, 302, 302, 302, 302, "+302", 302, 302, 302, "+302"),
    "wagtailadmin_pages:copy": (302, 302, 302, 302, "+302", 200, 302, 302, 302, "+302"),
    "wagtailadmin_pages:move_confirm": (302, 302, 302, 302, 302, 302, 302, 302, 302, "+302"),
    "wagtailadmin_pages:set_page_position": (302, 302, 302, 302, 302, 302, 302, 302, 302, "+200"),
    "wagtailadmin_pages:lock": (302, 302, 302, 302, 302, 302, 302, 302, 302, "+302"),
    "wagtailadmin_pages:unlock": (302, 302, 302, 302, 302, 302, 302, 302, 302, "+302"),
    "wagtailadmin_pages:set_privacy": (302, 302, 302, 302, 302, "+200", 302, 302, 302, "+200"),
    "wagtailadmin_pages:revisions_unschedule": (302, 302, 302, 302, 302, "+302", 302, 302, 302, "+302"),
    "wagtailadmin_pages:workflow_action": (302, 302, 302, 302, 302, "+302", 302, 302, 302, "+302"),
    "wagtailadmin_pages:convert_alias": (302, 302, 302, 302, "+302", "+302", 302, 302, 302, "+302"),
}
# fmt: on


# -- the attack chain --------------------------------------------------------------------------

ATTACKER_MAIL = "penyerang@jahat.example"


def test_attack_chain_fails_at_its_first_step_and_each_later_step_on_its_own(demo, client):  # noqa: F811
    """Issue #14, hole 2, in the demo world: ``hr_other`` (an officer of another unit) tries to
    take over the city-wide HR officer's account: (1) pull their employee record into their
    own unit (API, admin form, import page, API import), (2) change its e-mail to the
    attacker's, (3) ask for a password reset to that address. Step 1 fails in every channel;
    step 2 fails even when step 1 is assumed to have worked (a role account's e-mail is
    changed by nobody but a superuser or the account itself), and step 3 even when step 2 is
    assumed to have worked (a new address is used only once the link sent to it was opened).
    Nothing is written at any step. (The same chain on a small world, and the e-mail rules
    one by one: tests/security/test_account_takeover.py.)"""
    from core.roles import SYSTEM
    from kompetensi import services
    from kompetensi.models import Employee

    from .test_account_takeover import _admin_form
    from .write_cases import _employee_commit_setup, csv_upload

    victim = Employee.objects.get(user=demo.users["hr_all"])
    target = demo.objs["other_unit"]  # hr_other's unit
    assert victim.unit_id != target.pk

    def current():
        return Employee.objects.select_related("unit").get(pk=victim.pk)

    def pulled(c) -> None:  # step 1 assumed done (by someone allowed to)
        services.employee_update(actor=SYSTEM, employee=current(), unit=target)

    def mailed(c) -> None:  # step 2 assumed done (by a superuser): the address is pending
        pulled(c)
        services.employee_update(
            actor=demo.users["superuser"], employee=current(), email=ATTACKER_MAIL
        )

    def move_csv(c) -> str:
        return f"NIP,unit kerja\n{victim.nip},{target.code}\n"

    def mail_csv(c) -> str:
        return f"NIP,email\n{victim.nip},{ATTACKER_MAIL}\n"

    api_url = f"/api/v1/employees/{victim.nip}"
    admin_edit = f"/admin/pegawai/edit/{victim.pk}/"
    steps = [
        # 1. pull the record into the attacker's unit: the record is not even found
        (
            "1 API",
            "api",
            Case(
                "pull",
                lambda c: api_url,
                lambda c: {"unit_code": target.code},
                method="patch",
                json=True,
            ),
            404,
        ),
        (
            "1 admin",
            "admin",
            Case("pull", lambda c: admin_edit, lambda c: _admin_form(current(), unit=target.pk)),
            404,
        ),
        (
            "1 import page",
            "html",
            Case(
                "pull",
                lambda c: "/sdm/impor-pegawai/",
                lambda c: {"action": "commit", "token": c.extra.get("token", ""), "confirmed": "1"},
                setup=_employee_commit_setup("/sdm/impor-pegawai/", move_csv),
            ),
            200,
        ),
        (
            "1 API import",
            "api",
            Case(
                "pull",
                lambda c: "/api/v1/employees/import?dry_run=false",
                lambda c: {"file": csv_upload(move_csv(c))},
            ),
            422,
        ),
        # 2. with the record in the attacker's unit: a role account's e-mail stays
        (
            "2 API",
            "api",
            Case(
                "email",
                lambda c: api_url,
                lambda c: {"email": ATTACKER_MAIL},
                method="patch",
                json=True,
                setup=pulled,
            ),
            403,
        ),
        (
            "2 admin",
            "admin",
            Case(
                "email",
                lambda c: admin_edit,
                lambda c: _admin_form(current(), email=ATTACKER_MAIL),
                setup=pulled,
            ),
            302,
        ),
        (
            "2 import page",
            "html",
            Case(
                "email",
                lambda c: "/sdm/impor-pegawai/",
                lambda c: {"action": "commit", "token": c.extra.get("token", ""), "confirmed": "1"},
                setup=lambda c: (
                    pulled(c),
                    _employee_commit_setup("/sdm/impor-pegawai/", mail_csv)(c),
                ),
            ),
            200,
        ),
        (
            "2 API import",
            "api",
            Case(
                "email",
                lambda c: "/api/v1/employees/import?dry_run=false",
                lambda c: {"file": csv_upload(mail_csv(c))},
                setup=pulled,
            ),
            422,
        ),
        # 3. with the attacker's address pending on the account: a reset sends nothing
        (
            "3 reset",
            "html",
            Case(
                "reset", lambda c: "/akun/reset/", lambda c: {"email": ATTACKER_MAIL}, setup=mailed
            ),
            302,
        ),
    ]
    got = {}
    for name, channel, case, _status in steps:
        outcome = run_attempt(
            client, case, demo, "anonymous" if name == "3 reset" else "hr_other", channel=channel
        )
        got[name] = (outcome.status, sorted(outcome.written))
    assert got == {name: (status, []) for name, _c, _case, status in steps}
    victim.refresh_from_db()
    assert victim.unit_id != target.pk and victim.email != ATTACKER_MAIL


def test_the_write_log_counts_only_what_stays(db):
    """The matrix's observer: a write rolled back to a savepoint, or an UPDATE matching no
    row, is not a write; a write that stays is."""
    import datetime as dt

    from django.db import connection, transaction

    from kompetensi.models import EvaluationPeriod

    from .write_cases import WriteLog

    fields = {"name": "Periode Uji", "start": dt.date(2090, 1, 1), "end": dt.date(2090, 12, 31)}
    log = WriteLog()
    with connection.execute_wrapper(log):
        with pytest.raises(RuntimeError), transaction.atomic():
            EvaluationPeriod.objects.create(code="2090", **fields)
            raise RuntimeError
        EvaluationPeriod.objects.filter(code="tidak-ada").update(name="x")
        assert log.tables == set()
        with transaction.atomic():
            with transaction.atomic():
                EvaluationPeriod.objects.create(code="2090", **fields)
    assert log.tables == {"kompetensi_evaluationperiod"}
