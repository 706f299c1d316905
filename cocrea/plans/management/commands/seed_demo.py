"""`manage.py seed_demo`: Guatemala's action plans as demonstration data. Idempotent: every row is
found by its natural key and saved through the services, which record an audit event only when
something changed, so a second run changes nothing.

A living demo: plans I to V keep their real years; the current plan (VI) and the next one (VII)
are dated from the month the demo is first loaded (`demo_data.living_dates`): VI in its
sixteenth month of implementation, with milestones done, overdue and due soon; VII in
co-creation, its consultation taking proposals. Loading it again later, even in another month,
keeps the first dates (read back from plan VII) and changes nothing: the demo then ages as a
real site would. For a demo dated today again, load it into an empty database."""

import random
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cocrea.plans import services
from cocrea.plans.management import demo_data as data
from cocrea.plans.management import demo_local
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone, PolicyArea

DEMO_NOTE = "Contenido de demostración."


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    """The existing row with `lookup` updated with `values`, or a new unsaved one."""
    instance = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


class Command(BaseCommand):
    help = "Load Guatemala's action plans as demonstration data (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(2012)  # noqa: S311 - reproducible demo data, not security
        today = timezone.localdate()
        self.dates = data.living_dates(self._first_day(today))
        with transaction.atomic():
            member = services.member_save(
                actor=None,
                member=_upsert(
                    Member,
                    {"code": "GTM"},
                    {
                        "name": "Guatemala",
                        "slug": "guatemala",
                        "level": Member.Level.NATIONAL,
                        "region": "Américas",
                        "is_default": True,
                    },
                ),
            )
            institutions = {
                slug: services.institution_save(
                    actor=None,
                    institution=_upsert(
                        Institution,
                        {"slug": slug},
                        {
                            "member": member,
                            "name": name,
                            "acronym": acronym,
                            "kind": kind,
                            "website": website,
                        },
                    ),
                )
                for slug, name, acronym, kind, website in data.INSTITUTIONS
            }
            areas = {a.ogp_column: a for a in PolicyArea.objects.all()}
            dates = self.dates
            plans = [
                *data.PLANS,
                (data.CURRENT_PLAN[0], dates["current_start"], dates["current_end"],
                 *data.CURRENT_PLAN[1:]),
                (data.NEXT_PLAN[0], dates["next_start"], dates["next_end"], *data.NEXT_PLAN[1:]),
            ]  # fmt: skip
            for number, start, end, status, count in plans:
                plan = self._plan(member, number, start, end, status)
                rows = (
                    data.PLAN_V
                    if number == 5
                    else [data.THEMES[(number * 7 + i) % len(data.THEMES)] for i in range(count)]
                )
                for index in range(count):
                    self._commitment(plan, index + 1, rows[index], institutions, areas, rng)
            # An OGP Local member of Guatemala's, invented and named as such.
            demo_local.seed(member, dates)
        for seeder in settings.COCREA_DEMO_SEEDERS:  # apps above plans add their part
            import_string(seeder)(self.stdout, today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {ActionPlan.objects.count()} plans, "
                f"{Commitment.objects.count()} commitments, "
                f"{Milestone.objects.count()} milestones, "
                f"{Institution.objects.count()} institutions."
            )
        )

    @staticmethod
    def _first_day(today: date) -> date:
        """The day the living plans were first dated from: read back from the next plan once it
        exists (so a later run changes nothing), else today."""
        following = ActionPlan.objects.filter(
            member__code="GTM", number=data.NEXT_PLAN[0]
        ).values_list("start_date", flat=True)
        months = 12 * data.PLAN_YEARS - data.MONTHS_INTO_CURRENT
        return data.add_months(following[0], -months) if following else today

    def _plan(self, member: Member, number: int, start: date, end: date, status: str) -> ActionPlan:
        roman = data.ROMAN[number]
        years = f"{start.year}-{end.year}"
        facts = {
            data.CURRENT_PLAN[0]: "Sus fechas se calculan a partir del día en que se cargó la "
            "demostración; el número de compromisos y los identificadores OGP son reales, los "
            "textos son ilustrativos.",
            data.NEXT_PLAN[0]: "Sus fechas se calculan a partir del día en que se cargó la "
            "demostración; el plan está en cocreación y aún no tiene compromisos.",
        }.get(
            number,
            "Los años, el número de compromisos y los identificadores OGP son reales; los "
            "textos de los compromisos son ilustrativos.",
        )
        return services.action_plan_save(
            actor=None,
            plan=_upsert(
                ActionPlan,
                {"member": member, "number": number},
                {
                    "title": f"{data.ORDINAL[number]} {data.PLAN_TITLE} {years}",
                    "slug": f"plan-{roman.lower()}-{years}",
                    "start_date": start,
                    "end_date": end,
                    "status": status,
                    "ogp_id": f"AP_GTM0{number}" if number != data.NEXT_PLAN[0] else "",
                    "summary": (
                        f"Plan {roman} de Guatemala ante la Alianza para el Gobierno Abierto. "
                        f"{DEMO_NOTE} {facts}"
                    ),
                },
            ),
        )

    def _commitment(
        self,
        plan: ActionPlan,
        number: int,
        row: tuple[str, str, list[str], list[str]],
        institutions: dict[str, Institution],
        areas: dict[str, PolicyArea],
        rng: random.Random,
    ) -> None:
        title, lead, supporting, area_columns = row
        if plan.number != 5:
            title = f"{title} ({data.ROMAN[plan.number]}.{number})"
        ogp_number = data.FIRST_OGP_NUMBER[plan.number] + number - 1
        ogp_id = f"GT{ogp_number:04d}"
        if plan.number == 5:
            ogp_id = data.PLAN_V_OGP_IDS.get(number, "")
        sdgs = sorted({g for c in area_columns for g in data.SDG_BY_AREA.get(c, [])} | {16})
        lead_name = institutions[lead].name
        commitment = services.commitment_save(
            actor=None,
            commitment=_upsert(
                Commitment,
                {"plan": plan, "number": str(number)},
                {
                    "slug": f"compromiso-{number}",
                    "ogp_id": ogp_id,
                    "title": title,
                    "short_description": f"{title}: más información pública y más participación.",
                    "problem": (
                        f"{DEMO_NOTE} La ciudadanía no encuentra información completa, oportuna y "
                        "reutilizable sobre este tema, y no tiene un canal para opinar sobre él."
                    ),
                    "causes": "Procesos en papel, datos dispersos entre instituciones y poca "
                    "coordinación con la sociedad civil.",
                    "description": f"{lead_name} pondrá en marcha, con sociedad civil, las "
                    "acciones que describen los hitos de este compromiso.",
                    "how_it_helps": "Publicar la información en formatos abiertos y abrir espacios "
                    "de seguimiento permite a la ciudadanía vigilar y proponer mejoras.",
                    "ambition": "Que la información se publique de forma permanente y que la "
                    "ciudadanía participe en su seguimiento.",
                    "access_to_information": True,
                    "access_to_information_text": "Publica información antes no disponible.",
                    "civic_participation": number % 2 == 0,
                    "civic_participation_text": "Crea espacios de consulta."
                    if number % 2 == 0
                    else "",
                    "public_accountability": number % 3 == 0,
                    "technology_innovation": number % 4 == 1,
                    "inclusion": number % 5 == 0,
                    "start_date": plan.start_date,
                    "end_date": plan.end_date,
                    "lead_institution": institutions[lead],
                    "responsible_name": "Persona responsable (demostración)",
                    "responsible_position": "Enlace de gobierno abierto",
                    "budget_currency": "GTQ",
                    "sdg_goals": sdgs,
                    "carried_forward": plan.number > 1 and number % 6 == 0,
                    "is_demo": True,
                },
            ),
            supporting_institutions=[institutions[s] for s in supporting],
            policy_areas=[areas[c] for c in area_columns],
        )
        self._milestones(plan, commitment, number, institutions[lead], rng)

    def _milestones(
        self,
        plan: ActionPlan,
        commitment: Commitment,
        number: int,
        lead: Institution,
        rng: random.Random,
    ) -> None:
        count = rng.randint(3, 6)
        span = (plan.end_date - plan.start_date).days
        steps = data.MILESTONE_STEPS[:count]
        ends = [plan.start_date + timedelta(days=span * (i + 1) // count) for i in range(count)]
        living = plan.status == ActionPlan.Status.IMPLEMENTATION
        anchor = self.dates["anchor"]
        # The first milestone still to come ends in 45 days or so: within the 60 days that make
        # a milestone "due soon" on any day of the demo's month.
        soon = next((i for i, end in enumerate(ends) if end >= anchor), None) if living else None
        if soon is not None:
            ends[soon] = min(anchor + timedelta(days=45), plan.end_date)
        past = [i for i, end in enumerate(ends) if end < anchor]
        for index, (description, output) in enumerate(steps):
            start = plan.start_date + timedelta(days=span * index // count)
            end = ends[index]
            completion = self._completion(plan, index, count, rng)
            if living:
                completion = self._living_completion(number, index, past, soon)
            services.milestone_save(
                actor=None,
                milestone=_upsert(
                    Milestone,
                    {"commitment": commitment, "number": index + 1},
                    {
                        "description": description,
                        "expected_output": output,
                        "start_date": min(start, end),
                        "end_date": end,
                        "responsible_institution": lead,
                        "weight": 2 if index == count - 1 else 1,
                        "completion": completion,
                        "carried_over": commitment.carried_forward and index == 0,
                    },
                ),
            )

    @staticmethod
    def _living_completion(number: int, index: int, past: list[int], soon: int | None) -> str:
        """The current plan's milestones follow their dates: those that ended are complete,
        but the last one ended of every third commitment lags (overdue); the one due soon is
        under way in even commitments, not started in odd ones (at risk); the rest have not
        started."""
        c = Milestone.Completion
        if index in past:
            lagging = number % 3 == 1 and index == past[-1]
            return c.LIMITED if lagging else c.COMPLETE
        if index == soon:
            return c.SUBSTANTIAL if number % 2 == 0 else c.NOT_STARTED
        return c.NOT_STARTED

    @staticmethod
    def _completion(plan: ActionPlan, index: int, count: int, rng: random.Random) -> str:
        """Early milestones mostly done, later ones less so; the last plan is the least advanced."""
        c = Milestone.Completion
        done_share = 0.45 if plan.status == ActionPlan.Status.IMPLEMENTATION else 0.75
        roll = rng.random() * (index + 1) / count
        if roll < done_share * 0.6:
            return c.COMPLETE
        if roll < done_share * 0.85:
            return c.SUBSTANTIAL
        if roll < done_share:
            return c.LIMITED
        if rng.random() < 0.05:
            return c.WITHDRAWN
        return c.NOT_STARTED
