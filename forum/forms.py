from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Forum, ForumPreference

BODY_HELP = _(
    "Format Markdown: **tebal**, *miring*, > kutipan, - daftar, [tautan](https://…). "
    "HTML tidak diizinkan. Sebut rekan dengan @NIP atau @namapengguna."
)


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Judul topik"), max_length=200, min_length=5)
    body = forms.CharField(
        label=_("Isi"), widget=forms.Textarea(attrs={"rows": 8}), help_text=BODY_HELP
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Balasan Anda"), widget=forms.Textarea(attrs={"rows": 6}), help_text=BODY_HELP
    )


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Isi pesan"), widget=forms.Textarea(attrs={"rows": 10}), help_text=BODY_HELP
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300, min_length=5)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa pesan ini perlu ditinjau moderator?"),
        max_length=500,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MoveForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Pindahkan ke forum"), queryset=Forum.objects.none())

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("E-mail untuk balasan di topik yang Anda ikuti"),
        choices=ForumPreference.EmailMode.choices,
        widget=forms.RadioSelect,
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cari di forum"), max_length=100, required=False)


PERMISSION_CHOICES = [
    ("view_forum", _("Membaca")),
    ("post_in_forum", _("Membaca dan menulis")),
    ("moderate_forum", _("Memoderasi")),
]


class GrantForm(forms.Form):
    codename = forms.ChoiceField(label=_("Izin"), choices=PERMISSION_CHOICES)
    group = forms.ModelChoiceField(
        label=_("Grup"), queryset=None, required=False, empty_label=_("— pilih grup —")
    )
    user = forms.CharField(
        label=_("atau pengguna (nama pengguna atau NIP)"), max_length=150, required=False
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth.models import Group

        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.order_by("name")

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        data = super().clean()
        handle = (data.get("user") or "").strip()
        if bool(data.get("group")) == bool(handle):
            raise forms.ValidationError(_("Pilih satu grup atau isi satu pengguna."))
        if handle:
            user = (
                get_user_model()
                .objects.filter(Q(username=handle) | Q(employee__nip=handle))
                .first()
            )
            if user is None:
                self.add_error("user", _("Pengguna dengan nama atau NIP itu tidak ditemukan."))
            data["user_obj"] = user
        return data
