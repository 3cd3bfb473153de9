"""IDOR: another person's id / NIP / code in an object URL gives 404 (never 403, so nothing
about the object's existence leaks), on pages and in the API. Dataset: tests/security/
demo_world.py (seed_demo plus an ASN of another unit and an HR officer scoped to one unit)."""

import pytest

from .demo_world import demo  # noqa: F401 - module-scoped fixture

pytestmark = pytest.mark.django_db


def _get(client, user, url, **extra):
    client.force_login(user)
    return client.get(url, **extra)


def _api(client, api_token, user, method, path, data=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}
    if method == "get":
        return client.get(f"/api/v1{path}", **headers)
    return client.post(f"/api/v1{path}", data or {}, content_type="application/json", **headers)


def test_evaluation_pages_of_someone_else_are_404(demo, client):  # noqa: F811
    """Object URLs answer 404 for someone else's NIP. Outside their area (non-HR in /sdm/)
    a role may get 403, but then exactly as for a NIP that doesn't exist: nothing leaks."""
    other = demo.objs["other_emp"]
    period = demo.kw["period"]
    missing = "199912312020121999"
    urls = (
        "/tim-saya/{nip}/penilaian/" + period + "/",  # evaluating someone not one's report
        "/sdm/penilaian-rekan/{nip}/",  # individual peer ratings: HR in scope only
        "/sdm/pegawai/{nip}/",  # HR development history, out of scope
    )
    for role in ("asn", "supervisor", "asn_other", "trainer", "reviewer", "hr_unit"):
        user = demo.users[role]
        for url in urls:
            foreign = _get(client, user, url.format(nip=other.nip)).status_code
            unknown = _get(client, user, url.format(nip=missing)).status_code
            assert foreign == unknown, (role, url, foreign, unknown)
            assert foreign in (403, 404), (role, url, foreign)
            if role == "hr_unit" or url.startswith("/tim-saya/"):
                assert foreign == 404, (role, url, foreign)
    # sanity: in scope it works
    asn = demo.objs["asn_emp"]
    assert _get(client, demo.users["hr_unit"], f"/sdm/pegawai/{asn.nip}/").status_code == 200
    assert _get(client, demo.users["hr_all"], f"/sdm/pegawai/{other.nip}/").status_code == 200


def test_unknown_and_foreign_nips_look_the_same(demo, client):  # noqa: F811
    user = demo.users["hr_unit"]
    foreign = _get(client, user, f"/sdm/pegawai/{demo.objs['other_emp'].nip}/")
    missing = _get(client, user, "/sdm/pegawai/199912312020121999/")
    assert foreign.status_code == missing.status_code == 404


def test_api_by_nip_of_someone_else_is_404(demo, client, api_token):  # noqa: F811
    other = demo.objs["other_emp"]
    for role in ("asn", "supervisor", "trainer", "reviewer", "hr_unit"):
        for sub in ("", "/competencies", "/summary", "/assignments", "/certificates"):
            r = _api(client, api_token, demo.users[role], "get", f"/employees/{other.nip}{sub}")
            assert r.status_code == 404, (role, sub, r.status_code)
            assert "detail" in r.json()
    r = _api(client, api_token, demo.users["asn_other"], "get", f"/employees/{other.nip}")
    assert r.status_code == 200


def test_certificate_pdf_of_someone_else_is_404(demo, client):  # noqa: F811
    cert = demo.objs["cert"]
    if cert is None:
        pytest.skip("seed made no certificate")
    owner_user = cert.employee.user
    for role in ("asn_other", "trainer", "reviewer"):
        user = demo.users[role]
        if user == owner_user:
            continue
        r = _get(client, user, f"/sertifikat/{cert.verification_code}/unduh/")
        assert r.status_code == 404, role
    client.logout()
    r = client.get(f"/sertifikat/{cert.verification_code}/unduh/")
    assert r.status_code in (302, 404)
    # revoking is HR's: others get 404 and nothing changes
    client.force_login(demo.users["asn_other"])
    r = client.post(f"/sertifikat/{cert.verification_code}/cabut/", {"reason": "iseng"})
    assert r.status_code in (404, 405)
    cert.refresh_from_db()
    assert cert.revoked_at is None


def test_assignments_of_someone_else_are_404(demo, client, api_token):  # noqa: F811
    a = demo.objs["assignment"]
    if a is None:
        pytest.skip("seed made no assignment")
    for role in ("asn", "asn_other", "supervisor", "trainer", "reviewer"):
        r = _get(client, demo.users[role], f"/sdm/rekomendasi/{a.pk}/")
        assert r.status_code == 404, role
    for role in ("asn_other", "trainer", "reviewer"):
        for action in ("approve", "cancel"):
            r = _api(client, api_token, demo.users[role], "post", f"/assignments/{a.pk}/{action}")
            assert r.status_code in (403, 404), (role, action, r.status_code)
    status = a.status
    a.refresh_from_db()
    assert a.status == status


def test_private_forum_topics_are_404(demo, client, api_token):  # noqa: F811
    topic = demo.objs["private_topic"]
    if topic is None:
        pytest.skip("seed made no private forum topic")
    from forum.permissions import forum_access

    checked = 0
    for role in ("asn_other", "trainer", "reviewer", "asn"):
        user = demo.users[role]
        if forum_access(user, topic.forum).view:
            continue
        assert _get(client, user, f"/forum/topik/{topic.pk}/").status_code == 404, role
        assert _get(client, user, f"/forum/{topic.forum.slug}/").status_code == 404, role
        r = client.post(f"/forum/topik/{topic.pk}/balas/", {"body": "menyusup"})
        assert r.status_code == 404, role
        r = _api(client, api_token, user, "get", f"/topics/{topic.pk}")
        assert r.status_code == 404, role
        r = _api(client, api_token, user, "post", f"/topics/{topic.pk}/posts", {"body": "x" * 20})
        assert r.status_code == 404, role
        checked += 1
    assert checked


def test_notifications_of_someone_else_are_untouched(demo, client):  # noqa: F811
    from core.models import Notification

    note = demo.objs["notification"]
    if note is None:
        pytest.skip("seed made no notification for the demo ASN")
    Notification.objects.filter(pk=note.pk).update(read_at=None)
    client.force_login(demo.users["asn_other"])
    client.post("/notifikasi/baca/", {"id": [str(note.pk)]})
    note.refresh_from_db()
    assert note.read_at is None
    page = client.get("/notifikasi/").content.decode()
    assert note.title not in page
