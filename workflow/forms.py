from django import forms
from django.utils.translation import gettext_lazy as _


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        label=_("Batas waktu"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Kosongkan bila tanpa batas waktu."),
    )


class RecommendForm(forms.Form):
    period = forms.ChoiceField(label=_("Periode penilaian"))

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.code, p.name) for p in periods]


class AssignmentEditForm(DueDateForm):
    module = forms.TypedChoiceField(label=_("Modul"), coerce=int, required=False)
    reason = forms.CharField(label=_("Alasan pembatalan"), required=False, max_length=500)

    def __init__(self, *args, modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [(m.pk, f"{m.title} ({m.jp} JP)") for m in modules]


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=60,
        help_text=_("26 huruf/angka yang tercetak di bawah kode QR, misalnya ABCD-EFGH-…"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
