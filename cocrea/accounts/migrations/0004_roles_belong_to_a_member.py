"""Roles belong to one OGP member. The grants made when roles were site-wide become grants in
the default member (or the only one), the member the whole site served."""

import django.db.models.deletion
from django.db import migrations, models


def grants_to_the_default_member(apps, schema_editor):
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    Member = apps.get_model("plans", "Member")
    if not RoleGrant.objects.filter(member__isnull=True).exists():
        return
    member = Member.objects.filter(is_default=True).first() or Member.objects.order_by("pk").first()
    if member is None:
        member = Member.objects.create(
            name="Miembro OGP", code="OGP", slug="miembro-ogp", is_default=True
        )
    RoleGrant.objects.filter(member__isnull=True).update(member=member)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_language"),
        ("plans", "0006_members_own_institutions_and_local_members"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="rolegrant", name="accounts_one_grant_per_role"),
        migrations.AddField(
            model_name="rolegrant",
            name="member",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="role_grants",
                to="plans.member",
                verbose_name="OGP member",
            ),
        ),
        migrations.RunPython(grants_to_the_default_member, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rolegrant",
            name="member",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="role_grants",
                to="plans.member",
                verbose_name="OGP member",
            ),
        ),
        migrations.AddConstraint(
            model_name="rolegrant",
            constraint=models.UniqueConstraint(
                fields=("user", "role", "member"), name="accounts_one_grant_per_role_and_member"
            ),
        ),
    ]
