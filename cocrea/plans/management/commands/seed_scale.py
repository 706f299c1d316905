"""`manage.py seed_scale`: a large synthetic dataset for the benchmark, by default the size of OGP's
whole database (about 400 action plans, 5,000 commitments, 40,000 milestones, 300 institutions).

It writes in bulk, without the services and the audit log, because it makes measurement data,
never a real instance's; it refuses to run in production unless told to. Running it again replaces
the synthetic data it made before (members whose code starts with SCALE-), nothing else."""

import importlib
import random
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from cocrea.core.versioning import data_version_bump
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone, PolicyArea

PREFIX = "SCALE-"
COMPLETIONS = [c for c, _ in Milestone.Completion.choices]
WORDS = [
    "transparencia",
    "participación",
    "datos",
    "abiertos",
    "rendición",
    "cuentas",
    "presupuesto",
    "contrataciones",
    "municipal",
    "salud",
    "educación",
    "ambiente",
    "justicia",
    "acceso",
    "información",
    "integridad",
    "digital",
    "ciudadanía",
    "seguimiento",
    "publicación",
    "plataforma",
    "consulta",
]


def _seeders() -> list[Any]:
    return [importlib.import_module(path) for path in settings.COCREA_SCALE_SEEDERS]


# OGP's regions, as its commitments data names them, in Spanish.
REGIONS = ["Américas", "Europa", "Asia y el Pacífico", "África y Medio Oriente"]


class Command(BaseCommand):
    help = "Build a large synthetic dataset for the benchmark (replaces the previous one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plans", type=int, default=400)
        parser.add_argument("--commitments", type=int, default=5000)
        parser.add_argument("--milestones", type=int, default=40000)
        parser.add_argument("--institutions", type=int, default=300)
        parser.add_argument("--members", type=int, default=100)
        parser.add_argument("--seed", type=int, default=2026)
        # Apps above plans add their own data and options (COCREA_SCALE_SEEDERS).
        for seeder in _seeders():
            seeder.add_arguments(parser)
        parser.add_argument(
            "--force", action="store_true", help="Run even with production settings."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ENVIRONMENT == "production" and not options["force"]:
            raise CommandError("seed_scale writes synthetic data: refused in production (--force).")
        counts = {k: options[k] for k in ("plans", "commitments", "milestones", "institutions")}
        if min(counts.values()) < 1 or options["members"] < 1:
            raise CommandError("Every count must be at least 1.")
        if options["commitments"] < options["plans"]:
            raise CommandError("There must be at least one commitment per plan.")
        rng = random.Random(options["seed"])  # noqa: S311 - reproducible synthetic data
        with transaction.atomic():
            for seeder in _seeders():
                seeder.clear()
            self._clear()
            plans = self._build(rng, options)
            for seeder in _seeders():
                seeder.seed(rng=rng, options=options, plans=plans, stdout=self.stdout)
            data_version_bump()
        with connection.cursor() as cursor:
            # Fresh statistics for the query planner, and on PostgreSQL a visibility map for
            # index-only scans: after a bulk load, it scanned whole tables until autovacuum got to
            # them (measured: pages at 3% of the floor, not 8%).
            # VACUUM cannot run inside a transaction (a caller's, or a test's): ANALYZE then.
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                "Scale data ready: "
                + ", ".join(f"{n} {k}" for k, n in counts.items())
                + f", {options['members']} members."
            )
        )

    def _clear(self) -> None:
        members = Member.objects.filter(code__startswith=PREFIX)
        Milestone.objects.filter(commitment__plan__member__in=members).delete()
        Commitment.objects.filter(plan__member__in=members).delete()
        ActionPlan.objects.filter(member__in=members).delete()
        Institution.objects.filter(slug__startswith="scale-").delete()
        members.update(national=None)  # a local member protects its national one
        members.delete()

    def _progress(self, label: str, done: int, total: int) -> None:
        self.stdout.write(f"\r{label}: {done}/{total}", ending="")
        if done == total:
            self.stdout.write("")

    def _build(self, rng: random.Random, options: dict[str, Any]) -> list[ActionPlan]:
        members = Member.objects.bulk_create(
            Member(
                name=f"Miembro sintético {i + 1}",
                code=f"{PREFIX}{i + 1:03d}",
                slug=f"scale-{i + 1}",
                level=Member.Level.LOCAL if i % 3 else Member.Level.NATIONAL,
                region=REGIONS[(i // 3) % len(REGIONS)],
            )
            for i in range(options["members"])
        )
        # Every third a national member, the two after it its OGP Local members (issue 25).
        for i, member in enumerate(members):
            if i % 3:
                member.national = members[i - i % 3]
        Member.objects.bulk_update([m for m in members if m.national], ["national"])
        # Each member its own institutions (at least one), in turn.
        institutions = Institution.objects.bulk_create(
            Institution(
                member=members[i % len(members)],
                name=f"Institución sintética {i + 1}",
                acronym=f"IS{i + 1}",
                slug=f"scale-{i + 1}",
                kind=Institution.Kind.values[i % len(Institution.Kind.values)],
            )
            for i in range(max(options["institutions"], len(members)))
        )
        of_member: dict[int, list[Institution]] = {}
        for institution in institutions:
            of_member.setdefault(institution.member_id, []).append(institution)
        plans = []
        for i in range(options["plans"]):
            member = members[i % len(members)]
            number = i // len(members) + 1
            start = date(2012 + (i % 12), 9, 1)
            plans.append(
                ActionPlan(
                    member=member,
                    number=number,
                    title=f"Plan de acción {number} de {member.name}",
                    slug=f"scale-plan-{i + 1}",
                    start_date=start,
                    end_date=start + timedelta(days=730),
                    status=ActionPlan.Status.CLOSED if start.year < 2023 else "implementation",
                    ogp_id=f"AP_SCALE{i + 1:04d}",
                )
            )
        plans = ActionPlan.objects.bulk_create(plans)
        commitments = []
        for i in range(options["commitments"]):
            plan = plans[i % len(plans)]
            title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
            commitment = Commitment(
                plan=plan,
                number=str(i // len(plans) + 1),
                slug=f"c-{i + 1}",
                ogp_id=f"SC{i + 1:05d}",
                title=title,
                short_description=title[:140],
                problem=" ".join(rng.choice(WORDS) for _ in range(60)),
                description=" ".join(rng.choice(WORDS) for _ in range(60)),
                start_date=plan.start_date,
                end_date=plan.end_date,
                lead_institution=rng.choice(of_member[plan.member_id]),
                access_to_information=True,
                is_demo=True,
            )
            commitments.append(commitment)
        commitments = Commitment.objects.bulk_create(commitments, batch_size=1000)
        self._progress("commitments", len(commitments), len(commitments))
        areas = list(PolicyArea.objects.all())
        through_areas = Commitment.policy_areas.through
        through_support = Commitment.supporting_institutions.through
        through_areas.objects.bulk_create(
            (
                through_areas(commitment_id=c.pk, policyarea_id=area.pk)
                for c in commitments
                for area in rng.sample(areas, 2)
            ),
            batch_size=2000,
        )
        through_support.objects.bulk_create(
            (
                through_support(commitment_id=c.pk, institution_id=rng.choice(institutions).pk)
                for c in commitments
            ),
            batch_size=2000,
        )
        total = options["milestones"]
        batch: list[Milestone] = []
        for i in range(total):
            commitment = commitments[i % len(commitments)]
            begins: date = commitment.plan.start_date
            span = (commitment.plan.end_date - begins).days
            end = begins + timedelta(days=rng.randint(30, span))
            batch.append(
                Milestone(
                    commitment=commitment,
                    number=i // len(commitments) + 1,
                    description=" ".join(rng.choice(WORDS) for _ in range(14)).capitalize(),
                    expected_output="Informe publicado",
                    start_date=begins,
                    end_date=end,
                    responsible_institution=commitment.lead_institution,
                    weight=rng.choice((1, 1, 1, 2)),
                    completion=rng.choice(COMPLETIONS),
                )
            )
            if len(batch) == 5000 or i == total - 1:
                Milestone.objects.bulk_create(batch)
                batch = []
                self._progress("milestones", i + 1, total)
        return plans
