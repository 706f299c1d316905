from django.db import migrations, models


class Migration(migrations.Migration):
    """The fields of the hash chain and of the public history. The hashes and contexts of rows
    already there are filled in by the next migration; the unique prev_hash comes after that."""

    dependencies = [
        ("audit", "0001_audit_event"),
    ]

    operations = [
        # Set by event_record before hashing, not by the database.
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(db_index=True, verbose_name="when"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_institution",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="institution of who"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="context_type",
            field=models.CharField(default="", max_length=80, verbose_name="context type"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="context_id",
            field=models.CharField(default="", max_length=80, verbose_name="context id"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="public",
            field=models.BooleanField(
                default=False,
                help_text="Whether everyone may read it; private events are chained too.",
                verbose_name="public",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                default="", max_length=64, verbose_name="hash of the previous event"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="payload_hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash of the content"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["context_type", "context_id", "id"], name="audit_context_idx"),
        ),
    ]
