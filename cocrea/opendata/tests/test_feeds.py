"""Atom feeds: what they carry, what they leave out, and their fixed cost."""

from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocrea.participation import services as participation
from conftest import build_plan
from tests.appchecks.participation import _proposal, open_consultation
from tests.pages import plan_samples

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_each_feed_carries_the_news_of_its_object(client, personas):
    plan = build_plan(commitments=2)
    plan_samples(plan)  # a published report, an assessment, an adopted proposal, a meeting
    commitment = plan.commitments.order_by("number_sort").first()
    consultation = open_consultation(plan)
    plan_titles = _entries(client, f"/planes/{plan.slug}/novedades.atom")
    assert any(
        t.startswith("Informe de avance") or t.startswith("Progress report") for t in plan_titles
    )
    commitment_titles = _entries(
        client, f"/en/planes/{plan.slug}/compromisos/{commitment.slug}/novedades.atom"
    )
    assert any(t.startswith("Progress report") for t in commitment_titles)
    assert any(t.startswith("Proposal answered") for t in commitment_titles)
    consultation_titles = _entries(client, f"/en/consultas/{consultation.slug}/novedades.atom")
    assert any(t.startswith("Proposal answered") for t in consultation_titles)
    institution = commitment.lead_institution
    assert any(
        t.startswith("Progress report")
        for t in _entries(client, f"/en/instituciones/{institution.slug}/novedades.atom")
    )


def test_a_hidden_proposal_leaves_the_feeds(client, personas):
    plan = build_plan(commitments=1)
    consultation = open_consultation(plan)
    proposal = _proposal(consultation, personas["citizen"], title="TEXTO-QUE-SE-OCULTA")
    participation.response_save(
        actor=personas["point_of_contact"],
        proposal=proposal,
        kind="out_of_scope",
        reasons="No corresponde al plan de acción.",
    )
    url = f"/en/consultas/{consultation.slug}/novedades.atom"
    assert any("TEXTO-QUE-SE-OCULTA" in t for t in _entries(client, url))
    participation.content_hide(actor=personas["moderator"], target=proposal, reason="abuse")
    assert not any("TEXTO-QUE-SE-OCULTA" in t for t in _entries(client, url))


def test_unknown_objects_are_not_found(client, db):
    for url in (
        "/planes/no-existe/novedades.atom",
        "/instituciones/no-existe/novedades.atom",
        "/consultas/no-existe/novedades.atom",
        "/planes/no-existe/compromisos/tampoco/novedades.atom",
        "/miembros/no-existe/novedades.atom",
    ):
        assert client.get(url).status_code == 404, url


def _cost(client, plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/planes/{plan.slug}/novedades.atom")
    return len(queries)


def test_a_feed_costs_the_same_queries_at_any_size(client, personas):
    plan = build_plan(commitments=20)
    plan_samples(plan)  # one row of each kind
    before = _cost(client, plan)
    consultation = open_consultation(plan)
    for index in range(15):
        proposal = _proposal(consultation, personas["citizen"], title=f"Propuesta {index}")
        participation.response_save(
            actor=personas["point_of_contact"],
            proposal=proposal,
            kind="not_adopted",
            reasons="Ya existe un compromiso equivalente.",
        )
    assert _cost(client, plan) == before


def _costs(client, plan) -> list[int]:
    costs = []
    for url in (f"/miembros/{plan.member.slug}/novedades.atom", "/novedades.atom"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        costs.append(len(queries))
    return costs


def test_the_member_and_site_feeds_cost_the_same_queries_at_any_size(client, personas):
    plan = build_plan(commitments=20)
    plan_samples(plan)
    titles = _entries(client, f"/en/miembros/{plan.member.slug}/novedades.atom")
    assert any(t.startswith("Progress report") for t in titles)
    before = _costs(client, plan)
    consultation = open_consultation(plan)
    for index in range(15):
        proposal = _proposal(consultation, personas["citizen"], title=f"Propuesta {index}")
        participation.response_save(
            actor=personas["point_of_contact"],
            proposal=proposal,
            kind="not_adopted",
            reasons="Ya existe un compromiso equivalente.",
        )
    assert _costs(client, plan) == before
