"""Demonstration drafting data for `manage.py seed_demo` (listed in COCREA_DEMO_SEEDERS after
participation's seeder, which creates the current plan's consultation): one draft commitment
with two versions and comments on its sections, written by the demonstration people tracking's
seeder uses (none of whom can log in). Every text says it is a demonstration. Without the
consultation it seeds nothing; once its draft exists, it does nothing."""

from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction

from cocrea.accounts.models import User
from cocrea.drafting import services
from cocrea.drafting.models import Draft
from cocrea.participation.models import Consultation
from cocrea.plans import selectors as plan_selectors
from cocrea.plans.models import Institution

NOTE = "Demostración:"
TITLE = f"{NOTE} datos abiertos de contrataciones públicas"


def _person(username: str, public_name: str) -> User:
    """A demonstration account with a verified address and no usable password (the same
    accounts as tracking's demo, found by username)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, email=f"{username}@demo.invalid", public_name=public_name
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _versions(lead: Institution | None, year: int) -> list[dict[str, Any]]:
    common = {
        "lead_institution": lead,
        "start_date": date(year, 9, 1),
        "end_date": date(year + 2, 6, 30),
        "access_to_information": True,
        "civic_participation": True,
    }
    first = {
        **common,
        "title": f"{NOTE} contrataciones públicas en datos abiertos",
        "short_description": "Publicar las contrataciones del Estado en datos abiertos.",
        "problem": f"{NOTE} la información de las contrataciones está dispersa y no se puede "
        "reutilizar.",
        "causes": "Cada entidad publica en su propio formato.",
        "description": "Publicar las contrataciones en el Estándar de Datos de Contrataciones "
        "Abiertas.",
        "how_it_helps": "La ciudadanía podrá seguir cada contrato de principio a fin.",
        "ambition": "Todas las entidades del Organismo Ejecutivo publican en el estándar.",
        "access_to_information_text": "Abre datos que hoy no son reutilizables.",
        "civic_participation_text": "Las organizaciones podrán vigilar las compras.",
        "milestones": "Diagnóstico de la información publicada\nPortal de datos abiertos",
    }
    second = {
        **first,
        "problem": f"{NOTE} la información de las contrataciones está dispersa, llega tarde y "
        "no se puede reutilizar.",
        "ambition": "Todas las entidades del Organismo Ejecutivo y las municipalidades "
        "publican en el estándar.",
        "milestones": "Diagnóstico de la información publicada\nPortal de datos abiertos\n"
        "Capacitación a organizaciones de sociedad civil",
        "change_note": "Se incorporaron los comentarios: plazos, municipalidades y una "
        "capacitación.",
    }
    return [first, second]


def seed(stdout: Any, today: date | None = None) -> None:
    _, plan = plan_selectors.home_plan()
    consultation = Consultation.objects.filter(plan=plan).first() if plan else None
    if consultation is None or Draft.objects.filter(consultation=consultation).exists():
        return
    lead = (
        Institution.objects.filter(member_id=consultation.plan.member_id, kind="government")
        .order_by("name")
        .first()
    )
    first, second = _versions(lead, consultation.plan.start_date.year)
    with transaction.atomic():
        contact = _person("demo-punto-de-contacto", "Punto de contacto (demostración)")
        citizen = _person("demo-sociedad-civil", "Sociedad civil (demostración)")
        # Seeded through the services' writes, whatever the consultation's phase today.
        draft = services._draft_save(
            actor=contact, consultation=consultation, title=TITLE, version=first
        )
        services._comment_save(
            actor=citizen,
            draft=draft,
            section="problem",
            body=f"{NOTE} falta decir que la información llega **tarde**.",
        )
        services._comment_save(
            actor=citizen,
            draft=draft,
            section="ambition",
            body=f"{NOTE} ¿y las municipalidades? Deberían publicar también.",
        )
        services._version_save(actor=contact, draft=draft, fields=second)
        services._comment_save(
            actor=citizen,
            draft=draft,
            section="milestones",
            body=f"{NOTE} la capacitación debería llegar también a los departamentos.",
        )
    stdout.write("Demo drafting: one draft commitment with two versions and three comments.")
