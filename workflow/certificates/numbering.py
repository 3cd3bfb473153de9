"""Certificate numbers: a gapless sequence per calendar year (Asia/Jakarta), formatted with the
default certificate template's format (``templates.number_format``) by the domain's rule
(``kompetensi.rules.format_certificate_number``)."""

from __future__ import annotations

from kompetensi import rules
from workflow.models import CertificateSequence

from . import templates


def next_sequence(year: int) -> int:
    """Gapless per year: the sequence row is locked (SELECT … FOR UPDATE) until commit."""
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(year=year, last_value=0)], ignore_conflicts=True
    )
    seq = CertificateSequence.objects.select_for_update(of=("self",)).get(year=year)
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return seq.last_value


def certificate_number(sequence: int, year: int) -> str:
    """The number printed on the certificate: ``00007/SIKAP/2026`` with the default format."""
    return rules.format_certificate_number(sequence, year, templates.number_format())
