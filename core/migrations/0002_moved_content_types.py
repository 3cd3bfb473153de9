"""The content types of the models that moved between apps (issue #15) follow them: their
permissions (and the groups holding them), object permissions and admin log entries stay
attached. A content type the new app already has (created by a ``migrate`` run in between) is
replaced by the old one, which the existing rows point at."""

from django.db import migrations

MOVED = [
    # (old app label, new app label, model)
    ("portal", "core", "apitoken"),
    ("portal", "core", "otpenrolmentcode"),
    ("portal", "core", "workerheartbeat"),
    ("kompetensi", "core", "accesslog"),
    ("workflow", "core", "notification"),
    ("workflow", "portal", "lessonprogress"),
    ("kompetensi", "skm", "servicepoint"),
    ("kompetensi", "skm", "servicefeedback"),
]


def _move(apps, moves):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_label, new_label, model in moves:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label=new_label, model=model).delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move(apps, MOVED)


def backwards(apps, schema_editor):
    _move(apps, [(new, old, model) for old, new, model in MOVED])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("skm", "0001_initial"),
        ("portal", "0006_models_moved"),
        ("workflow", "0006_models_moved"),
        ("kompetensi", "0007_models_moved"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
