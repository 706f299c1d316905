"""What notifications' email part stores about a person, for their data download."""

from typing import Any


def personal_data(user: Any) -> dict[str, object]:
    from cocrea.notifications.models import Preference

    return {
        "email_language": user.language,
        "email_preferences": list(
            Preference.objects.filter(user=user).order_by("kind").values("kind", "delivery")
        ),
    }
