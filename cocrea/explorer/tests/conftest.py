"""Two OGP members as the explorer meets them: one running its plan in Cocrea (milestones,
assessments) and one imported from OGP's database (no milestones, the IRM's findings)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cocrea.plans.models import Institution, Member, Milestone, PolicyArea
from cocrea.plans.tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MemberFactory,
    MilestoneFactory,
)
from cocrea.tracking.models import Assessment, IrmReview

C = Milestone.Completion


def _milestones(commitment, completions):
    for number, completion in enumerate(completions, start=1):
        MilestoneFactory(commitment=commitment, number=number, completion=completion)


def _irm(commitment, end="", midterm="", starred=None):
    IrmReview.objects.create(
        commitment=commitment, completion_end=end, completion_midterm=midterm, starred=starred
    )


def _assess(commitment, organisation, completion, milestone=None, days_ago=0):
    Assessment.objects.create(
        commitment=commitment,
        milestone=milestone,
        organisation=organisation,
        completion=completion,
        reading="Nuestra lectura.",
        published_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def ogp(db):
    """Guatemala (national, Américas) live; Valencia (local, Europa) imported.

    Guatemala: g1 all complete, starred, area X, access to information; g2 complete and
    withdrawn (complete), theme T itself; g3 only withdrawn (not complete); g4 complete and
    limited (not complete, though the IRM says complete), disputed on the whole; g5 no
    milestones, the IRM says complete (complete by OGP's figure), disputed on its milestone-less
    whole; g6 a milestone assessed as its official completion (not disputed).
    Valencia: v1 IRM complete at the end, starred, area X, inclusion; v2 complete at mid-term
    with the end unknown, area Y; v3 limited at the end though complete at mid-term; v4 no IRM,
    assessed (not counted: nothing tracked)."""
    theme = PolicyArea.objects.filter(parent__isnull=True).order_by("position").first()
    area_x = theme.children.order_by("position").first()
    area_y = PolicyArea.objects.exclude(parent=theme).filter(parent__isnull=False).first()
    cso = InstitutionFactory(name="Acción Ciudadana", kind=Institution.Kind.CIVIL_SOCIETY)
    guatemala = MemberFactory()
    valencia = MemberFactory(
        name="Valencia",
        code="ESVLC",
        slug="valencia",
        level=Member.Level.LOCAL,
        region="Europa",
        is_default=False,
    )
    gplan = ActionPlanFactory(member=guatemala, slug="gt-5", number=5)
    vplan = ActionPlanFactory(member=valencia, slug="vlc-1", number=1)

    def commitment(plan, number, areas=(), **values):
        return CommitmentFactory(
            plan=plan,
            number=str(number),
            slug=f"{plan.slug}-{number}",
            policy_areas=list(areas),
            **values,
        )

    g = SimpleNamespace()
    g.c1 = commitment(gplan, 1, [area_x], access_to_information=True)
    _milestones(g.c1, [C.COMPLETE, C.COMPLETE])
    _irm(g.c1, end="not_started", starred=True)
    g.c2 = commitment(gplan, 2, [theme])
    _milestones(g.c2, [C.COMPLETE, C.WITHDRAWN])
    g.c3 = commitment(gplan, 3)
    _milestones(g.c3, [C.WITHDRAWN])
    g.c4 = commitment(gplan, 4, civic_participation=True)
    _milestones(g.c4, [C.COMPLETE, C.LIMITED])
    _irm(g.c4, end="complete", starred=False)
    _assess(g.c4, cso, "complete")
    g.c5 = commitment(gplan, 5)
    _irm(g.c5, end="complete")
    _assess(g.c5, cso, "limited")
    g.c6 = commitment(gplan, 6)
    _milestones(g.c6, [C.SUBSTANTIAL])
    _assess(g.c6, cso, "limited", milestone=g.c6.milestones.get(), days_ago=3)
    _assess(g.c6, cso, "substantial", milestone=g.c6.milestones.get())  # newer: agrees
    v = SimpleNamespace()
    v.c1 = commitment(vplan, 1, [area_x], inclusion=True, access_to_information=True)
    _irm(v.c1, end="complete", midterm="limited", starred=True)
    v.c2 = commitment(vplan, 2, [area_y])
    _irm(v.c2, end="", midterm="complete")
    v.c3 = commitment(vplan, 3)
    _irm(v.c3, end="limited", midterm="complete")
    v.c4 = commitment(vplan, 4)
    _assess(v.c4, cso, "limited")
    return SimpleNamespace(
        guatemala=guatemala,
        valencia=valencia,
        g=g,
        v=v,
        theme=theme,
        area_x=area_x,
        area_y=area_y,
    )
