"""Every view that changes something, found from the URL configuration, for every persona: the
expected outcome, and nothing changed when refused. A view of ours that is neither a public page
nor marked with the permission it enforces fails this file."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cocrea.plans.models import Membership

OUR_NAMESPACES = ("plans", "accounts")
READ_ONLY = {"accounts:my_space", "accounts:data_export"}  # the person's own, read only

ALLOWED, FORBIDDEN, LOGIN = "allowed", "forbidden", "login"


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


SCENARIOS = {
    "plans:membership_decide": membership_decide,
    "plans:membership_request": membership_request,
    "accounts:delete": account_delete,
}


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
        assert response.status_code in (302, 403), response.status_code
        assert not changed(), f"{persona} changed {view_name}"
    else:
        assert response.status_code == 302
        assert changed(), f"{persona} could not {view_name}"
