"""The competency dictionary (kamus kompetensi manajerial and sosial kultural, Lampiran
PermenPANRB 38/2017, ``kompetensi/data/``, with its citation) as reference data: a fresh
install has it, ``seed_demo`` no longer loads it. Idempotent: a competency is created only when
its code is missing, with its five levels; what HR edited is never overwritten. Reversing it
removes nothing (HR may have built on the rows)."""

from django.db import migrations


def load_dictionary(apps, schema_editor):
    from kompetensi.reference import ensure_competency_dictionary

    ensure_competency_dictionary(
        apps.get_model("kompetensi", "Competency"),
        apps.get_model("kompetensi", "CompetencyLevel"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kompetensi", "0007_models_moved"),
    ]

    operations = [migrations.RunPython(load_dictionary, migrations.RunPython.noop)]
