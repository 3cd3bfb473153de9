"""``manage.py invalidate_caches``: bump every cache version (core/dataversion.py).

Run after any write that no service saw: a restore (scripts/restore.sh runs it), ``flush``,
``loaddata``, a bulk load, SQL typed into ``psql``. Cached pages, fragments and aggregates are
keyed by these versions, so none of them is served again; Wagtail's cached site root paths (its
routing) are dropped too. Nothing else in the cache (sessions, rate-limit counters) is
touched. Needs the cache the site uses (REDIS_CACHE_URL in production): with the per-process
memory cache it can only reach its own process, so restart the site instead.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from core.dataversion import invalidate_all


class Command(BaseCommand):
    help = "Naikkan semua versi cache: halaman dan ringkasan yang di-cache dihitung ulang."

    def handle(self, *args, **options):
        from wagtail.models import Site

        names = invalidate_all()
        Site.clear_site_root_paths_cache()  # Wagtail's routing: sites and their root pages
        backend = settings.CACHES.get("default", {}).get("BACKEND", "")
        self.stdout.write(f"Versi cache dinaikkan: {', '.join(names)}")
        if backend.endswith("LocMemCache"):
            self.stdout.write(
                "Cache memori per proses: proses lain (server yang berjalan) tidak terjangkau; "
                "mulai ulang server agar cache-nya kosong."
            )
