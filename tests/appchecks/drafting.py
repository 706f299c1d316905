"""Drafting's part of the project-wide checks (tests/appchecks/__init__.py): the acting views for
every persona, with the consultation in its drafting phase, and sample drafts for the gates."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.appchecks import ALLOWED, FORBIDDEN, LOGIN

PERSONAS = (
    "anonymous",
    "citizen",
    "cso_member",
    "official",
    "coordinator",
    "other_official",
    "point_of_contact",
    "moderator",
    "administrator",
    "wrong_member",
)


def consultation_for(plan, phase_today: str = "drafting"):
    """The plan's consultation (another app's checks may have made it already), published,
    with a phase of each kind; when this makes it, `phase_today` is the phase open today."""
    from cocrea.participation.models import Consultation, Phase

    consultation, created = Consultation.objects.get_or_create(
        plan=plan,
        defaults={
            "slug": f"consulta-{plan.slug}"[:80],
            "title": f"Consulta de {plan.title}"[:200],
            "published_at": timezone.now() - timedelta(days=60),
        },
    )
    if created or not consultation.phases.exists():
        today = timezone.localdate()
        kinds = list(Phase.Kind.values)
        current = kinds.index(phase_today)
        for index, kind in enumerate(kinds):
            start = today + timedelta(days=(index - current) * 10 - 5)
            Phase.objects.create(
                consultation=consultation,
                kind=kind,
                starts_on=start,
                ends_on=start + timedelta(days=9),
            )
    return consultation


def draft_for(consultation, author, *, versions: int = 2, comments_each: int = 2):
    """An open draft with `versions` versions, comments on some sections of each (one of them
    hidden by a moderator) and Markdown in the comments."""
    from cocrea.drafting.models import Draft, DraftVersion, SectionComment

    draft = Draft.objects.create(
        consultation=consultation, title="Datos abiertos de compras", created_by=author
    )
    for number in range(1, versions + 1):
        version = DraftVersion.objects.create(
            draft=draft,
            number=number,
            title=f"Datos abiertos de compras públicas (v{number})",
            short_description="Publicar los contratos en formato abierto.",
            problem="Los contratos no se publican completos." + (" Ni a tiempo." * number),
            description="Publicar cada contrato en el estándar OCDS.",
            access_to_information=True,
            access_to_information_text="Abre la información de compras.",
            milestones="Portal publicado\nCapacitación a 50 entidades",
            change_note="" if number == 1 else f"Cambios de la versión {number}.",
            created_by=author,
        )
        for index in range(comments_each):
            SectionComment.objects.create(
                version=version,
                section=["problem", "description", "milestones"][index % 3],
                author=author,
                body=f"Observación **{index}** con [un enlace](https://example.org/{index}).",
                hidden_at=timezone.now() if index == 1 else None,
                hidden_reason="spam" if index == 1 else "",
            )
    return draft


def _open_draft(personas, phase_today: str = "drafting"):
    from cocrea.plans.tests.factories import ActionPlanFactory

    consultation = consultation_for(ActionPlanFactory(), phase_today)
    return draft_for(consultation, personas["point_of_contact"], versions=1, comments_each=0)


def _only(personas, *allowed):
    expected = dict.fromkeys(personas, FORBIDDEN)
    expected["anonymous"] = LOGIN
    expected.update(dict.fromkeys(allowed, ALLOWED))
    return expected


VERSION = {"title": "Compras abiertas", "problem": "Falta información.", "change_note": "Ajustes"}


def draft_new(personas, institutions):
    from cocrea.drafting.models import Draft
    from cocrea.plans.tests.factories import ActionPlanFactory

    consultation = consultation_for(ActionPlanFactory(), "drafting")
    url = reverse("drafting:draft_new", kwargs={"slug": consultation.slug})
    return url, VERSION, _only(personas, "point_of_contact", "administrator"), Draft.objects.exists


def version_new(personas, institutions):
    draft = _open_draft(personas, "validation")
    url = reverse("drafting:version_new", kwargs={"public_id": draft.public_id})
    return (
        url,
        VERSION,
        _only(personas, "point_of_contact", "administrator"),
        lambda: draft.versions.count() > 1,
    )


def comment_add(personas, institutions):
    from cocrea.drafting.models import SectionComment

    draft = _open_draft(personas)
    url = reverse("drafting:comment_add", kwargs={"public_id": draft.public_id})
    data = {"section": "problem", "body": "Falta decir quién publica."}
    everyone = [p for p in PERSONAS if p != "anonymous"]
    return url, data, _only(personas, *everyone), SectionComment.objects.exists


def approve(personas, institutions):
    draft = _open_draft(personas)
    draft.versions.update(lead_institution=institutions["mineduc"])
    url = reverse("drafting:approve", kwargs={"public_id": draft.public_id})

    def changed():
        draft.refresh_from_db()
        return draft.commitment_id is not None

    return url, {"version": "1"}, _only(personas, "point_of_contact", "administrator"), changed


def withdraw(personas, institutions):
    draft = _open_draft(personas)
    url = reverse("drafting:withdraw", kwargs={"public_id": draft.public_id})

    def changed():
        draft.refresh_from_db()
        return draft.status == "withdrawn"

    data = {"reason": "Se unió a otro borrador."}
    return url, data, _only(personas, "point_of_contact", "administrator"), changed


def comment_hide(personas, institutions):
    from cocrea.drafting.models import SectionComment

    draft = _open_draft(personas)
    comment = SectionComment.objects.create(
        version=draft.versions.get(), section="problem", author=personas["citizen"], body="Spam"
    )
    url = reverse("drafting:comment_hide", kwargs={"public_id": comment.public_id})

    def changed():
        comment.refresh_from_db()
        return comment.is_hidden

    return url, {"reason": "spam"}, _only(personas, "moderator", "administrator"), changed


SCENARIOS = {
    "drafting:draft_new": draft_new,
    "drafting:version_new": version_new,
    "drafting:comment_add": comment_add,
    "drafting:approve": approve,
    "drafting:withdraw": withdraw,
    "drafting:comment_hide": comment_hide,
}


def samples(plan, commitment, person):
    """Every public drafting page of `plan`'s consultation: a draft with two versions and
    comments, one of them hidden."""
    from cocrea.drafting.models import Draft

    consultation = consultation_for(plan)
    draft = Draft.objects.filter(consultation=consultation).order_by("pk").first()
    if draft is None:
        draft = draft_for(consultation, person)
    return {
        "drafting:draft_list": lambda: {"slug": consultation.slug},
        "drafting:draft": lambda: {"public_id": draft.public_id},
        "drafting:version": lambda: {"public_id": draft.public_id, "number": 1},
        "drafting:compare": lambda: {"public_id": draft.public_id},
    }
