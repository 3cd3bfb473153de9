"""Development / embedded default (`make run`): SQLite, eager tasks, console e-mail."""

from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-sikap-serang"  # noqa: S105
SIKAP_IP_HASH_SALT = SIKAP_IP_HASH_SALT or "dev-salt"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS + ["testserver"]  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
