"""Following from the page of each followable thing with a plain form, the denied and bad
paths of the follow addresses, and who may follow what (only what they can see)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cocrea.notifications import rules, targets
from cocrea.notifications.models import Follow
from cocrea.participation.models import Consultation
from cocrea.tracking.tests.conftest import milestone  # noqa: F401 - a fixture
from conftest import build_plan
from tests.appchecks.drafting import consultation_for, draft_for
from tests.appchecks.forum import _forum, _meeting
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db


def _things(personas, institutions):
    plan = build_plan(commitments=1, slug="plan-f", number=1)
    commitment = plan.commitments.select_related("plan").get()
    consultation = open_consultation(plan)
    forum = _forum(plan.member, institutions)
    return {
        "plan": plan,
        "commitment": commitment,
        "institution": commitment.lead_institution,
        "consultation": consultation,
        "proposal": _proposal(consultation, personas["cso_member"]),
        "forum": forum,
        "meeting": _meeting(forum, plan=plan),
        "draft": draft_for(consultation_for(plan), personas["point_of_contact"], versions=1),
    }


def _form(thing):
    kind, target = targets.name(thing)
    return {"kind": kind, "target": target}


def test_every_followable_page_has_a_follow_form_that_follows_and_unfollows(
    client, personas, institutions
):
    things = _things(personas, institutions)
    assert set(things) == set(targets.KINDS)
    client.force_login(personas["citizen"])
    for kind, thing in things.items():
        page = thing.get_absolute_url()
        html = client.get(page).content.decode()
        assert f'name="target" value="{targets.name(thing)[1]}"' in html, kind
        assert reverse("notifications:follow") in html, kind
        response = client.post(reverse("notifications:follow"), {**_form(thing), "next": page})
        assert response.status_code == 302 and response["Location"] == page, kind
        html = client.get(page).content.decode()
        assert reverse("notifications:unfollow") in html and "Dejar de seguir" in html, kind
    assert Follow.objects.filter(user=personas["citizen"]).count() == len(things)
    for thing in things.values():
        client.post(reverse("notifications:unfollow"), _form(thing))
    assert not Follow.objects.exists()


def test_a_visitor_is_offered_to_log_in_and_cannot_post(client, personas, milestone):  # noqa: F811
    commitment = milestone.commitment
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert reverse("notifications:follow") not in html
    assert "Inicie sesión para seguir" in html or "Iniciar sesión para seguir" in html
    assert f"{reverse('account_login')}?next=" in html
    response = client.post(reverse("notifications:follow"), _form(commitment))
    assert response.status_code == 302 and "/cuentas/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_the_atom_feed_link_no_longer_says_follow(client, milestone):  # noqa: F811
    html = client.get(milestone.commitment.get_absolute_url()).content.decode()
    assert "Suscribirse (canal Atom)" in html and "Seguir (canal Atom)" not in html


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "user", "target": "x"},  # not a kind that can be followed
        {"kind": "plan", "target": "no-such-plan"},
        {"kind": "commitment", "target": "no-slash"},
        {"kind": "commitment", "target": "/"},
        {"kind": "proposal", "target": ""},
        {"kind": "plan", "target": "x" * 500},
        {},
    ],
)
def test_bad_input_is_a_404_not_an_error(client, personas, data):
    client.force_login(personas["citizen"])
    assert client.post(reverse("notifications:follow"), data).status_code == 404
    assert client.post(reverse("notifications:unfollow"), data).status_code == 404
    assert not Follow.objects.exists()


def test_a_foreign_next_is_not_followed(client, personas, milestone):  # noqa: F811
    client.force_login(personas["citizen"])
    commitment = milestone.commitment
    for evil in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post(reverse("notifications:follow"), {**_form(commitment), "next": evil})
        assert response["Location"] == commitment.get_absolute_url()


def test_follow_requires_post(client, personas):
    client.force_login(personas["citizen"])
    assert client.get(reverse("notifications:follow")).status_code == 405


def test_an_unpublished_consultation_is_not_found_nor_followed(client, personas):
    plan = build_plan(commitments=1, slug="plan-u", number=1)
    Consultation.objects.create(plan=plan, slug="en-preparacion", title="Consulta")
    client.force_login(personas["citizen"])
    data = {"kind": "consultation", "target": "en-preparacion"}
    assert client.post(reverse("notifications:follow"), data).status_code == 404
    assert not Follow.objects.exists()


def test_a_hidden_proposal_is_not_found_nor_followed(client, personas):
    consultation = open_consultation(build_plan(commitments=1, slug="plan-h", number=1))
    proposal = _proposal(consultation, personas["cso_member"], hidden_at=timezone.now())
    client.force_login(personas["cso_member"])  # even its author
    assert client.post(reverse("notifications:follow"), _form(proposal)).status_code == 404
    assert not Follow.objects.exists()
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("notifications:follow") not in html


def test_who_may_follow_what(personas, institutions):
    from django.contrib.auth.models import AnonymousUser

    things = _things(personas, institutions)
    citizen = personas["citizen"]
    for kind, thing in things.items():
        assert rules.can_follow(citizen, thing), kind
        assert not rules.can_follow(AnonymousUser(), thing), kind
    # What cannot be seen cannot be followed: a consultation, its proposals and drafts before
    # publication; a hidden proposal.
    consultation = things["consultation"]
    consultation.published_at = None
    assert not rules.can_follow(citizen, consultation)
    things["proposal"].consultation = consultation
    assert not rules.can_follow(citizen, things["proposal"])
    draft = things["draft"]
    draft.consultation.published_at = None
    assert not rules.can_follow(citizen, draft)
    hidden = _proposal(open_consultation(build_plan(slug="plan-o", number=2)), citizen)
    hidden.hidden_at = timezone.now()
    assert not rules.can_follow(citizen, hidden)
    assert not rules.can_follow(citizen, citizen)  # not a followable thing


def test_a_draft_of_an_unpublished_consultation_is_not_found(client, personas):
    plan = build_plan(commitments=1, slug="plan-d", number=1)
    consultation = Consultation.objects.create(plan=plan, slug="sin-publicar", title="Consulta")
    draft = draft_for(consultation, personas["point_of_contact"], versions=1)
    client.force_login(personas["citizen"])
    assert client.post(reverse("notifications:follow"), _form(draft)).status_code == 404
    assert not Follow.objects.exists()


def test_a_proposal_hidden_after_it_was_followed_can_be_unfollowed_without_its_title(
    client, personas
):
    consultation = open_consultation(build_plan(commitments=1, slug="plan-k", number=1))
    proposal = _proposal(consultation, personas["cso_member"], title="Título que se ocultará")
    from cocrea.notifications import services

    services.follow_add(actor=personas["citizen"], target=proposal)
    proposal.hidden_at = timezone.now()
    proposal.save(update_fields=["hidden_at"])
    client.force_login(personas["official"])
    # Someone who never followed it: not found, and not told its title.
    assert client.post(reverse("notifications:unfollow"), _form(proposal)).status_code == 404
    client.force_login(personas["citizen"])
    response = client.post(reverse("notifications:unfollow"), _form(proposal), follow=True)
    assert not Follow.objects.exists()
    html = response.content.decode()
    assert "Ya no lo sigue" in html and "Título que se ocultará" not in html


def test_the_follow_button_costs_the_same_queries_following_or_not(
    client,
    personas,
    milestone,  # noqa: F811
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cocrea.notifications import services
    from conftest import make_person

    commitment = milestone.commitment
    page = commitment.get_absolute_url()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    client.force_login(personas["citizen"])
    not_following = queries()
    for n in range(5):  # other people's follows change nothing
        services.follow_add(actor=make_person(f"Persona {n}"), target=commitment)
    services.follow_add(actor=personas["citizen"], target=commitment)
    assert queries() == not_following


def test_following_is_rate_limited_like_any_submission(client, personas, settings):
    """Each follow and unfollow writes (an audit event, the data version that empties the page
    cache): a script toggling it is refused with the 429 page, and nothing more changes."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "submission": "3/m/user"}
    plan = build_plan(commitments=1, milestones_each=0, slug="plan-limit", number=3)
    client.force_login(personas["citizen"])
    form = {"kind": "plan", "target": plan.slug}
    statuses = [
        client.post(reverse(name), form).status_code
        for name in ("notifications:follow", "notifications:unfollow") * 2
    ]
    assert statuses == [302, 302, 302, 429]
    assert Follow.objects.count() == 1  # followed again third; the refused unfollow did nothing
