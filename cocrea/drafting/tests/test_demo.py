"""The demo shows drafting at work: a draft with two versions and comments, marked as a
demonstration, seeded once."""

import io

import pytest
from django.core.management import call_command

from cocrea.drafting import demo
from cocrea.drafting.models import Draft, DraftVersion, SectionComment
from cocrea.participation.models import Consultation
from cocrea.plans.selectors import home_plan
from conftest import build_plan
from tests.appchecks.drafting import consultation_for

pytestmark = pytest.mark.django_db


def _seed_demo():
    call_command("seed_demo", stdout=io.StringIO())


def _counts():
    return (Draft.objects.count(), DraftVersion.objects.count(), SectionComment.objects.count())


def test_the_demo_seeds_a_draft_with_two_versions_and_comments_once():
    _seed_demo()
    _, plan = home_plan()
    if not Consultation.objects.filter(plan=plan).exists():  # participation's demo makes it
        consultation_for(plan)
        demo.seed(io.StringIO())
    draft = Draft.objects.get(consultation__plan=plan)
    assert draft.title.startswith(demo.NOTE)
    assert [v.number for v in draft.versions.order_by("number")] == [1, 2]
    comments = SectionComment.objects.filter(version__draft=draft)
    assert comments.count() == 3
    assert all(c.body.startswith(demo.NOTE) for c in comments)
    assert {c.section for c in comments} == {"problem", "ambition", "milestones"}
    before = _counts()
    _seed_demo()
    demo.seed(io.StringIO())
    assert _counts() == before


def test_without_the_consultation_the_demo_seeds_nothing():
    build_plan(commitments=1, milestones_each=1)
    demo.seed(io.StringIO())
    assert _counts() == (0, 0, 0)
