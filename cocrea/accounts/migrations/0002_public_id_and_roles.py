import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import cocrea.accounts.models


def fill_public_ids(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(public_id__isnull=True):
        user.public_id = secrets.token_hex(6)
        user.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_user")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.CharField(editable=False, max_length=12, null=True, verbose_name="public id"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="public_id",
            field=models.CharField(
                default=cocrea.accounts.models._new_public_id,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="public id",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="deleted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="deleted"),
        ),
        migrations.CreateModel(
            name="RoleGrant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("point_of_contact", "Point of contact"),
                            ("moderator", "Moderator"),
                            ("researcher", "Researcher"),
                            ("forum_member", "Forum member"),
                        ],
                        max_length=30,
                        verbose_name="role",
                    ),
                ),
                ("granted_at", models.DateTimeField(auto_now_add=True, verbose_name="granted")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_grants",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "role", "verbose_name_plural": "roles"},
        ),
        migrations.AddConstraint(
            model_name="rolegrant",
            constraint=models.UniqueConstraint(fields=("user", "role"), name="accounts_one_grant_per_role"),
        ),
    ]
