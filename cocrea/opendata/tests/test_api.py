"""The public API: nothing private leaves, lists page with a cursor, answers are conditional,
reads are open to other origins, each client is rate-limited, bad input is a 4xx, and each list
costs the same queries at any size."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocrea.participation import services as participation
from cocrea.plans.services import commitment_save
from cocrea.tracking.models import ProgressReport
from conftest import build_plan
from tests.appchecks.participation import _proposal, open_consultation
from tests.pages import API_LISTS

pytestmark = pytest.mark.django_db

LISTS = API_LISTS


def _cursor_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]


def _all(client, name, **params):
    """Every row of a list, following the cursor."""
    rows, cursor, pages = [], None, 0
    while True:
        query = {**params, "page_size": 200, **({"cursor": cursor} if cursor else {})}
        response = client.get(f"/api/v1/{name}", query)
        assert response.status_code == 200, (name, response.content[:300])
        body = json.loads(response.content)
        rows += body["results"]
        pages += 1
        if not body["next"]:
            return rows
        cursor = _cursor_of(body["next"])
        assert pages < 100


@pytest.fixture
def world(personas, institutions):
    """Public rows, and beside them everything that must never leave: a draft report, a hidden
    proposal and comment, an unpublished consultation, private contact data."""
    plan = build_plan(commitments=2, slug="publico", number=1)
    commitment = plan.commitments.order_by("number_sort").first()
    commitment.responsible_name = "Persona Responsable"
    commitment.responsible_email = "responsable.privada@example.org"
    commitment.responsible_phone = "+502 5555 0199"
    commitment_save(actor=personas["point_of_contact"], commitment=commitment)
    milestone = commitment.milestones.order_by("number").first()
    ProgressReport.objects.create(
        milestone=milestone,
        institution=milestone.responsible_institution,
        author=personas["official"],
        completion="limited",
        percent=10,
        done="BORRADOR-SECRETO",
        facts_date=timezone.localdate(),
    )
    consultation = open_consultation(plan)
    public = _proposal(consultation, personas["citizen"], title="Propuesta pública")
    hidden = _proposal(consultation, personas["citizen"], title="PROPUESTA-OCULTA")
    participation.content_hide(actor=personas["moderator"], target=hidden, reason="spam")
    comment = participation.comment_add(
        actor=personas["cso_member"], proposal=public, body="COMENTARIO-OCULTO"
    )
    participation.content_hide(actor=personas["moderator"], target=comment, reason="abuse")
    participation.comment_add(
        actor=personas["cso_member"], proposal=public, body="Comentario visible"
    )
    draft_plan = build_plan(commitments=1, slug="borrador", number=2)
    unpublished = open_consultation(draft_plan)
    unpublished.published_at = None
    unpublished.title = "CONSULTA-NO-PUBLICADA"
    unpublished.save()
    _proposal(unpublished, personas["citizen"], title="PROPUESTA-NO-PUBLICADA")
    return {"plan": plan, "proposal": public}


def test_nothing_private_leaves_through_any_list(client, world, personas):
    everything = json.dumps({name: _all(client, name) for name in LISTS}, ensure_ascii=False)
    assert "Propuesta pública" in everything and "Comentario visible" in everything
    for secret in (
        "responsable.privada@example.org",
        "+502 5555 0199",
        "BORRADOR-SECRETO",
        "PROPUESTA-OCULTA",
        "COMENTARIO-OCULTO",
        "CONSULTA-NO-PUBLICADA",
        "PROPUESTA-NO-PUBLICADA",
        "@correo-privado.example",  # the personas' emails
        "usuario-privado",  # their usernames
        "LegalCiudadana",  # a legal name
    ):
        assert secret not in everything, secret


def test_a_cursor_walks_every_row_once(client, world):
    build_plan(commitments=7, slug="grande", number=3)
    small_pages = []
    cursor = None
    while True:
        query = {"page_size": 2, **({"cursor": cursor} if cursor else {})}
        body = json.loads(client.get("/api/v1/commitments", query).content)
        small_pages += [(c["plan"], c["slug"]) for c in body["results"]]
        if not body["next"]:
            break
        cursor = _cursor_of(body["next"])
    everything = [(c["plan"], c["slug"]) for c in _all(client, "commitments")]
    assert sorted(small_pages) == sorted(everything) and len(set(small_pages)) == len(everything)
    assert len(everything) == 2 + 1 + 7


def test_filters_narrow_the_list_and_bad_values_are_refused(client, world):
    rows = _all(client, "commitments", plan="publico")
    assert {row["plan"] for row in rows} == {"publico"}
    late = _all(client, "milestones", due_before="2025-01-01")
    assert late and all(row["end_date"] < "2025-01-01" for row in late)
    for bad in (
        "/api/v1/milestones?completion=mostly",
        "/api/v1/plans?status=secret",
        "/api/v1/proposals?department=atlantis",
        "/api/v1/commitments?updated_since=yesterday",
        "/api/v1/plans?cursor=not-a-cursor",
    ):
        response = client.get(bad)
        assert 400 <= response.status_code < 500, bad


def test_a_page_never_holds_more_than_200_rows(client, db):
    from cocrea.plans.models import Institution
    from cocrea.plans.tests.factories import MemberFactory

    member = MemberFactory()
    Institution.objects.bulk_create(
        Institution(name=f"Institución {i}", slug=f"inst-{i}", kind="government", member=member)
        for i in range(205)
    )
    assert client.get("/api/v1/institutions", {"page_size": 100000}).status_code == 422
    body = json.loads(client.get("/api/v1/institutions", {"page_size": 200}).content)
    assert len(body["results"]) == 200 and body["next"]
    assert len(json.loads(client.get("/api/v1/institutions").content)["results"]) == 50


def test_a_conditional_request_gets_304_until_something_changes(client, world, personas):
    first = client.get("/api/v1/plans")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/api/v1/plans", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    plan = world["plan"]
    plan.summary = "Resumen corregido"
    from cocrea.plans.services import action_plan_save

    action_plan_save(actor=personas["point_of_contact"], plan=plan)
    changed = client.get("/api/v1/plans", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "Resumen corregido" in changed.content.decode()


def test_other_origins_may_read_the_api_but_not_the_pages(client, world):
    api = client.get("/api/v1/plans", HTTP_ORIGIN="https://periodico.example")
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in api
    preflight = client.options(
        "/api/v1/plans",
        HTTP_ORIGIN="https://periodico.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    page = client.get("/planes/", HTTP_ORIGIN="https://periodico.example")
    assert "Access-Control-Allow-Origin" not in page


def test_each_client_has_a_rate_limit(client, world, settings):
    settings.COCREA_API_RATE = "3/m"
    statuses = [client.get("/api/v1/institutions").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other = client.get("/api/v1/institutions", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another client has its own count


def test_a_made_up_forwarded_for_header_does_not_escape_the_rate_limit(client, world, settings):
    """Without a proxy in front (the default), X-Forwarded-For is the client's own words."""
    settings.COCREA_API_RATE = "3/m"
    statuses = [
        client.get("/api/v1/institutions", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def _list_queries(client) -> list[int]:
    counts = []
    for name in LISTS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/{name}", {"page_size": 200}).status_code == 200
        counts.append(len(queries))
    return counts


def test_lists_cost_the_same_queries_at_any_size(client, personas):
    plan = build_plan(commitments=2, slug="a", number=1)
    consultation = open_consultation(plan)
    first = _proposal(consultation, personas["citizen"])
    participation.comment_add(actor=personas["cso_member"], proposal=first, body="Uno")
    small = _list_queries(client)
    big = build_plan(commitments=30, milestones_each=4, slug="b", number=2)
    for index in range(25):
        proposal = _proposal(consultation, personas["citizen"], title=f"Propuesta {index}")
        participation.comment_add(actor=personas["cso_member"], proposal=proposal, body="Otro")
    for commitment in big.commitments.all()[:10]:
        commitment.title = f"{commitment.title} (corregido)"
        commitment_save(actor=personas["point_of_contact"], commitment=commitment)
    assert _list_queries(client) == small


def test_the_documentation_page_lists_every_operation(client):
    page = client.get("/datos-abiertos/api/").content.decode()
    for name in LISTS:
        assert f"/api/v1/{name}" in page
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    assert schema["openapi"].startswith("3.1")


def test_updated_since_keeps_recent_rows(client, world):
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert _all(client, "commitments", updated_since=future) == []
    assert _all(client, "commitments", updated_since="2000-01-01T00:00:00")  # naive is local


def test_odd_but_readable_moments_are_read_in_utc(client, db):
    """schemathesis found these: an offset PostgreSQL refuses, and the calendar's ends."""
    for moment in (
        "1350-03-24T04:48:53-19:29",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
    ):
        assert client.get("/api/v1/plans", {"updated_since": moment}).status_code == 200, moment
