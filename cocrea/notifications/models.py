"""Follows and notifications (issue 23, ADR 8).

What people are told comes from the public audit log: every change is an event there, the public
ones are what anyone may read, and a notification is one public event (or one reminder) told to
one person who follows what it concerns. So a notification can never say more than the public log
and pages say, and the log's order is the order of the news."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocrea.audit.models import LogCursor


class Kind(models.TextChoices):
    REPORT = "report", _("Progress report published")
    ASSESSMENT = "assessment", _("Civil society's assessment published")
    DISPUTE = "dispute", _("Civil society disputes the official progress")
    ANSWER = "answer", _("Proposal answered")
    COMMENT = "comment", _("New comment")
    CONSULTATION = "consultation", _("Consultation published")
    PHASE = "phase", _("Consultation phase opens")
    CLOSING = "closing", _("Consultation phase closes soon")
    MEETING = "meeting", _("Forum meeting announced")
    MINUTES = "minutes", _("Minutes published")
    DRAFT = "draft", _("Draft version published")
    IRM = "irm", _("IRM findings recorded")
    DUE = "due", _("Milestone due")
    WORK = "work", _("Waiting for you")


class Follow(models.Model):
    """A person following a public thing: a plan (and so what is in it), a commitment, a
    milestone, an institution, a consultation, a proposal, a forum, a meeting or a draft. The
    thing is named as the audit log names it (`target_type` is its model's label, `target_id`
    its primary key as text), so the events that concern it are found by equality."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="notifications_follow_once"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.target_type} {self.target_id}"


class Notification(models.Model):
    """One piece of news for one person. `key` makes it once per person whatever runs twice:
    `event:<audit event id>` for what the log records, `due:<milestone>:<days>` for a reminder.
    `title` and `url` are those of the public page it leads to, taken when it was made."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=120)
    event = models.ForeignKey(
        "audit.AuditEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.TextField(_("about"))  # a title as its page shows it, never cut
    url = models.CharField(max_length=500)
    # What the sentence under the title needs, in no language (`describe` words it for the
    # reader): a meeting's date and notice, a phase's kind and dates.
    facts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notifications_once")
        ]
        indexes = [
            # The header's unread count: one indexed query.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notifications_unread",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class FanOutCursor(LogCursor):
    """How far in the audit log notifications have been made (one row)."""

    class Meta:
        verbose_name = _("notifications' place in the audit log")
        verbose_name_plural = _("notifications' place in the audit log")


class Delivery(models.TextChoices):
    INSTANT = "instant", _("Email at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NONE = "none", _("No email")


# What a person gets by email before they choose: what asks them to act (work waiting, a
# milestone due) at once; news of what they follow once a day, so following many things does
# not fill their inbox.
DEFAULT_DELIVERY: dict[str, str] = {
    **dict.fromkeys(Kind.values, Delivery.DAILY),
    Kind.WORK: Delivery.INSTANT,
    Kind.DUE: Delivery.INSTANT,
}


class Preference(models.Model):
    """How a person wants one kind of notification by email; no row means DEFAULT_DELIVERY."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    delivery = models.CharField(_("email"), max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class Digest(models.Model):
    """A digest sent to one person for one period (a day or a week, starting on `starts` in the
    site's time zone): unique, so a second run, or one at the same moment, sends nothing more."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10, choices=Delivery.choices)
    starts = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "starts"], name="notifications_digest_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.period} {self.starts}"
