"""Settings shared by every environment. Everything that differs comes from environment variables.

See README.md, "Konfigurasi", for the table of variables.
"""

import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import environ
from csp import constants as csp
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class Env(environ.Env):
    """django-environ, with every value taken as written: a value starting with ``$`` (a
    generated ``SECRET_KEY`` or password may) is not read as the name of another variable
    (django-environ's "proxied values", which 0.14 cannot turn off)."""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        value = self.ENVIRON.get(f"{self.prefix}{var}")
        if isinstance(value, str) and value.startswith("$"):
            return self.parse_value(value, cast or str)
        return super().get_value(var, cast=cast, default=default, parse_default=parse_default)


env = Env()


DEFAULT_SITE_URL = "http://127.0.0.1:8000"
_ADDRPORT = re.compile(r"^(?:(?P<host>\[[^\]]+\]|[^:\[\]]+):)?(?P<port>\d+)$")
_ANY_ADDRESS = {"0.0.0.0", "0", "[::]", "::"}


def site_url_default(environ, argv) -> str:
    """``SITE_URL`` when set (production: the public https address). Otherwise the address
    this process serves when it is the development server (``manage.py runserver
    [addr:]port``, e.g. ``make run PORT=8080`` → ``http://127.0.0.1:8080``; on all interfaces,
    the loopback address), else ``http://127.0.0.1:8000``. The Makefile passes SITE_URL to
    every command of ``make run``/``serve``/``worker``/``beat`` the same way."""
    configured = (environ.get("SITE_URL") or "").strip()
    if configured:
        return configured.rstrip("/")
    args = list(argv[1:])
    if "runserver" not in args:
        return DEFAULT_SITE_URL
    rest = [a for a in args[args.index("runserver") + 1 :] if not a.startswith("-")]
    match = _ADDRPORT.match(rest[0]) if rest else None
    if match is None:
        return DEFAULT_SITE_URL
    host = match["host"] or "127.0.0.1"
    if host in _ANY_ADDRESS:
        host = "127.0.0.1"
    return f"http://{host}:{match['port']}"


SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", cast=str.strip, default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", cast=str.strip, default=[])

# SIKAP's own apps in dependency order (ARCHITECTURE.md, "the layout to reach"): each imports
# only from the apps listed before it (import-linter's layers contract in pyproject.toml).
INSTALLED_APPS = [
    "core",
    "kompetensi",
    "skm",
    "portal",
    "workflow",
    "forum",
    "reports",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: sees every answer, so errors under /api/ are JSON whatever produced them.
    "core.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.audit.AuditRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.otp.RequireOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: primes Wagtail's page routing from the content-versioned cache (portal/routing.py).
    "portal.routing.CachedRoutingMiddleware",
]

# Content-Security-Policy (django-csp, through core.middleware.SecurityHeadersMiddleware): our
# pages run no inline script or style; YouTube/Vimeo embeds in lessons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
# The Wagtail admin and the API's interactive docs ship inline scripts and styles of their own.
SIKAP_ADMIN_CSP_PREFIXES = ["/admin/", "/api/v1/docs"]
SIKAP_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.UNSAFE_INLINE, csp.UNSAFE_EVAL],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:", "blob:"],
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "frame-src": [csp.SELF, "https:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "frame-ancestors": [csp.SELF],
    }
}
# Set by Django's SecurityMiddleware (these are its defaults; written here to be seen).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

ROOT_URLCONF = "sikap.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.sikap",
                "core.context_processors.notifications",
            ],
            # Dates written one way on every page: {{ d|tanggal }}, {{ t|tanggal_jam }}.
            "builtins": ["core.templatetags.sikap_dates"],
        },
    },
]

WSGI_APPLICATION = "sikap.wsgi.application"
ASGI_APPLICATION = "sikap.asgi.application"

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].update(
    CONN_MAX_AGE=env.int("DB_CONN_MAX_AGE", default=60), CONN_HEALTH_CHECKS=True
)
# Every request is one transaction: a request that fails half-way writes nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT compilation: the HR aggregates over a province look "expensive" to the planner,
    # which then spends ~350 ms compiling each of them, more than they take to run
    # (bench/RESULTS.md). An OLTP application gains nothing from it.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.auth_backends.NipOrUsernameBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "masuk"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "/masuk/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Internationalisation: Bahasa Indonesia first, English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# locale/ holds SIKAP's own strings (makemessages); locale_wagtail/ completes Wagtail's incomplete
# Indonesian admin catalogue (hand-kept, msgids copied from Wagtail). Both take precedence over
# the installed apps' catalogues; the first path wins where both translate a msgid.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", cast=Path, default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", cast=Path, default=BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    # Media on S3-compatible storage (MinIO, AWS S3, …); credentials from the standard
    # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_S3_ENDPOINT_URL variables.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True

# E-mail: EMAIL_URL like smtp://user:pass@host:587?tls=1, or console:// (default).
EMAIL_URL = env.str("EMAIL_URL", default="console://")
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="SIKAP Kota Serang <noreply@serangkota.go.id>"
)

# SIKAP's EMAIL_URL spellings (README) → django-environ's: smtps:// is implicit TLS (port 465),
# ?tls=1 asks for STARTTLS; django-environ's own spellings (smtp+tls://, consolemail://…) work too.
_EMAIL_SCHEMES = {
    "": "consolemail",
    "console": "consolemail",
    "locmem": "memorymail",
    "dummy": "dummymail",
    "smtps": "smtp+ssl",
}


def _email_settings(url: str) -> dict:
    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    scheme = _EMAIL_SCHEMES.get(parsed.scheme, parsed.scheme)
    if scheme == "smtp" and query.pop("tls", ["0"])[0] in {"1", "true"}:
        scheme = "smtp+tls"
    parsed = parsed._replace(scheme=scheme, query=urlencode(query, doseq=True))
    config = {
        key: value
        for key, value in env.email_url_config(parsed).items()
        if key != "OPTIONS" and value not in (None, "")  # else Django's defaults
    }
    if scheme == "smtp+ssl":
        config.setdefault("EMAIL_PORT", 465)
    return config


globals().update(_email_settings(EMAIL_URL))

# Celery: with no broker, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)

# Cache: Redis when REDIS_CACHE_URL is set (several app servers), local memory otherwise.
if env.str("REDIS_CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("REDIS_CACHE_URL")}
else:
    # Pages are cached per person (core/dataversion.py): room for a city's worth of entries,
    # not LocMem's default of 300 (which would cull them as fast as they are made).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Wagtail
WAGTAIL_SITE_NAME = "SIKAP"
# The site's public address, for links made outside a request (e-mails, certificate QR codes,
# the admin's notification e-mails): SITE_URL when set, else the address served (below).
WAGTAILADMIN_BASE_URL = site_url_default(os.environ, sys.argv)
# No avatars from gravatar.com in the admin (CSP img-src 'self'; no third-party requests).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea"},
}

# django-guardian: never grant object permissions to the anonymous user.
GUARDIAN_ANONYMOUS_USER_NAME = None
# django-guardian 3.x reads ANONYMOUS_USER_NAME (without the GUARDIAN_ prefix): with it None, no
# "AnonymousUser" account is created after migrate and anonymous visitors hold no object perms.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# django-axes: lock an account (per username and IP) after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
# Count failures on the name sign-in resolves (a NIP without its spaces → its account), so each
# spelling of one NIP does not get five fresh tries (core/auth_backends.py).
AXES_USERNAME_CALLABLE = "core.auth_backends.lockout_username"
# Behind the documented reverse proxy (nginx sets X-Forwarded-For), count that many proxies.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The client IP for the lock-out is the one every other part uses (the audit log, the SKM survey,
# rate limits): django-ipware through core/client_ip.py, which reads the count above. Not
# axes' own ipware call: that needs the header order fixed at start-up from the count, counts
# proxies differently (nginx itself is REMOTE_ADDR) and may answer no address at all.
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# Two-factor sign-in (TOTP) for BKPSDM officers and superusers (core/otp.py). Off by default
# here (demo, tests); on by default in production.py.
SIKAP_REQUIRE_2FA = env.bool("SIKAP_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "SIKAP Kota Serang"
# The first authenticator of a role account needs a one-time enrolment code issued by a
# superuser or a city-wide HR officer (core/accounts.py): valid this many hours.
SIKAP_OTP_ENROLMENT_CODE_HOURS = env.int("SIKAP_OTP_ENROLMENT_CODE_HOURS", default=24)
# A changed e-mail address is used only after the link sent to it is opened (seconds).
SIKAP_EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 60 * 60

# SIKAP's own settings (DOMAIN.md): visible to HR in the admin's "Pengaturan".
SIKAP_AGENCY_NAME = env.str("SIKAP_AGENCY_NAME", default="Pemerintah Kota Serang")
SIKAP_CERTIFICATE_NUMBER_FORMAT = env.str(
    "SIKAP_CERTIFICATE_NUMBER_FORMAT", default="{seq:05d}/SIKAP/{year}"
)
SIKAP_IP_HASH_SALT = env.str("SIKAP_IP_HASH_SALT", default="")
# Certificate signing (workflow/certificates/signing.py): a dotted path to a signer class, empty = unsigned.
# Set SIKAP_SIGNING_P12_PATH alone and the local PKCS#12 key signer is used.
SIKAP_SIGNING_P12_PATH = env.str("SIKAP_SIGNING_P12_PATH", default="")
SIKAP_SIGNING_P12_PASSWORD = env.str("SIKAP_SIGNING_P12_PASSWORD", default="")
SIKAP_CERTIFICATE_SIGNER = env.str("SIKAP_CERTIFICATE_SIGNER", default="") or (
    "workflow.certificates.signing.LocalKeySigner" if SIKAP_SIGNING_P12_PATH else None
)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every start-up and every clean-up at INFO; failures/lock-outs are
        # WARNING and stay visible.
        "axes": {"level": "WARNING"},
    },
}
