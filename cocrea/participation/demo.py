"""Demonstration co-creation data for `manage.py seed_demo` (listed in COCREA_DEMO_SEEDERS): the
consultation that preceded the current plan, with its timeline, proposals from several
departments (one from an in-person workshop), comments and replies, supports, and an answer of
every kind, one proposal left unanswered, and a hidden comment. Every text says it is a
demonstration.

The consultation happened before the plan began, so its rows carry those past dates. The
services refuse what the rules refuse today (nobody proposes outside the proposal phase), so
this history is written directly, in one transaction, and is not in the audit log; nothing in
it pretends to be a real person's words. Safe to run again: it does nothing once the
consultation exists."""

from datetime import datetime, time, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from cocrea.accounts.models import User
from cocrea.participation.models import (
    Comment,
    Consultation,
    Department,
    Phase,
    Proposal,
    Response,
    Support,
    Workshop,
)
from cocrea.participation.services import consultation_figures_refresh
from cocrea.plans import selectors as plan_selectors
from cocrea.plans.models import Commitment, Institution, PolicyArea

NOTE = "Demostración:"
TIMELINE = [  # kind, days from the plan's start (negative: before), length in days
    (Phase.Kind.INFORMATION, -150, 14),
    (Phase.Kind.PROPOSALS, -135, 30),
    (Phase.Kind.DELIBERATION, -104, 20),
    (Phase.Kind.DRAFTING, -83, 30),
    (Phase.Kind.VALIDATION, -52, 14),
    (Phase.Kind.RESPONSE, -37, 30),
]
PROPOSALS = [
    ("Datos abiertos de compras municipales", Department.QUETZALTENANGO, "Quetzaltenango"),
    ("Consulta en idiomas mayas sobre salud", Department.QUICHE, "Santa Cruz del Quiché"),
    ("Presupuesto escolar visible para las familias", Department.ALTA_VERAPAZ, "Cobán"),
    ("Registro público de permisos ambientales", Department.IZABAL, "Puerto Barrios"),
    ("Seguimiento ciudadano de obras de agua", Department.HUEHUETENANGO, "Huehuetenango"),
    ("Mesa de diálogo sobre migración", Department.SAN_MARCOS, "San Marcos"),
    ("Portal de becas y subsidios", Department.GUATEMALA, "Guatemala"),
    ("Audiencias públicas sobre contrataciones", Department.ESCUINTLA, "Escuintla"),
]
ANSWERS: list[str | None] = [
    Response.Kind.ADOPTED,
    Response.Kind.PARTLY_ADOPTED,
    Response.Kind.ADOPTED,
    Response.Kind.NOT_ADOPTED,
    Response.Kind.MERGED,
    Response.Kind.OUT_OF_SCOPE,
    Response.Kind.NOT_ADOPTED,
    None,  # still unanswered: the standards panel shows the gap
]


def _person(username: str, public_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, email=f"{username}@demo.invalid", public_name=public_name
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _at(day: Any, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed(stdout: Any) -> None:
    _, plan = plan_selectors.home_plan()
    if plan is None or Consultation.objects.filter(plan=plan).exists():
        return
    commitments = list(Commitment.objects.filter(plan=plan).order_by("number")[:3])
    areas = list(PolicyArea.objects.filter(parent__isnull=False).order_by("position")[:8])
    cso = Institution.objects.filter(kind=Institution.Kind.CIVIL_SOCIETY).order_by("name").first()
    start = plan.start_date
    with transaction.atomic():
        consultation = Consultation.objects.create(
            plan=plan,
            slug=f"consulta-{plan.slug}",
            title=f"Consulta para el {plan.title}",
            description=f"{NOTE} propuestas en línea y en talleres departamentales; el punto de "
            "contacto responde cada propuesta con sus razones.",
        )
        for kind, offset, length in TIMELINE:
            begins = start + timedelta(days=offset)
            Phase.objects.create(
                consultation=consultation,
                kind=kind,
                starts_on=begins,
                ends_on=begins + timedelta(days=length - 1),
            )
        proposals_open = start + timedelta(days=-135)
        # Published 16 days before proposals opened: the notice the standards ask for.
        Consultation.objects.filter(pk=consultation.pk).update(
            published_at=_at(proposals_open - timedelta(days=16))
        )
        people = [
            _person(f"demo-participante-{i}", f"Participante {i} (demostración)")
            for i in range(1, 6)
        ]
        contact = _person("demo-punto-de-contacto", "Punto de contacto (demostración)")
        workshop = Workshop.objects.create(
            consultation=consultation,
            title="Taller departamental de Sololá",
            held_on=proposals_open + timedelta(days=10),
            place="Salón municipal, Sololá",
            department=Department.SOLOLA,
            municipality="Sololá",
            participants=34,
            notes=f"{NOTE} taller presencial con organizaciones comunitarias.",
            recorded_by=contact,
        )
        created = []
        for index, (title, department, municipality) in enumerate(PROPOSALS):
            author = people[index % len(people)]
            proposal = Proposal.objects.create(
                consultation=consultation,
                author=contact if index == 1 else author,
                workshop=workshop if index == 1 else None,
                organisation=cso if index == 2 else None,
                title=title,
                problem=f"{NOTE} descripción del problema escrita para la demostración, no "
                "tomada de una propuesta real.",
                proposal=f"{NOTE} propuesta escrita para la demostración.",
                policy_area=areas[index % len(areas)] if areas else None,
                department=department,
                municipality=municipality,
            )
            Proposal.objects.filter(pk=proposal.pk).update(
                created_at=_at(proposals_open + timedelta(days=2 + index * 3))
            )
            proposal.refresh_from_db()
            created.append(proposal)
        for index, proposal in enumerate(created):
            supporters = people[: (index % 4) + 1]
            for person in supporters:
                Support.objects.create(proposal=proposal, user=person)
            first = Comment.objects.create(
                proposal=proposal,
                author=people[(index + 1) % len(people)],
                body=f"{NOTE} comentario de apoyo con una pregunta.",
            )
            Comment.objects.create(
                proposal=proposal,
                parent=first,
                author=proposal.author,
                body=f"{NOTE} respuesta de quien propuso.",
            )
            Proposal.objects.filter(pk=proposal.pk).update(
                support_count=len(supporters), comment_count=2
            )
        hidden = Comment.objects.create(
            proposal=created[0],
            author=people[4],
            body=f"{NOTE} comentario que la moderación ocultó.",
        )
        Comment.objects.filter(pk=hidden.pk).update(
            hidden_at=_at(proposals_open + timedelta(days=20)),
            hidden_reason=Comment.HideReason.PERSONAL_DATA,
            hidden_note="Incluía el teléfono de otra persona.",
        )
        Proposal.objects.filter(pk=created[0].pk).update(comment_count=3)
        answered_on = start + timedelta(days=-30)
        for index, (proposal, answer) in enumerate(zip(created, ANSWERS, strict=True)):
            if answer is None:
                continue
            response = Response.objects.create(
                proposal=proposal,
                kind=answer,
                reasons=f"{NOTE} razones de la respuesta, escritas para la demostración.",
                merged_into=created[0] if answer == Response.Kind.MERGED else None,
                author=contact,
                answered_at=_at(answered_on + timedelta(days=index)),
            )
            if answer in Response.INTO_COMMITMENTS and commitments:
                response.commitments.set([commitments[index % len(commitments)]])
        consultation_figures_refresh(consultation=consultation)
    stdout.write(f"Demo consultation: {len(created)} proposals for {plan.title}.")
