"""Participation's part of the project-wide checks (tests/appchecks/__init__.py): every acting
view for the authorization matrix, and sample arguments for its public pages."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.appchecks import ALLOWED, FORBIDDEN, LOGIN


def open_consultation(plan, phase="proposals"):
    """A published consultation of `plan` whose `phase` is open today (get_or_create: the
    drafting checks may have made it already)."""
    from cocrea.participation.models import Consultation, Phase

    consultation, created = Consultation.objects.get_or_create(
        plan=plan,
        defaults={
            "slug": f"consulta-{plan.slug}",
            "title": f"Consulta {plan.title}",
            "description": "Talleres y **propuestas** en línea. <script>alert(1)</script>",
            "published_at": timezone.now() - timedelta(days=60),
        },
    )
    if created or not consultation.phases.exists():
        today = timezone.localdate()
        kinds = list(Phase.Kind.values)
        here = kinds.index(phase)
        for index, kind in enumerate(kinds):
            start = today + timedelta(days=(index - here) * 10 - 2)
            Phase.objects.create(
                consultation=consultation,
                kind=kind,
                starts_on=start,
                ends_on=start + timedelta(days=9),
            )
    return consultation


def _proposal(consultation, author, **fields):
    from cocrea.participation.models import Proposal

    return Proposal.objects.create(
        consultation=consultation,
        author=author,
        title=fields.pop("title", "Datos abiertos de compras"),
        problem="No se publican las compras de los municipios en datos abiertos.",
        proposal="Publicar cada compra municipal en formato abierto, cada mes.",
        **{"department": "quiche", **fields},
    )


def _plan():
    from conftest import build_plan

    return build_plan(commitments=2, milestones_each=1)


def _nobody_else(personas, allowed_ones):
    expected = dict.fromkeys(personas, FORBIDDEN)
    expected["anonymous"] = LOGIN
    expected.update(dict.fromkeys(allowed_ones, ALLOWED))
    return expected


def _everyone_signed_in(personas, but=()):
    expected = dict.fromkeys(personas, ALLOWED)
    expected["anonymous"] = LOGIN
    expected.update(dict.fromkeys(but, FORBIDDEN))
    return expected


PROPOSAL = {
    "title": "Presupuesto escolar visible",
    "problem": "Las familias no saben cuánto recibe cada escuela ni en qué se gasta.",
    "proposal": "Publicar el presupuesto de cada escuela en un tablero sencillo, cada trimestre.",
    "department": "alta-verapaz",
}


def proposal_new(personas, institutions):
    from cocrea.participation.models import Proposal

    consultation = open_consultation(_plan())
    url = reverse("participation:proposal_new", kwargs={"slug": consultation.slug})
    return url, PROPOSAL, _everyone_signed_in(personas), Proposal.objects.exists


def support(personas, institutions):
    from cocrea.participation.models import Support

    proposal = _proposal(open_consultation(_plan()), personas["citizen"])
    url = reverse("participation:support", kwargs={"public_id": proposal.public_id})
    return url, {}, _everyone_signed_in(personas), Support.objects.exists


def comment(personas, institutions):
    from cocrea.participation.models import Comment

    proposal = _proposal(open_consultation(_plan()), personas["citizen"])
    url = reverse("participation:comment", kwargs={"public_id": proposal.public_id})
    return url, {"body": "Estoy de acuerdo."}, _everyone_signed_in(personas), Comment.objects.exists


def respond(personas, institutions):
    from cocrea.participation.models import Response

    plan = _plan()
    proposal = _proposal(open_consultation(plan), personas["citizen"])
    url = reverse("participation:respond", kwargs={"public_id": proposal.public_id})
    data = {
        "kind": "not_adopted",
        "reasons": "Ya existe un compromiso equivalente en el plan anterior.",
    }
    return (
        url,
        data,
        _nobody_else(personas, ["point_of_contact", "administrator"]),
        Response.objects.exists,
    )


def flag(personas, institutions):
    from cocrea.participation.models import Flag

    proposal = _proposal(open_consultation(_plan()), personas["citizen"])
    url = reverse(
        "participation:flag", kwargs={"kind": "propuestas", "public_id": proposal.public_id}
    )
    # The author does not flag their own proposal.
    expected = _everyone_signed_in(personas, but=["citizen"])
    return url, {"reason": "spam"}, expected, Flag.objects.exists


def hide(personas, institutions):
    proposal = _proposal(open_consultation(_plan()), personas["citizen"])
    url = reverse(
        "participation:hide", kwargs={"kind": "propuestas", "public_id": proposal.public_id}
    )

    def changed():
        proposal.refresh_from_db()
        return proposal.is_hidden

    return url, {"reason": "spam"}, _nobody_else(personas, ["moderator", "administrator"]), changed


def workshop_new(personas, institutions):
    from cocrea.participation.models import Workshop

    consultation = open_consultation(_plan())
    url = reverse("participation:workshop_new", kwargs={"slug": consultation.slug})
    data = {
        "title": "Taller en Cobán",
        "held_on": timezone.localdate().isoformat(),
        "place": "Salón comunal",
        "department": "alta-verapaz",
        "participants": "25",
    }
    return (
        url,
        data,
        _nobody_else(personas, ["point_of_contact", "administrator"]),
        Workshop.objects.exists,
    )


def standard_assess(personas, institutions):
    from cocrea.participation.models import StandardAssessment

    plan = _plan()
    url = reverse("participation:standard_assess", kwargs={"slug": plan.slug})
    data = {
        "standard": "4",
        "organisation": institutions["cso"].pk,
        "rating": "not_met",
        "reading": "La mitad de las propuestas no recibió respuesta razonada.",
    }
    return url, data, _nobody_else(personas, ["cso_member"]), StandardAssessment.objects.exists


SCENARIOS = {
    "participation:proposal_new": proposal_new,
    "participation:support": support,
    "participation:comment": comment,
    "participation:respond": respond,
    "participation:flag": flag,
    "participation:hide": hide,
    "participation:workshop_new": workshop_new,
    "participation:standard_assess": standard_assess,
}


def samples(plan, commitment, person):
    """A consultation of `plan` in its proposal phase, with a workshop, an adopted proposal
    with comments and a reply, and a hidden comment; the commitment shows what shaped it."""
    from cocrea.participation.models import Comment, Proposal, Response, Workshop

    consultation = open_consultation(plan)
    proposal = Proposal.objects.filter(consultation=consultation).first()
    if proposal is None:
        workshop = Workshop.objects.create(
            consultation=consultation,
            title="Taller en Sololá",
            held_on=timezone.localdate(),
            place="Salón municipal",
            department="solola",
            participants=30,
        )
        proposal = _proposal(consultation, person, title="Compras abiertas <b>ya</b>")
        _proposal(consultation, person, title="Desde el taller", workshop=workshop)
        first = Comment.objects.create(proposal=proposal, author=person, body="**De acuerdo**.")
        Comment.objects.create(proposal=proposal, parent=first, author=person, body="Gracias.")
        Comment.objects.create(
            proposal=proposal,
            author=person,
            body="Texto oculto",
            hidden_at=timezone.now(),
            hidden_reason="spam",
        )
        response = Response.objects.create(
            proposal=proposal,
            kind="adopted",
            reasons="Se incorporó al compromiso de datos abiertos.",
            answered_at=timezone.now(),
        )
        response.commitments.set([commitment])
    return {
        "participation:consultation_list": dict,
        "participation:consultation": lambda: {"slug": consultation.slug},
        "participation:proposals": lambda: {"slug": consultation.slug},
        "participation:proposal": lambda: {"public_id": proposal.public_id},
        "participation:moderation_log": dict,
        "participation:standards": lambda: {"slug": plan.slug},
    }
