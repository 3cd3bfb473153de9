"""Helpers to decide whether a real service (PostgreSQL, Redis, Chromium) is there.

Tests that need one call ``require_service(name, available, reason)``: it skips with a clear
reason, or fails when SIKAP_REQUIRE_SERVICES=1 (as .ci/run sets it)."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

REQUIRE = os.environ.get("SIKAP_REQUIRE_SERVICES") == "1"


def require_service(name: str, available: bool, reason: str) -> None:
    if available:
        return
    message = f"{name} tidak tersedia: {reason}"
    if REQUIRE:
        pytest.fail(f"{message} (SIKAP_REQUIRE_SERVICES=1 mewajibkannya)", pytrace=False)
    pytest.skip(message)


def tcp_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def redis_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"


def chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )
