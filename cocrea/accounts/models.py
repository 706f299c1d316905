import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _new_public_id() -> str:
    return secrets.token_hex(6)


def display_name(public_name: str, deleted_at: datetime | None) -> str:
    """What the public sees of a person: their public name, or a neutral word. A function of the
    two fields, so lists read as plain rows (not model instances) show the same."""
    if deleted_at:
        return str(_("Deleted participant"))
    return public_name or str(_("Participant"))


class User(AbstractUser):
    """A person with an account. The public sees only `public_name`, which may be a pseudonym,
    and `public_id` in addresses; the email, the username allauth derives from it, and any legal
    name (first/last name) are private."""

    public_name = models.CharField(
        _("public name"),
        max_length=80,
        blank=True,
        help_text=_("The name shown next to your contributions. A pseudonym is allowed."),
    )
    public_id = models.CharField(
        _("public id"), max_length=12, unique=True, default=_new_public_id, editable=False
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # The language of the emails sent to them outside a request (notifications).
    language = models.CharField(
        _("language of emails"),
        max_length=8,
        choices=[("es", "Español"), ("en", "English")],
        default="es",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return display_name(self.public_name, self.deleted_at)

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"public_id": self.public_id})


def public_name_of(user: User) -> str:
    """What allauth shows for a user: never the email or the username."""
    return user.display_name


class RoleGrant(models.Model):
    """A role given to a person in one OGP member: the point of contact, a moderator, a
    researcher or a forum member of Guatemala acts for Guatemala only. Roles tied to an
    institution (reporting official, coordinator) are memberships of that institution instead
    (an institution belongs to one member too). Site administrators (`is_superuser`) act for
    every member."""

    class Role(models.TextChoices):
        POINT_OF_CONTACT = "point_of_contact", _("Point of contact")
        MODERATOR = "moderator", _("Moderator")
        RESEARCHER = "researcher", _("Researcher")
        FORUM_MEMBER = "forum_member", _("Forum member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # By name: the member lives in plans, above accounts; no import, only the table's link.
    member = models.ForeignKey(
        "plans.Member",
        verbose_name=_("OGP member"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "member"], name="accounts_one_grant_per_role_and_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} ({self.member})"
