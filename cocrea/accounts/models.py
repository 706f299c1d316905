from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. The public sees only `public_name`, which may be a pseudonym;
    the email and the legal name (first/last name) are private."""

    public_name = models.CharField(
        _("public name"),
        max_length=80,
        blank=True,
        help_text=_("The name shown next to your contributions. A pseudonym is allowed."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.public_name or self.username
