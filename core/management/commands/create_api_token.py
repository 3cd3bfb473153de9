from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.models import ApiToken


class Command(BaseCommand):
    help = "Membuat token API baru untuk pengguna USERNAME dan mencetaknya (sekali saja)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Nama/keterangan token")

    def handle(self, *args, username, name, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Pengguna '{username}' tidak ditemukan.") from exc
        _token, key = ApiToken.issue(user=user, name=name or "dibuat lewat manage.py")
        self.stdout.write(key)
