from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

from cocrea.accounts.models import User


def personal_data(*, user: User) -> dict[str, Any]:
    """All that is stored about a person, for their own download."""
    email_address = apps.get_model("account", "EmailAddress")
    authenticator = apps.get_model("mfa", "Authenticator")
    data = {
        "account": {
            "public_name": user.public_name,
            "public_id": user.public_id,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "email_addresses": list(
            email_address.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "two_factor": list(
            authenticator.objects.filter(user=user).values("type", "created_at", "last_used_at")
        ),
        "roles": list(user.role_grants.values("role", "member__code", "granted_at")),
    }
    # Each domain app adds what it stores about the person (settings, so no import of them).
    for path in settings.COCREA_PERSONAL_DATA_SECTIONS:
        data.update(import_string(path)(user))
    return data
