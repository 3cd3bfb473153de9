# Issue #15: models moved between apps without moving a row (each keeps its table, its
# index and constraint names): state-only operations, no SQL.

from django.db import migrations


class Migration(migrations.Migration):
    """Lesson progress leaves for portal (portal 0006), notifications for core (core 0001)."""

    dependencies = [
        ("workflow", "0005_withdrawn_and_certificate_sweep_indexes"),
        ("portal", "0006_models_moved"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="LessonProgress"),
                migrations.DeleteModel(name="Notification"),
            ],
        ),
    ]
