"""Search finds public things in Spanish with or without accents, by stem, phrase and prefix,
with the title weighted over the text; the index follows changes (create, edit, hide, show
again, delete) from the audit log; nothing hidden or unpublished is ever found; bad input
gives no results rather than an error; a page of results costs the same queries for 3 or 30
matches. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocrea.participation import services as participation
from cocrea.participation.models import Proposal
from cocrea.plans import services as plans
from cocrea.plans.models import Commitment
from cocrea.search import engine, services
from cocrea.search.models import Entry
from cocrea.search.selectors import Filters, search
from cocrea.tracking import services as tracking
from cocrea.tracking.tests.conftest import milestone  # noqa: F401 - a fixture
from conftest import build_plan
from tests.appchecks.participation import open_consultation

pytestmark = pytest.mark.django_db


def _titles(text: str, filters: Filters = Filters()) -> list[str]:  # noqa: B008
    return [result.entry.title for result in search(text, filters).results]


@pytest.fixture
def plan():
    plan = build_plan(commitments=2, milestones_each=1, slug="plan-b", number=7)
    first, second = plan.commitments.order_by("number")
    first.title = "Evaluación ciudadana de la transparencia fiscal"
    first.description = "Publicar los presupuestos municipales como datos abiertos."
    first.save()
    second.title = "Agua potable en Huehuetenango"
    second.description = "Mesas de diálogo sobre la transparencia de los fondos del agua."
    second.save()
    services.rebuild()
    return plan


def test_accents_and_case_do_not_matter(plan):
    assert _titles("evaluacion") == ["1. Evaluación ciudadana de la transparencia fiscal"]
    assert _titles("EVALUACIÓN") == _titles("evaluacion")
    assert _titles("huehuetenango") == ["2. Agua potable en Huehuetenango"]


def test_spanish_words_are_found_by_their_stem(plan):
    assert set(_titles("transparencias")) == {
        "1. Evaluación ciudadana de la transparencia fiscal",
        "2. Agua potable en Huehuetenango",
    }
    assert _titles("presupuesto") == ["1. Evaluación ciudadana de la transparencia fiscal"]


def test_the_title_weighs_more_than_the_text(plan):
    # Both say "transparencia"; only the first in its title.
    assert _titles("transparencia")[0] == "1. Evaluación ciudadana de la transparencia fiscal"


def test_a_phrase_in_quotes_finds_only_the_phrase(plan):
    assert _titles('"datos abiertos"') == ["1. Evaluación ciudadana de la transparencia fiscal"]
    assert _titles('"abiertos datos"') == []
    assert _titles("abiertos datos") == ["1. Evaluación ciudadana de la transparencia fiscal"]


def test_a_star_asks_for_the_prefix(plan):
    assert _titles("huehue*") == ["2. Agua potable en Huehuetenango"]
    assert _titles("presup*") == ["1. Evaluación ciudadana de la transparencia fiscal"]


def test_matches_are_marked_in_the_snippet_and_the_text_is_escaped(plan):
    commitment = plan.commitments.get(number="2")
    commitment.description = "El <script>alert(1)</script> agua de Huehuetenango."
    commitment.save()
    services.index_things([("plans.commitment", str(commitment.pk))])
    (result,) = search("huehuetenango").results
    assert "<mark>Huehuetenango</mark>" in result.title
    assert "<mark>Huehuetenango</mark>" in result.snippet
    assert "<script>" not in result.snippet and "alert(1)" in result.snippet


def test_filters_narrow_the_results(plan):
    other = build_plan(commitments=1, milestones_each=1, slug="plan-c", number=8)
    commitment = other.commitments.get()
    commitment.title = "Transparencia en obras"
    commitment.save()
    services.rebuild()
    assert len(_titles("transparencia")) == 3
    assert _titles("transparencia", Filters(plan=other.pk)) == ["1. Transparencia en obras"]
    assert _titles("transparencia", Filters(kind="proposal")) == []
    assert _titles("transparencia", Filters(since=date(2100, 1, 1))) == []


def test_bad_input_gives_no_results_and_no_error(plan):
    for text in ["", "   ", "&|!:*", '"', '"sin cerrar', "\x00", "a" * 2000, "(" * 50, "*"]:
        results = search(text)
        assert results.count == len(results.results) <= 1
    assert search('"transparencia').count == 2  # an unmatched quote is read as a word
    assert search("transparencia\x00fiscal").count == 1  # NUL: a space
    assert engine.parse("x" * 5000).words == ["x" * engine.MAX_QUERY]
    assert len(engine.parse(" ".join(["agua"] * 100)).words) == engine.MAX_TERMS


def test_the_index_follows_the_audit_log(personas, plan):
    """Create, edit, hide, show again, delete: each seen after the worker's run."""
    consultation = open_consultation(plan)
    services.index_from_log()
    proposal = participation.proposal_create(
        actor=personas["citizen"],
        consultation=consultation,
        title="Riego comunitario en Chiantla",
        problem="Las comunidades no saben cuánta agua llega.",
        proposal="Publicar los caudales del sistema de riego cada semana.",
        department="huehuetenango",
    )
    comment = participation.comment_add(
        actor=personas["cso_member"], proposal=proposal, body="Los caudales de Chiantla importan."
    )
    assert _titles("caudales") == []  # not yet: the worker has not run
    services.index_from_log()
    found = search("caudales").results
    assert sorted((r.entry.kind, r.entry.title) for r in found) == [
        ("comment", ""),
        ("proposal", "Riego comunitario en Chiantla"),
    ]
    assert _titles("chiantla", Filters(department="huehuetenango")) != []
    assert _titles("chiantla", Filters(department="quiche")) == []

    participation.content_hide(actor=personas["moderator"], target=proposal, reason="spam")
    services.index_from_log()
    assert search("caudales").count == 0  # the proposal and, with it, its comment
    participation.content_restore(actor=personas["moderator"], target=proposal)
    services.index_from_log()
    assert search("caudales").count == 2
    participation.content_hide(actor=personas["moderator"], target=comment, reason="off_topic")
    services.index_from_log()
    assert search("caudales").count == 1

    commitment = Commitment.objects.get(plan=plan, number="2")
    commitment.title = "Agua limpia en Huehuetenango"
    plans.commitment_save(actor=personas["point_of_contact"], commitment=commitment)
    services.index_from_log()
    assert "2. Agua limpia en Huehuetenango" in _titles("limpia")

    step = commitment.milestones.get()
    step.description = "Sistema de monitoreo de cloro residual"
    plans.milestone_save(actor=personas["point_of_contact"], milestone=step)
    services.index_from_log()
    assert search("cloro").count == 1
    plans.milestone_delete(actor=personas["point_of_contact"], milestone=step)
    services.index_from_log()
    assert search("cloro").count == 0
    assert services.index_from_log() == 0  # nothing new


def test_a_report_is_found_once_published_not_before(personas, milestone):  # noqa: F811
    report = tracking.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="substantial",
        percent=60,
        done="Se capacitó a doscientas bibliotecarias municipales.",
        facts_date=date(2025, 3, 1),
    )
    tracking.progress_report_submit(actor=personas["official"], report=report)
    services.index_from_log()
    assert search("bibliotecarias").count == 0
    tracking.progress_report_publish(actor=personas["point_of_contact"], report=report)
    services.index_from_log()
    assert [r.entry.kind for r in search("bibliotecarias").results] == ["report"]


def test_an_unpublished_consultation_shows_none_of_its_proposals(personas, plan):
    consultation = open_consultation(plan)
    participation.proposal_create(
        actor=personas["citizen"],
        consultation=consultation,
        title="Bibliotecas abiertas los domingos",
        problem="Las bibliotecas cierran cuando la gente puede ir.",
        proposal="Abrir las bibliotecas municipales los domingos.",
    )
    type(consultation).objects.filter(pk=consultation.pk).update(published_at=None)
    services.rebuild()
    assert search("bibliotecas").count == 0


def _queries_for_a_page(matches: int) -> int:
    plan = build_plan(commitments=matches, milestones_each=0, slug=f"plan-q{matches}")
    plan.commitments.update(title="Gobierno abierto municipal")
    services.rebuild()
    with CaptureQueriesContext(connection) as queries:
        results = search("municipal", Filters(plan=plan.pk))
        assert len(results.results) == min(matches, 20)
    return len(queries)


def test_a_page_costs_the_same_queries_for_3_or_30_matches():
    assert _queries_for_a_page(3) == _queries_for_a_page(30)


def test_the_rebuild_command_indexes_everything_again(plan):
    Entry.objects.all().delete()
    assert search("huehuetenango").count == 0
    call_command("rebuild_search_index", verbosity=0)
    assert search("huehuetenango").count == 1
    count = Entry.objects.count()
    call_command("rebuild_search_index", verbosity=0)  # again: the same entries
    assert Entry.objects.count() == count


def test_a_long_text_is_cut_around_its_first_match_with_every_match_marked(plan):
    commitment = plan.commitments.get(number="2")
    commitment.description = (
        " ".join(["relleno"] * 60) + " Bibliotecas rurales " + (" ".join(["final"] * 60))
    )
    commitment.save()
    services.index_things([("plans.commitment", str(commitment.pk))])
    (result,) = search("biblioteca rural").results
    snippet = str(result.snippet)
    assert "<mark>Bibliotecas</mark> <mark>rurales</mark>" in snippet
    assert len(snippet.split()) < 40  # a piece, not the whole text


def test_an_entry_is_dated_by_the_day_in_guatemala_not_in_utc(personas, plan):
    """A proposal sent at 19:00 in Guatemala is already the next day in UTC; search lists it
    on the day its author saw on the calendar."""
    consultation = open_consultation(plan)
    proposal = participation.proposal_create(
        actor=personas["citizen"],
        consultation=consultation,
        title="Bibliotecas abiertas por la tarde",
        problem="Cierran antes de que salga la gente del trabajo.",
        proposal="Abrir hasta las ocho de la noche.",
        department="guatemala",
    )
    evening = datetime(2026, 3, 18, 19, 0, tzinfo=ZoneInfo("America/Guatemala"))
    Proposal.objects.filter(pk=proposal.pk).update(created_at=evening)
    services.index_from_log()
    (result,) = search("bibliotecas").results
    assert result.entry.date == date(2026, 3, 18)
