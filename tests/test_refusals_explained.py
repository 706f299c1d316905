"""No control is hidden without its reason: where a visitor may not propose, support, comment or
assess, the page says why and what to do, from the same rules (participation, tracking and
drafting rules.py); and the permitted path still works."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from cocrea.core import words
from cocrea.drafting.models import Draft
from cocrea.drafting.refusals import comment_reason
from cocrea.participation.models import Phase
from conftest import build_plan, make_person
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs: str) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def plan(db):
    return build_plan(commitments=1, milestones_each=1)


def _in(phase: str, plan):
    return open_consultation(plan, phase=phase)


def _phase(consultation, kind: str) -> Phase:
    return consultation.phases.get(kind=kind)


def test_an_anonymous_visitor_is_told_to_log_in_and_comes_back(client, plan, personas):
    proposal = _proposal(_in("proposals", plan), personas["citizen"])
    html = client.get(_url("participation:proposal", public_id=proposal.public_id)).content
    html = html.decode()
    assert "Log in to support or comment." in html
    path = _url("participation:proposal", public_id=proposal.public_id)
    assert escape(f"{_url('account_login')}?next={path.replace('/', '%2F')}") in html
    assert "Support this proposal" not in html


def test_an_unverified_account_is_told_to_verify_its_address(client, plan, personas):
    proposal = _proposal(_in("proposals", plan), personas["citizen"])
    person = make_person("Sin Verificar")
    EmailAddress.objects.filter(user=person).update(verified=False)
    client.force_login(person)
    html = client.get(_url("participation:proposal", public_id=proposal.public_id)).content
    html = html.decode()
    assert "Verify your email address to take part" in html
    assert f'href="{_url("account_email")}"' in html
    assert "Support this proposal" not in html
    consultation_page = client.get(
        _url("participation:consultation", slug=proposal.consultation.slug)
    )
    assert "Verify your email address to take part" in consultation_page.content.decode()


def test_proposing_after_the_proposal_phase_says_when_it_closed(client, plan, personas):
    consultation = _in("deliberation", plan)
    with translation.override("en"):
        closed = words.day(_phase(consultation, "proposals").ends_on)
    client.force_login(personas["citizen"])
    page = client.get(_url("participation:consultation", slug=consultation.slug)).content.decode()
    assert f"The proposal phase closed on {closed}." in page
    assert "Make a proposal" not in page
    listing = client.get(_url("participation:proposals", slug=consultation.slug)).content.decode()
    assert f"The proposal phase closed on {closed}." in listing
    refused = client.get(_url("participation:proposal_new", slug=consultation.slug))
    assert refused.status_code == 403
    assert f"The proposal phase closed on {closed}." in refused.content.decode()
    assert 'class="brand"' in refused.content.decode()


def test_proposing_before_the_proposal_phase_says_when_it_opens(client, plan):
    consultation = _in("information", plan)
    with translation.override("en"):
        opens = words.day(_phase(consultation, "proposals").starts_on)
    page = client.get(_url("participation:consultation", slug=consultation.slug)).content.decode()
    assert f"The proposal phase opens on {opens}." in page


def test_in_spanish_the_phase_date_is_in_words(client, plan):
    consultation = _in("deliberation", plan)
    ends = _phase(consultation, "proposals").ends_on
    with translation.override("es"):
        day = words.day(ends)
        url = reverse("participation:consultation", kwargs={"slug": consultation.slug})
    assert str(ends.year) in day and ends.isoformat() not in day
    assert day in client.get(url).content.decode()


def test_the_permitted_path_still_works(client, plan, personas):
    consultation = _in("proposals", plan)
    proposal = _proposal(consultation, personas["cso_member"])
    client.force_login(personas["citizen"])
    html = client.get(_url("participation:proposal", public_id=proposal.public_id)).content
    assert "Support this proposal" in html.decode()
    assert "Log in to support or comment." not in html.decode()
    assert client.get(_url("participation:proposal_new", slug=consultation.slug)).status_code == 200
    response = client.post(_url("participation:support", public_id=proposal.public_id))
    assert response.status_code == 302
    assert proposal.supports.count() == 1


def test_supporting_after_deliberation_says_when_it_closed(client, plan, personas):
    consultation = _in("drafting", plan)
    proposal = _proposal(consultation, personas["cso_member"])
    with translation.override("en"):
        closed = words.day(_phase(consultation, "deliberation").ends_on)
    client.force_login(personas["citizen"])
    html = client.get(_url("participation:proposal", public_id=proposal.public_id)).content
    assert f"Supports and comments closed on {closed}." in html.decode()


def test_a_non_member_is_told_to_join_an_organisation_to_assess(client, plan, personas):
    commitment = plan.commitments.first()
    url = _url("tracking:assessment_new", plan_slug=plan.slug, slug=commitment.slug)
    client.force_login(personas["citizen"])
    refused = client.get(url)
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "Join an organisation" in html
    assert f'href="{_url("plans:institution_list")}"' in html
    client.force_login(personas["cso_member"])
    assert client.get(url).status_code == 200


def test_a_draft_says_when_its_comments_closed(plan):
    consultation = _in("response", plan)
    draft = Draft(consultation=consultation, status=Draft.Status.OPEN, title="Borrador")
    with translation.override("en"):
        closed = words.day(_phase(consultation, "validation").ends_on)
        reason = comment_reason(None, draft, "/")
    assert reason is not None and reason.text == f"Comments on the drafts closed on {closed}."
    approved = Draft(consultation=consultation, status=Draft.Status.APPROVED, title="Borrador")
    with translation.override("en"):
        assert "approved" in comment_reason(None, approved, "/").text


def test_a_draft_open_for_comments_gives_no_reason(plan, personas):
    consultation = _in("drafting", plan)
    draft = Draft(consultation=consultation, status=Draft.Status.OPEN, title="Borrador")
    assert comment_reason(personas["citizen"], draft, "/") is None
    assert timezone.localdate() - timedelta(days=1) < _phase(consultation, "drafting").ends_on
