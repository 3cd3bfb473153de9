"""System checks (``manage.py check``, also run by ``check --deploy``)."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def shared_cache_with_workers(app_configs, **kwargs):
    """Cached pages and dashboards are keyed by cache versions kept in the cache
    (core/dataversion.py). A Celery worker in another process bumps a version in *its*
    cache: with the per-process memory cache the web servers would not see it and could show
    numbers up to the cache timeout (10 minutes) old."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if getattr(settings, "CELERY_BROKER_URL", "") and backend.endswith("LocMemCache"):
        return [
            Warning(
                "CELERY_BROKER_URL diatur tetapi cache masih memori lokal per proses.",
                hint=(
                    "Atur REDIS_CACHE_URL (mis. redis://127.0.0.1:6379/1) agar versi data yang "
                    "diubah pekerja Celery langsung terlihat oleh server web."
                ),
                id="sikap.W001",
            )
        ]
    return []
