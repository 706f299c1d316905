"""Tokens with which an institution's own systems send progress-report drafts through the API.
Only a hash of each token is stored; the token itself is shown once, to the coordinator who
creates it."""

import hashlib
import secrets

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocrea.core.fields import BulkJSONField
from cocrea.core.models import TimeStampedModel
from cocrea.core.storage import NamedStorage
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


_private = NamedStorage("private")


def private_storage() -> Storage:
    """STORAGES["private"]: a folder never served, or a private prefix or bucket on S3."""
    return _private  # type: ignore[return-value]


class OgpImport(TimeStampedModel):
    """An OGP commitments file uploaded in the administration: checked first (a dry run, in
    the background), imported only when someone confirms the checked result. The report is
    what `ogp_import.import_file` found, in the language of the person who uploaded the file."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked: ready to import")
        REFUSED = "refused", _("Refused: bad rows, nothing imported")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), storage=private_storage, upload_to="ogp-imports/")
    file_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    language = models.CharField(max_length=10, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CHECKING
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("OGP commitments import")
        verbose_name_plural = _("OGP commitments imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return (
            f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
            if self.created_at
            else (self.file_name)
        )

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.IMPORTING}


class OgpHeader(models.Model):
    """The columns of an OGP file, in its order, stored once for all the rows that had them:
    the export writes them in this order."""

    columns = models.JSONField()
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("OGP file header")
        verbose_name_plural = _("OGP file headers")

    def __str__(self) -> str:
        return f"{len(self.columns)} columns"

    @staticmethod
    def digest_of(columns: list[str]) -> str:
        return hashlib.sha256("\x1f".join(columns).encode()).hexdigest()


class OgpRecord(models.Model):
    """A commitment's row as OGP published it, kept beside what Cocrea models of it, so that the
    export gives back OGP's cells (its dates, its words, its unknowns, its own columns) for what
    nobody changed in Cocrea. `cells` are the row's cells as text, every column; `modelled` is
    what Cocrea's export wrote for each column right after the import: a column whose export
    differs from it now was edited in Cocrea since, and the export writes the edit instead."""

    commitment = models.OneToOneField(
        "plans.Commitment", on_delete=models.CASCADE, related_name="ogp_record"
    )
    header = models.ForeignKey(OgpHeader, on_delete=models.PROTECT, related_name="records")
    cells = BulkJSONField(default=dict)
    modelled = BulkJSONField(default=dict)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        verbose_name = _("OGP row as published")
        verbose_name_plural = _("OGP rows as published")

    def __str__(self) -> str:
        return str(self.commitment_id)
