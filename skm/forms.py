"""The public SKM form: nine elements answered 1–4 in the regulation's wording, the optional
respondent profile (gender, age group, education, occupation: PermenPANRB 14/2017), an optional
comment, an optional front-line officer (opaque token, never NIP or pk) and a honeypot."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import rules
from .selectors import StaffCard
from .services import COMMENT_MAX_LENGTH

HONEYPOT_FIELD = "situs_web"
#: The respondent profile's form fields: ``responden_<field>`` (codes of rules.RESPONDENT_CODES).
RESPONDENT_PREFIX = "responden_"


class FeedbackForm(forms.Form):
    comment = forms.CharField(
        label=_("Saran atau masukan (tidak wajib)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
        help_text=_("Paling banyak 1000 karakter. Jangan menuliskan data pribadi."),
        error_messages={
            "max_length": _(
                "Saran paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."
            )
        },
    )
    petugas = forms.ChoiceField(
        label=_("Petugas yang melayani (tidak wajib)"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Petugas yang dipilih tidak melayani di sini. Pilih lagi.")
        },
    )
    # Hidden from people by CSS (class "honeypot"); bots fill every field.
    situs_web = forms.CharField(
        label=_("Jangan isi kolom ini"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, staff: list[StaffCard], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, element in rules.SKM_ELEMENT_DETAILS.items():
            self.fields[code] = forms.TypedChoiceField(
                label=format_lazy("{}. {}", code[1:], element.name),
                help_text=element.question,
                choices=element.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": format_lazy(
                        _("Pilih salah satu jawaban untuk unsur “{name}”."), name=element.name
                    ),
                    "invalid_choice": format_lazy(
                        _("Jawaban untuk unsur “{name}” harus salah satu dari 1 sampai 4."),
                        name=element.name,
                    ),
                },
            )
        for field, choices in rules.RESPONDENT_CHOICES.items():
            name = rules.RESPONDENT_FIELDS[field]
            self.fields[f"{RESPONDENT_PREFIX}{field}"] = forms.ChoiceField(
                label=name,
                required=False,
                choices=[("", _("— tidak menjawab —")), *choices],
                error_messages={
                    "invalid_choice": format_lazy(
                        _("Pilihan untuk “{name}” tidak dikenal. Pilih lagi."), name=name
                    )
                },
            )
        self._staff = {card.token: card for card in staff}
        self.fields["petugas"].choices = [("", _("Tidak memilih / tidak ingat"))] + [
            (card.token, card.name) for card in staff
        ]
        self.order_fields(
            [
                *rules.SKM_CODES,
                *self.respondent_names(),
                "petugas",
                "comment",
                HONEYPOT_FIELD,
            ]
        )

    @staticmethod
    def respondent_names() -> list[str]:
        return [f"{RESPONDENT_PREFIX}{field}" for field in rules.RESPONDENT_CODES]

    @property
    def is_bot(self) -> bool:
        """The honeypot was filled: pretend success, store nothing."""
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def element_fields(self):
        return [(code, self[code]) for code in rules.SKM_CODES]

    def respondent_fields(self):
        return [self[name] for name in self.respondent_names()]

    @property
    def respondent(self) -> dict[str, str | None]:
        """``{gender, age_group, education, occupation}``: a code, or None when not answered."""
        return {
            field: self.cleaned_data.get(f"{RESPONDENT_PREFIX}{field}") or None
            for field in rules.RESPONDENT_CODES
        }

    @property
    def scores(self) -> dict[str, int]:
        return {code: self.cleaned_data[code] for code in rules.SKM_CODES}

    @property
    def employee_id(self) -> int | None:
        card = self._staff.get(self.cleaned_data.get("petugas") or "")
        return card.employee_id if card else None
