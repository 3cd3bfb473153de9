"""The module's trainers become a ParentalManyToManyField, part of the page's revisions.

The table (``portal_trainingmodulepage_trainers``) and its rows stay as they are. Revisions
saved before had no ``trainers`` in their content, and publishing such a revision would now
write "no trainers": each of them gets the module's current trainers, so publishing an older
draft keeps today's choice."""

from collections import defaultdict

import modelcluster.fields
from django.conf import settings
from django.db import migrations


def trainers_into_revisions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    Module = apps.get_model("portal", "TrainingModulePage")
    content_type = ContentType.objects.filter(
        app_label="portal", model="trainingmodulepage"
    ).first()
    if content_type is None:
        return
    chosen = defaultdict(list)
    rows = Module.trainers.through.objects.order_by("user_id").values_list(
        "trainingmodulepage_id", "user_id"
    )
    for module_id, user_id in rows:
        chosen[str(module_id)].append(user_id)
    revisions = Revision.objects.filter(content_type=content_type).only("object_id", "content")
    for revision in revisions.iterator(chunk_size=500):
        content = revision.content
        if not isinstance(content, dict) or "trainers" in content:
            continue
        content["trainers"] = chosen.get(revision.object_id, [])
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_otp_enrolment_code"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="trainingmodulepage",
            name="trainers",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                help_text="Anggota kelompok Pelatih yang mengajar modul ini.",
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="pelatih",
            ),
        ),
        migrations.RunPython(trainers_into_revisions, migrations.RunPython.noop),
    ]
