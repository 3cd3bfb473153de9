"""Reference data production needs: the competency dictionary (kamus kompetensi manajerial and
sosial kultural, Lampiran PermenPANRB 38/2017), shipped with its citation in
``kompetensi/data/`` and loaded by a data migration (``0008_competency_dictionary``), so a fresh
install has it. Idempotent: a competency is created only when its code is missing (with its
five levels); an existing one, possibly edited by HR, is never overwritten.

The loader takes the model classes, so the migration passes its historical models and code
that needs the dictionary again after a database flush (tests) passes the real ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

#: The official kamus kompetensi (PermenPANRB 38/2017), with its citation (``source``).
KAMUS_KOMPETENSI_PATH: Final = (
    Path(__file__).resolve().parent / "data" / "kamus_kompetensi_permenpanrb38_2017.json"
)


def load_kamus() -> dict:
    with KAMUS_KOMPETENSI_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def ensure_competency_dictionary(Competency=None, CompetencyLevel=None) -> int:
    """Create the dictionary's competencies that are missing (by code), each with its levels;
    returns how many were created. Existing competencies are left as they are."""
    if Competency is None or CompetencyLevel is None:
        from .models import Competency, CompetencyLevel
    kamus = load_kamus()
    citation = kamus.get("source", "")[:300]
    existing = set(Competency.objects.values_list("code", flat=True))
    created = 0
    for item in kamus["kompetensi"]:
        if item["kode"] in existing:
            continue
        kind = "manajerial" if item["jenis"].startswith("manajerial") else "sosial_kultural"
        competency = Competency.objects.create(
            code=item["kode"],
            name=item["nama"],
            kind=kind,
            description=item.get("definisi", ""),
            source=citation,
        )
        CompetencyLevel.objects.bulk_create(
            [
                CompetencyLevel(
                    competency=competency,
                    level=level["level"],
                    description=level["deskripsi"],
                    indicators=level.get("indikator", []),
                )
                for level in item["levels"]
            ],
            ignore_conflicts=True,
        )
        existing.add(competency.code)
        created += 1
    if created:  # cache versions (core/dataversion.py): a migration's post_migrate bumps too
        from core import dataversion

        dataversion.bump("sdm", "content", "person")
    return created


def dictionary_codes() -> list[str]:
    """The codes of the dictionary's competencies (M.1 … M.8, SK.1)."""
    return [item["kode"] for item in load_kamus()["kompetensi"]]
