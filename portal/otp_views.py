"""The two-factor pages: ``/akun/2fa/`` sets up an authenticator app (first time) or asks for
the current 6-digit code (every sign-in). See ``portal/otp.py`` for who must pass it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import otp

BAD_CODE = _("Kode salah atau sudah kedaluwarsa. Periksa jam di ponsel Anda lalu coba lagi.")
TOO_MANY = _("Terlalu banyak kode yang salah. Demi keamanan, tunggu 5 menit sebelum mencoba lagi.")


class OTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
        error_messages={"required": _("Masukkan kode 6 angka.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(_("Kode harus terdiri dari 6 angka."))
        return code


def _pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=otp.DEVICE_NAME, confirmed=False)
    return device


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = otp.safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device = None if has_device else _pending_device(user)

    form = OTPCodeForm(request.POST or None)
    locked = otp.attempts_exhausted(user)
    if request.method == "POST":
        if locked:
            form.is_valid()
            form.add_error(None, TOO_MANY)
        elif form.is_valid():
            code = form.cleaned_data["code"]
            verified = None
            if device is not None:
                if device.verify_token(code):
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    verified = device
            else:
                verified = match_token(user, code)
            if verified is not None:
                otp.reset_failures(user)
                otp_login(request, verified)
                if device is not None:
                    messages.success(
                        request, _("Verifikasi dua langkah sudah aktif untuk akun Anda.")
                    )
                return redirect(next_url)
            otp.record_failure(user)
            form.add_error("code", TOO_MANY if otp.attempts_exhausted(user) else BAD_CODE)

    context = {"form": form, "next": next_url, "locked": locked}
    status = 429 if request.method == "POST" and otp.attempts_exhausted(user) else 200
    if device is not None:
        context.update(
            qr_data_uri=otp.qr_svg_data_uri(device.config_url),
            secret_groups=otp.secret_in_groups(device),
        )
        return render(request, "registration/otp_setup.html", context, status=status)
    return render(request, "registration/otp_verify.html", context, status=status)
