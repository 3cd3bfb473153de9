"""Backups: scripts/backup.sh dumps PostgreSQL and the media folder; scripts/restore.sh brings
them back into a fresh database, and the site serves the same data from it."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.integration.conftest import _test_database_url
from tests.services import require_service

ROOT = Path(__file__).resolve().parents[2]
TABLES = [
    "auth_user",
    "kompetensi_organizationunit",
    "kompetensi_competency",
    "kompetensi_competencylevel",
    "kompetensi_employee",
    "portal_apitoken",
    "wagtailcore_page",
]

# Run in a separate process against a given database: what the API serves from it.
SERVE = """
import json, sys, django
django.setup()
from django.test import Client
client = Client()
headers = {"HTTP_AUTHORIZATION": "Bearer " + sys.argv[1]}
out = {}
for path in ("/api/v1/health", "/api/v1/units", "/api/v1/competencies", "/api/v1/employees"):
    response = client.get(path, **headers)
    out[path] = [response.status_code, response.json()]
print("SERVE:" + json.dumps(out, sort_keys=True))
"""


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _served(url: str, token: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "sikap.settings.test",
    }
    env.pop("SIKAP_TEST_DB_FILE", None)
    result = subprocess.run(
        [sys.executable, "-c", SERVE, token],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("SERVE:"))
    return json.loads(line.removeprefix("SERVE:"))


def _run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, f"{script} gagal:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def fresh_database_url():
    base = _test_database_url()
    name = f"sikap_pulih_{uuid.uuid4().hex[:10]}"
    url = _with_database(base, name)
    try:
        yield url
    finally:
        with psycopg.connect(_with_database(base, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_backup_restores_into_a_fresh_database_that_serves_the_same_data(
    transactional_db, make_user, tmp_path, fresh_database_url
):
    for tool in ("pg_dump", "pg_restore", "psql"):
        require_service(tool, shutil.which(tool) is not None, "klien PostgreSQL tidak terpasang")
    from core.models import ApiToken
    from kompetensi.models import Competency, CompetencyLevel, Employee, OrganizationUnit

    # Data worth keeping: a unit, a competency with levels, an employee, an HR officer's token.
    hr = make_user("cadangan-sdm", "BKPSDM")
    unit = OrganizationUnit.objects.create(code="DISDUK", name="Dinas Kependudukan")
    competency = Competency.objects.create(code="T.9", name="Pengarsipan", kind="teknis")
    for level in range(1, 6):
        CompetencyLevel.objects.create(
            competency=competency, level=level, description=f"Tingkat {level}"
        )
    employee_user = make_user("198503302010011003", "ASN")
    Employee.objects.create(
        nip="198503302010011003", name="Siti Aminah", unit=unit, user=employee_user
    )
    token = ApiToken.issue(user=hr, name="cadangan")[1]
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "panduan.txt").write_text("berkas media uji", encoding="utf-8")

    source = _test_database_url()
    backup_dir = tmp_path / "cadangan"
    _run("backup.sh", str(backup_dir), env={"DATABASE_URL": source, "MEDIA_ROOT": str(media)})
    dumps = list(backup_dir.glob("sikap-db-*.dump"))
    tars = list(backup_dir.glob("sikap-media-*.tar.gz"))
    assert len(dumps) == 1 and len(tars) == 1
    assert len(list(backup_dir.glob("sikap-*.sha256"))) == 1
    assert oct(dumps[0].stat().st_mode & 0o777) == "0o600"  # personal data: owner only

    restored_media = tmp_path / "media-pulih"
    _run(
        "restore.sh", "--create", str(dumps[0]), str(tars[0]),
        env={"DATABASE_URL": fresh_database_url, "MEDIA_ROOT": str(restored_media)},
    )  # fmt: skip

    assert _counts(fresh_database_url) == _counts(source)
    assert _counts(fresh_database_url)["kompetensi_employee"] >= 1
    assert (restored_media / "documents" / "panduan.txt").read_text() == "berkas media uji"

    original, restored = _served(source, token), _served(fresh_database_url, token)
    assert restored == original
    assert restored["/api/v1/units"][0] == 200
    units = restored["/api/v1/units"][1]
    units = units["items"] if isinstance(units, dict) else units  # paginated {count, items}
    assert any(u["code"] == "DISDUK" for u in units)

    # Restoring twice into the same (no longer empty) database is refused, nothing overwritten.
    again = subprocess.run(
        ["bash", str(ROOT / "scripts" / "restore.sh"), str(dumps[0])],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": fresh_database_url},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert again.returncode != 0
    assert "tidak kosong" in again.stderr
