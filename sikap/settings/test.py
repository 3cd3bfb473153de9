"""Settings for the test suite: fast hashing, local e-mail, eager tasks unless a broker is set."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-for-sikap-tests-0123456789abcdefghijklmnop"  # noqa: S105
SIKAP_IP_HASH_SALT = "test-salt"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Unit tests always run tasks eagerly; integration tests start a real worker themselves.
CELERY_TASK_ALWAYS_EAGER = env.str("SIKAP_TEST_REAL_BROKER", default="") != "1"
# Each real test worker gets a queue of its own (tests/integration/conftest.py), so parallel runs
# sharing one Redis never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("SIKAP_TEST_CELERY_QUEUE", default="celery")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# A developer may keep the SQLite test database in a file between runs (pytest --reuse-db).
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and env.str("SIKAP_TEST_DB_FILE", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("SIKAP_TEST_DB_FILE")}
