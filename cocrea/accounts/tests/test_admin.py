import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from cocrea.accounts.models import RoleGrant, User
from cocrea.audit.models import AuditEvent
from conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_an_administrator_grants_a_role_in_the_administration_and_it_is_audited(client):
    from conftest import default_member

    member = default_member()
    admin = User.objects.create_superuser("admin", "admin@correo-privado.example", "x-long-pass-1")
    person = User.objects.create_user("p", "p@correo-privado.example", "x", public_name="Ana")
    TOTP.activate(admin, generate_totp_secret())
    sign_in_with_second_factor(client, admin)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "username": person.username,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-MIN_NUM_FORMS": "0",
            "role_grants-MAX_NUM_FORMS": "1000",
            "role_grants-0-role": "point_of_contact",
            "role_grants-0-member": str(member.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RoleGrant.objects.filter(user=person, role="point_of_contact", member=member).exists()
    event = AuditEvent.objects.get(action="role.grant")
    assert event.changes["member"] == [None, "GTM"]
