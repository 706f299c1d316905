"""Commitment numbers as OGP writes them (3, 2.6, 3.2.5, 1.6A): text, kept in natural order by
`number_sort`, on every page that lists commitments."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from cocrea.plans import selectors
from cocrea.plans.models import Commitment, natural_key, next_whole_number
from cocrea.plans.tests.factories import ActionPlanFactory, CommitmentFactory, InstitutionFactory

# Created in this order; as text, "10" would come before "2" and "1.6A" after "1".
CREATED = ["1", "2", "10", "2.6", "3.2.5", "1.6A"]
NATURAL = ["1", "1.6A", "2", "2.6", "3.2.5", "10"]


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("2", "2.6"),
        ("2.6", "3.2.5"),
        ("3.2.5", "10"),
        ("9", "10"),
        ("1.9", "1.10"),
        ("1.6", "1.6A"),
        ("1.6A", "1.7"),
        ("1.6a", "1.6B"),
    ],
)
def test_the_natural_key_puts_numbers_in_the_order_they_count(lower, higher):
    assert natural_key(lower) < natural_key(higher)


def test_the_natural_key_pads_digit_runs_to_six_and_casefolds_the_rest():
    assert natural_key("3.2.5") == "000003.000002.000005"
    assert natural_key("1.6A") == natural_key("1.6a") == "000001.000006a"
    assert natural_key("12") == natural_key("012") == "000012"


def test_sorting_by_the_natural_key_gives_the_plans_order():
    scrambled = ["12", "2.6", "1.7", "10", "1", "3.2.5", "1.6A", "2", "1.6"]
    assert sorted(scrambled, key=natural_key) == [
        "1",
        "1.6",
        "1.6A",
        "1.7",
        "2",
        "2.6",
        "3.2.5",
        "10",
        "12",
    ]


@pytest.mark.parametrize(
    ("numbers", "following"),
    [
        ([], "1"),
        (["1", "2", "3"], "4"),
        (["2", "12", "3.2.5", "20.1", "1.6A"], "13"),
        (["3.2.5", "1.6A"], "1"),
    ],
)
def test_the_next_whole_number_counts_only_whole_numbers(numbers, following):
    assert next_whole_number(numbers) == following


@pytest.mark.django_db
def test_saving_keeps_the_sort_key_with_the_number():
    commitment = CommitmentFactory(number="3.2.5")
    assert Commitment.objects.get(pk=commitment.pk).number_sort == "000003.000002.000005"
    commitment.number = "1.6A"
    commitment.save(update_fields=["number"])
    assert Commitment.objects.values_list("number", "number_sort").get(pk=commitment.pk) == (
        "1.6A",
        "000001.000006a",
    )


@pytest.mark.django_db
def test_bulk_writes_keep_the_key_though_they_skip_save():
    plan, lead = ActionPlanFactory(), InstitutionFactory()
    Commitment.objects.bulk_create(
        Commitment(plan=plan, number=n, slug=f"c-{i}", title=n, lead_institution=lead)
        for i, n in enumerate(CREATED)
    )
    assert list(plan.commitments.values_list("number", flat=True)) == NATURAL
    renumbered = list(plan.commitments.all())
    for commitment in renumbered:
        commitment.number = f"9.{commitment.number}"
    Commitment.objects.bulk_update(renumbered, ["number"])
    assert list(plan.commitments.values_list("number", "number_sort")) == [
        (f"9.{n}", natural_key(f"9.{n}")) for n in NATURAL
    ]


@pytest.mark.django_db
def test_validation_trims_the_number_and_refuses_an_empty_one():
    commitment = CommitmentFactory.build(
        plan=ActionPlanFactory(), lead_institution=InstitutionFactory(), number="  2.6 "
    )
    commitment.full_clean()
    assert (commitment.number, commitment.number_sort) == ("2.6", "000002.000006")
    commitment.number = "   "
    with pytest.raises(ValidationError) as refused:
        commitment.full_clean()
    assert "number" in refused.value.message_dict


@pytest.mark.django_db
def test_a_plan_still_has_each_number_once():
    taken = CommitmentFactory(number="2.6")
    twin = CommitmentFactory.build(
        plan=taken.plan, lead_institution=taken.lead_institution, number=" 2.6", slug="otro"
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert "This plan already has a commitment with this number." in str(refused.value)


@pytest.fixture
def numbered(db):
    """A plan whose commitments were created out of order, titled by their number."""
    plan = ActionPlanFactory(slug="numerado")
    for index, number in enumerate(CREATED):
        CommitmentFactory(
            plan=plan, number=number, slug=f"c-{index}", title=f"Compromiso «{number}»"
        )
    return plan


def _order_in(html: str) -> list[str]:
    """The commitments' numbers in the order the page shows their titles."""
    shown = {number: html.find(f"Compromiso «{number}»") for number in CREATED}
    assert all(at >= 0 for at in shown.values()), shown
    return sorted(shown, key=shown.__getitem__)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_plan_page_lists_commitments_in_natural_order(client, numbered, lang):
    with translation.override(lang):
        address = reverse("plans:plan", kwargs={"slug": numbered.slug})
    html = client.get(address).content.decode()
    assert _order_in(html) == NATURAL
    for number in CREATED:  # each shown as written
        assert f">{number}</td>" in html


def test_the_plan_selector_and_the_models_order_agree(numbered):
    assert [c.number for c in selectors.plan_commitments(plan=numbered)] == NATURAL
    assert list(numbered.commitments.values_list("number", flat=True)) == NATURAL


def test_an_institutions_page_lists_its_commitments_in_natural_order(client, numbered):
    institution = numbered.commitments.get(number="2").lead_institution
    Commitment.objects.filter(plan=numbered).update(lead_institution=institution)
    html = client.get(reverse("plans:institution", kwargs={"slug": institution.slug})).content
    assert _order_in(html.decode()) == NATURAL


def test_the_administrations_list_sorts_the_number_column_naturally(client, numbered):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    from conftest import sign_in_with_second_factor

    admin = get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "a-long-password-1"
    )
    TOTP.activate(admin, generate_totp_secret())
    sign_in_with_second_factor(client, admin)
    address = reverse("admin:plans_commitment_changelist")
    # the third column is the number; -3 sorts it the other way
    ascending = client.get(address, {"o": "3"}).content.decode()
    descending = client.get(address, {"o": "-3"}).content.decode()
    assert _order_in(ascending) == NATURAL
    assert _order_in(descending) == NATURAL[::-1]


BEFORE = [("plans", "0004_ogp_real_values_long_texts_unknown_carried_forward_levels")]
AFTER = [("plans", "0005_commitment_number_as_text_sorted_naturally")]


def _old_commitments(apps, numbers):
    """Commitments written before numbers were text, through the models of that time."""
    member = apps.get_model("plans", "Member").objects.create(
        name="Miembro", code="MIG", slug="miembro"
    )
    plan = apps.get_model("plans", "ActionPlan").objects.create(
        member=member,
        number=1,
        title="Plan",
        slug="plan-migrado",
        start_date="2020-01-01",
        end_date="2021-12-31",
    )
    lead = apps.get_model("plans", "Institution").objects.create(name="Rectora", slug="rectora")
    old = apps.get_model("plans", "Commitment")
    for number in numbers:
        old.objects.create(
            plan=plan, number=number, slug=f"c-{number}", title=f"C {number}", lead_institution=lead
        )


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_whole_numbers_into_their_text_and_back():
    _old_commitments(_migrate(BEFORE), [12, 2, 1])
    apps = _migrate(AFTER)
    rows = apps.get_model("plans", "Commitment").objects.order_by("number_sort")
    assert list(rows.values_list("number", "number_sort")) == [
        ("1", "000001"),
        ("2", "000002"),
        ("12", "000012"),
    ]
    apps = _migrate(BEFORE)  # back: every number is still whole
    old = apps.get_model("plans", "Commitment").objects.order_by("number")
    assert list(old.values_list("number", flat=True)) == [1, 2, 12]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_to_go_back_over_numbers_that_are_not_whole():
    apps = _migrate(AFTER)  # the tables as they were then, not as the models are now
    _old_commitments(apps, ["3.2.5"])
    with pytest.raises(RuntimeError, match=r"3\.2\.5"):
        _migrate(BEFORE)
    assert apps.get_model("plans", "Commitment").objects.get().number == "3.2.5"  # not lost
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
