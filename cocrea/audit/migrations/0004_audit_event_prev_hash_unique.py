from django.db import migrations, models


class Migration(migrations.Migration):
    """After the chain is computed (0003): two events chained on the same one would fork it."""

    dependencies = [
        ("audit", "0003_audit_event_chain_backfill"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=["prev_hash"], name="audit_prev_hash_unique"),
        ),
    ]
