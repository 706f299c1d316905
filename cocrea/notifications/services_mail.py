"""Writes of email notifications: the person's email preferences and the language of their
emails, and the signed unsubscribe. The person's own choices, not domain changes: not audited,
as read marks are not. (Beside services.py, so following and email are built side by side.)"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cocrea.notifications.models import Delivery, Kind, Preference

ALL = "all"  # every kind: what a digest's unsubscribe link names


def preferences_set(*, actor: Any, deliveries: dict[str, str], language: str | None = None) -> None:
    """Set how the person wants each kind by email (and the language of their emails). Every
    value is checked before anything is saved: a bad one changes nothing."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    if any(
        kind not in Kind.values or how not in Delivery.values for kind, how in deliveries.items()
    ):
        raise ValidationError(_("Choose one of the options for each kind of notification."))
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the languages."))
    with transaction.atomic():
        for kind, how in deliveries.items():
            Preference.objects.update_or_create(user=actor, kind=kind, defaults={"delivery": how})
        if language is not None and language != actor.language:
            actor.language = language
            actor.save(update_fields=["language"])


def unsubscribe(*, user: Any, kind: str) -> None:
    """No more email of this kind (or of any kind: ALL) for this person: what a signed
    unsubscribe link does, without logging in."""
    kinds = Kind.values if kind == ALL else [kind]
    preferences_set(actor=user, deliveries={k: str(Delivery.NONE) for k in kinds})


def language_from_sign_up(sender: object, request: Any, user: Any, **kwargs: Any) -> None:
    """A new account's emails are in the language it signed up in (allauth's user_signed_up)."""
    language = getattr(request, "LANGUAGE_CODE", None)
    if language in dict(settings.LANGUAGES) and language != user.language:
        preferences_set(actor=user, deliveries={}, language=language)
