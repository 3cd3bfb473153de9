# Issue #15: models moved between apps without moving a row (each keeps its table, its
# index and constraint names): state-only operations, no SQL.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The citizen survey's service points and feedback (from kompetensi): tables
    kompetensi_servicepoint and kompetensi_servicefeedback, created by kompetensi 0001."""

    initial = True

    dependencies = [
        ("kompetensi", "0006_hr_scope"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ServicePoint",
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
                        ("code", models.SlugField(max_length=60, unique=True, verbose_name="kode")),
                        ("service", models.CharField(max_length=200, verbose_name="layanan")),
                        ("is_active", models.BooleanField(default=True, verbose_name="aktif")),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="service_points",
                                to="kompetensi.organizationunit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "titik layanan",
                        "verbose_name_plural": "titik layanan",
                        "db_table": "kompetensi_servicepoint",
                        "ordering": ["unit__name", "service"],
                    },
                ),
                migrations.CreateModel(
                    name="ServiceFeedback",
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
                        ("u1", models.PositiveSmallIntegerField()),
                        ("u2", models.PositiveSmallIntegerField()),
                        ("u3", models.PositiveSmallIntegerField()),
                        ("u4", models.PositiveSmallIntegerField()),
                        ("u5", models.PositiveSmallIntegerField()),
                        ("u6", models.PositiveSmallIntegerField()),
                        ("u7", models.PositiveSmallIntegerField()),
                        ("u8", models.PositiveSmallIntegerField()),
                        ("u9", models.PositiveSmallIntegerField()),
                        (
                            "comment",
                            models.TextField(blank=True, max_length=2000, verbose_name="saran"),
                        ),
                        ("ip_hash", models.CharField(blank=True, db_index=True, max_length=64)),
                        ("device_hash", models.CharField(blank=True, db_index=True, max_length=64)),
                        ("fingerprint", models.CharField(blank=True, db_index=True, max_length=64)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "employee",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="feedback",
                                to="kompetensi.employee",
                            ),
                        ),
                        (
                            "period",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="kompetensi.evaluationperiod",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="kompetensi.organizationunit",
                            ),
                        ),
                        (
                            "service_point",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="feedback",
                                to="skm.servicepoint",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "umpan balik masyarakat",
                        "verbose_name_plural": "umpan balik masyarakat",
                        "db_table": "kompetensi_servicefeedback",
                        "indexes": [
                            models.Index(
                                fields=["unit", "period"], name="kompetensi__unit_id_763ff0_idx"
                            ),
                            models.Index(
                                fields=["employee", "period"], name="kompetensi__employe_644490_idx"
                            ),
                            models.Index(
                                fields=["service_point", "period"],
                                name="kompetensi__service_9a3f14_idx",
                            ),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("u1__gte", 1),
                                    ("u1__lte", 4),
                                    ("u2__gte", 1),
                                    ("u2__lte", 4),
                                    ("u3__gte", 1),
                                    ("u3__lte", 4),
                                    ("u4__gte", 1),
                                    ("u4__lte", 4),
                                    ("u5__gte", 1),
                                    ("u5__lte", 4),
                                    ("u6__gte", 1),
                                    ("u6__lte", 4),
                                    ("u7__gte", 1),
                                    ("u7__lte", 4),
                                    ("u8__gte", 1),
                                    ("u8__lte", 4),
                                    ("u9__gte", 1),
                                    ("u9__lte", 4),
                                ),
                                name="skm_scores_1_4",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
