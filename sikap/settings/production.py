"""Production: PostgreSQL, Redis broker, S3 media, HTTPS. Refuses to start without SECRET_KEY."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY wajib diisi (minimal 50 karakter acak) untuk pengaturan produksi."
    )
if not SIKAP_IP_HASH_SALT:  # noqa: F405
    SIKAP_IP_HASH_SALT = SECRET_KEY

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Two-factor sign-in for BKPSDM officers and superusers (SECURITY.md); SIKAP_REQUIRE_2FA=0 turns
# it off (not advised).
SIKAP_REQUIRE_2FA = env.bool("SIKAP_REQUIRE_2FA", default=True)

# Cache: cached pages and dashboards are keyed by cache versions kept in the cache
# (core/dataversion.py) and bumped by every process that writes (gunicorn workers, Celery
# workers): they must all share one cache with atomic increments, Redis (REDIS_CACHE_URL). A
# file cache is not enough (its increments are not atomic) and a per-process memory cache leaves
# the other processes stale. Only a deployment that really runs one process (one gunicorn
# worker, no Celery worker: tasks run in it) may say so with SIKAP_SINGLE_PROCESS=1 and keep
# the per-process memory cache of base.py.
SIKAP_SINGLE_PROCESS = env.bool("SIKAP_SINGLE_PROCESS", default=False)
if not env.str("REDIS_CACHE_URL", default=""):
    if not SIKAP_SINGLE_PROCESS:
        raise ImproperlyConfigured(
            "REDIS_CACHE_URL wajib diisi untuk pengaturan produksi (mis. "
            "redis://127.0.0.1:6379/1): versi cache dinaikkan oleh setiap proses yang menulis "
            "(gunicorn, Celery) dan harus dibagi lewat Redis dengan kenaikan atomik. Hanya "
            "satu proses saja (satu worker gunicorn, tanpa pekerja Celery)? Atur "
            "SIKAP_SINGLE_PROCESS=1 untuk memakai cache memori per proses."
        )
    if CELERY_BROKER_URL:  # noqa: F405
        raise ImproperlyConfigured(
            "SIKAP_SINGLE_PROCESS=1 tetapi CELERY_BROKER_URL diatur: pekerja Celery adalah "
            "proses lain yang menulis data, jadi cache harus Redis (REDIS_CACHE_URL)."
        )
