import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _run_manage(args, env_extra):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run_manage(
        ["check"], {"DJANGO_SETTINGS_MODULE": "sikap.settings.production", "SECRET_KEY": ""}
    )
    assert result.returncode != 0
    assert "SECRET_KEY wajib diisi" in result.stderr


def test_check_deploy_is_clean_with_a_real_secret():
    result = _run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DJANGO_SETTINGS_MODULE": "sikap.settings.production",
            "SECRET_KEY": "x9!kP2@vQ7#mZ4$wL8%nB3^rT6&yH1*jD5(cF0)gS-aE_uI+oK=pM~zX`qW|eR",
            "ALLOWED_HOSTS": "sikap.serangkota.go.id",
            "REDIS_CACHE_URL": "redis://127.0.0.1:6379/1",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_production_settings_from_the_environment():
    """Variables are read as written (django-environ): a generated SECRET_KEY may start with
    ``$``, which django-environ alone would read as "the value of another variable"."""
    key = "$" + "k9!P2@vQ7#mZ4wL8%nB3^rT6&yH1*jD5(cF0)gS-aE_uI+oK=pM"
    names = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASES", "AXES_IPWARE_PROXY_COUNT"]
    names += ["SIKAP_REQUIRE_2FA", "SECURE_SSL_REDIRECT", "CACHES"]
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{k: getattr(s, k) for k in {names!r}}}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="sikap.settings.production",
        SECRET_KEY=key,
        ALLOWED_HOSTS=" sikap.serangkota.go.id, 10.0.0.5 ,",
        DATABASE_URL="postgres://sikap:ra%40hasia@db.local:5433/sikap?sslmode=require",
        DB_CONN_MAX_AGE="30",
        TRUSTED_PROXY_COUNT="1",
        SIKAP_REQUIRE_2FA="0",
        SECURE_SSL_REDIRECT="1",
        REDIS_CACHE_URL="redis://127.0.0.1:6379/1",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECRET_KEY"] == key
    assert values["ALLOWED_HOSTS"] == ["sikap.serangkota.go.id", "10.0.0.5"]
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.local", 5433, "sikap")
    assert (database["USER"], database["PASSWORD"]) == ("sikap", "ra@hasia")
    assert database["OPTIONS"] == {"sslmode": "require", "options": "-c jit=off"}
    assert database["CONN_MAX_AGE"] == 30 and database["CONN_HEALTH_CHECKS"] is True
    assert database["ATOMIC_REQUESTS"] is True
    assert values["AXES_IPWARE_PROXY_COUNT"] == 1
    assert values["SIKAP_REQUIRE_2FA"] is False and values["SECURE_SSL_REDIRECT"] is True
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("locmem://", {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        ("dummy://", {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}),
        (
            "smtp://sikap%40serangkota.go.id:rahasia@mail.serangkota.go.id:587?tls=1",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "mail.serangkota.go.id",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "sikap@serangkota.go.id",
                "EMAIL_HOST_PASSWORD": "rahasia",
                "EMAIL_USE_TLS": True,
            },
        ),
        (
            "smtps://u:p@mail.serangkota.go.id",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "mail.serangkota.go.id",
                "EMAIL_PORT": 465,
                "EMAIL_HOST_USER": "u",
                "EMAIL_HOST_PASSWORD": "p",
                "EMAIL_USE_SSL": True,
            },
        ),
        (
            "smtp://relay.local?tls=0",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "relay.local",
            },
        ),
    ],
)
def test_email_url_spellings_in_the_readme(url, expected):
    """The EMAIL_URL values the README documents keep their meaning under django-environ
    (unset keys fall back to Django's defaults: port 25, no TLS, no user)."""
    from sikap.settings.base import _email_settings

    assert _email_settings(url) == expected


def test_check_warns_when_workers_cannot_share_the_cache(settings):
    from core.checks import shared_cache_with_workers

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in shared_cache_with_workers(None)] == ["sikap.W001"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert shared_cache_with_workers(None) == []


def test_groups_exist_after_migrate(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"ASN", "Pelatih", "Reviewer Konten", "BKPSDM"} <= names


def test_health_is_public_and_reports_eager_tasks(client, db):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "tasks": "eager"}


def test_openapi_document_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_api_token_is_hashed_and_revocable(db, make_user, client):
    from core.models import ApiToken

    user = make_user("budi", "ASN")
    token, key = ApiToken.issue(user=user)
    assert key not in token.key_hash and len(token.key_hash) == 64
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/competencies", **headers).status_code != 401
    token.revoke()
    response = client.get("/api/v1/competencies", **headers)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_create_api_token_command_prints_a_working_token(db, make_user, capsys):
    from core.models import ApiToken

    make_user("siti", "ASN")
    call_command("create_api_token", "siti")
    key = capsys.readouterr().out.strip()
    assert key.startswith("sikap_")
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).exists()


def test_login_page_is_in_bahasa_indonesia(client, db):
    response = client.get("/masuk/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="id"' in body and "NIP atau nama pengguna" in body
    assert "Langsung ke konten utama" in body


def test_login_by_nip_and_by_username(client, db, make_user):
    from kompetensi.models import Employee, OrganizationUnit

    user = make_user("pegawai1", "ASN")
    unit = OrganizationUnit.objects.create(code="U1", name="Unit Satu")
    Employee.objects.create(nip="198503152010012003", name="Siti", unit=unit, user=user)
    response = client.post(
        "/masuk/", {"username": "19850315 201001 2 003", "password": "rahasia-123"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post("/masuk/", {"username": "pegawai1", "password": "rahasia-123"})
    assert response.status_code == 302


def test_five_failed_logins_lock_the_account(client, db, make_user):
    make_user("korban", "ASN")
    for _ in range(5):
        client.post("/masuk/", {"username": "korban", "password": "salah"})
    response = client.post("/masuk/", {"username": "korban", "password": "rahasia-123"})
    assert response.status_code == 429
    assert "dikunci selama 30 menit" in response.content.decode()


def test_security_headers_on_site_pages(client, db):
    response = client.get("/masuk/")
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if "script-src" in part)
    assert "unsafe-inline" not in script_src
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_celery_is_configured_to_never_lose_work():
    from sikap.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.timezone == "Asia/Jakarta"
    assert conf.broker_transport_options["visibility_timeout"] >= 600


@pytest.mark.django_db
def test_seed_demo_is_idempotent(demo_db):
    """``demo_db`` is the database after ``seed_demo --with-demo-users``: running it again
    changes nothing."""
    from kompetensi.models import Competency, Employee, OrganizationUnit

    counts = (
        Employee.objects.count(),
        OrganizationUnit.objects.count(),
        Competency.objects.count(),
    )
    call_command("seed_demo", "--with-demo-users", stdout=open(os.devnull, "w"))
    assert counts == (
        Employee.objects.count(),
        OrganizationUnit.objects.count(),
        Competency.objects.count(),
    )
    assert Competency.objects.filter(code__in=["M.1", "M.8", "SK.1"]).count() == 3
    assert OrganizationUnit.objects.filter(name="Dinas Kependudukan dan Pencatatan Sipil").exists()
