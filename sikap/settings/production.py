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

# Cache: cached pages and dashboards are keyed by data versions kept in the cache
# (core/dataversion.py), so every process that writes (gunicorn workers, Celery workers) must
# share it. Without REDIS_CACHE_URL (one machine), a file cache shared by the processes of this
# machine; several machines need REDIS_CACHE_URL (deploy/MULTI-MACHINE.md).
if not env.str("REDIS_CACHE_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str("SIKAP_CACHE_DIR", default=str(BASE_DIR / ".cache" / "django")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
