"""What participation adds to `manage.py seed_scale` (COCREA_SCALE_SEEDERS): one consultation on
a synthetic plan with, by default, 2,000 proposals, 20,000 comments (a fifth of them replies),
5,000 supports from 1,000 synthetic participants, answers to about two thirds of the proposals
and ten workshops. Written in bulk like the rest of the scale data; replaced on every run."""

import random
from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cocrea.accounts.models import User
from cocrea.core.markdown import render_markdown
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
from cocrea.plans.models import ActionPlan, PolicyArea

SLUG = "scale-consulta"
USER_PREFIX = "scale-participante-"
WORDS = [
    "datos",
    "abiertos",
    "presupuesto",
    "municipal",
    "salud",
    "educación",
    "agua",
    "compras",
    "consulta",
    "acceso",
    "información",
    "ambiente",
    "justicia",
    "transparencia",
    "seguimiento",
    "plataforma",
    "ciudadanía",
]


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--supports", type=int, default=5000)


def clear() -> None:
    consultation = Consultation.objects.filter(slug=SLUG).first()
    if consultation is not None:
        Response.objects.filter(proposal__consultation=consultation).delete()
        Comment.objects.filter(proposal__consultation=consultation, parent__isnull=False).delete()
        Proposal.objects.filter(consultation=consultation).delete()
        Workshop.objects.filter(consultation=consultation).delete()
        consultation.delete()
    User.objects.filter(username__startswith=USER_PREFIX).delete()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def seed(
    *, rng: random.Random, options: dict[str, Any], plans: list[ActionPlan], stdout: Any
) -> None:
    proposals_n, comments_n, supports_n = (
        options["proposals"],
        options["comments"],
        options["supports"],
    )
    if min(proposals_n, comments_n, supports_n) < 0:
        raise CommandError("Counts of proposals, comments and supports cannot be negative.")
    people_n = 1000
    if supports_n > proposals_n * people_n:
        raise CommandError("More supports than proposals times participants.")
    plan = plans[len(plans) // 2]
    now = timezone.now()
    today = timezone.localdate()
    consultation = Consultation.objects.create(
        plan=plan,
        slug=SLUG,
        title=f"Consulta sintética para {plan.title}",
        description=_text(rng, 40),
        published_at=now - timedelta(days=40),
    )
    Phase.objects.bulk_create(
        Phase(
            consultation=consultation,
            kind=kind,
            starts_on=today + timedelta(days=(index - 1) * 30 - 20),
            ends_on=today + timedelta(days=(index - 1) * 30 + 9),
        )
        for index, kind in enumerate(Phase.Kind.values)
    )
    people = User.objects.bulk_create(
        # "!" is Django's unusable password: these accounts cannot log in.
        User(username=f"{USER_PREFIX}{i}", password="!", public_name=f"Participante {i}")  # noqa: S106
        for i in range(people_n)
    )
    workshops = Workshop.objects.bulk_create(
        Workshop(
            consultation=consultation,
            title=f"Taller {i + 1}",
            held_on=today - timedelta(days=i),
            place="Salón comunal",
            department=Department.values[i % len(Department.values)],
            participants=rng.randint(10, 60),
        )
        for i in range(10)
    )
    areas = list(PolicyArea.objects.filter(parent__isnull=False))
    proposals = Proposal.objects.bulk_create(
        (
            Proposal(
                consultation=consultation,
                author=rng.choice(people),
                workshop=workshops[i % 10] if i % 25 == 0 else None,
                title=_text(rng, 6)[:150],
                problem=_text(rng, 50),
                proposal=_text(rng, 70),
                policy_area=rng.choice(areas) if areas else None,
                department=rng.choice(Department.values),
            )
            for i in range(proposals_n)
        ),
        batch_size=1000,
    )
    if not proposals:
        return
    top_n = comments_n - comments_n // 5
    top = []
    for _ in range(top_n):
        top.append(
            _comment(proposal=rng.choice(proposals), author=rng.choice(people), body=_text(rng, 30))
        )
    top = Comment.objects.bulk_create(top, batch_size=2000)
    replies = []
    for _ in range(comments_n - top_n):
        parent = rng.choice(top)
        replies.append(
            _comment(
                proposal=parent.proposal,
                parent=parent,
                author=rng.choice(people),
                body=_text(rng, 20),
            )
        )
    Comment.objects.bulk_create(replies, batch_size=2000)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < supports_n:
        pairs.add((rng.randrange(len(proposals)), rng.randrange(len(people))))
    Support.objects.bulk_create(
        (Support(proposal=proposals[p], user=people[u]) for p, u in pairs), batch_size=2000
    )
    kinds = Response.Kind.values
    responses = []
    for i, proposal in enumerate(proposals):
        if i % 3:
            days = rng.uniform(0.5, 40)
            responses.append(
                Response(
                    proposal=proposal,
                    kind=kinds[i % len(kinds)],
                    reasons=_text(rng, 40),
                    answered_at=proposal.created_at + timedelta(days=days),
                    days_to_answer=days,  # bulk_create skips save(), which computes it
                )
            )
    Response.objects.bulk_create(responses, batch_size=1000)
    _recount(consultation)
    consultation_figures_refresh(consultation=consultation)
    stdout.write(
        f"Scale consultation: {len(proposals)} proposals, {comments_n} comments, "
        f"{supports_n} supports."
    )


def _comment(**fields: Any) -> Comment:
    """A comment for bulk_create, which skips save(): its HTML rendered here, as save() would."""
    return Comment(**fields, body_html=str(render_markdown(fields["body"])))


def _recount(consultation: Consultation) -> None:
    """The counts kept on each proposal, from the rows just written (one UPDATE each way)."""

    def counted(model: Any) -> Any:
        return Coalesce(
            Subquery(
                model.objects.filter(proposal=OuterRef("pk"))
                .order_by()
                .values("proposal")
                .annotate(n=Count("id"))
                .values("n")
            ),
            0,
        )

    Proposal.objects.filter(consultation=consultation).update(
        support_count=counted(Support), comment_count=counted(Comment)
    )
