# Issue #15: models moved between apps without moving a row (each keeps its table, its
# index and constraint names): state-only operations, no SQL.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """API tokens, 2FA enrolment codes and the worker heartbeat (from portal), the audit log
    (from kompetensi) and notifications (from workflow) become core's. Their tables were
    created by the old apps' migrations, which this one runs after."""

    initial = True

    dependencies = [
        ("kompetensi", "0006_hr_scope"),
        ("portal", "0005_module_trainers_parental"),
        ("workflow", "0005_withdrawn_and_certificate_sweep_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorkerHeartbeat",
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
                        ("token", models.CharField(max_length=64, unique=True)),
                        ("hostname", models.CharField(blank=True, max_length=200)),
                        ("seen_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "detak pekerja",
                        "verbose_name_plural": "detak pekerja",
                        "db_table": "portal_workerheartbeat",
                    },
                ),
                migrations.CreateModel(
                    name="AccessLog",
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
                        (
                            "action",
                            models.CharField(db_index=True, max_length=60, verbose_name="tindakan"),
                        ),
                        (
                            "detail",
                            models.CharField(blank=True, max_length=300, verbose_name="ringkasan"),
                        ),
                        (
                            "object_type",
                            models.CharField(blank=True, max_length=60, verbose_name="jenis objek"),
                        ),
                        (
                            "object_id",
                            models.CharField(blank=True, max_length=64, verbose_name="id objek"),
                        ),
                        (
                            "ip_hash",
                            models.CharField(blank=True, max_length=64, verbose_name="hash IP"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "employee",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="access_logs",
                                to="kompetensi.employee",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "log audit data pribadi",
                        "verbose_name_plural": "log audit data pribadi",
                        "db_table": "kompetensi_accesslog",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ApiToken",
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
                        ("name", models.CharField(blank=True, max_length=100, verbose_name="nama")),
                        (
                            "prefix",
                            models.CharField(editable=False, max_length=8, verbose_name="awalan"),
                        ),
                        ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="dibuat"),
                        ),
                        (
                            "last_used_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="terakhir dipakai"
                            ),
                        ),
                        (
                            "revoked_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="dicabut"),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sikap_api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "token API",
                        "verbose_name_plural": "token API",
                        "db_table": "portal_apitoken",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="OtpEnrolmentCode",
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
                        ("code_hash", models.CharField(editable=False, max_length=64, unique=True)),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="diterbitkan"),
                        ),
                        ("expires_at", models.DateTimeField(verbose_name="berlaku sampai")),
                        (
                            "used_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="dipakai"),
                        ),
                        (
                            "issued_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="diterbitkan oleh",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="akun",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kode pendaftaran verifikasi dua langkah",
                        "verbose_name_plural": "kode pendaftaran verifikasi dua langkah",
                        "db_table": "portal_otpenrolmentcode",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Notification",
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
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("assignment", "Penugasan baru"),
                                    ("reminder", "Pengingat"),
                                    ("certificate", "Sertifikat terbit"),
                                    ("forum_reply", "Balasan forum"),
                                    ("mention", "Disebut di forum"),
                                    ("need", "Kebutuhan pelatihan"),
                                    ("other", "Lainnya"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("title", models.CharField(max_length=255)),
                        ("body", models.TextField(blank=True)),
                        ("url", models.CharField(blank=True, max_length=500)),
                        ("dedupe_key", models.CharField(blank=True, max_length=120)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notifikasi",
                        "verbose_name_plural": "notifikasi",
                        "db_table": "workflow_notification",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                fields=["user", "read_at", "-created_at"],
                                name="workflow_no_user_id_4b8a5b_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("dedupe_key", ""), _negated=True),
                                fields=("user", "dedupe_key"),
                                name="uniq_notification_dedupe",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
