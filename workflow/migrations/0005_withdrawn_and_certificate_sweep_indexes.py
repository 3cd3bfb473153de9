from django.db import migrations, models


class Migration(migrations.Migration):
    """A recommendation withdrawn when its gap closed; partial indexes for "JP that count"
    (revoked certificates) and for the follow-up sweep (PDF / e-mail still missing)."""

    dependencies = [
        ("workflow", "0004_assignment_assignment_emp_done_year_idx"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assignment",
            name="status",
            field=models.CharField(
                choices=[
                    ("recommended", "Direkomendasikan"),
                    ("assigned", "Ditugaskan"),
                    ("in_progress", "Sedang berjalan"),
                    ("completed", "Selesai"),
                    ("certified", "Bersertifikat"),
                    ("cancelled", "Dibatalkan"),
                    ("withdrawn", "Ditarik — kesenjangan sudah tertutup"),
                ],
                default="assigned",
                max_length=12,
            ),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(
                condition=models.Q(("revoked_at__isnull", False)),
                fields=["assignment"],
                name="certificate_revoked_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(
                condition=models.Q(("pdf", "")),
                fields=["issued_at"],
                name="certificate_without_pdf_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(
                condition=models.Q(("emailed_at__isnull", True), ("revoked_at__isnull", True)),
                fields=["issued_at"],
                name="certificate_not_emailed_idx",
            ),
        ),
    ]
