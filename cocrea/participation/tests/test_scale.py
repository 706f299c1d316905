import pytest
from django.core.management import call_command
from django.db.models import Sum

from cocrea.participation.models import Comment, Consultation, Proposal, Support

pytestmark = pytest.mark.django_db

SMALL = {"plans": 4, "commitments": 8, "milestones": 8, "institutions": 2, "members": 2}


def test_seed_scale_adds_a_consultation_of_the_requested_size_with_true_counts():
    call_command("seed_scale", stdout=None, proposals=40, comments=200, supports=90, **SMALL)
    assert Consultation.objects.filter(slug="scale-consulta").count() == 1
    assert Proposal.objects.count() == 40
    assert Comment.objects.count() == 200
    assert Comment.objects.filter(parent__isnull=False).count() == 40  # a fifth are replies
    assert Support.objects.count() == 90
    totals = Proposal.objects.aggregate(s=Sum("support_count"), c=Sum("comment_count"))
    assert totals == {"s": 90, "c": 200}


@pytest.mark.parametrize("command", ["seed_demo", "seed_scale"])
def test_the_seeders_leave_stored_figures_that_match_the_rows(command):
    from dataclasses import asdict

    from cocrea.participation.models import ConsultationFigures
    from cocrea.participation.selectors import consultation_figures, figures_count

    options = {"proposals": 40, "comments": 200, "supports": 90, **SMALL}
    call_command("seed_demo", stdout=None)
    if command == "seed_scale":
        call_command("seed_scale", stdout=None, **options)
    consultations = Consultation.objects.select_related("figures")
    assert ConsultationFigures.objects.count() == consultations.count() >= 1
    for consultation in consultations:
        counted = figures_count(consultation=consultation)
        assert consultation_figures(consultation=consultation) == counted
        assert asdict(counted)["proposals"] > 0


def test_seed_scale_again_replaces_the_consultation():
    call_command("seed_scale", stdout=None, proposals=10, comments=20, supports=5, **SMALL)
    call_command("seed_scale", stdout=None, proposals=12, comments=30, supports=6, **SMALL)
    assert Proposal.objects.count() == 12
    assert Comment.objects.count() == 30


def test_seed_scale_answers_after_the_proposals_with_the_delay_recorded():
    from cocrea.participation.models import Response

    call_command("seed_scale", stdout=None, proposals=30, comments=10, supports=5, **SMALL)
    for response in Response.objects.select_related("proposal"):
        delay = (response.answered_at - response.proposal.created_at).total_seconds() / 86400
        assert response.days_to_answer == pytest.approx(delay)
        assert delay > 0
