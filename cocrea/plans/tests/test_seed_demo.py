import pytest
from django.core.management import call_command
from django.db.models import Count

from cocrea.audit.models import AuditEvent
from cocrea.plans.models import ActionPlan, Commitment, Institution, Milestone

pytestmark = pytest.mark.django_db

MODELS = [ActionPlan, Commitment, Milestone, Institution, AuditEvent]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_seed_demo_loads_guatemalas_plans_with_their_commitment_counts():
    call_command("seed_demo", stdout=None)
    guatemala = ActionPlan.objects.filter(member__code="GTM")
    counts = dict(guatemala.annotate(n=Count("commitments")).values_list("number", "n"))
    assert counts == {1: 14, 2: 48, 3: 22, 4: 24, 5: 12, 6: 6, 7: 0}
    gt0110 = Commitment.objects.select_related("lead_institution", "plan").get(ogp_id="GT0110")
    assert gt0110.plan.number == 5
    assert gt0110.lead_institution.acronym == "GAE"
    assert {i.acronym or i.name for i in gt0110.supporting_institutions.all()} == {
        "MINGOB",
        "Red Ciudadana",
    }
    assert Commitment.objects.get(ogp_id="GT0114").lead_institution.acronym == "MARN"
    assert Commitment.objects.filter(is_demo=False).count() == 0  # every invented text is marked
    per_commitment = {c.milestones.count() for c in Commitment.objects.all()}
    assert per_commitment <= {3, 4, 5, 6}
    assert any(m.is_overdue for m in Milestone.objects.all())


def test_seed_demo_run_twice_leaves_the_same_counts():
    call_command("seed_demo", stdout=None)
    first = _counts()
    call_command("seed_demo", stdout=None)
    assert _counts() == first
