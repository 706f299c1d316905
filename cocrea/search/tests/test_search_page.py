"""The search page: results with the matches marked, filters, pages that keep the query, and
every bad input answered with a clear message in the visitor's language and never an error;
the same queries for 3 or 30 matches; results never kept by the shared page cache."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocrea.plans import services as plans
from cocrea.search import services
from cocrea.tracking.tests.conftest import milestone  # noqa: F401 - a fixture
from conftest import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = build_plan(commitments=3, milestones_each=1, slug="plan-s", number=3)
    first = plan.commitments.get(number="1")
    first.title = "Evaluación ciudadana del gasto municipal"
    first.save()
    services.rebuild()
    return plan


def test_the_empty_page_shows_the_box_and_no_results(client, plan):
    page = client.get("/buscar/").content.decode()
    assert 'role="search"' in page and "¿Qué busca?" in page
    assert "resultado" not in page


def test_results_are_marked_and_lead_to_the_page(client, plan):
    page = client.get("/buscar/", {"q": "evaluacion"}).content.decode()
    assert "1 resultado" in page
    assert "<mark>Evaluación</mark>" in page
    assert plan.commitments.get(number="1").get_absolute_url() in page


def test_the_header_has_the_box_on_every_page(client, plan):
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'action="/buscar/"' in page and 'id="header-q"' in page
    assert 'action="/en/buscar/"' in client.get("/en/planes/").content.decode()


def test_in_english_the_page_speaks_english(client, plan):
    page = client.get("/en/buscar/", {"q": "evaluacion"}).content.decode()
    assert "1 result" in page and "What are you looking for?" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "a" * 2000}, "Escriba como máximo 200 caracteres"),
        ({"q": "&|!:*"}, "Escriba una o más palabras para buscar."),
        ({"q": '"'}, "Escriba una o más palabras para buscar."),
        ({"q": "agua", "plan": "no-existe"}, "Plan de acción: "),
        ({"q": "agua", "kind": "<script>"}, "Tipo: "),
        ({"q": "agua", "since": "ayer"}, "Desde: "),
        ({"q": "agua", "since": "2025-02-01", "until": "2025-01-01"}, "Hasta: "),
        ({"q": "agua", "institution": "no-existe"}, "Esa institución no existe."),
    ],
)
def test_bad_input_is_answered_in_words(client, plan, params, message):
    response = client.get("/buscar/", params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_nul_in_the_query_is_refused_with_the_sites_own_words(client, plan):
    response = client.get("/buscar/", {"q": "gasto\x00municipal"})
    assert response.status_code == 400
    assert "carácter nulo" in response.content.decode()


def test_odd_input_never_fails(client, plan):
    for params in [
        {"q": '"sin cerrar'},
        {"q": "gasto", "page": "abc"},
        {"q": "gasto", "page": "99999999999"},
        {"q": "(((", "department": "quiche"},
    ]:
        assert client.get("/buscar/", params).status_code == 200


def test_a_search_with_nothing_found_suggests_what_to_try(client, plan):
    page = client.get("/buscar/", {"q": "zzzyyyxxx", "department": "quiche"}).content.decode()
    assert "No se encontró nada para “zzzyyyxxx”" in page
    assert "las mismas palabras sin filtros" in page


def test_pages_keep_the_query_and_filters(client):
    plan = build_plan(commitments=25, milestones_each=0, slug="plan-p", number=9)
    plan.commitments.update(title="Gobierno abierto municipal")
    services.rebuild()
    page = client.get("/buscar/", {"q": "municipal", "kind": "commitment"}).content.decode()
    assert "25 resultados" in page
    assert "q=municipal&amp;kind=commitment&amp;page=2" in page
    second = client.get("/buscar/", {"q": "municipal", "kind": "commitment", "page": "2"})
    assert "Página 2 de 2" in second.content.decode()


def _queries(client, matches: int) -> int:
    plan = build_plan(commitments=matches, milestones_each=0, slug=f"plan-n{matches}")
    plan.commitments.update(title="Datos abiertos presupuestarios")
    services.rebuild()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/buscar/", {"q": "presupuestarios"}).status_code == 200
    return len(queries)


def test_a_results_page_costs_the_same_queries_for_3_or_30_matches(client):
    assert _queries(client, 3) == _queries(client, 30)


def test_a_cached_results_page_is_renewed_once_the_index_has_changed(client, plan, settings):
    settings.COCREA_PAGE_CACHE = True
    cache.clear()
    assert "No se encontró nada" in client.get("/buscar/", {"q": "riego"}).content.decode()
    commitment = plan.commitments.get(number="2")
    commitment.title = "Riego comunitario"
    plans.commitment_save(actor=None, commitment=commitment)
    # Between the change and the index's run the page may say "nothing"; after it, never.
    services.index_from_log()
    page = client.get("/buscar/", {"q": "riego"})
    assert page["X-Cocrea-Cache"] == "miss"
    assert "1 resultado" in page.content.decode()
    assert client.get("/buscar/", {"q": "riego"})["X-Cocrea-Cache"] == "hit"


def test_past_the_cap_the_newest_come_first_and_the_count_stops(client, monkeypatch):
    """Up to the cap, the most relevant first (a title that says it before a text that does);
    past it, the newest first, and the page says so."""
    from datetime import date

    from cocrea.search import selectors

    plan = build_plan(commitments=8, milestones_each=0, slug="plan-cap", number=5)
    for n, commitment in enumerate(plan.commitments.order_by("pk")):
        commitment.start_date, commitment.end_date = date(2020 + n, 1, 1), date(2030, 1, 1)
        commitment.title = "Gobierno abierto" if n else "Participación ciudadana"
        commitment.description = "Participación de la ciudadanía en cada etapa."
        commitment.save()
    services.rebuild()
    ranked = search_titles("participacion")
    assert ranked[0] == "1. Participación ciudadana"  # the oldest, but its title says it

    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    page = client.get("/buscar/", {"q": "participacion"}).content.decode()
    assert "Más de 5 resultados, del más reciente al más antiguo" in page
    years = [int(y) for y in re.findall(r'<time datetime="(\d{4})-01-01"', page)]
    assert years == sorted(years, reverse=True) and years[0] == 2027
    body = client.get("/api/v1/search", {"q": "participacion"}).json()
    assert (body["count"], body["more"]) == (5, True)
    assert body["results"][0]["date"] == "2027-01-01"


def search_titles(text: str) -> list[str]:
    from cocrea.search.selectors import search

    return [result.entry.title for result in search(text).results]


def test_nothing_hidden_or_unpublished_is_found_by_any_persona(
    client,
    personas,
    milestone,  # noqa: F811
):
    """A hidden comment, a report not yet published and the proposals of a consultation not yet
    published: in no result and no count, whoever searches (the author and the moderator
    included); moderators find hidden content in their own tools (/moderacion/)."""
    from datetime import date

    from cocrea.participation import services as participation
    from cocrea.participation.models import Consultation
    from cocrea.tracking import services as tracking
    from tests.appchecks.participation import open_consultation

    plan = build_plan(commitments=1, milestones_each=1, slug="plan-priv", number=6)
    consultation = open_consultation(plan)
    proposal = participation.proposal_create(
        actor=personas["citizen"],
        consultation=consultation,
        title="Parques públicos iluminados",
        problem="Los parques están oscuros de noche.",
        proposal="Iluminar los parques municipales.",
    )
    hidden = participation.comment_add(
        actor=personas["cso_member"], proposal=proposal, body="Texto ofensivo zanahoria."
    )
    participation.content_hide(actor=personas["moderator"], target=hidden, reason="abuse")
    report = tracking.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="limited",
        percent=10,
        done="Borrador de informe sobre berenjenas.",
        facts_date=date(2025, 3, 1),
    )
    tracking.progress_report_submit(actor=personas["official"], report=report)
    other = build_plan(commitments=1, milestones_each=0, slug="plan-priv-2", number=7)
    unpublished = open_consultation(other)
    participation.proposal_create(
        actor=personas["citizen"],
        consultation=unpublished,
        title="Huertos escolares de pepinos",
        problem="Las escuelas no tienen huertos.",
        proposal="Huertos en cada escuela con pepinos.",
    )
    Consultation.objects.filter(pk=unpublished.pk).update(published_at=None)
    services.index_from_log()
    services.rebuild()  # both ways of indexing agree
    for persona, person in personas.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        for word in ("zanahoria", "berenjenas", "pepinos"):
            page = client.get("/buscar/", {"q": word}).content.decode()
            assert "No se encontró nada" in page, (persona, word)
            assert client.get("/api/v1/search", {"q": word}).json()["count"] == 0
        found = client.get("/buscar/", {"q": "parques"}).content.decode()
        assert "<mark>Parques</mark> públicos iluminados" in found, persona
