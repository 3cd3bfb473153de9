"""Create what every installation needs, without demo data: the page tree (Beranda, Katalog
Pelatihan, Panduan with one help page per role), the Pelatih/Reviewer Konten/BKPSDM page
permissions and the "Tinjauan Konten" moderation workflow. Idempotent; ``seed_demo`` runs it
too."""

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Menyiapkan struktur situs: halaman, izin pelatih/reviewer, alur Tinjauan Konten."

    def handle(self, *args, **options):
        from portal.site import ensure_site_structure

        with transaction.atomic():
            pages = ensure_site_structure()
        self.stdout.write(
            self.style.SUCCESS(
                f"Struktur situs siap: {pages['home'].title}, {pages['catalog'].title}, "
                f"{pages['help'].title}; alur Tinjauan Konten aktif."
            )
        )
