"""Writing a proposal or a comment follows the proposal unless the author unticks "Follow
this proposal" (participation announces, notifications listens); and the person's follows and
notifications are in their data download and go with their account."""

import json

import pytest
from django.urls import reverse

from cocrea.accounts import services as accounts
from cocrea.notifications import services
from cocrea.notifications.models import Follow, Notification
from cocrea.participation.models import Proposal
from conftest import build_plan, make_person
from tests.appchecks.participation import PROPOSAL, _proposal, open_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return open_consultation(build_plan(commitments=1, slug="plan-s", number=1))


def _follows(person) -> list[tuple[str, str]]:
    return list(Follow.objects.filter(user=person).values_list("target_type", "target_id"))


def test_the_forms_offer_to_follow_ticked(client, personas, consultation):
    proposal = _proposal(consultation, personas["cso_member"])
    client.force_login(personas["citizen"])
    for url in (
        reverse("participation:proposal_new", kwargs={"slug": consultation.slug}),
        proposal.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert 'name="follow"' in html and "Seguir esta propuesta" in html, url
        field = html[html.index('name="follow"') - 200 : html.index('name="follow"') + 200]
        assert "checked" in field, url


@pytest.mark.parametrize("ticked", [True, False])
def test_a_new_proposal_is_followed_when_ticked(
    client, personas, consultation, ticked, django_capture_on_commit_callbacks
):
    client.force_login(personas["citizen"])
    data = {**PROPOSAL, **({"follow": "on"} if ticked else {})}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participation:proposal_new", kwargs={"slug": consultation.slug}), data
        )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    expected = [("participation.proposal", str(proposal.pk))] if ticked else []
    assert _follows(personas["citizen"]) == expected


@pytest.mark.parametrize("ticked", [True, False])
def test_a_comment_follows_its_proposal_when_ticked(
    client, personas, consultation, ticked, django_capture_on_commit_callbacks
):
    proposal = _proposal(consultation, personas["cso_member"])
    client.force_login(personas["citizen"])
    data = {"body": "Estoy de acuerdo.", **({"follow": "on"} if ticked else {})}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("participation:comment", kwargs={"public_id": proposal.public_id}), data
        )
    assert proposal.comments.count() == 1
    expected = [("participation.proposal", str(proposal.pk))] if ticked else []
    assert _follows(personas["citizen"]) == expected


def test_a_follower_of_their_own_proposal_hears_of_the_next_comment(
    personas, consultation, django_capture_on_commit_callbacks
):
    from cocrea.participation import services as participation

    with django_capture_on_commit_callbacks(execute=True):
        proposal = participation.proposal_create(
            actor=personas["citizen"],
            consultation=consultation,
            title=PROPOSAL["title"],
            problem=PROPOSAL["problem"],
            proposal=PROPOSAL["proposal"],
            follow=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        participation.comment_add(actor=personas["cso_member"], proposal=proposal, body="Bien.")
    services.fan_out()
    assert list(
        Notification.objects.filter(recipient=personas["citizen"]).values_list("kind", flat=True)
    ) == ["comment"]


def test_the_data_download_has_the_follows_and_notifications(client, personas):
    citizen = personas["citizen"]
    plan = build_plan(commitments=1, slug="plan-d", number=1)
    services.follow_add(actor=citizen, target=plan)
    Notification.objects.create(
        recipient=citizen,
        kind="report",
        key="event:1",
        title="Compromiso uno",
        url="/planes/",
        created_at="2026-01-01T00:00Z",
    )
    services.follow_add(actor=personas["cso_member"], target=plan)  # another's: not in it
    client.force_login(citizen)
    data = json.loads(client.get(reverse("accounts:data_export")).content)
    assert [(f["target_type"], f["target_id"]) for f in data["follows"]] == [
        ("plans.actionplan", str(plan.pk))
    ]
    assert [n["title"] for n in data["notifications"]] == ["Compromiso uno"]


def test_deleting_an_account_forgets_its_follows_notifications_and_email_choices(personas):
    from cocrea.notifications.models import Delivery, Preference
    from cocrea.notifications.services_mail import preferences_set

    ana, beto = make_person("Ana"), make_person("Beto")
    plan = build_plan(commitments=1, slug="plan-x", number=1)
    for person in (ana, beto):
        services.follow_add(actor=person, target=plan)
        preferences_set(actor=person, deliveries={"report": Delivery.WEEKLY})
        Notification.objects.create(
            recipient=person,
            kind="report",
            key="event:1",
            title="Plan",
            url="/planes/",
            created_at="2026-01-01T00:00Z",
        )
    accounts.user_delete(actor=ana, user=ana)
    assert not Follow.objects.filter(user=ana).exists()
    assert not Notification.objects.filter(recipient=ana).exists()
    assert not Preference.objects.filter(user=ana).exists()
    assert Follow.objects.filter(user=beto).count() == 1  # only theirs
    assert Preference.objects.filter(user=beto).count() == 1
    assert Notification.objects.filter(recipient=beto).count() == 1


def test_the_deletion_hooks_run_inside_the_deletion(personas, settings):
    """A hook that fails undoes the whole deletion: nothing half-forgotten."""
    ana = make_person("Ana")
    plan = build_plan(commitments=1, slug="plan-y", number=1)
    services.follow_add(actor=ana, target=plan)
    settings.COCREA_ACCOUNT_DELETION_HOOKS = [
        "cocrea.notifications.personal_data.forget",
        "builtins.int",  # int(user) raises TypeError, after forget() ran
    ]
    with pytest.raises(TypeError):
        accounts.user_delete(actor=ana, user=ana)
    ana.refresh_from_db()
    assert ana.is_active and Follow.objects.filter(user=ana).count() == 1
