"""What the API takes is what its OpenAPI document says it takes, and nothing it refuses is a 500
(issue 20): crafted cursors, a cursor the document admits, filters on fixed values, moments that
are numbers, a NUL where the middleware is not there to catch it."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from cocrea.forum.models import Meeting
from cocrea.opendata import services
from cocrea.opendata.api import CURSOR
from cocrea.participation.models import Department, Response
from cocrea.plans.models import ActionPlan, Institution, Milestone
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory
from conftest import build_plan
from tests.pages import API_LISTS as LISTS
from tests.pages import plan_samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings):
    settings.COCREA_API_RATE = "1000000/m"
    plan_samples(build_plan(commitments=3))  # a row or more in every list


@pytest.fixture
def schema(client):
    return json.loads(client.get("/api/v1/openapi.json").content)


def _detail(response) -> str:
    return json.dumps(json.loads(response.content)["detail"])


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


CRAFTED = [
    _b64(b"p=1' OR 1=1--"),
    _b64(b"p=\x00"),
    _b64(b"p=2024-01-01"),
    _b64(b"garbage\xff\xfe"),
    _b64(b"o=-1"),
    _b64(b"o=abc"),
    _b64(b"r=maybe"),
    _b64(b"p=abc&r=True"),
    _b64(b"p=2026-12-06+04%3A55%3A46.123456%2B00%3A00"),  # the shape ninja's own cursors had
    "AA==",
    "n0.",  # no position
    "x0.5",  # no direction
    "n0.1e5",
    "n0.5\n",
    "n1234567.0",  # an offset past six digits
    "n0.1234567890123456789",  # a position past eighteen
    "n0.5.5",
    "",  # an empty cursor is the first page, below
]


def test_crafted_cursors_are_a_422_that_says_what_a_cursor_is(client, world):
    for cursor in CRAFTED[:-1]:
        for name in LISTS:
            response = client.get(f"/api/v1/{name}", {"cursor": cursor})
            assert response.status_code == 422, (name, cursor, response.status_code)
            assert "Not a cursor of this API" in _detail(response), _detail(response)
            assert "leave `cursor` out" in _detail(response)
    assert client.get("/api/v1/plans", {"cursor": ""}).status_code == 200


def test_every_cursor_the_document_admits_names_a_place_in_the_list(client, world, schema):
    documented = schema["paths"]["/api/v1/plans"]["get"]["parameters"]
    (cursor,) = [p for p in documented if p["name"] == "cursor"]
    assert cursor["schema"]["anyOf"][0]["pattern"] == CURSOR
    for value in (
        "n0.0",
        "r0.0",
        "n999999.999999999999999999",
        "r999999.-999999999999999999",
        "n3.-1",
        "r0.000000000000000001",
        "n0.-000",
    ):
        for name in LISTS:
            response = client.get(f"/api/v1/{name}", {"cursor": value})
            assert response.status_code == 200, (name, value, response.content[:200])
            assert isinstance(json.loads(response.content)["results"], list)


def _cursor(url: str | None) -> str | None:
    return parse_qs(urlsplit(url).query)["cursor"][0] if url else None


def _walk(client, name: str, cursor: str | None, link: str, page_size: int) -> list:
    rows = []
    while True:
        query = {"page_size": page_size, **({"cursor": cursor} if cursor else {})}
        response = client.get(f"/api/v1/{name}", query)
        assert response.status_code == 200, response.content[:300]
        body = json.loads(response.content)
        rows.append([row["slug"] for row in body["results"]])
        cursor = _cursor(body[link])
        if cursor is None:
            return rows
        assert len(rows) < 200


def test_the_cursors_given_walk_every_row_onwards_and_back(client, world):
    build_plan(commitments=9, slug="otro", number=7)
    onwards = _walk(client, "commitments", None, "next", 4)
    slugs = [slug for page in onwards for slug in page]
    assert len(slugs) == len(set(slugs)) == 12
    # from past the last page, back to the first
    last = json.loads(client.get("/api/v1/commitments", {"page_size": 4}).content)
    while last["next"]:
        last = json.loads(client.get(last["next"]).content)
    back = _walk(client, "commitments", _cursor(last["previous"]), "previous", 4)
    assert [row["slug"] for row in last["results"]] == onwards[-1]
    assert list(reversed(back)) == onwards[:-1]  # the same pages, walked back


def test_more_than_a_hundred_rows_at_one_moment_are_paged_too(client, world):
    """Ninja's cursor allowed 100 rows at one position; the 101st made its next cursor fail."""
    from cocrea.plans.tests.factories import MemberFactory

    member = MemberFactory()
    Institution.objects.bulk_create(
        Institution(name=f"Institución {i}", slug=f"misma-{i:03}", kind="government", member=member)
        for i in range(130)
    )
    moment = timezone.now()
    Institution.objects.filter(slug__startswith="misma-").update(created_at=moment)
    pages = _walk(client, "institutions", None, "next", 40)
    slugs = [slug for page in pages for slug in page]
    assert len(slugs) == len(set(slugs)) == Institution.objects.count()


def _enum_parameters(schema):
    """(path, parameter, values) for every query parameter with a fixed set of values."""
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            for option in parameter["schema"].get("anyOf", [parameter["schema"]]):
                if "$ref" in option:
                    option = schema["components"]["schemas"][option["$ref"].rsplit("/", 1)[1]]
                if "enum" in option:
                    yield path, parameter["name"], option["enum"]


def test_each_filter_documents_its_own_values_and_takes_every_one(client, world, schema):
    documented = {(path, name): values for path, name, values in _enum_parameters(schema)}
    assert documented[("/api/v1/institutions", "kind")] == list(Institution.Kind.values)
    assert documented[("/api/v1/responses", "kind")] == list(Response.Kind.values)
    assert documented[("/api/v1/meetings", "kind")] == list(Meeting.Kind.values)
    assert documented[("/api/v1/plans", "status")] == list(ActionPlan.Status.values)
    assert documented[("/api/v1/milestones", "completion")] == list(Milestone.Completion.values)
    assert documented[("/api/v1/proposals", "department")] == list(Department.values)
    for (path, name), values in documented.items():
        for value in values:
            response = client.get(path, {name: value})
            assert response.status_code == 200, (path, name, value, response.content[:200])
    assert client.get("/api/v1/institutions", {"kind": "forum"}).status_code == 422
    assert client.get("/api/v1/meetings", {"kind": "forum"}).status_code == 200


def test_no_component_of_the_document_is_a_generic_name_shared_by_filters(schema):
    assert "Kind" not in schema["components"]["schemas"]
    assert "Status" not in schema["components"]["schemas"]


MOMENTS = {
    "/api/v1/plans": "updated_since",
    "/api/v1/progress-reports": "published_since",
    "/api/v1/audit-events": "since",
}


def test_a_moment_is_iso_8601_text_never_a_number(client, world):
    for path, name in MOMENTS.items():
        for number in ("0.5", "0", "1700000000", "-1", "1e3", " 2025-01-31"):
            response = client.get(path, {name: number})
            assert response.status_code == 422, (path, name, number)
            assert "ISO 8601" in _detail(response) and "number" in _detail(response)
        for moment in (
            "2025-01-31T08:00:00Z",
            "2025-01-31T08:00:00-06:00",
            "2025-01-31t08:00:00z",
            "2025-01-31T08:00:00.123456+05:30",
            "2025-01-31T08:00:00",  # naive: the server's zone
            "2025-01-31",  # a date: the start of that day there
        ):
            assert client.get(path, {name: moment}).status_code == 200, (path, moment)
    for number in ("0", "20250131", "1.5"):
        assert client.get("/api/v1/milestones", {"due_before": number}).status_code == 422


def test_a_date_alone_is_the_start_of_that_day_in_the_servers_zone(client, world):
    today = timezone.localdate().isoformat()
    assert json.loads(client.get("/api/v1/plans", {"updated_since": today}).content)["results"]
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    assert not json.loads(client.get("/api/v1/plans", {"updated_since": tomorrow}).content)[
        "results"
    ]


def test_a_report_date_that_is_a_number_is_refused(client, personas, institutions):
    commitment = CommitmentFactory(lead_institution=institutions["mineduc"])
    milestone = MilestoneFactory(commitment=commitment, number=1)
    _, plain = services.api_token_create(
        actor=personas["coordinator"], institution=institutions["mineduc"], name="Sistema"
    )
    body = {
        "plan": commitment.plan.slug,
        "commitment": commitment.slug,
        "milestone": milestone.number,
        "completion": "limited",
        "percent": 25,
        "done": "Datos cargados.",
    }
    for number in (0, 1700000000, "0"):
        response = client.post(
            "/api/v1/progress-reports",
            json.dumps({**body, "facts_date": number}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {plain}",
        )
        assert response.status_code == 422, (number, response.content)
        assert "ISO 8601" in _detail(response)


def test_text_filters_refuse_a_nul_themselves(client, world, settings):
    """Behind the middleware (cocrea.core.badinput) a NUL never arrives; without it, the schema
    still refuses one instead of passing it to PostgreSQL."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "badinput" not in m]
    for path, name in (
        ("/api/v1/plans", "member"),
        ("/api/v1/audit-events", "context_type"),
        ("/api/v1/commitments", "plan"),
        ("/api/v1/comments", "proposal"),
    ):
        response = client.get(f"{path}?{name}=%00")
        assert response.status_code == 422, (path, name, response.status_code)
    assert client.get("/api/v1/plans", {"member": "GTM"}).status_code == 200
    assert (
        client.get("/api/v1/audit-events", {"context_type": "plans.commitment"}).status_code == 200
    )


def test_every_operation_documents_the_400_of_a_nul(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path.endswith("openapi.json"):
                continue
            assert "400" in operation["responses"], (method, path)


def test_a_nul_in_a_field_of_an_api_form_is_its_422(client, personas, institutions):
    _, plain = services.api_token_create(
        actor=personas["coordinator"], institution=institutions["mineduc"], name="Sistema"
    )
    response = client.post(
        "/api/v1/progress-reports/abc123/evidence",
        {"title": "a\x00b", "otro\x00": "\x00"},
        HTTP_AUTHORIZATION=f"Bearer {plain}",
    )
    assert response.status_code == 422, response.content
    assert "title" in _detail(response)


def test_a_web_address_means_the_same_to_the_document_and_the_server(
    client, personas, institutions
):
    """No space of any kind, in either regex engine's sense (see WEB_ADDRESS)."""
    commitment = CommitmentFactory(lead_institution=institutions["mineduc"])
    MilestoneFactory(commitment=commitment, number=1)
    _, plain = services.api_token_create(
        actor=personas["coordinator"], institution=institutions["mineduc"], name="Sistema"
    )
    body = {
        "plan": commitment.plan.slug,
        "commitment": commitment.slug,
        "milestone": 1,
        "completion": "limited",
        "percent": 25,
        "done": "Datos cargados.",
        "facts_date": "2025-01-31",
    }
    for url, status in (
        ("https://datos.example/a", 201),
        ("https://datos.example/\u0085", 422),
        ("https://datos.example/\ufeff", 422),
        ("https://datos.example/ a", 422),
    ):
        response = client.post(
            "/api/v1/progress-reports",
            json.dumps({**body, "links": [{"url": url, "title": "Datos"}]}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {plain}",
        )
        assert response.status_code == status, (url, response.content)


def test_the_cursor_refuses_what_its_input_did_not_check():
    """Ninja decodes the cursor after the input's check; called another way it still refuses."""
    from ninja.errors import ValidationError as InputError

    from cocrea.opendata.api import Pages

    assert Pages.Cursor.from_encoded_param("r12.-34").model_dump() == {
        "p": "-34",
        "r": True,
        "o": 12,
    }
    assert Pages.Cursor.from_encoded_param("").p is None
    for crafted in ("cD0x", "n0.1\n", "n0.5.5"):
        with pytest.raises(InputError):
            Pages.Cursor.from_encoded_param(crafted)


def test_a_nul_in_the_token_pages_form_is_a_400(client, personas, institutions):
    """The token page looked up `prefix` as sent: with a NUL, a 500 on PostgreSQL. The middleware
    (cocrea.core.badinput) refuses the form first, sent either way."""
    client.force_login(personas["coordinator"])
    address = f"/instituciones/{institutions['mineduc'].slug}/tokens/"
    for response in (
        client.post(address, {"action": "revoke", "prefix": "a\x00"}),
        client.post(
            address,
            "action=revoke&prefix=a%00",
            content_type="application/x-www-form-urlencoded",
        ),
    ):
        assert response.status_code == 400
        assert "NUL character" in response.content.decode()
