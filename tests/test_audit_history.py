"""The audit log of the public repository: which plans events are public, a commitment's public
history page, and the promise that neither the history, the log page nor the download shows a
field that the commitment's own page leaves out."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from cocrea.accounts.services import user_set_public_name
from cocrea.audit import chain
from cocrea.audit.models import AuditEvent
from cocrea.audit.services import event_record
from cocrea.plans import services
from cocrea.plans.models import Milestone
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory
from conftest import make_person

PRIVATE = [
    "ana.responsable@correo-privado.example",
    "5555 1234",
    "quetzal@correo-privado",
    "Nombre Nuevo Privado",
]
VERIFIER = Path(__file__).resolve().parents[1] / "cocrea" / "static" / "audit" / "verify_log.py"


@pytest.fixture
def commitment(db):
    return CommitmentFactory(title="Datos abiertos", responsible_name="Ana")


@pytest.fixture
def log(commitment, django_user_model):
    """Six events through the services: the commitment changed twice (the second time with its
    responsible person's contact details), a milestone added, changed and deleted, and someone's
    public name set (private)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from cocrea.accounts.models import RoleGrant
    from conftest import grant

    person = django_user_model.objects.create_user(
        "quetzal", email="quetzal@correo-privado.example", public_name="Quetzal"
    )
    # The point of contact: the repository changes only by their hand (plans.manage_repository).
    grant(person, RoleGrant.Role.POINT_OF_CONTACT)
    TOTP.activate(person, generate_totp_secret())
    commitment.title = "Datos abiertos para todos"
    services.commitment_save(actor=person, commitment=commitment)
    milestone = services.milestone_save(
        actor=person,
        milestone=Milestone(
            commitment=commitment,
            number=1,
            description="Publicar el catálogo",
            responsible_institution=commitment.lead_institution,
        ),
    )
    other = django_user_model.objects.create_user("otra", email="otra@correo-privado.example")
    user_set_public_name(actor=person, user=other, public_name="Nombre Nuevo Privado")
    milestone.completion = Milestone.Completion.LIMITED
    services.milestone_save(actor=person, milestone=milestone)
    commitment.responsible_email = "ana.responsable@correo-privado.example"
    commitment.responsible_phone = "+502 5555 1234"
    commitment.responsible_position = "Directora"
    services.commitment_save(actor=person, commitment=commitment)
    services.milestone_delete(actor=person, milestone=milestone)
    return commitment


def _url(name: str, lang: str = "en", **kwargs: str) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def _history(commitment, lang="en", page=""):
    url = _url(
        "plans:commitment_history", lang, plan_slug=commitment.plan.slug, slug=commitment.slug
    )
    return url + (f"?page={page}" if page else "")


def _download(client) -> bytes:
    return b"".join(client.get(_url("audit:log_download")).streaming_content)


# Which events are public


def test_changes_to_the_public_repository_are_public_and_memberships_private(commitment):
    commitment.title = "Nuevo título"
    services.commitment_save(actor=None, commitment=commitment)
    milestone = MilestoneFactory(commitment=commitment, number=9)
    milestone.description = "Hito cambiado"
    services.milestone_save(actor=None, milestone=milestone)
    services.milestone_delete(actor=None, milestone=milestone)
    person = make_person("Quien Pide")
    services.membership_request(
        actor=person, institution=commitment.lead_institution, role="member"
    )
    events = {e.action: e for e in AuditEvent.objects.all()}
    assert events["commitment.update"].public is True
    for action in ("milestone.update", "milestone.delete"):
        assert events[action].public is True
        assert (events[action].context_type, events[action].context_id) == (
            "plans.commitment",
            str(commitment.pk),
        )
    assert events["membership.create"].public is False
    assert events["membership.create"].target_type == "plans.membership"


# A commitment's history


def test_the_addresses_of_the_history():
    assert (
        _url("plans:commitment_history", "es", plan_slug="p", slug="c")
        == "/planes/p/compromisos/c/historial/"
    )


def _row(field: str, before: str, after: str) -> str:
    """A row of an event's folded table of changes (stacked on a phone: each cell its label)."""
    return (
        f'<th scope="row" data-label="Field">{field}</th><td data-label="Before">{before}</td>'
        f'<td data-label="After">{after}</td>'
    )


def test_the_history_shows_public_changes_newest_first_with_labels_and_values(client, log):
    html = client.get(_history(log)).content.decode()
    order = [html.index(label) for label in ("Milestone removed", "Milestone added")]
    assert order == sorted(order)
    # Each event is a sentence; each change to something existing is one too.
    assert "Commitment “Datos abiertos para todos” changed" in html
    assert "Title changed from Datos abiertos to Datos abiertos para todos." in html
    assert "Completion changed from Not started to Limited." in html
    assert "Position: Directora." in html
    assert "Quetzal" in html
    # The record behind each sentence is folded away, with the event's full hash.
    assert _row("Position", "—", "Directora") in html
    assert _row("Completion", "Not started", "Limited") in html
    assert _row("Title", "Datos abiertos", "Datos abiertos para todos") in html
    # ids of other objects are shown as their names
    institution = escape(str(log.lead_institution))
    assert _row("Responsible institution", "—", institution) in html
    assert _row("Commitment", "—", escape(str(log))) in html
    for event in AuditEvent.objects.filter(public=True):
        assert f'<code class="hash">{event.hash}</code>' in html
        assert f'id="event-{event.id}"' in html
    assert html.count('<details class="event-record">') == 5
    assert "<time datetime=" in html
    assert "sha256" not in html and "{&#34;" not in html


def test_the_history_never_shows_private_fields_or_private_events(client, log):
    html = client.get(_history(log)).content.decode()
    for value in [*PRIVATE, "Email", "Phone"]:
        assert value not in html
    private = AuditEvent.objects.get(public=False)
    assert f'id="event-{private.id}"' not in html


def test_the_history_of_a_commitment_shows_only_its_own_events(client, log):
    other = CommitmentFactory(title="Otro compromiso")
    other.title = "Otro compromiso cambiado"
    services.commitment_save(actor=None, commitment=other)
    html = client.get(_history(log)).content.decode()
    assert "Otro compromiso" not in html
    html = client.get(_history(other)).content.decode()
    assert "Otro compromiso cambiado" in html and "Datos abiertos" not in html


def test_the_history_without_events_says_so(client, commitment):
    html = client.get(_history(commitment)).content.decode()
    assert "No public change to this commitment has been recorded yet." in html


def test_the_history_in_spanish(client, log):
    response = client.get(_history(log, "es"))
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()


def test_an_unknown_commitment_has_no_history(client, commitment):
    url = _url("plans:commitment_history", plan_slug=commitment.plan.slug, slug="no-existe")
    assert client.get(url).status_code == 404


def test_an_event_without_a_person_is_shown_as_the_system(client, commitment):
    commitment.title = "Cambio automático"
    services.commitment_save(actor=None, commitment=commitment)
    assert "System" in client.get(_history(commitment)).content.decode()


def _events(commitment, count: int) -> None:
    with transaction.atomic():
        for n in range(count):
            event_record(
                actor=None,
                action="commitment.update",
                target=commitment,
                changes={
                    "title": [f"Título {n}", f"Título {n + 1}"],
                    "is_demo": [False, True],
                    "lead_institution_id": [None, commitment.lead_institution_id],
                },
                public=True,
            )


def test_the_history_is_paginated_fifty_events_a_page(client, commitment):
    _events(commitment, 51)
    first = client.get(_history(commitment)).content.decode()
    assert first.count('class="event"') == 50
    assert "Título 51" in first and 'rel="next"' in first
    second = client.get(_history(commitment, page="2")).content.decode()
    assert second.count('class="event"') == 1
    assert "Título 1<" in second


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_history_and_the_log_page_cost_the_same_queries_with_few_and_many_events(
    client, commitment
):
    _events(commitment, 2)
    few = [_queries(client, _url("audit:log")), _queries(client, _history(commitment))]
    _events(commitment, 120)
    _events(CommitmentFactory(), 30)
    many = [_queries(client, _url("audit:log")), _queries(client, _history(commitment))]
    assert few == many
    assert max(many) <= 4, many


# The log page and the download


def test_the_log_page_links_events_to_the_history_of_their_commitment(client, log):
    html = client.get(_url("audit:log")).content.decode()
    assert (
        "Milestone removed: " in html and "Commitment “Datos abiertos para todos” changed" in html
    )
    assert f'href="{_history(log)}"' in html
    for value in PRIVATE:
        assert value not in html


def test_the_download_withholds_the_fields_the_commitment_page_does_not_show(client, log):
    raw = _download(client).decode()
    for value in PRIVATE:
        assert value not in raw
    lines = [json.loads(line) for line in raw.splitlines()]
    [withheld] = [line for line in lines if line.get("withheld")]
    assert withheld["withheld"] == ["responsible_email", "responsible_phone"]
    assert withheld["changes"] == {"responsible_position": ["", "Directora"]}
    # its link is still checked, and the chain verifies as a whole
    result = chain.verify(chain.links_from_lines(lines))
    assert (result.broken, result.count) == (None, 6)
    # the creation of a commitment with blank contact details withholds nothing
    assert [line["action"] for line in lines if line["public"]].count("commitment.update") == 2


def test_the_verifier_accepts_a_download_with_withheld_fields_and_names_a_tampered_line(
    client, log, tmp_path
):
    path = tmp_path / "audit-log.jsonl"
    path.write_bytes(_download(client))
    run = [sys.executable, str(VERIFIER), str(path), "--head", AuditEvent.objects.last().hash]
    result = subprocess.run(run, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout
    lines = path.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[3])
    assert event["action"] == "milestone.update"
    event["changes"]["completion"] = ["not_started", "complete"]
    lines[3] = json.dumps(event, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(run, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 1
    assert result.stdout.startswith(f"Line 4 (event {event['id']}) does not fit")


def test_no_public_page_shows_the_contact_details_the_commitment_page_leaves_out(client, plan):
    from tests.pages import plan_samples, public_pages

    for lang in ("es", "en"):
        for page in public_pages(plan_samples(plan), lang):
            html = client.get(page).content.decode()
            assert "responsable.privada@example.org" not in html, page
            assert "5555 0000" not in html, page
    assert AuditEvent.objects.filter(changes__has_key="responsible_email").exists()


# The migration that brings the chain

BEFORE = [("audit", "0001_audit_event")]


@pytest.mark.django_db(transaction=True)
def test_events_recorded_before_the_chain_are_chained_in_id_order():
    milestone = MilestoneFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    old_event = executor.loader.project_state(BEFORE).apps.get_model("audit", "AuditEvent")
    rows = [
        ("commitment.update", "plans.commitment", milestone.commitment_id),
        ("milestone.update", "plans.milestone", milestone.pk),
        ("milestone.delete", "plans.milestone", 999_999),  # a milestone since deleted
        ("membership.create", "plans.membership", 4),
        ("role.grant", "accounts.user", 7),
    ]
    for action, target_type, target_id in rows:
        old_event.objects.create(
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            target_repr="Algo",
            changes={"campo": ["antes", "después"]},
        )
    # a time without microseconds is stored and hashed like any other
    old_event.objects.filter(action="role.grant").update(
        created_at=datetime(2026, 1, 1, tzinfo=UTC)
    )

    executor.migrate(executor.loader.graph.leaf_nodes())

    events = {e.action: e for e in AuditEvent.objects.all()}
    assert [e.public for e in events.values()] == [True, True, True, False, False]
    update = events["milestone.update"]
    assert (update.context_type, update.context_id) == (
        "plans.commitment",
        str(milestone.commitment_id),
    )
    assert (events["milestone.delete"].context_type, events["milestone.delete"].context_id) == (
        "plans.milestone",
        "999999",
    )
    with transaction.atomic():
        event_record(actor=None, action="milestone.update", target=milestone, public=True)
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert out.getvalue().startswith("Audit log verified: 6 events")
