"""The demo's OGP Local member for `manage.py seed_demo`: an invented municipality of Guatemala,
named as demonstration data (DOMAIN.md: whether a Guatemalan municipality is in OGP Local is not
established), with its own institutions, its current local action plan under way (dated like
Guatemala's current plan, from the day the demo is first loaded), the next one in co-creation
(participation's demo opens its consultation), and its own point of contact, who logs in like
the demo's other people (accounts/demo.py). Every row is found by its natural key and saved
through the services, so loading it again changes nothing."""

from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from cocrea.accounts.models import RoleGrant, User
from cocrea.accounts.services import role_grant
from cocrea.plans import services
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone

CODE = "GTM-DEMO"
NAME = "Municipio de Ejemplo (demostración)"
SLUG = "municipio-de-ejemplo"
CONTACT = "demo-punto-de-contacto-local"
TITLE = "Plan de Acción Local de Gobierno Abierto"
NOTE = "Contenido de demostración: un municipio inventado, no un miembro real de OGP Local."
INSTITUTIONS = [  # slug, name, acronym, kind
    ("muni-ejemplo", "Municipalidad de Ejemplo (demostración)", "ME", "government"),
    ("muni-ejemplo-concejo", "Concejo Municipal de Ejemplo (demostración)", "", "government"),
    ("colectivo-vecinal-demo", "Colectivo Vecinal de Ejemplo (demostración)", "", "civil_society"),
]
COMMITMENTS = [  # title, lead
    ("Presupuesto municipal abierto y explicado", "muni-ejemplo"),
    ("Consejos comunitarios con actas públicas", "muni-ejemplo-concejo"),
    ("Obras municipales con seguimiento vecinal", "muni-ejemplo"),
]
STEPS = [
    "Diagnóstico con vecinos y organizaciones",
    "Publicación de los primeros datos en formato abierto",
    "Informe de avance presentado en cabildo abierto",
]
# Each commitment's milestones as the plan's days pass: the first done, the second under way
# (for the second commitment, late), the third still ahead.
COMPLETIONS = ["substantial", "limited", "not_started"]


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    instance = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


def contact(member: Member) -> User:
    """The local member's demonstration point of contact (no usable password until the demo's
    accounts are opened), with the two factors the rules ask of staff."""
    user = User.objects.filter(username=CONTACT).first()
    if user is None:
        user = User.objects.create_user(
            username=CONTACT,
            email=f"{CONTACT}@demo.invalid",
            public_name="Punto de contacto local (demostración)",
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    role_grant(actor=None, user=user, role=RoleGrant.Role.POINT_OF_CONTACT, member=member)
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def seed(national: Member, dates: dict[str, date]) -> Member:
    """The local member, its institutions, plans, commitments, milestones and point of contact;
    `dates` as demo_data.living_dates gives them (the national demo's)."""
    member = services.member_save(
        actor=None,
        member=_upsert(
            Member,
            {"code": CODE},
            {
                "name": NAME,
                "slug": SLUG,
                "level": Member.Level.LOCAL,
                "region": national.region,
                "national": national,
            },
        ),
    )
    institutions = {
        slug: services.institution_save(
            actor=None,
            institution=_upsert(
                Institution,
                {"slug": slug},
                {"member": member, "name": name, "acronym": acronym, "kind": kind},
            ),
        )
        for slug, name, acronym, kind in INSTITUTIONS
    }
    current = _plan(member, 1, dates["current_start"], dates["current_end"], "implementation")
    _plan(member, 2, dates["next_start"], dates["next_end"], "co_creation")
    for number, (title, lead) in enumerate(COMMITMENTS, start=1):
        _commitment(current, number, title, institutions[lead], institutions, dates["anchor"])
    contact(member)
    return member


def _plan(member: Member, number: int, start: date, end: date, status: str) -> ActionPlan:
    ordinal = {1: "Primer", 2: "Segundo"}[number]
    return services.action_plan_save(
        actor=None,
        plan=_upsert(
            ActionPlan,
            {"member": member, "number": number},
            {
                "title": f"{ordinal} {TITLE} {start.year}-{end.year}",
                "slug": f"{SLUG}-plan-{number}-{start.year}-{end.year}",
                "start_date": start,
                "end_date": end,
                "status": status,
                "summary": f"{NOTE} Sus fechas se calculan a partir del día en que se cargó la "
                "demostración.",
            },
        ),
    )


def _commitment(
    plan: ActionPlan,
    number: int,
    title: str,
    lead: Institution,
    institutions: dict[str, Institution],
    anchor: date,
) -> None:
    commitment = services.commitment_save(
        actor=None,
        commitment=_upsert(
            Commitment,
            {"plan": plan, "number": str(number)},
            {
                "slug": f"compromiso-{number}",
                "title": title,
                "short_description": f"{title}: el municipio publica y la vecindad vigila.",
                "problem": f"{NOTE} Los vecinos no encuentran esta información ni tienen un canal "
                "para opinar sobre ella.",
                "description": f"{lead.name} hará, con la sociedad civil del municipio, lo que "
                "describen los hitos de este compromiso.",
                "access_to_information": True,
                "civic_participation": True,
                "start_date": plan.start_date,
                "end_date": plan.end_date,
                "lead_institution": lead,
                "responsible_name": "Persona responsable (demostración)",
                "responsible_position": "Enlace municipal de gobierno abierto",
                "budget_currency": "GTQ",
                "is_demo": True,
            },
        ),
        supporting_institutions=[institutions["colectivo-vecinal-demo"]],
        policy_areas=[],
    )
    # The first milestone ended before the demo's month, the second ends within it (the second
    # commitment's a month ago: overdue), the third at the plan's end.
    ends = [
        anchor - timedelta(days=120),
        anchor - timedelta(days=30) if number == 2 else anchor + timedelta(days=40),
        plan.end_date,
    ]
    for index, description in enumerate(STEPS):
        services.milestone_save(
            actor=None,
            milestone=_upsert(
                Milestone,
                {"commitment": commitment, "number": index + 1},
                {
                    "description": description,
                    "start_date": plan.start_date,
                    "end_date": ends[index],
                    "responsible_institution": lead,
                    "completion": COMPLETIONS[index],
                },
            ),
        )
