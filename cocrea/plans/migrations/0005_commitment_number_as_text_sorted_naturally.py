"""Commitment numbers as OGP writes them (3.2.5, 1.6A, 12): text, ordered by a natural sort key.

The numbers that were whole numbers become their text ("3"); `number_sort` is filled for every
commitment. Going back works only while every number is still a whole number."""

import re

from django.db import migrations, models

# A copy of plans.models.natural_key as it is today: a migration keeps the key it wrote, whatever
# the model's function becomes later.
_DIGIT_RUNS = re.compile(r"([0-9]+)")


def _natural_key(number: str) -> str:
    return "".join(
        part.rjust(6, "0") if place % 2 else part.casefold()
        for place, part in enumerate(_DIGIT_RUNS.split(number))
    )


def numbers_to_text(apps, schema_editor):
    Commitment = apps.get_model("plans", "Commitment")
    batch = []
    for commitment in Commitment.objects.only("pk", "number").iterator(chunk_size=1000):
        # The column is text now, but SQLite may still hand back the integer it stored.
        commitment.number = str(commitment.number).strip()
        commitment.number_sort = _natural_key(commitment.number)
        batch.append(commitment)
        if len(batch) == 1000:
            Commitment.objects.bulk_update(batch, ["number", "number_sort"])
            batch = []
    Commitment.objects.bulk_update(batch, ["number", "number_sort"])


def numbers_must_be_whole(apps, schema_editor):
    Commitment = apps.get_model("plans", "Commitment")
    written = [
        f"{plan} {number!r}"
        for plan, number in Commitment.objects.values_list("plan__slug", "number")
        if not (number.isascii() and number.isdigit() and 1 <= int(number) <= 32767)
    ]
    if written:
        raise RuntimeError(
            "Commitment numbers that are not whole numbers cannot go back to the integer "
            "column; renumber them first: " + ", ".join(written[:20])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_ogp_real_values_long_texts_unknown_carried_forward_levels"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="number_sort",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="number",
            field=models.CharField(
                help_text="Its number within the plan as the plan writes it, e.g. 3, 2.6 or 1.6A.",
                max_length=20,
                verbose_name="number",
            ),
        ),
        migrations.AlterModelOptions(
            name="commitment",
            options={
                "ordering": ["plan", "number_sort"],
                "verbose_name": "commitment",
                "verbose_name_plural": "commitments",
            },
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["plan", "number_sort"], name="plans_commitment_in_order"),
        ),
        # Last: PostgreSQL refuses to change a table in the transaction after its rows were
        # updated ("pending trigger events"), so the rows are written once the schema is done.
        migrations.RunPython(numbers_to_text, numbers_must_be_whole, elidable=False),
    ]
