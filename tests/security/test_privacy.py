"""Personal data export (right of access): the employee themself (JSON, PDF), HR in scope
(JSON); anyone else 404; each export audited. NIPs of other people never on public pages."""

import json
import re

import pytest

from core.models import AccessLog

from .demo_world import demo  # noqa: F401 - module-scoped fixture

pytestmark = pytest.mark.django_db

KEYS = {
    "profil",
    "penilaian",
    "profil_kompetensi",
    "skp",
    "kebutuhan_pelatihan",
    "penugasan",
    "sertifikat",
    "kemajuan_pelajaran",
    "pesan_forum",
    "umpan_balik_masyarakat",
}


def test_own_export_json(demo, client):  # noqa: F811
    asn = demo.objs["asn_emp"]
    client.force_login(demo.users["asn"])
    r = client.get("/kinerja-saya/data-saya.json")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    data = json.loads(r.content)
    assert KEYS <= set(data)
    assert data["profil"]["nip"] == asn.nip
    # peer ratings only aggregated for the employee themself
    assert all(ev["sumber"] != "peer" for ev in data["penilaian"])
    assert "penilaian_rekan_agregat" in data
    assert AccessLog.objects.filter(action="export", employee=asn, user=demo.users["asn"]).exists()


def test_own_export_pdf(demo, client, monkeypatch):  # noqa: F811
    import reports.privacy as privacy

    seen = {}

    def fake(html, **kwargs):
        seen["html"] = html
        return b"%PDF-1.4 test"

    monkeypatch.setattr(privacy, "render_html_pdf", fake)
    client.force_login(demo.users["asn"])
    r = client.get("/kinerja-saya/data-saya.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert demo.objs["asn_emp"].name in seen["html"]


def test_hr_export_scoped(demo, client):  # noqa: F811
    asn, other = demo.objs["asn_emp"], demo.objs["other_emp"]
    client.force_login(demo.users["hr_unit"])
    r = client.get(f"/sdm/pegawai/{asn.nip}/data.json")
    assert r.status_code == 200
    assert json.loads(r.content)["profil"]["nip"] == asn.nip
    assert client.get(f"/sdm/pegawai/{other.nip}/data.json").status_code == 404
    assert AccessLog.objects.filter(action="export", user=demo.users["hr_unit"]).count() == 1
    for role in ("asn_other", "supervisor", "trainer", "reviewer"):
        client.force_login(demo.users[role])
        assert client.get(f"/sdm/pegawai/{asn.nip}/data.json").status_code == 404, role
    client.logout()
    assert client.get("/kinerja-saya/data-saya.json").status_code == 302


NIP_RE = re.compile(r"(?<!\d)\d{18}(?!\d)")


def test_no_full_nip_of_another_person_on_forum_and_public_pages(demo, client):  # noqa: F811
    from kompetensi.models import Employee

    nips = set(Employee.objects.values_list("nip", flat=True))
    asn = demo.objs["asn_emp"]
    topic = demo.objs["topic"]
    pages = [
        f"/forum/topik/{topic.pk}/",
        "/forum/",
        "/forum/cari/?q=pelatihan",
        f"/verifikasi/{demo.kw['code']}/",
        "/umpan-balik/",
        f"/umpan-balik/{demo.objs['point'].code}/",
        "/",
        demo.objs["module"].url,
    ]
    # a post by an employee whose user name is their NIP (the default for employees)
    from forum import services as forum_services

    author = demo.users["asn"]
    author.username = asn.nip
    author.save(update_fields=["username"])
    forum_services.post_create(topic=topic, author=author, body="Pesan dengan nama pengguna NIP.")
    client.force_login(demo.users["asn_other"])
    for url in pages:
        html = client.get(url, follow=True).content.decode()
        if url == pages[0]:
            assert "Pesan dengan nama pengguna NIP." in html  # the check below is meaningful
        spaced = {n for n in nips if f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}" in html}
        leaked = (set(NIP_RE.findall(html)) & nips) | spaced
        leaked.discard(demo.objs["other_emp"].nip)  # their own
        assert not leaked, (url, leaked)
    client.logout()
    for url in pages[3:]:
        html = client.get(url).content.decode()
        assert not (set(NIP_RE.findall(html)) & nips), url
    assert asn.nip  # sanity
