from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change made through a service. Append-only: written by `audit.services.event_record`
    in the same transaction as the change it describes, never updated or deleted.

    Each event carries the hash of the one before it, so the log is a chain (`audit.chain`,
    docs/audit-log.md): changing, deleting or reordering a row breaks it, and
    `manage.py verify_audit_log` names the first event that does not fit. `event_record` gives
    each event its id (the head's plus one) under the writers' lock, because the id is hashed;
    rows are never inserted any other way."""

    created_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("public name of who"), max_length=150, blank=True)
    actor_institution = models.CharField(
        _("institution of who"), max_length=200, blank=True, default=""
    )
    action = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("object type"), max_length=80)
    target_id = models.CharField(_("object id"), max_length=80)
    target_repr = models.CharField(_("object"), max_length=300)
    # The object whose public history shows the event (a milestone's is its commitment).
    context_type = models.CharField(_("context type"), max_length=80)
    context_id = models.CharField(_("context id"), max_length=80)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Whether everyone may read it; private events are chained too."),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    prev_hash = models.CharField(_("hash of the previous event"), max_length=64)
    payload_hash = models.CharField(_("hash of the content"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["context_type", "context_id", "id"], name="audit_context_idx"),
        ]
        constraints = [
            # Two events chained on the same one would fork the log.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_prev_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"


class ChainHead(models.Model):
    """The last event's id and hash, written with it in the same transaction. A chain proves
    that nothing inside it was changed, but not that nothing was cut off its end; this row lets
    `verify_audit_log` notice a log that ends before its recorded head. (Someone able to rewrite
    both tables is caught by the heads already published: the log page, and every copy of the
    log downloaded before.)"""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    event_id = models.PositiveBigIntegerField(_("last event"))
    hash = models.CharField(_("hash of the last event"), max_length=64)

    class Meta:
        verbose_name = _("head of the audit chain")

    def __str__(self) -> str:
        return f"{self.event_id} {self.hash}"


class LogCursor(models.Model):
    """How far in the log a reader of it has come (one row per reader: notifications' fan-out,
    the search index). Abstract: each reader keeps its own table (`audit.readers.read_log`)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.last_event_id)
