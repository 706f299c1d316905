"""Tracking's reads against an independent read of the same data."""

from datetime import UTC, datetime

from cocrea.plans.models import Commitment
from cocrea.plans.tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
)
from cocrea.tracking.models import Assessment
from cocrea.tracking.selectors import disputed_commitment_ids


def _assess(commitment, organisation, completion, day, milestone=None):
    return Assessment.objects.create(
        commitment=commitment,
        milestone=milestone,
        organisation=organisation,
        completion=completion,
        reading="Lectura.",
        published_at=datetime(2025, 1, day, tzinfo=UTC),
    )


def _disputed_by_hand(commitments) -> set[int]:
    """Each organisation's latest reading of each milestone and of each commitment as a whole,
    read through the instances, against that milestone's or that commitment's completion."""
    disputed = set()
    for commitment in commitments:
        targets = [(None, commitment.completion)]
        targets += [(m, m.completion) for m in commitment.milestones.all()]
        for milestone, official in targets:
            latest = {}
            for a in Assessment.objects.filter(commitment=commitment, milestone=milestone).order_by(
                "published_at"
            ):
                latest[a.organisation] = a.completion
            if any(reading != official for reading in latest.values()):
                disputed.add(commitment.pk)
    return disputed


def test_disputed_commitments_are_those_where_some_current_reading_differs(db):
    plan = ActionPlanFactory()
    red, foro = InstitutionFactory(kind="civil_society"), InstitutionFactory(kind="civil_society")
    # The whole is substantial (one of two equal milestones complete): a reading of the complete
    # milestone as complete agrees, as does one of the whole as substantial.
    agreed = CommitmentFactory(plan=plan, number="1")
    done = MilestoneFactory(commitment=agreed, number=1, completion="complete")
    MilestoneFactory(commitment=agreed, number=2, completion="not_started")
    _assess(agreed, red, "complete", 2, milestone=done)
    _assess(agreed, red, "substantial", 3)
    # The whole read as limited while nothing has started.
    whole = CommitmentFactory(plan=plan, number="2")
    MilestoneFactory(commitment=whole, number=1, completion="not_started")
    _assess(whole, foro, "limited", 4)
    # An organisation changed its mind and now agrees.
    changed = CommitmentFactory(plan=plan, number="3")
    late = MilestoneFactory(commitment=changed, number=1, completion="not_started")
    _assess(changed, red, "limited", 5, milestone=late)
    _assess(changed, red, "not_started", 6, milestone=late)
    # Of two organisations, the one that read it earlier disagrees.
    split = CommitmentFactory(plan=plan, number="4")
    both = MilestoneFactory(commitment=split, number=1, completion="complete")
    _assess(split, foro, "substantial", 7, milestone=both)
    _assess(split, red, "complete", 8, milestone=both)
    # Another plan's commitment, disputed, is not asked about.
    elsewhere = CommitmentFactory(number="9")
    _assess(elsewhere, red, "limited", 9)

    commitments = list(Commitment.objects.filter(plan=plan).prefetch_related("milestones"))
    disputed = disputed_commitment_ids(commitments)
    assert disputed == _disputed_by_hand(commitments) == {whole.pk, split.pk}
