"""The home page leads with what a visitor can do now (participation/home.py, through
COCREA_HOME_SECTIONS): the open consultation with "Propose until <date>" as its main action, or
when the next phase opens, or that no consultation is open; at a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from cocrea.participation.home import home_consultation
from cocrea.participation.models import Consultation, Phase
from cocrea.plans.tests.factories import ActionPlanFactory
from tests.appchecks.drafting import consultation_for


def _home(client) -> str:
    return client.get("/en/").content.decode()


def _take_part(html: str) -> str:
    return html.split('<section aria-labelledby="take-part"', 1)[1].split("</section>", 1)[0]


def _day(day) -> str:
    with translation.override("en"):
        return formats.date_format(day, "DATE_FORMAT")


@pytest.mark.django_db
def test_in_the_proposal_phase_the_main_action_is_propose_until_its_last_day(client):
    consultation = consultation_for(ActionPlanFactory(), "proposals")
    phase = consultation.phase_of_kind("proposals")
    html = _home(client)
    section = _take_part(html)
    with translation.override("en"):
        form = reverse("participation:proposal_new", kwargs={"slug": consultation.slug})
    assert f'<a class="button" href="{form}">Propose until {_day(phase.ends_on)}</a>' in section
    assert consultation.title in section
    assert "Next: the deliberation phase opens on" in section
    # It comes first: right after the heading and the sentence on what the site is.
    assert html.index('id="take-part"') < html.index('id="current-plan"')
    assert html.count("<h1") == 1
    assert "co-create the action plans of the Open Government Partnership (OGP)" in html


@pytest.mark.django_db
def test_in_the_drafting_phase_the_action_is_to_comment_on_the_drafts(client):
    consultation = consultation_for(ActionPlanFactory(), "drafting")
    phase = consultation.phase_of_kind("drafting")
    section = _take_part(_home(client))
    with translation.override("en"):
        drafts = reverse("drafting:draft_list", kwargs={"slug": consultation.slug})
    label = f"Comment on the draft commitments until {_day(phase.ends_on)}"
    assert f'<a class="button" href="{drafts}">{label}</a>' in section
    assert "Propose until" not in section


@pytest.mark.django_db
def test_with_no_phase_open_today_it_says_when_the_next_one_opens(client):
    consultation = Consultation.objects.create(
        plan=ActionPlanFactory(),
        slug="proxima",
        title="Consulta próxima",
        published_at=timezone.now(),
    )
    opens = timezone.localdate() + timedelta(days=20)
    Phase.objects.create(
        consultation=consultation,
        kind="proposals",
        starts_on=opens,
        ends_on=opens + timedelta(days=30),
    )
    section = _take_part(_home(client))
    assert "No consultation is open today." in section
    assert f"The proposals phase of “Consulta próxima” opens on {_day(opens)}." in section
    assert 'class="button"' not in section


@pytest.mark.django_db
def test_without_any_consultation_ahead_it_says_none_is_open(client):
    consultation_for(ActionPlanFactory(), "response")
    Phase.objects.filter(kind="response").update(
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    # An unpublished consultation taking proposals is not public.
    hidden = consultation_for(ActionPlanFactory(), "proposals")
    Consultation.objects.filter(pk=hidden.pk).update(published_at=None)
    section = _take_part(_home(client))
    assert "No consultation is open at the moment" in section
    assert 'class="button"' not in section


@pytest.mark.django_db
def test_the_consultation_whose_phase_closes_first_leads():
    later = consultation_for(ActionPlanFactory(slug="tarde"), "proposals")
    sooner = consultation_for(ActionPlanFactory(slug="pronto"), "proposals")
    Phase.objects.filter(consultation=sooner, kind="proposals").update(ends_on=timezone.localdate())
    found = home_consultation(today=timezone.localdate())
    assert found.consultation == sooner and found.current.kind == "proposals"
    assert later.pk != sooner.pk


@pytest.mark.django_db
@pytest.mark.parametrize("phase", ["proposals", None])
def test_the_home_page_costs_the_same_queries_with_1_and_5_consultations(client, phase):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    def add(n: int) -> None:
        made = consultation_for(ActionPlanFactory(slug=f"plan-home-{n}"), phase or "response")
        if phase is None:  # every phase over
            Phase.objects.filter(consultation=made).update(
                starts_on=timezone.localdate() - timedelta(days=90),
                ends_on=timezone.localdate() - timedelta(days=80),
            )

    add(0)
    one = count()
    for n in range(1, 5):
        add(n)
    assert count() == one
