"""Roles belong to one OGP member (issue 25): the point of contact, moderators and forum members
of Quetzaltenango act on Quetzaltenango's things and on nothing of Guatemala's; each member's
work reaches only its own people; an administrator acts in every member. The authorization
matrix holds the refusals for every acting view (`wrong_member`); this file holds the other
side, so a refusal there cannot come from a role that works nowhere."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from cocrea.accounts.models import RoleGrant
from cocrea.notifications.models import Notification
from cocrea.participation.models import Flag, Proposal
from cocrea.plans.rules import allowed, member_of
from cocrea.plans.tests.factories import ActionPlanFactory, CommitmentFactory, InstitutionFactory
from conftest import build_plan, other_member, sign_in_with_second_factor
from tests.appchecks.participation import open_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def xela_plan(personas):
    xela = other_member()
    plan = ActionPlanFactory(member=xela, slug="plan-xela", title="Plan de Quetzaltenango")
    lead = InstitutionFactory(member=xela, name="Municipalidad de Quetzaltenango", slug="muni")
    commitment = CommitmentFactory(plan=plan, lead_institution=lead, slug="xela-1")
    return commitment.plan


def _proposal(consultation, author, title="Propuesta"):
    return Proposal.objects.create(
        consultation=consultation, author=author, title=title, problem="p", proposal="q"
    )


def test_every_thing_leads_to_its_member(personas, xela_plan):
    consultation = open_consultation(xela_plan)
    proposal = _proposal(consultation, personas["citizen"])
    commitment = xela_plan.commitments.get()
    for thing in (xela_plan, commitment, commitment.lead_institution, consultation, proposal):
        assert member_of(thing) == xela_plan.member_id, thing
    assert member_of(None) is None and member_of("GTM") is None


@pytest.mark.parametrize(
    "permission,thing",
    [
        ("participation.respond", "proposal"),
        ("participation.moderate", "proposal"),
        ("participation.manage_consultation", "consultation"),
        ("participation.record_workshop", "consultation"),
        ("plans.manage_repository", "plan"),
        ("tracking.record_irm_review", "commitment"),
        ("opendata.import_ogp", "member"),
    ],
)
def test_a_role_acts_in_its_own_member_and_not_in_another(personas, xela_plan, permission, thing):
    guatemala = build_plan(commitments=1)
    things = {}
    for plan in (xela_plan, guatemala):
        consultation = open_consultation(plan)
        things[plan.member_id] = {
            "proposal": _proposal(consultation, personas["citizen"]),
            "consultation": consultation,
            "plan": plan,
            "commitment": plan.commitments.first(),
            "member": plan.member,
        }
    xela_person, guatemala_person = personas["wrong_member"], personas["point_of_contact"]
    if permission == "participation.moderate":
        guatemala_person = personas["moderator"]
    own, other = things[xela_plan.member_id][thing], things[guatemala.member_id][thing]
    assert allowed(permission, xela_person, own)
    assert not allowed(permission, xela_person, other)
    assert allowed(permission, guatemala_person, other)
    assert not allowed(permission, guatemala_person, own)
    for item in (own, other):  # the administrator: every member, with two factors
        assert allowed(permission, personas["administrator"], item)


def test_each_members_work_goes_to_its_own_point_of_contact_and_moderators(
    personas, xela_plan, settings
):
    settings.COCREA_UNANSWERED_DAYS = 14
    guatemala = build_plan(commitments=1)
    waiting = {}
    for plan in (guatemala, xela_plan):
        proposal = _proposal(open_consultation(plan), personas["citizen"], f"De {plan.slug}")
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=timezone.now() - timedelta(days=20)
        )
        Flag.objects.create(proposal=proposal, user=personas["cso_member"], reason="spam")
        waiting[plan.member_id] = proposal

    call_command("send_notifications", verbosity=0)

    def keys(persona):
        return set(
            Notification.objects.filter(recipient=personas[persona]).values_list("key", flat=True)
        )

    gt, xe = waiting[guatemala.member_id].pk, waiting[xela_plan.member_id].pk
    gt_flag = Flag.objects.get(proposal_id=gt).pk
    xe_flag = Flag.objects.get(proposal_id=xe).pk
    guatemalan = {f"work:unanswered:{gt}", f"work:flag:{gt_flag}"}
    xelajuense = {f"work:unanswered:{xe}", f"work:flag:{xe_flag}"}
    assert guatemalan <= keys("point_of_contact") and not xelajuense & keys("point_of_contact")
    assert xelajuense <= keys("wrong_member") and not guatemalan & keys("wrong_member")
    moderated = {k for k in keys("moderator") if k.startswith("work:flag:")}
    assert moderated == {f"work:flag:{gt_flag}"}


def test_my_space_queues_hold_only_the_members_one_runs(client, personas, xela_plan):
    guatemala = build_plan(commitments=1)
    _proposal(open_consultation(guatemala), personas["citizen"], "Propuesta guatemalteca")
    _proposal(open_consultation(xela_plan), personas["citizen"], "Propuesta xelajuense")
    sign_in_with_second_factor(client, personas["wrong_member"])
    html = client.get(reverse("accounts:my_space")).content.decode()
    assert "Propuesta xelajuense" in html and "Propuesta guatemalteca" not in html
    client.logout()
    sign_in_with_second_factor(client, personas["point_of_contact"])
    html = client.get(reverse("accounts:my_space")).content.decode()
    assert "Propuesta guatemalteca" in html and "Propuesta xelajuense" not in html


def test_a_grant_names_its_member_and_one_person_may_hold_a_role_in_two(personas, xela_plan):
    person = personas["point_of_contact"]
    RoleGrant.objects.create(
        user=person, role=RoleGrant.Role.POINT_OF_CONTACT, member=xela_plan.member
    )
    commitment = xela_plan.commitments.get()
    assert allowed("tracking.record_irm_review", person, commitment)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_old_grants_and_institutions_the_member_they_served():
    """Before issue 25 roles were site-wide and institutions had no member: the migration puts
    each grant in the default member and each institution in the member of the plans it
    leads."""
    before = [
        ("accounts", "0003_user_language"),
        ("plans", "0005_commitment_number_as_text_sorted_naturally"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = MigrationExecutor(connection).loader.project_state(before).apps
    Member = apps.get_model("plans", "Member")
    default = Member.objects.create(name="Guatemala", code="GTM", slug="gt", is_default=True)
    other = Member.objects.create(name="Costa Rica", code="CRI", slug="cr")
    institution = apps.get_model("plans", "Institution").objects.create(name="MH", slug="mh")
    idle = apps.get_model("plans", "Institution").objects.create(name="Sin planes", slug="sp")
    plan = apps.get_model("plans", "ActionPlan").objects.create(
        member=other, number=1, title="P", slug="p", start_date="2020-01-01", end_date="2021-01-01"
    )
    apps.get_model("plans", "Commitment").objects.create(
        plan=plan,
        number="1",
        number_sort="000001",
        slug="c",
        title="C",
        lead_institution=institution,
    )
    user = apps.get_model("accounts", "User").objects.create(username="u", public_id="abc")
    apps.get_model("accounts", "RoleGrant").objects.create(user=user, role="moderator")
    after = executor.loader.graph.leaf_nodes()
    MigrationExecutor(connection).migrate(after)
    apps = MigrationExecutor(connection).loader.project_state(after).apps
    Institution = apps.get_model("plans", "Institution")
    assert Institution.objects.get(pk=institution.pk).member_id == other.pk
    assert Institution.objects.get(pk=idle.pk).member_id == default.pk
    assert apps.get_model("accounts", "RoleGrant").objects.get().member_id == default.pk


def test_a_point_of_contact_edits_their_members_record_but_not_what_reaches_beyond_it(personas):
    from django.core.exceptions import PermissionDenied

    from cocrea.plans.models import Member
    from cocrea.plans.services import member_save

    xela = other_member()
    contact = personas["wrong_member"]  # Quetzaltenango's point of contact
    xela.region = "Centroamérica"
    member_save(actor=contact, member=xela)
    for field, value in (("is_default", True), ("national_id", None), ("code", "XELA")):
        changed = Member.objects.get(pk=xela.pk)
        setattr(changed, field, value)
        with pytest.raises(PermissionDenied):
            member_save(actor=contact, member=changed)
    guatemala = Member.objects.get(code="GTM")
    guatemala.region = "Otra"
    with pytest.raises(PermissionDenied):  # another member's record
        member_save(actor=contact, member=guatemala)
    stored = Member.objects.get(pk=xela.pk)
    assert (stored.region, stored.is_default, stored.code) == ("Centroamérica", False, "GTM-XELA")
