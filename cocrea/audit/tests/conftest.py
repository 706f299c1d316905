"""Audit events recorded about people's accounts (the user model, named through settings, as
the audit app does), so these tests need no domain app; tests/test_audit_history.py covers the
events of the public repository and a commitment's history."""

import pytest
from django.db import transaction

from cocrea.audit.services import event_record


def record(actor, action, target, **kwargs):
    with transaction.atomic():
        return event_record(actor=actor, action=action, target=target, **kwargs)


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user(
        "quetzal", email="quetzal@correo-privado.example", public_name="Quetzal"
    )


@pytest.fixture
def log(person, django_user_model):
    """Six events, public and private, with text, numbers, lists and nested values."""
    other = django_user_model.objects.create_user("otra", email="otra@correo-privado.example")
    record(person, "profile.update", person, changes={"bio": [None, "Ñandú — “hola”"]}, public=True)
    record(person, "user.public_name", other, changes={"public_name": ["", "Nombre Privado"]})
    record(
        person,
        "profile.update",
        person,
        changes={"links": [[], ["https://example.org"]], "score": [1, 2.5]},
        public=True,
        institution="Red Ciudadana",
    )
    record(None, "role.grant", other, changes={"role": [None, "moderator"]})
    record(
        person, "profile.update", person, changes={"nested": {"b": [True], "a": None}}, public=True
    )
    record(person, "profile.update", person, changes={"bio": ["Ñandú — “hola”", ""]}, public=True)
    return person
