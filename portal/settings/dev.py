"""Development / embedded default (`make run`): SQLite, eager tasks, console e-mail."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1") not in {"0", "false", "False"}
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-sikap-serang"  # noqa: S105
SIKAP_IP_HASH_SALT = SIKAP_IP_HASH_SALT or "dev-salt"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS + ["testserver"]  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
