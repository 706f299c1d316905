"""Every view that changes something, found from the URL configuration, for every persona: the
expected outcome, and nothing changed when refused. A view of ours that is neither a public page
nor marked with the permission it enforces fails this file."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cocrea.plans.models import Membership
from tests import appchecks

OUR_NAMESPACES = (
    "plans",
    "accounts",
    "tracking",
    "audit",
    "participation",
    "forum",
    "drafting",
    "opendata",
    "notifications",
)
# Read only: the person's own pages, and evidence files (checked per file: tracking tests).
READ_ONLY = {
    "accounts:my_space",
    "accounts:data_export",
    "tracking:evidence",
    "audit:log_download",  # a file, not a page: the public audit log
}
ALLOWED, FORBIDDEN, LOGIN = appchecks.ALLOWED, appchecks.FORBIDDEN, appchecks.LOGIN


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


def our_views():
    return {
        name: view
        for name, view in _walk(get_resolver().url_patterns)
        if name.split(":")[0] in OUR_NAMESPACES
    }


def test_every_view_is_public_read_only_or_declares_its_permission():
    unmarked = [
        name
        for name, view in our_views().items()
        if not getattr(view, "public_page", False)
        and not getattr(view, "permission", None)
        and name not in READ_ONLY
    ]
    assert unmarked == []


# For each view that changes something: how to call it for a persona, what each persona gets, and
# how to tell whether anything changed.


def _pending_request(personas, institutions):
    return Membership.objects.create(
        user=personas["citizen"], institution=institutions["mineduc"], role="reporting_official"
    )


def membership_decide(personas, institutions):
    membership = _pending_request(personas, institutions)
    url = reverse("plans:membership_decide", kwargs={"public_id": membership.public_id})
    data = {"decision": "approve", "reason": ""}

    def changed():
        membership.refresh_from_db()
        return membership.status != Membership.Status.PENDING

    expected = {
        "anonymous": LOGIN,
        "citizen": FORBIDDEN,  # their own request
        "cso_member": FORBIDDEN,
        "official": FORBIDDEN,  # member of MINEDUC, but not its coordinator
        "coordinator": ALLOWED,
        "other_official": FORBIDDEN,  # coordinator of another institution
        "point_of_contact": ALLOWED,
        "moderator": FORBIDDEN,
        "administrator": ALLOWED,  # with two-factor authentication, like all staff
        "wrong_member": FORBIDDEN,  # point of contact, but of another member
    }
    return url, data, expected, changed


def membership_request(personas, institutions):
    institution = institutions["marn"]
    url = reverse("plans:membership_request", kwargs={"slug": institution.slug})
    data = {"role": "member"}
    before = set(Membership.objects.values_list("pk", flat=True))

    def changed():
        return set(Membership.objects.values_list("pk", flat=True)) != before

    expected = dict.fromkeys(personas, ALLOWED)
    expected["anonymous"] = LOGIN
    expected["other_official"] = FORBIDDEN  # already a member of MARN: a second request is refused
    return url, data, expected, changed


def account_delete(personas, institutions):
    url = reverse("accounts:delete")
    data = {"password": "una-clave-larga-de-prueba-1"}
    target = {}

    def changed():
        user = target.get("user")
        if user is None:
            return False
        user.refresh_from_db()
        return user.deleted_at is not None

    expected = dict.fromkeys(personas, ALLOWED)
    expected["anonymous"] = LOGIN
    return url, data, expected, changed, target


# Tracking: a MINEDUC milestone; MINEDUC's official and coordinator report on it.


def _milestone(institutions):
    from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory

    commitment = CommitmentFactory(lead_institution=institutions["mineduc"])
    return MilestoneFactory(commitment=commitment, number=1)


def _report(personas, institutions, status="draft"):
    from django.utils import timezone

    from cocrea.tracking.models import ProgressReport

    milestone = _milestone(institutions)
    return ProgressReport.objects.create(
        milestone=milestone,
        institution=milestone.responsible_institution,
        author=personas["official"],
        completion="limited",
        percent=10,
        done="Avance",
        facts_date=timezone.localdate(),
        status=status,
    )


def _reporters_only(personas):
    expected = dict.fromkeys(personas, FORBIDDEN)
    expected.update(anonymous=LOGIN, official=ALLOWED, coordinator=ALLOWED)
    return expected


def _point_of_contact_only(personas):
    """The member's point of contact, or an administrator (every member), with two factors."""
    expected = dict.fromkeys(personas, FORBIDDEN)
    expected.update(anonymous=LOGIN, point_of_contact=ALLOWED, administrator=ALLOWED)
    return expected


REPORT = {"completion": "limited", "percent": "30", "done": "Hecho", "facts_date": "2025-01-01"}


def report_new(personas, institutions):
    from cocrea.tracking.models import ProgressReport

    milestone = _milestone(institutions)
    commitment = milestone.commitment
    url = reverse(
        "tracking:report_new",
        kwargs={"plan_slug": commitment.plan.slug, "slug": commitment.slug, "number": 1},
    )
    return url, REPORT, _reporters_only(personas), ProgressReport.objects.exists


def report_edit(personas, institutions):
    report = _report(personas, institutions)
    url = reverse("tracking:report", kwargs={"public_id": report.public_id})

    def changed():
        report.refresh_from_db()
        return report.percent == 30

    return url, REPORT, _reporters_only(personas), changed


def _status_scenario(view, from_status, to_status, expected_for, data=None):
    def scenario(personas, institutions):
        report = _report(personas, institutions, from_status)
        url = reverse(view, kwargs={"public_id": report.public_id})

        def changed():
            report.refresh_from_db()
            return report.status == to_status

        return url, data or {}, expected_for(personas), changed

    return scenario


def assessment_new(personas, institutions):
    from cocrea.tracking.models import Assessment

    commitment = _milestone(institutions).commitment
    url = reverse(
        "tracking:assessment_new",
        kwargs={"plan_slug": commitment.plan.slug, "slug": commitment.slug},
    )
    data = {
        "organisation": institutions["cso"].pk,
        "completion": "limited",
        "reading": "Nuestra lectura",
    }
    expected = dict.fromkeys(personas, FORBIDDEN)
    expected.update(anonymous=LOGIN, cso_member=ALLOWED)
    return url, data, expected, Assessment.objects.exists


def irm_review(personas, institutions):
    from cocrea.tracking.models import IrmReview

    commitment = _milestone(institutions).commitment
    url = reverse(
        "tracking:irm_review", kwargs={"plan_slug": commitment.plan.slug, "slug": commitment.slug}
    )
    data = {"verifiable": "verifiable", "potential_for_results": "modest"}
    expected = dict.fromkeys(personas, FORBIDDEN)
    expected.update(anonymous=LOGIN, point_of_contact=ALLOWED, administrator=ALLOWED)
    return url, data, expected, IrmReview.objects.exists


SCENARIOS = {
    "tracking:irm_review": irm_review,
    "tracking:report_new": report_new,
    "tracking:report": report_edit,
    "tracking:report_submit": _status_scenario(
        "tracking:report_submit", "draft", "submitted", _reporters_only
    ),
    "tracking:report_publish": _status_scenario(
        "tracking:report_publish", "submitted", "published", _point_of_contact_only
    ),
    "tracking:report_return": _status_scenario(
        "tracking:report_return",
        "submitted",
        "returned",
        _point_of_contact_only,
        {"reason": "Falta evidencia"},
    ),
    "tracking:assessment_new": assessment_new,
    "plans:membership_decide": membership_decide,
    "plans:membership_request": membership_request,
    "accounts:delete": account_delete,
}
# The apps' own scenarios and read-only views (tests/appchecks/).
for _module in appchecks.modules():
    SCENARIOS.update(getattr(_module, "SCENARIOS", {}))
    READ_ONLY |= set(getattr(_module, "READ_ONLY", ()))


def test_every_acting_view_has_a_scenario():
    acting = {name for name, view in our_views().items() if getattr(view, "permission", None)}
    assert acting == set(SCENARIOS)


PERSONAS = [
    "anonymous",
    "citizen",
    "cso_member",
    "official",
    "coordinator",
    "other_official",
    "point_of_contact",
    "moderator",
    "administrator",
    # Every role (point of contact, moderator, forum member, researcher) and a civil-society
    # coordinator, all in another member (Quetzaltenango): in Guatemala's things, nobody.
    "wrong_member",
]


@pytest.mark.parametrize("view_name", sorted(SCENARIOS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_authorization_matrix(client, personas, institutions, view_name, persona):
    built = SCENARIOS[view_name](personas, institutions)
    url, data, expected, changed = built[:4]
    user = personas[persona]
    if user is not None:
        client.force_login(user)
        if len(built) == 5:
            built[4]["user"] = user
    response = client.post(url, data)
    outcome = expected[persona]
    if outcome == LOGIN:
        assert response.status_code == 302 and "/cuentas/login/" in response["Location"]
        assert not changed()
    elif outcome == FORBIDDEN:
        # 404 where even the object's existence is not theirs to know (another's draft).
        assert response.status_code in (302, 403, 404), response.status_code
        assert not changed(), f"{persona} changed {view_name}"
    else:
        # A redirect, or a page that shows the result once (a new API token); refused input is
        # a 400 in every form of ours, so a 200 here is the success, and it must have changed.
        assert response.status_code in (200, 302), response.status_code
        assert changed(), f"{persona} could not {view_name}"
