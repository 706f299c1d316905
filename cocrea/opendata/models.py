"""Tokens with which an institution's own systems send progress-report drafts through the API.
Only a hash of each token is stored; the token itself is shown once, to the coordinator who
creates it."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocrea.core.models import TimeStampedModel
from cocrea.plans.models import Institution

PREFIX_LENGTH = 8


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return "cocrea_" + secrets.token_urlsafe(32)


class ApiToken(TimeStampedModel):
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("what uses it"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=20, editable=False)
    hashed = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.institution} · {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
