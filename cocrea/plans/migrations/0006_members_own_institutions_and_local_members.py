"""Institutions belong to one OGP member (the same name in two countries is two institutions),
and an OGP Local member names its national member. Existing institutions take the member of the
plans they lead (or support), else the default member."""

import django.db.models.deletion
from django.db import migrations, models


def _fallback_member(Member):  # noqa: N803 (the historical model)
    member = Member.objects.filter(is_default=True).first() or Member.objects.order_by("pk").first()
    if member is None:
        member = Member.objects.create(
            name="Miembro OGP", code="OGP", slug="miembro-ogp", is_default=True
        )
    return member


def give_institutions_a_member(apps, schema_editor):
    Institution = apps.get_model("plans", "Institution")
    Member = apps.get_model("plans", "Member")
    Commitment = apps.get_model("plans", "Commitment")
    orphans = []
    for institution in Institution.objects.filter(member__isnull=True).iterator():
        led = (
            Commitment.objects.filter(lead_institution=institution)
            .values_list("plan__member_id", flat=True)
            .first()
        )
        supported = (
            Commitment.objects.filter(supporting_institutions=institution)
            .values_list("plan__member_id", flat=True)
            .first()
        )
        member_id = led or supported
        if member_id is None:
            orphans.append(institution.pk)
        else:
            Institution.objects.filter(pk=institution.pk).update(member_id=member_id)
    if orphans:
        Institution.objects.filter(pk__in=orphans).update(member=_fallback_member(Member))


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_commitment_number_as_text_sorted_naturally")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="national",
            field=models.ForeignKey(
                blank=True,
                help_text="For an OGP Local member: the national member of its country.",
                limit_choices_to={"level": "national"},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="local_members",
                to="plans.member",
                verbose_name="national member",
            ),
        ),
        migrations.AddField(
            model_name="institution",
            name="member",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="institutions",
                to="plans.member",
                verbose_name="OGP member",
            ),
        ),
        migrations.RunPython(give_institutions_a_member, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="institution",
            name="member",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="institutions",
                to="plans.member",
                verbose_name="OGP member",
            ),
        ),
    ]
