"""Forms of the kompetensi screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .importer import MAX_BYTES


class EvaluationForm(forms.Form):
    """One radio choice (1–5) per competency; ``c<id>`` fields. Saving a draft allows blanks,
    sending (final) needs every competency scored."""

    def __init__(self, *args, competencies, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        initial_scores = initial_scores or {}
        for comp in self.competencies:
            self.fields[f"c{comp.pk}"] = forms.TypedChoiceField(
                label=comp.name,
                choices=[(lv, str(lv)) for lv in range(1, 6)],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                initial=initial_scores.get(comp.pk),
            )

    def clean(self):
        data = super().clean()
        final = bool(self.data.get("kirim"))
        missing = [c.name for c in self.competencies if not data.get(f"c{c.pk}")]
        if final and missing:
            raise forms.ValidationError(
                _("Semua kompetensi wajib dinilai sebelum dikirim. Belum dinilai: %(names)s."),
                params={"names": ", ".join(missing)},
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
