"""Every public page, found from the URL configuration: views marked `@public_page`, and the
account pages anyone reaches (`public_form`, cocrea/urls.py). A new public
pattern without sample arguments here makes `public_pages()` fail, so no page escapes the checks."""

from collections.abc import Callable, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry


def public_patterns() -> dict[str, URLPattern]:
    return {
        name: pattern
        for name, pattern in _walk(get_resolver().url_patterns)
        if getattr(pattern.callback, "public_page", False)
        or getattr(pattern.callback, "public_form", False)
    }


def public_pages(samples: dict[str, Callable[[], dict[str, str]]], lang: str = "es") -> list[str]:
    """The address of every public page, filled with real objects by `samples` (url name to
    a function giving its arguments)."""
    missing = sorted(set(public_patterns()) - set(samples))
    if missing:
        raise AssertionError(f"Public pages without sample arguments in the tests: {missing}")
    with translation.override(lang):
        return [reverse(name, kwargs=samples[name]() or None) for name in sorted(public_patterns())]


def plan_samples(plan: Any) -> dict[str, Callable[[], dict[str, str]]]:
    """Arguments for every public page, from a plan built by `conftest.build_plan`."""
    from cocrea.accounts.models import User
    from cocrea.plans.models import Membership

    commitment = plan.commitments.select_related("lead_institution").order_by("number_sort").first()
    person = User.objects.filter(username="sample-person").first() or User.objects.create_user(
        "sample-person", email="persona.privada@example.org", public_name="Quetzal"
    )
    Membership.objects.get_or_create(
        user=person,
        institution=commitment.lead_institution,
        defaults={"status": Membership.Status.APPROVED, "show_on_profile": True},
    )
    _sample_history(commitment)
    _sample_tracking(commitment, person)
    samples: dict[str, Callable[[], dict[str, str]]] = {
        "plans:home": dict,
        "search:search": dict,
        "plans:plan_list": dict,
        "plans:member_list": dict,
        "plans:member": lambda: {"slug": plan.member.slug},
        "plans:plan": lambda: {"slug": plan.slug},
        "plans:commitment": lambda: {"plan_slug": plan.slug, "slug": commitment.slug},
        "plans:commitment_history": lambda: {"plan_slug": plan.slug, "slug": commitment.slug},
        "audit:log": dict,
        "tracking:plan_dashboard": lambda: {"slug": plan.slug},
        "tracking:institution_dashboard": lambda: {"slug": commitment.lead_institution.slug},
        "plans:institution_list": dict,
        "plans:institution": lambda: {"slug": commitment.lead_institution.slug},
        "accounts:privacy": dict,
        "account_login": dict,
        "account_signup": dict,
        "account_reset_password": dict,
        "accounts:profile": lambda: {"public_id": person.public_id},
    }
    # Each app's own public pages (tests/appchecks/).
    from tests import appchecks

    for module in appchecks.modules():
        if hasattr(module, "samples"):
            samples.update(module.samples(plan, commitment, person))
    return samples


def _sample_history(commitment: Any) -> None:
    """A change made through a service, once, so the commitment's history and the audit log have
    an event to show (factories write without the services). The responsible person's email
    is among the changes: the public pages must not show it."""
    from cocrea.audit.models import AuditEvent
    from cocrea.plans.services import commitment_save

    if AuditEvent.objects.filter(
        target_type="plans.commitment", target_id=str(commitment.pk)
    ).exists():
        return
    commitment.responsible_name = "Persona Responsable de Muestra"
    commitment.responsible_email = "responsable.privada@example.org"
    commitment.responsible_phone = "+502 5555 0000"
    commitment_save(actor=None, commitment=commitment)  # the system: a person needs the role


def _sample_tracking(commitment: Any, person: Any) -> None:
    """A published report with evidence, a civil-society assessment that differs and the IRM's
    findings, so the commitment page's tracking section is checked with content in it."""
    from django.utils import timezone

    from cocrea.plans.models import Institution
    from cocrea.tracking.models import Assessment, Evidence, IrmReview, ProgressReport

    milestone = commitment.milestones.order_by("number").first()
    if milestone is None or ProgressReport.objects.filter(milestone=milestone).exists():
        return
    report = ProgressReport.objects.create(
        milestone=milestone,
        institution=milestone.responsible_institution,
        author=person,
        completion=milestone.completion,
        percent=40,
        done="Se publicaron los primeros conjuntos de datos.",
        facts_date=commitment.start_date or timezone.localdate(),
        status=ProgressReport.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    Evidence.objects.create(report=report, url="https://example.org/datos", title="Portal")
    organisation = Institution.objects.filter(kind=Institution.Kind.CIVIL_SOCIETY).first()
    if organisation is not None:
        Assessment.objects.create(
            commitment=commitment,
            milestone=milestone,
            organisation=organisation,
            author=person,
            completion=Assessment.Completion.NO_EVIDENCE,
            reading="No encontramos los datos publicados.",
            published_at=timezone.now(),
        )
    IrmReview.objects.create(
        commitment=commitment, verifiable="verifiable", potential_for_results="modest"
    )


# The API's lists, /api/v1/<name> (cocrea/opendata/api.py).
API_LISTS = [
    "members",
    "plans",
    "commitments",
    "milestones",
    "institutions",
    "policy-areas",
    "progress-reports",
    "assessments",
    "irm-reviews",
    "consultations",
    "proposals",
    "responses",
    "comments",
    "meetings",
    "audit-events",
]
