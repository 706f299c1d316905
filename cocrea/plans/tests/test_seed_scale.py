import pytest
from django.core.management import CommandError, call_command

from cocrea.core.versioning import data_version_get
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone

pytestmark = pytest.mark.django_db

SMALL = {
    "plans": 4,
    "commitments": 10,
    "milestones": 30,
    "institutions": 3,
    "members": 2,
    "proposals": 20,
    "comments": 100,
    "supports": 30,
}


def _scale(**options):
    call_command("seed_scale", stdout=None, **{**SMALL, **options})


def test_seed_scale_builds_the_requested_sizes():
    before = data_version_get()
    _scale()
    assert ActionPlan.objects.count() == 4
    assert Commitment.objects.count() == 10
    assert Milestone.objects.count() == 30
    assert Institution.objects.count() == 3
    assert Member.objects.filter(code__startswith="SCALE-").count() == 2
    assert data_version_get() == before + 1  # cached pages are refreshed


def test_seed_scale_again_replaces_its_own_data_and_nothing_else():
    call_command("seed_demo", stdout=None)
    demo = Commitment.objects.count()
    _scale()
    _scale(commitments=8)
    assert Commitment.objects.count() == demo + 8
    assert Member.objects.filter(code="GTM").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"plans": 0}, "Every count must be at least 1."),
        ({"commitments": 2}, "There must be at least one commitment per plan."),
    ],
)
def test_seed_scale_refuses_impossible_sizes(options, message):
    with pytest.raises(CommandError, match=message):
        _scale(**options)
    assert not Commitment.objects.exists()


def test_seed_scale_is_refused_in_production_unless_forced(settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="refused in production"):
        _scale()
    _scale(force=True)
    assert Commitment.objects.count() == 10
