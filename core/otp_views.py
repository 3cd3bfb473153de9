"""The two-factor pages: ``/akun/2fa/`` sets up an authenticator app (first time) or asks for
the current 6-digit code (every sign-in). See ``core/otp.py`` for who must pass it.

The first authenticator of a role account is enrolled only after an enrolment code issued for
that account by a superuser or a city-wide HR officer was entered (``core.accounts``): the
code is used up at once and opens a setup of :data:`ENROL_WINDOW` seconds in this session, with
a fresh secret. Accounts that need no second factor do not enrol here (an authenticator set up
before a role was granted would otherwise skip the code)."""

import time
from urllib.parse import urlencode

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

from . import accounts, otp

ENROL_SESSION_KEY = "sikap_otp_enrolment"
ENROL_WINDOW = 30 * 60

BAD_ENROLMENT_CODE = _(
    "Kode pendaftaran salah, sudah dipakai, sudah kedaluwarsa, atau bukan untuk akun ini. "
    "Minta kode baru kepada superuser atau petugas SDM tingkat kota."
)
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


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label=_("Kode pendaftaran"),
        max_length=40,
        help_text=_("12 huruf/angka, misalnya ABCD-EFGH-JKLM (tanda hubung boleh diabaikan)."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
        error_messages={"required": _("Masukkan kode pendaftaran.")},
    )


def _enrolment_device(request: HttpRequest) -> TOTPDevice | None:
    """The unconfirmed device this session may confirm (opened by an enrolment code)."""
    data = request.session.get(ENROL_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    if float(data.get("until") or 0) < time.time():
        request.session.pop(ENROL_SESSION_KEY, None)
        return None
    return TOTPDevice.objects.filter(
        pk=data.get("device"), user=request.user, confirmed=False
    ).first()


def _start_enrolment(request: HttpRequest) -> TOTPDevice:
    """A fresh secret for this session; any older unconfirmed device of the account goes."""
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=request.user, name=otp.DEVICE_NAME, confirmed=False)
    request.session[ENROL_SESSION_KEY] = {"device": device.pk, "until": time.time() + ENROL_WINDOW}
    return device


def _posted_code(request: HttpRequest, form: forms.Form, field: str, check, bad_code, *, locked):
    """A posted code form behind the account's attempt counter (``core/otp.py``): while the
    attempts are used up (``locked``) nothing is checked; otherwise ``check(code)``, whose
    truthy result resets the counter and is returned, while a wrong code counts as a failure
    and is shown as ``bad_code`` (or :data:`TOO_MANY` once that failure used the attempts
    up). None when nothing was accepted (GET, invalid form, locked, wrong code)."""
    user = request.user
    if request.method != "POST":
        return None
    if locked:
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return None
    if not form.is_valid():
        return None
    accepted = check(form.cleaned_data[field])
    if accepted:
        otp.reset_failures(user)
        return accepted
    otp.record_failure(user)
    form.add_error(field, TOO_MANY if otp.attempts_exhausted(user) else bad_code)
    return None


def _status(request: HttpRequest) -> int:
    """429 for a post that leaves the attempts used up, else 200."""
    return 429 if request.method == "POST" and otp.attempts_exhausted(request.user) else 200


def _enrolment_code_step(request: HttpRequest, next_url: str) -> HttpResponse:
    user = request.user
    form = EnrolmentCodeForm(request.POST or None)
    locked = otp.attempts_exhausted(user)

    def redeem(code: str) -> bool:
        return accounts.otp_enrolment_code_redeem(user=user, code=code)

    if _posted_code(request, form, "enrolment_code", redeem, BAD_ENROLMENT_CODE, locked=locked):
        _start_enrolment(request)
        return redirect(f"{otp.OTP_URL}?{urlencode({'next': next_url})}")
    context = {"form": form, "next": next_url, "locked": locked}
    return render(request, "registration/otp_enrol_code.html", context, status=_status(request))


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = otp.safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device = None
    if not has_device:
        if not otp.requires_otp(user):
            return redirect(next_url)
        device = _enrolment_device(request)
        if device is None:
            return _enrolment_code_step(request, next_url)

    form = OTPCodeForm(request.POST or None)
    locked = otp.attempts_exhausted(user)

    def verify(code: str):
        if device is None:
            return match_token(user, code)
        if not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        request.session.pop(ENROL_SESSION_KEY, None)
        return device

    verified = _posted_code(request, form, "code", verify, BAD_CODE, locked=locked)
    if verified is not None:
        otp_login(request, verified)
        if device is not None:
            messages.success(request, _("Verifikasi dua langkah sudah aktif untuk akun Anda."))
        return redirect(next_url)

    context = {"form": form, "next": next_url, "locked": locked}
    status = _status(request)
    if device is not None:
        context.update(
            qr_data_uri=otp.qr_svg_data_uri(device.config_url),
            secret_groups=otp.secret_in_groups(device),
        )
        return render(request, "registration/otp_setup.html", context, status=status)
    return render(request, "registration/otp_verify.html", context, status=status)
