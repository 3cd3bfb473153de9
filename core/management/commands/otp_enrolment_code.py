"""The operator's way to the first enrolment code (e.g. the first superuser, who has nobody to
issue one): ``manage.py otp_enrolment_code USERNAME`` prints a one-time code for that role
account (see ``core.accounts``)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.accounts import otp_enrolment_code_issue
from core.errors import ServiceError
from core.roles import SYSTEM


class Command(BaseCommand):
    help = (
        "Menerbitkan kode pendaftaran verifikasi dua langkah (sekali pakai) untuk akun "
        "superuser/BKPSDM USERNAME yang belum memiliki aplikasi autentikator, dan mencetaknya."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ditemukan.")
        try:
            row, code = otp_enrolment_code_issue(actor=SYSTEM, user=user)
        except ServiceError as error:
            raise CommandError(f"{error.message}.") from None
        self.stdout.write(code)
        until = timezone.localtime(row.expires_at)
        self.stderr.write(f"Berlaku sekali, sampai {until:%Y-%m-%d %H:%M}.")
