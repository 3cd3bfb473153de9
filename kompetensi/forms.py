"""Forms of the kompetensi screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .importer import MAX_BYTES


class EvaluationForm(forms.Form):
    """One radio choice (1–5) per competency; ``c<id>`` fields, and with ``with_notes`` (the
    supervisor's form) a plain-text comment per competency, ``n<id>``. Saving a draft allows
    blanks, sending (final) needs every competency scored: ``missing`` then names the
    competencies left, for the error that links to each of them."""

    NOTE_MAX = 2000

    def __init__(self, *args, competencies, initial_scores=None, initial_notes=None,
                 with_notes=False, **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        self.with_notes = with_notes
        self.missing: list = []
        initial_scores = initial_scores or {}
        initial_notes = initial_notes or {}
        for comp in self.competencies:
            self.fields[f"c{comp.pk}"] = forms.TypedChoiceField(
                label=comp.name,
                choices=[(lv, str(lv)) for lv in range(1, 6)],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                initial=initial_scores.get(comp.pk),
            )
            if with_notes:
                self.fields[f"n{comp.pk}"] = forms.CharField(
                    label=_("Catatan"),
                    required=False,
                    max_length=self.NOTE_MAX,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=initial_notes.get(comp.pk, ""),
                )

    def clean(self):
        data = super().clean()
        final = bool(self.data.get("kirim"))
        if self.with_notes:
            for comp in self.competencies:
                if data.get(f"n{comp.pk}") and not data.get(f"c{comp.pk}"):
                    self.add_error(
                        f"n{comp.pk}", _("Pilih level kompetensi ini agar catatannya tersimpan.")
                    )
        missing = [c for c in self.competencies if not data.get(f"c{c.pk}")]
        if final and missing:
            self.missing = missing
            for comp in missing:
                self.add_error(f"c{comp.pk}", _("Pilih salah satu level."))
            raise forms.ValidationError(
                _(
                    "Semua kompetensi wajib dinilai sebelum dikirim. Belum dinilai: "
                    "%(n)s kompetensi."
                ),
                code="missing",
                params={"n": len(missing)},
            )
        if not final and len(missing) == len(self.competencies):
            raise forms.ValidationError(_("Pilih paling sedikit satu level."))
        return data

    def scores(self) -> dict:
        return {
            comp: self.cleaned_data[f"c{comp.pk}"]
            for comp in self.competencies
            if self.cleaned_data.get(f"c{comp.pk}")
        }

    def notes(self) -> dict[int, str]:
        """Plain text per competency id (stored as typed and escaped when shown; line
        endings normalised)."""
        if not self.with_notes:
            return {}
        return {
            comp.pk: "\n".join(self.cleaned_data.get(f"n{comp.pk}", "").splitlines()).strip()
            for comp in self.competencies
        }


class ImportUploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas pegawai (CSV atau XLSX)"),
        help_text=_("CSV atau XLSX, maksimal 8 MB; kolomnya dijelaskan di atas."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 8 MB."))
        return upload


class PeriodForm(forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=20, help_text=_("Misalnya 2027."))
    name = forms.CharField(label=_("Nama"), max_length=200)
    start = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Selesai"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data
