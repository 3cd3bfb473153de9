"""The national training history (SIASN riwayat kursus): completed, certified training and
approved external learning of a scope as SIASN records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kompetensi import rules
from portal.models import ModuleCompetency
from workflow.external import training_history_external
from workflow.models import Assignment, Certificate

from .scope import Scope

INSTITUSI_PENYELENGGARA = "BKPSDM Kota Serang"
JENIS_TEKNIS = "teknis"
JENIS_MANAJERIAL = "manajerial"
JENIS_FUNGSIONAL = "fungsional"
# SIASN knows teknis / manajerial / fungsional. Our competency kinds map as: teknis → teknis,
# manajerial → manajerial, sosial_kultural → manajerial (SIASN has no sosial-kultural kind and
# PermenPANRB 38/2017 groups it with the managerial standard). "fungsional" (training for a
# functional position) cannot be derived from competencies; it is never produced here.
KIND_TO_JENIS = {
    "teknis": JENIS_TEKNIS,
    "manajerial": JENIS_MANAJERIAL,
    "sosial_kultural": JENIS_MANAJERIAL,
}
RIWAYAT_KURSUS_FIELDS = (
    "nipBaru",
    "namaKursus",
    "jenisKursus",
    "jumlahJam",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "nomorSertipikat",
    "institusiPenyelenggara",
)


def _local(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min), rules.JAKARTA)


def module_jenis(module_ids) -> dict[int, str]:
    """One query: SIASN ``jenisKursus`` per module from its first (main) competency."""
    out: dict[int, str] = {}
    rows = (
        ModuleCompetency.objects.filter(page_id__in=module_ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "competency__kind")
    )
    for page_id, kind in rows:
        out.setdefault(page_id, KIND_TO_JENIS.get(kind, JENIS_TEKNIS))
    return out


def training_history(scope: Scope, *, start: date, end: date) -> list[dict]:
    """Two queries: completed, certified (not revoked) training completed between ``start``
    and ``end`` (Asia/Jakarta dates, inclusive) as SIASN riwayat-kursus records, then approved
    external learning (``workflow.external``, one query).

    ``jumlahJam`` carries the JP of the training: SIASN records training hours as jam
    pelajaran (1 JP = 45 minutes), the figure printed on the certificate — not clock hours.
    ``tanggalKursus`` is the day the employee started (first lesson), else the day it was
    assigned."""
    certs = list(
        Certificate.objects.filter(
            scope.q("employee__unit__path"),
            revoked_at__isnull=True,
            assignment__status=Assignment.Status.CERTIFIED,
            completed_at__gte=_local(start),
            completed_at__lt=_local(end + timedelta(days=1)),
        )
        .select_related("employee", "assignment")
        .order_by("completed_at", "number")
    )
    jenis = module_jenis({c.module_id for c in certs})
    out = []
    for c in certs:
        a = c.assignment
        started = a.started_at or a.approved_at or a.created_at
        out.append(
            {
                "nipBaru": c.employee.nip,
                "namaKursus": c.module_title,
                "jenisKursus": jenis.get(c.module_id, JENIS_TEKNIS),
                "jumlahJam": c.jp,
                "tahunKursus": timezone.localtime(c.completed_at, rules.JAKARTA).year,
                "tanggalKursus": rules.numeric_date(started),
                "tanggalSelesaiKursus": rules.numeric_date(c.completed_at),
                "nomorSertipikat": c.number,
                "institusiPenyelenggara": INSTITUSI_PENYELENGGARA,
            }
        )
    out.extend(training_history_external(scope, start=start, end=end))
    return out
