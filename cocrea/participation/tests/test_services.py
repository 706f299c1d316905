"""Writes through the services: what they keep, what they refuse (with a clear message and
nothing changed), and what they record in the audit log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cocrea.audit.models import AuditEvent
from cocrea.participation import services
from cocrea.participation.models import Comment, Proposal, Response, Support
from conftest import build_plan
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return open_consultation(build_plan(commitments=2, slug="plan-a", number=1))


@pytest.fixture
def proposal(consultation, personas):
    return _proposal(consultation, personas["citizen"])


def _text(**overrides):
    return {
        "title": "Datos de compras",
        "problem": "Las compras municipales no se publican en ningún formato abierto.",
        "proposal": "Publicar todas las compras municipales en datos abiertos cada mes.",
        **overrides,
    }


def test_a_proposal_is_audited_by_the_hash_of_its_text(consultation, personas):
    created = services.proposal_create(
        actor=personas["citizen"], consultation=consultation, **_text()
    )
    event = AuditEvent.objects.get(action="proposal.create")
    assert event.public
    assert "text_sha256" in event.changes
    assert "compras municipales" not in str(event.changes)
    assert created.author == personas["citizen"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("problem", "corto"), ("proposal", "x" * 20_001), ("title", "a" * 151)],
)
def test_empty_short_or_oversized_text_is_refused(consultation, personas, field, value):
    with pytest.raises(ValidationError) as error:
        services.proposal_create(
            actor=personas["citizen"], consultation=consultation, **_text(**{field: value})
        )
    assert field in error.value.message_dict
    assert not Proposal.objects.exists()


def test_proposing_for_an_organisation_one_does_not_belong_to_is_refused(
    consultation, personas, institutions
):
    with pytest.raises(ValidationError) as error:
        services.proposal_create(
            actor=personas["citizen"],
            consultation=consultation,
            organisation=institutions["cso"],
            **_text(),
        )
    assert "organisation" in error.value.message_dict
    assert not Proposal.objects.exists()


def test_a_second_support_is_refused_and_counted_once(proposal, personas):
    services.support_add(actor=personas["cso_member"], proposal=proposal)
    with translation.override("en"), pytest.raises(ValidationError, match="already support"):
        services.support_add(actor=personas["cso_member"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert Support.objects.count() == 1


def test_a_reply_to_a_reply_joins_the_top_level_thread(proposal, personas):
    first = services.comment_add(actor=personas["cso_member"], proposal=proposal, body="Uno")
    reply = services.comment_add(
        actor=personas["citizen"], proposal=proposal, body="Dos", parent=first
    )
    deeper = services.comment_add(
        actor=personas["official"], proposal=proposal, body="Tres", parent=reply
    )
    assert deeper.parent == first
    proposal.refresh_from_db()
    assert proposal.comment_count == 3


def test_a_reply_to_a_comment_of_another_proposal_is_refused(consultation, proposal, personas):
    other = _proposal(consultation, personas["cso_member"], title="Otra propuesta")
    foreign = services.comment_add(actor=personas["citizen"], proposal=other, body="Hola")
    with pytest.raises(ValidationError):
        services.comment_add(
            actor=personas["citizen"], proposal=proposal, body="Mal", parent=foreign
        )
    assert Comment.objects.filter(proposal=proposal).count() == 0


def test_a_not_adopted_answer_without_a_reason_is_refused(proposal, personas):
    with pytest.raises(ValidationError) as error:
        services.response_save(
            actor=personas["point_of_contact"], proposal=proposal, kind="not_adopted", reasons=""
        )
    assert "reasons" in error.value.message_dict
    assert not Response.objects.exists()


def test_an_adoption_into_a_commitment_of_another_plan_is_refused(proposal, personas):
    other_plan = build_plan(commitments=1, slug="plan-b", number=2)
    with pytest.raises(ValidationError) as error:
        services.response_save(
            actor=personas["point_of_contact"],
            proposal=proposal,
            kind="adopted",
            reasons="Se incorpora a un compromiso del plan.",
            commitments=[other_plan.commitments.first()],
        )
    assert "commitments" in error.value.message_dict
    assert not Response.objects.exists()


def test_an_adoption_names_commitments_and_a_merge_names_a_proposal(
    consultation, proposal, personas
):
    contact = personas["point_of_contact"]
    reasons = "Se incorpora al plan con cambios menores."
    with pytest.raises(ValidationError):
        services.response_save(actor=contact, proposal=proposal, kind="adopted", reasons=reasons)
    with pytest.raises(ValidationError):
        services.response_save(actor=contact, proposal=proposal, kind="merged", reasons=reasons)
    with pytest.raises(ValidationError):
        services.response_save(
            actor=contact, proposal=proposal, kind="merged", reasons=reasons, merged_into=proposal
        )
    other_consultation = open_consultation(build_plan(commitments=1, slug="plan-c", number=3))
    with pytest.raises(ValidationError):
        services.response_save(
            actor=contact,
            proposal=proposal,
            kind="merged",
            reasons=reasons,
            merged_into=_proposal(other_consultation, personas["citizen"]),
        )
    assert not Response.objects.exists()
    target = _proposal(consultation, personas["cso_member"], title="Propuesta hermana")
    response = services.response_save(
        actor=contact, proposal=proposal, kind="merged", reasons=reasons, merged_into=target
    )
    assert response.merged_into == target


def test_changing_an_answer_keeps_the_date_of_the_first_and_records_the_change(proposal, personas):
    contact = personas["point_of_contact"]
    first = services.response_save(
        actor=contact, proposal=proposal, kind="out_of_scope", reasons="No corresponde a OGP."
    )
    answered_at = first.answered_at
    commitment = proposal.consultation.plan.commitments.first()
    second = services.response_save(
        actor=contact,
        proposal=proposal,
        kind="adopted",
        reasons="Tras el foro, se incorpora al compromiso.",
        commitments=[commitment],
    )
    assert second.pk == first.pk and second.answered_at == answered_at
    event = AuditEvent.objects.filter(action="response.save").order_by("-id").first()
    assert event.changes["kind"] == ["out_of_scope", "adopted"]


def test_only_the_point_of_contact_answers(proposal, personas):
    with pytest.raises(PermissionDenied):
        services.response_save(
            actor=personas["moderator"],
            proposal=proposal,
            kind="not_adopted",
            reasons="Razones suficientes para no adoptarla.",
        )


def test_hiding_resolves_flags_and_a_second_flag_is_refused(proposal, personas):
    services.flag_add(actor=personas["cso_member"], target=proposal, reason="spam")
    with translation.override("en"), pytest.raises(ValidationError, match="already flagged"):
        services.flag_add(actor=personas["cso_member"], target=proposal, reason="abuse")
    services.content_hide(actor=personas["moderator"], target=proposal, reason="spam")
    proposal.refresh_from_db()
    assert proposal.is_hidden
    assert not proposal.flags.filter(resolved_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.content_hide(actor=personas["moderator"], target=proposal, reason="spam")


@pytest.mark.parametrize(("delays", "expected"), [([1, 9, 3], 3.0), ([1, 2, 4, 10], 3.0)])
def test_the_median_days_to_an_answer_is_the_middle_of_the_delays(
    consultation, personas, delays, expected
):
    from datetime import timedelta

    from django.utils import timezone

    from cocrea.participation.selectors import consultation_figures

    now = timezone.now()
    for index, days in enumerate(delays):
        proposal = _proposal(consultation, personas["citizen"], title=f"Propuesta {index}")
        Proposal.objects.filter(pk=proposal.pk).update(created_at=now - timedelta(days=days))
        proposal.refresh_from_db()
        Response.objects.create(
            proposal=proposal, kind="not_adopted", reasons="Razones", answered_at=now
        )
    _proposal(consultation, personas["citizen"], title="Sin respuesta")
    figures = consultation_figures(consultation=consultation)
    assert figures.median_days == expected
    assert (figures.proposals, figures.answered) == (len(delays) + 1, len(delays))
    assert figures.answered_share == len(delays) * 100 // (len(delays) + 1)


def _workshop_yesterday(contact, consultation):
    """A workshop of 25 people held yesterday in Alta Verapaz, recorded by the point of contact."""
    from datetime import timedelta

    from django.utils import timezone

    from cocrea.participation.models import Workshop

    return services.workshop_record(
        actor=contact,
        workshop=Workshop(
            consultation=consultation,
            title="Taller en Cobán",
            held_on=timezone.localdate() - timedelta(days=1),
            place="Salón municipal",
            department="alta-verapaz",
            participants=25,
        ),
    )


def _stored_and_counted(consultation):
    from dataclasses import asdict

    from cocrea.participation.models import ConsultationFigures
    from cocrea.participation.selectors import figures_count

    stored = ConsultationFigures.objects.get(consultation=consultation)
    counted = asdict(figures_count(consultation=consultation))
    return {name: getattr(stored, name) for name in counted}, counted


def test_the_stored_figures_follow_every_write_that_changes_them(consultation, personas):

    from cocrea.participation.selectors import consultation_figures, consultation_get

    contact, citizen = personas["point_of_contact"], personas["citizen"]
    first = services.proposal_create(actor=citizen, consultation=consultation, **_text())
    stored, counted = _stored_and_counted(consultation)
    assert stored == counted
    assert stored["proposals"] == 1
    services.support_add(actor=personas["cso_member"], proposal=first)
    services.comment_add(actor=citizen, proposal=first, body="Un comentario con detalle.")
    workshop = _workshop_yesterday(contact, consultation)
    services.proposal_create(
        actor=contact,
        consultation=consultation,
        workshop=workshop,
        department="alta-verapaz",
        **_text(title="Propuesta del taller"),
    )
    services.response_save(
        actor=contact, proposal=first, kind="not_adopted", reasons="No cabe en este plan."
    )
    stored, counted = _stored_and_counted(consultation)
    assert stored == counted
    assert (stored["proposals"], stored["supports"], stored["comments"]) == (2, 1, 1)
    assert (stored["workshops"], stored["workshop_participants"]) == (1, 25)
    assert (stored["from_workshops"], stored["answered"]) == (1, 1)
    assert stored["by_kind"] == {"not_adopted": 1}
    # The page reads them with the consultation: no counting query at all.
    with CaptureQueriesContext(connection) as queries:
        page_consultation = consultation_get(slug=consultation.slug, user=citizen)
        figures = consultation_figures(consultation=page_consultation)
    assert figures.proposals == 2
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    # One query for the consultation, its plan and its figures (converted as the ORM would:
    # JSON and a float), one for its phases.
    assert len(queries.captured_queries) == 2
    from dataclasses import asdict

    assert asdict(figures) == counted and figures.by_kind == {"not_adopted": 1}
    assert page_consultation.plan.slug == "plan-a"
    assert page_consultation.plan.start_date == consultation.plan.start_date
    assert page_consultation.figures.consultation is page_consultation


def test_a_refused_write_leaves_the_stored_figures_as_they_were(consultation, personas):
    from cocrea.participation.models import ConsultationFigures

    services.proposal_create(actor=personas["citizen"], consultation=consultation, **_text())
    with pytest.raises(ValidationError):
        services.proposal_create(
            actor=personas["citizen"], consultation=consultation, **_text(title="")
        )
    assert ConsultationFigures.objects.get(consultation=consultation).proposals == 1


def test_without_stored_figures_they_are_counted_from_the_rows(consultation, personas):
    from cocrea.participation.models import ConsultationFigures
    from cocrea.participation.selectors import consultation_figures

    _proposal(consultation, personas["citizen"])  # written directly, as the test factories do
    assert not ConsultationFigures.objects.exists()
    assert consultation_figures(consultation=consultation).proposals == 1


def test_a_consultation_read_without_stored_figures_says_so_without_a_query(consultation):
    from cocrea.participation.models import ConsultationFigures
    from cocrea.participation.selectors import consultation_get, consultation_of_plan

    assert not ConsultationFigures.objects.exists()
    read = consultation_get(slug=consultation.slug, user=None)
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(ConsultationFigures.DoesNotExist),
    ):
        read.figures  # noqa: B018 - reading it is the test
    assert not queries.captured_queries
    assert read.published_at == consultation.published_at and read.published_at.tzinfo
    assert consultation_of_plan(plan_id=consultation.plan_id) == consultation
    consultation.published_at = None
    consultation.save()
    assert consultation_of_plan(plan_id=consultation.plan_id) is None
    from django.http import Http404

    with pytest.raises(Http404):  # unpublished: not for a visitor
        consultation_get(slug=consultation.slug, user=None)
    with pytest.raises(Http404):
        consultation_get(slug="no-existe", user=None)


def test_a_proposal_is_read_with_what_its_page_shows_as_the_orm_would(
    consultation, personas, institutions
):

    from django.forms.models import model_to_dict
    from django.http import Http404

    from cocrea.participation.selectors import proposal_get
    from cocrea.plans.models import PolicyArea

    contact = personas["point_of_contact"]
    workshop = _workshop_yesterday(contact, consultation)
    full = _proposal(
        consultation,
        personas["cso_member"],
        organisation=institutions["cso"],
        policy_area=PolicyArea.objects.filter(parent__isnull=False).first(),
        workshop=workshop,
    )
    services.response_save(
        actor=contact, proposal=full, kind="not_adopted", reasons="No cabe en este plan de acción."
    )
    bare = _proposal(consultation, None, title="Sin autor ni respuesta")
    related = ("consultation", "author", "organisation", "policy_area", "workshop")
    for made in (full, bare):
        expected = Proposal.objects.select_related(*related, "consultation__plan", "response").get(
            pk=made.pk
        )
        with CaptureQueriesContext(connection) as queries:
            read = proposal_get(public_id=made.public_id)
            for name in related:
                one, other = getattr(read, name), getattr(expected, name)
                assert (
                    one and model_to_dict(one, fields=["id", "title", "name", "public_name"])
                ) == (other and model_to_dict(other, fields=["id", "title", "name", "public_name"]))
            assert read.consultation.plan == expected.consultation.plan
            assert read.consultation.plan.start_date == expected.consultation.plan.start_date
            assert read.created_at == expected.created_at and read.created_at.tzinfo
            if made is full:
                assert read.workshop.held_on == workshop.held_on
                assert (read.response.kind, read.response.answered_at) == (
                    "not_adopted",
                    expected.response.answered_at,
                )
                assert read.response.proposal is read
                assert read.author.display_name == "Sociedad Civil"
            else:
                assert read.author is None
                with pytest.raises(Response.DoesNotExist):
                    read.response  # noqa: B018 - reading it is the test
        assert len(queries.captured_queries) == 2  # the proposal and all it shows; the phases
    with pytest.raises(Http404):
        proposal_get(public_id="no-existe")


def test_the_panel_reads_each_organisations_latest_reading_of_each_standard(
    consultation, personas, institutions
):
    from datetime import timedelta

    from django.utils import timezone

    from cocrea.participation.models import StandardAssessment
    from cocrea.participation.selectors import standard_assessments

    plan, cso = consultation.plan, institutions["cso"]
    now = timezone.now()

    def reading(standard, rating, days_ago):
        return StandardAssessment.objects.create(
            plan=plan,
            standard=standard,
            organisation=cso,
            author=personas["cso_member"],
            rating=rating,
            reading="Una lectura con detalle suficiente del estándar.",
            published_at=now - timedelta(days=days_ago),
        )

    reading(4, "not_met", 10)
    latest_four = reading(4, "met", 2)
    only_one = reading(1, "met", 5)
    StandardAssessment.objects.create(  # another plan's reading stays out
        plan=build_plan(commitments=1),
        standard=4,
        organisation=cso,
        rating="met",
        reading="Otra lectura con detalle suficiente del estándar.",
        published_at=now,
    )
    with CaptureQueriesContext(connection) as queries:
        current = standard_assessments(plan_id=plan.pk)
        assert [(a.pk, a.organisation.name) for a in current] == [
            (latest_four.pk, cso.name),
            (only_one.pk, cso.name),
        ]
        assert current[0].published_at == latest_four.published_at
    assert len(queries.captured_queries) == 1
