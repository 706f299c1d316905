"""The public log page (the head of the chain) and the download of the whole log: private
events give only their hashes, and both cost a fixed number of queries."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cocrea.audit import chain
from cocrea.audit.models import AuditEvent
from cocrea.audit.services import event_record

pytestmark = pytest.mark.django_db

PRIVATE = ["Nombre Privado", "moderator", "correo-privado"]


def _url(name: str, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(name)


def _download(client) -> list[dict]:
    response = client.get(_url("audit:log_download"))
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


def test_the_addresses():
    assert _url("audit:log", "es") == "/registro-publico/"
    assert _url("audit:log_download", "es") == "/registro-publico/registro.jsonl"
    assert _url("audit:log", "en") == "/en/registro-publico/"


def test_the_download_is_every_event_as_json_lines_in_id_order(client, log):
    response = client.get(_url("audit:log_download"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.jsonl"'
    lines = _download(client)
    assert [line["id"] for line in lines] == list(
        AuditEvent.objects.order_by("id").values_list("id", flat=True)
    )
    assert lines[-1]["hash"] == AuditEvent.objects.last().hash


def test_the_download_verifies_with_the_published_algorithm(client, log):
    result = chain.verify(chain.links_from_lines(_download(client)))
    assert result.broken is None
    assert (result.count, result.head) == (6, AuditEvent.objects.last().hash)


def test_a_public_line_carries_its_payload_and_a_private_one_only_its_hashes(client, log):
    lines = _download(client)
    public = [line for line in lines if line["public"]]
    private = [line for line in lines if not line["public"]]
    assert len(public) == 4 and len(private) == 2
    for line in public:
        assert set(line) == {*chain.PAYLOAD_FIELDS, "payload_hash", "prev_hash", "hash"}
        payload = {name: line[name] for name in chain.PAYLOAD_FIELDS}
        assert chain.payload_hash(payload) == line["payload_hash"]
    assert public[1]["changes"] == {"links": [[], ["https://example.org"]], "score": [1, "2.5"]}
    assert public[1]["actor_institution"] == "Red Ciudadana"
    for line in private:
        assert set(line) == {"id", "created_at", "public", "payload_hash", "prev_hash", "hash"}
    raw = b"".join(client.get(_url("audit:log_download")).streaming_content).decode()
    for value in PRIVATE:
        assert value not in raw


def test_the_download_refuses_writes(client, db):
    assert client.post(_url("audit:log_download")).status_code == 405


def test_the_log_page_shows_the_head_of_the_chain_and_how_to_verify_it(client, log):
    html = client.get(_url("audit:log")).content.decode()
    head = AuditEvent.objects.last()
    assert "<dd>6</dd>" in html
    assert head.hash in html
    assert f'href="{_url("audit:log_download")}"' in html
    assert 'href="/static/audit/verify_log.py"' in html
    # The public events only, each as a sentence (an action no service records has a fallback).
    assert html.count("Change recorded: Quetzal") == 4
    assert "Red Ciudadana" in html
    for value in PRIVATE:
        assert value not in html


def test_the_log_page_of_an_empty_log(client, db):
    html = client.get(_url("audit:log")).content.decode()
    assert "0" * 64 in html
    assert "No public event has been recorded yet." in html


def test_the_log_page_in_spanish(client, log):
    html = client.get(_url("audit:log", "es")).content.decode()
    assert '<html lang="es">' in html
    assert 'href="/registro-publico/registro.jsonl"' in html


def test_every_page_links_to_the_log_in_its_footer(client, db):
    html = client.get("/en/").content.decode()
    assert f'href="{_url("audit:log")}"' in html


def _events(person, count: int) -> None:
    with transaction.atomic():
        for n in range(count):
            event_record(
                actor=person,
                action="profile.update",
                target=person,
                changes={"bio": [f"{n}", f"{n + 1}"]},
                public=n % 2 == 0,
            )


def _queries(client, url: str, streamed: bool = False) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if streamed:
            b"".join(response.streaming_content)
    return len(queries)


def test_the_log_page_and_the_download_cost_the_same_queries_with_few_and_many_events(
    client, person
):
    _events(person, 3)
    few = [_queries(client, _url("audit:log")), _queries(client, _url("audit:log_download"), True)]
    _events(person, 4500)  # more than two chunks of the download
    many = [_queries(client, _url("audit:log")), _queries(client, _url("audit:log_download"), True)]
    assert few == many
    assert few[0] <= 4, few
