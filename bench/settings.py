"""Bench-only settings: the product's settings (dev, or production-like when DEBUG=0) plus a
bare "floor" view (``bench/urls.py``) to compare every page against. Never used by the product.

The database comes from ``DATABASE_URL`` as usual (``bench/run.py`` sets it per scale)."""

import os
from pathlib import Path

from sikap.settings.dev import *  # noqa: F403

BENCH_DIR = Path(__file__).resolve().parent

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BENCH_DIR / "templates"]  # noqa: F405
SIKAP_REQUIRE_2FA = False  # the bench signs users in with force_login / minted sessions
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "WARNING")  # noqa: F405
