# Issue #15: models moved between apps without moving a row (each keeps its table, its
# index and constraint names): state-only operations, no SQL.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Lesson progress comes to portal (from workflow; table workflow_lessonprogress); API tokens,
    2FA enrolment codes and the worker heartbeat leave for core (core 0001)."""

    dependencies = [
        ("portal", "0005_module_trainers_parental"),
        ("core", "0001_initial"),
        ("workflow", "0005_withdrawn_and_certificate_sweep_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LessonProgress",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        ("best_score", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("passed", models.BooleanField(default=False)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "lesson",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="progress",
                                to="portal.lessonpage",
                            ),
                        ),
                        (
                            "module",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lesson_progress",
                                to="portal.trainingmodulepage",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lesson_progress",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kemajuan pelajaran",
                        "verbose_name_plural": "kemajuan pelajaran",
                        "db_table": "workflow_lessonprogress",
                        "indexes": [
                            models.Index(
                                fields=["user", "module"], name="workflow_le_user_id_69cb90_idx"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "lesson"), name="uniq_progress_per_lesson"
                            )
                        ],
                    },
                ),
                migrations.DeleteModel(name="ApiToken"),
                migrations.DeleteModel(name="OtpEnrolmentCode"),
                migrations.DeleteModel(name="WorkerHeartbeat"),
            ],
        ),
    ]
