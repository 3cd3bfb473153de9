"""kompetensi.reference and migration 0008: the competency dictionary (kamus kompetensi
manajerial and sosial kultural, PermenPANRB 38/2017) is reference data that a fresh install
has, loaded by a data migration; loading it again creates nothing and never overwrites what HR
edited.

The session's test database is migrated and then has the dictionary removed
(tests/conftest.py), so here the migration is unapplied and applied again for real."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from kompetensi.models import Competency, CompetencyLevel
from kompetensi.reference import dictionary_codes, ensure_competency_dictionary, load_kamus

BEFORE = ("kompetensi", "0007_models_moved")
MIGRATION = ("kompetensi", "0008_competency_dictionary")
DICTIONARY = [f"M.{i}" for i in range(1, 9)] + ["SK.1"]


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _dictionary() -> dict[str, tuple[str, str, list[int]]]:
    """code -> (name, kind, levels) of the dictionary's competencies in the database."""
    return {
        c.code: (c.name, c.kind, sorted(c.levels.values_list("level", flat=True)))
        for c in Competency.objects.filter(code__in=DICTIONARY)
    }


def test_dictionary_codes():
    assert dictionary_codes() == DICTIONARY


@pytest.mark.django_db(transaction=True)
def test_a_migrated_database_has_the_dictionary():
    _migrate([BEFORE])  # unapplies 0008 (its reverse removes nothing)
    try:
        assert MIGRATION not in MigrationRecorder(connection).applied_migrations()
        # A database at 0007 without the dictionary (the session fixture removed it).
        Competency.objects.filter(code__in=DICTIONARY).delete()
        _migrate(_latest())
    finally:
        _migrate(_latest())
    assert MIGRATION in MigrationRecorder(connection).applied_migrations()

    kamus = {item["kode"]: item for item in load_kamus()["kompetensi"]}
    assert _dictionary() == {
        code: (
            kamus[code]["nama"],
            "sosial_kultural" if code.startswith("SK.") else "manajerial",
            [1, 2, 3, 4, 5],
        )
        for code in DICTIONARY
    }
    for competency in Competency.objects.filter(code__in=DICTIONARY):
        assert "PermenPANRB No. 38 Tahun 2017" in competency.source
        assert competency.description == kamus[competency.code].get("definisi", "")
        levels = {level["level"]: level for level in kamus[competency.code]["levels"]}
        for row in competency.levels.all():
            assert row.description == levels[row.level]["deskripsi"]
            assert row.indicators == levels[row.level]["indikator"]
    assert CompetencyLevel.objects.filter(competency__code__in=DICTIONARY).count() == 9 * 5


def test_ensure_is_idempotent_and_keeps_what_hr_edited(db):
    assert ensure_competency_dictionary() == len(DICTIONARY)
    loaded = _dictionary()
    assert sorted(loaded) == sorted(DICTIONARY)
    assert all(levels == [1, 2, 3, 4, 5] for _name, _kind, levels in loaded.values())

    # HR edits a name and a level's description.
    Competency.objects.filter(code="M.1").update(name="Integritas (disunting BKPSDM)")
    CompetencyLevel.objects.filter(competency__code="M.1", level=3).update(
        description="Deskripsi yang disunting"
    )
    competencies, levels = Competency.objects.count(), CompetencyLevel.objects.count()

    assert ensure_competency_dictionary() == 0
    assert (Competency.objects.count(), CompetencyLevel.objects.count()) == (competencies, levels)
    assert Competency.objects.get(code="M.1").name == "Integritas (disunting BKPSDM)"
    assert (
        CompetencyLevel.objects.get(competency__code="M.1", level=3).description
        == "Deskripsi yang disunting"
    )

    # The migration's own loader (on the historical models) creates nothing either.
    migration = import_module("kompetensi.migrations.0008_competency_dictionary")
    state_apps = MigrationLoader(connection).project_state(MIGRATION).apps
    migration.load_dictionary(state_apps, None)
    assert (Competency.objects.count(), CompetencyLevel.objects.count()) == (competencies, levels)
    assert Competency.objects.get(code="M.1").name == "Integritas (disunting BKPSDM)"


def test_ensure_creates_only_what_is_missing(db):
    Competency.objects.create(code="M.3", name="Komunikasi Efektif", kind="manajerial")
    assert ensure_competency_dictionary() == len(DICTIONARY) - 1
    kept = Competency.objects.get(code="M.3")
    assert kept.name == "Komunikasi Efektif"
    assert not kept.levels.exists()  # an existing competency is left as it is, levels too

    Competency.objects.filter(code="SK.1").delete()
    assert ensure_competency_dictionary() == 1
    assert sorted(Competency.objects.get(code="SK.1").levels.values_list("level", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
