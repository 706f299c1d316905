"""forum.manage: the point of contact with two-factor authentication, nobody else."""

import pytest
from django.urls import reverse

from cocrea.accounts.models import RoleGrant
from cocrea.plans.rules import allowed

pytestmark = pytest.mark.django_db


def test_the_point_of_contact_with_two_factor_manages_the_forum(personas):
    assert allowed("forum.manage", personas["point_of_contact"])


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
        "administrator",  # a superuser meets the rule like anyone else
    ],
)
def test_nobody_else_manages_the_forum(personas, persona):
    from django.contrib.auth.models import AnonymousUser

    user = personas[persona] or AnonymousUser()
    assert not allowed("forum.manage", user)


def test_a_point_of_contact_without_two_factor_is_refused(db):
    from conftest import make_person

    person = make_person("Punto Sin Dos Factores")
    RoleGrant.objects.create(user=person, role=RoleGrant.Role.POINT_OF_CONTACT)
    assert not allowed("forum.manage", person)


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
