"""SITE_URL follows the served address unless it is set (issue #14: ``make run PORT=8080`` →
QR codes and e-mail links point to port 8080)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sikap.settings.base import DEFAULT_SITE_URL, site_url_default

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("environ", "argv", "expected"),
    [
        ({}, ["manage.py", "runserver", "127.0.0.1:8080"], "http://127.0.0.1:8080"),
        ({}, ["manage.py", "runserver", "8080"], "http://127.0.0.1:8080"),
        ({}, ["manage.py", "runserver", "--noreload", "0.0.0.0:9000"], "http://127.0.0.1:9000"),
        ({}, ["manage.py", "runserver", "localhost:8001"], "http://localhost:8001"),
        ({}, ["manage.py", "runserver", "[::1]:8002"], "http://[::1]:8002"),
        ({}, ["manage.py", "runserver"], DEFAULT_SITE_URL),
        ({}, ["manage.py", "seed_demo"], DEFAULT_SITE_URL),
        ({}, ["gunicorn", "sikap.wsgi"], DEFAULT_SITE_URL),
        ({"SITE_URL": "https://sikap.serangkota.go.id/"}, ["manage.py", "runserver", "8080"],
         "https://sikap.serangkota.go.id"),
        ({"SITE_URL": "  "}, ["manage.py", "runserver", "8080"], "http://127.0.0.1:8080"),
    ],
)  # fmt: skip
def test_site_url_default(environ, argv, expected):
    assert site_url_default(environ, argv) == expected


def _env_without_site_url() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    return env


@pytest.mark.skipif(shutil.which("make") is None, reason="make tidak ada")
def test_make_run_passes_the_served_address_to_every_command():
    def commands(*args, env=None) -> list[str]:
        out = subprocess.run(
            ["make", "-n", "--no-print-directory", *args],
            cwd=ROOT,
            env=env or _env_without_site_url(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        return [line for line in out if "manage.py" in line or "celery" in line]

    run = commands("run", "PORT=8080")
    links = [c for c in run if "migrate" in c or "seed_demo" in c or "runserver" in c]
    assert len(links) == 3
    assert all(c.startswith("SITE_URL='http://127.0.0.1:8080' ") for c in links), links
    assert run[-1].endswith("runserver 127.0.0.1:8080")
    worker = commands("worker", "PORT=8080")
    assert worker[-1].startswith("SITE_URL='http://127.0.0.1:8080' ")
    # Set in the environment or on the command line: kept.
    env = {**_env_without_site_url(), "SITE_URL": "https://sikap.example"}
    assert commands("serve", "PORT=8080", env=env)[-1].startswith(
        "SITE_URL='https://sikap.example'"
    )
    served = commands("serve", "PORT=8080", "SITE_URL=https://a.example")
    assert served[-1].startswith("SITE_URL='https://a.example'")
    # Serving on every interface: links use the loopback address, not 0.0.0.0.
    assert commands("serve", "HOST=0.0.0.0", "PORT=9000")[-1].startswith(
        "SITE_URL='http://127.0.0.1:9000'"
    )


def test_runserver_on_another_port_builds_links_on_that_port():
    """The settings as ``manage.py runserver 8080`` loads them, without SITE_URL set: the
    certificate verification link (printed as a QR code) and e-mail links use port 8080."""
    script = (
        "import sys; sys.argv = ['manage.py', 'runserver', '8080'];"
        "import django; django.setup();"
        "from django.conf import settings; from workflow.services import verify_url;"
        "print(settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL, verify_url('ABC'))"
    )
    env = {**_env_without_site_url(), "DJANGO_SETTINGS_MODULE": "sikap.settings.test"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    site, admin, link = out.stdout.split()
    assert site == admin == "http://127.0.0.1:8080"
    assert link.startswith("http://127.0.0.1:8080/") and link.endswith("ABC/")
