# Issue #15: models moved between apps without moving a row (each keeps its table, its
# index and constraint names): state-only operations, no SQL.

from django.db import migrations


class Migration(migrations.Migration):
    """The audit log leaves for core (core 0001), the citizen survey's service points and
    feedback for skm (skm 0001)."""

    dependencies = [
        ("kompetensi", "0006_hr_scope"),
        ("core", "0001_initial"),
        ("skm", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AccessLog"),
                migrations.DeleteModel(name="ServiceFeedback"),
                migrations.DeleteModel(name="ServicePoint"),
            ],
        ),
    ]
