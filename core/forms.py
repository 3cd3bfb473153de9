from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIP atau nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "NIP/nama pengguna atau kata sandi salah. Setelah 5 kali gagal, akun dikunci 30 menit."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi BKPSDM."),
    }


class ActivationPasswordResetForm(PasswordResetForm):
    """ "Lupa kata sandi?" also activates an account: accounts created by the employee import
    or the API (username = NIP) have no usable password until their owner sets one through the
    link e-mailed to the account's address. Django's form skips such accounts; this one
    includes them (active accounts only, as Django's)."""

    def get_users(self, email):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (u for u in users if getattr(u, field, "").casefold() == email.casefold())
