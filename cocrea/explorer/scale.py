"""What the explorer adds to `manage.py seed_scale` (COCREA_SCALE_SEEDERS, before search so that
the index has it): OGP's database as the explorer meets it. The synthetic members are spread over
OGP's four regions; their commitments get OGP values and, for two thirds of them, the IRM's
findings (completion, starred); civil society assesses some of them (so some are disputed); and,
with `--imported-members N` (the benchmark asks for 60), members imported from OGP's database,
each with 3 plans of 12 commitments, without milestones and with the IRM's findings for most.
Written in bulk like the rest of the scale data, replaced on every run (their members' codes
start with SCALE-, which the command's own clearing removes with their plans and commitments)."""

import random
from datetime import date, timedelta
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from cocrea.explorer.selectors import VALUES
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone, PolicyArea
from cocrea.tracking.models import Assessment, IrmReview

PREFIX = "SCALE-OGP-"
REGIONS = ["Américas", "África y Medio Oriente", "Asia y el Pacífico", "Europa"]
IRM_COMPLETIONS = [c for c, _label in IrmReview.Completion.choices]
ASSESSED = [c for c, _label in Assessment.Completion.choices]


def add_arguments(parser: CommandParser) -> None:
    # Nothing by default, so that the command's own sizes stay what it was asked for; the
    # benchmark asks for 60 (bench/run.py).
    parser.add_argument("--imported-members", type=int, default=0)
    parser.add_argument("--imported-plans-each", type=int, default=3)
    parser.add_argument("--imported-commitments-each", type=int, default=12)
    parser.add_argument("--assessments", type=int, default=1000)


def clear() -> None:
    """The command's own clearing removes the members, plans and commitments (and with the
    commitments their IRM findings and assessments)."""


def _values(rng: random.Random, commitment: Commitment) -> None:
    """One to three of the first three values, sometimes technology or inclusion with them."""
    for name in list(VALUES)[:3]:
        setattr(commitment, name, rng.random() < 0.45)
    if not any(getattr(commitment, name) for name in list(VALUES)[:3]):
        commitment.access_to_information = True
    commitment.technology_innovation = rng.random() < 0.3
    commitment.inclusion = rng.random() < 0.15


def _irm(rng: random.Random, commitment_id: int) -> IrmReview:
    return IrmReview(
        commitment_id=commitment_id,
        completion_midterm=rng.choice(IRM_COMPLETIONS),
        completion_end=rng.choice([*IRM_COMPLETIONS, ""]),
        starred=rng.random() < 0.12,
        verifiable=IrmReview.Verifiable.VERIFIABLE,
    )


def seed(
    *, rng: random.Random, options: dict[str, Any], plans: list[ActionPlan], stdout: Any
) -> None:
    counts = [
        options[k]
        for k in (
            "imported_members",
            "imported_plans_each",
            "imported_commitments_each",
            "assessments",
        )
    ]
    if min(counts) < 0:
        raise CommandError("The explorer's counts cannot be negative.")
    members = list(Member.objects.filter(code__startswith="SCALE-").order_by("pk"))
    for index, region in enumerate(REGIONS):
        Member.objects.filter(pk__in=[m.pk for m in members[index :: len(REGIONS)]]).update(
            region=region
        )
    live = list(Commitment.objects.filter(plan__in=plans).only("pk", *VALUES).order_by("pk"))
    for commitment in live:
        _values(rng, commitment)
    Commitment.objects.bulk_update(live, list(VALUES), batch_size=1000)
    IrmReview.objects.bulk_create(
        (_irm(rng, c.pk) for c in live if rng.random() < 0.66), batch_size=2000
    )
    imported = _imported(rng, options)
    _assessments(rng, live, options["assessments"])
    stdout.write(
        f"Explorer: {len(members)} members over {len(REGIONS)} regions, "
        f"{imported} commitments imported without milestones, "
        f"{options['assessments']} assessments."
    )


def _imported(rng: random.Random, options: dict[str, Any]) -> int:
    """Members as OGP's database brings them: plans and commitments, no milestones."""
    institutions = list(Institution.objects.filter(slug__startswith="scale-"))
    areas = list(PolicyArea.objects.all())
    if not institutions or not options["imported_members"]:
        return 0
    members = Member.objects.bulk_create(
        Member(
            name=f"Miembro importado {i + 1}",
            code=f"{PREFIX}{i + 1:03d}",
            slug=f"scale-ogp-{i + 1}",
            level=Member.Level.NATIONAL if i % 2 else Member.Level.LOCAL,
            region=REGIONS[i % len(REGIONS)],
        )
        for i in range(options["imported_members"])
    )
    plans = ActionPlan.objects.bulk_create(
        ActionPlan(
            member=member,
            number=n + 1,
            title=f"Plan de acción {n + 1} de {member.name}",
            slug=f"{member.slug}-plan-{n + 1}",
            start_date=date(2014 + 2 * n, 9, 1),
            end_date=date(2016 + 2 * n, 8, 31),
            status=ActionPlan.Status.CLOSED,
            ogp_id=f"AP_SCALEOGP{member.code[-3:]}{n + 1}",
        )
        for member in members
        for n in range(options["imported_plans_each"])
    )
    commitments = []
    for plan in plans:
        for n in range(options["imported_commitments_each"]):
            commitment = Commitment(
                plan=plan,
                number=str(n + 1),
                slug=f"c-{n + 1}",
                ogp_id=f"SO{plan.pk:05d}{n + 1:02d}",
                title=f"Compromiso importado {n + 1} del {plan.title}",
                start_date=plan.start_date,
                end_date=plan.end_date,
                lead_institution=rng.choice(institutions),
                is_demo=True,
            )
            _values(rng, commitment)
            commitments.append(commitment)
    commitments = Commitment.objects.bulk_create(commitments, batch_size=1000)
    through = Commitment.policy_areas.through
    through.objects.bulk_create(
        (
            through(commitment_id=c.pk, policyarea_id=area.pk)
            for c in commitments
            for area in rng.sample(areas, rng.randint(1, 3))
        ),
        batch_size=2000,
    )
    IrmReview.objects.bulk_create(
        (_irm(rng, c.pk) for c in commitments if rng.random() < 0.85), batch_size=2000
    )
    return len(commitments)


def _assessments(rng: random.Random, live: list[Commitment], count: int) -> None:
    """Civil society's readings of live commitments, a third of the commitment as a whole."""
    organisations = list(
        Institution.objects.filter(
            slug__startswith="scale-", kind=Institution.Kind.CIVIL_SOCIETY
        ).values_list("pk", flat=True)
    )
    if not organisations or not live or not count:
        return
    chosen = rng.sample(live, min(count, len(live)))
    milestones: dict[int, list[int]] = {}
    for pk, commitment_id in Milestone.objects.filter(
        commitment_id__in=[c.pk for c in chosen]
    ).values_list("pk", "commitment_id"):
        milestones.setdefault(commitment_id, []).append(pk)
    now = timezone.now()
    Assessment.objects.bulk_create(
        (
            Assessment(
                commitment_id=c.pk,
                milestone_id=None
                if i % 3 == 0 or not milestones.get(c.pk)
                else rng.choice(milestones[c.pk]),
                organisation_id=rng.choice(organisations),
                completion=rng.choice(ASSESSED),
                reading="Lectura sintética de la evidencia.",
                published_at=now - timedelta(days=i % 400),
            )
            for i, c in enumerate(chosen)
        ),
        batch_size=2000,
    )
