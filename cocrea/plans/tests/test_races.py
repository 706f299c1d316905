"""A membership request sent twice at once (a double click) answers as a repeated request does,
never with an error page (issue #20). The race is made to happen with the helper of
cocrea/accounts/tests/races.py: the first request's row is written right before the second's."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cocrea.accounts.tests.races import conflict_before_save
from cocrea.plans.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


def _first_request(membership: Membership) -> None:
    Membership.objects.bulk_create(
        [Membership(user=membership.user, institution=membership.institution, role="member")]
    )


def test_a_membership_request_sent_twice_at_once_gets_the_already_asked_answer(
    client, personas, institutions
):
    citizen, institution = personas["citizen"], institutions["marn"]
    client.force_login(citizen)
    url = reverse("plans:membership_request", kwargs={"slug": institution.slug})
    with conflict_before_save(Membership, _first_request) as fired:
        response = client.post("/en" + url, {"role": "member"})
    assert fired
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You have already asked to join this institution."
    ]
    # PostgreSQL: the first request's row (committed); SQLite: none (written and rolled back
    # inside the second's transaction). Never two.
    assert Membership.objects.filter(user=citizen, institution=institution).count() <= 1
