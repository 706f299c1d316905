"""`GET /api/v1/search`: the search page's results as JSON, with the same filters, in the
OpenAPI document; bad input refused with the API's usual statuses, never an error."""

import json

import pytest

from cocrea.search import services
from conftest import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = build_plan(commitments=2, milestones_each=1, slug="plan-api", number=4)
    first = plan.commitments.get(number="1")
    first.title = "Evaluación de la transparencia presupuestaria"
    first.save()
    services.rebuild()
    return plan


def _get(client, **params):
    response = client.get("/api/v1/search", params)
    return response.status_code, json.loads(response.content)


def test_results_come_with_their_marks_and_pages(client, plan):
    status, body = _get(client, q="evaluacion")
    assert status == 200
    assert body["count"] == 1 and body["pages"] == 1 and body["page"] == 1
    assert body["more"] is False
    (hit,) = body["results"]
    assert hit["kind"] == "commitment"
    assert hit["title"] == "1. <mark>Evaluación</mark> de la transparencia presupuestaria"
    assert hit["url"] == plan.commitments.get(number="1").get_absolute_url()


def test_the_filters_are_the_pages(client, plan):
    assert _get(client, q="transparencia", plan="plan-api")[1]["count"] == 1
    assert _get(client, q="transparencia", kind="proposal")[1]["count"] == 0
    assert _get(client, q="transparencia", plan="no-such-plan")[1]["count"] == 0
    assert _get(client, q="transparencia", institution="no-such-one")[1]["count"] == 0
    assert _get(client, q="transparencia", since="2999-01-01")[1]["count"] == 0


def test_bad_input_is_refused_and_operators_find_nothing(client, plan):
    assert _get(client, q="&|!:*") == (
        200,
        {"count": 0, "more": False, "page": 1, "pages": 0, "results": []},
    )
    assert _get(client, kind="commitment")[1]["count"] == 0  # no words: nothing
    assert _get(client, q="a" * 201)[0] == 422
    assert _get(client, q="agua", kind="everything")[0] == 422
    assert _get(client, q="agua", page="0")[0] == 422
    assert _get(client, q="agua", since="12")[0] == 422
    assert client.get("/api/v1/search?q=agua%00")["Content-Type"].startswith("application/json")
    assert client.get("/api/v1/search?q=agua%00").status_code == 400


def test_it_is_in_the_openapi_document(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    operation = schema["paths"]["/api/v1/search"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "kind", "plan", "institution", "department", "policy_area"} <= names
