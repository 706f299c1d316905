"""forum.manage: the point of contact of the forum's member, or an administrator, with
two-factor authentication; nobody else, and no role of another member."""

import pytest
from django.urls import reverse

from cocrea.accounts.models import RoleGrant
from cocrea.plans.rules import allowed
from conftest import grant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["point_of_contact", "administrator"])
def test_the_point_of_contact_or_an_administrator_with_two_factor_manages_the_forum(
    personas, forum, persona
):
    assert allowed("forum.manage", personas[persona], forum)


def test_the_point_of_contact_of_another_member_does_not_manage_this_forum(personas, forum):
    assert not allowed("forum.manage", personas["wrong_member"], forum)
    assert not allowed("forum.manage", personas["point_of_contact"])  # asked of no forum


@pytest.mark.parametrize(
    "persona",
    [
        "anonymous",
        "citizen",
        "cso_member",
        "official",
        "coordinator",
        "other_official",
        "moderator",
        "wrong_member",  # every role, in another member
    ],
)
def test_nobody_else_manages_the_forum(personas, forum, persona):
    from django.contrib.auth.models import AnonymousUser

    user = personas[persona] or AnonymousUser()
    assert not allowed("forum.manage", user, forum)


def test_a_point_of_contact_without_two_factor_is_refused(forum):
    from conftest import make_person

    person = make_person("Punto Sin Dos Factores")
    grant(person, RoleGrant.Role.POINT_OF_CONTACT, forum.member)
    assert not allowed("forum.manage", person, forum)


def test_refused_people_get_403_on_the_forms_and_see_no_management_links(
    client, personas, forum, meeting
):
    client.force_login(personas["cso_member"])
    url = reverse("forum:meeting_new", kwargs={"slug": forum.slug})
    assert client.get(url).status_code == 403
    assert url not in client.get(forum.get_absolute_url()).content.decode()


def test_an_unknown_forum_or_meeting_is_404_for_the_point_of_contact(client, contact, forum):
    client.force_login(contact)
    assert client.get(reverse("forum:meeting_new", kwargs={"slug": "nada"})).status_code == 404
    url = reverse("forum:meeting_edit", kwargs={"slug": forum.slug, "public_id": "nada"})
    assert client.get(url).status_code == 404
