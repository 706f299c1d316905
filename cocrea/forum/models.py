"""The multi-stakeholder forum (OGP standard 1; in Guatemala the Comité Técnico de Gobierno
Abierto): who sits on it for which institution and sector, its public rules, and its meetings
with their agenda, minutes, attendance, documents and decisions. Everything here is public; a
seat names at most the public name of the person in it."""

import secrets
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cocrea.core.markdown import MAX_MARKDOWN_CHARS
from cocrea.core.models import TimeStampedModel
from cocrea.plans.models import ActionPlan, Institution, Member

# Civil society in Guatemala asked for at least 15 days' notice of every session (DOMAIN.md).
NOTICE_DAYS_ASKED = 15


def new_public_id() -> str:
    return secrets.token_hex(8)


class Forum(TimeStampedModel):
    """An OGP member's forum. Its rules say how members are chosen, how it decides and how the
    public takes part; the co-creation standards ask for them to be public."""

    member = models.OneToOneField(
        Member, verbose_name=_("OGP member"), on_delete=models.PROTECT, related_name="forum"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("Another forum already uses this slug.")},
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    mandate = models.TextField(
        _("mandate"),
        blank=True,
        max_length=MAX_MARKDOWN_CHARS,
        help_text=_("What the forum is for. Markdown."),
    )
    rules = models.TextField(
        _("rules"),
        blank=True,
        max_length=MAX_MARKDOWN_CHARS,
        help_text=_(
            "How members are chosen, how the forum decides and how the public takes part. Markdown."
        ),
    )
    rules_url = models.URLField(_("rules document"), blank=True, max_length=500)
    rules_published_on = models.DateField(_("rules published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:forum", kwargs={"slug": self.slug})

    @property
    def has_public_rules(self) -> bool:
        return bool(self.rules.strip() or self.rules_url)

    @classmethod
    def audit_history_urls(cls, ids: Iterable[str]) -> dict[str, str]:
        """{forum id: its page}, in one query, for the public audit log."""
        rows = cls.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).values_list(
            "pk", "slug"
        )
        return {str(pk): reverse("forum:forum", kwargs={"slug": slug}) for pk, slug in rows}


class ForumSeat(TimeStampedModel):
    """A seat of an institution on the forum, for a period. Who sits in it is named only by the
    public name they agreed to (or not at all)."""

    class Sector(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        NON_GOVERNMENT = "non_government", _("Non-government")

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        ALTERNATE = "alternate", _("Alternate")

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="seats"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="forum_seats",
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    representative = models.CharField(
        _("representative"),
        max_length=150,
        blank=True,
        help_text=_("The public name of the person in the seat, only if they agree to it."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("forum seat")
        verbose_name_plural = _("forum seats")
        ordering = ["sector", "role", "institution__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="forum_seat_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution.short_name} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Meeting(TimeStampedModel):
    """A session of the forum, or an open meeting with civil society to present results and
    hear comments (OGP standard 5). Announced when created; every change of date, time or place
    is dated, so the notice actually given is on record."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum session")
        CIVIL_SOCIETY = "civil_society", _("Meeting with civil society")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="meetings"
    )
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_meetings",
        help_text=_("The action plan the meeting is about, if any."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FORUM)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    title = models.CharField(_("title"), max_length=250)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=250, blank=True)
    online_url = models.URLField(_("online link"), blank=True, max_length=500)
    agenda = models.TextField(_("agenda"), max_length=MAX_MARKDOWN_CHARS)
    minutes = models.TextField(_("minutes"), blank=True, max_length=MAX_MARKDOWN_CHARS)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    announced_at = models.DateTimeField(_("announced"))
    schedule_changed_at = models.DateTimeField(
        _("date, time or place last set"),
        help_text=_("When the date, time or place were last set: the notice counts from here."),
    )
    cancellation_reason = models.TextField(_("why it was cancelled"), blank=True, max_length=2000)
    other_participants = models.PositiveIntegerField(
        _("other participants"),
        default=0,
        help_text=_("People who attended without a seat: counted, not named."),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="forum_meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="forum_meeting_cancelled_has_reason",
                violation_error_message=_("Say why the meeting is cancelled."),
            ),
        ]
        indexes = [models.Index(fields=["forum", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "forum:meeting", kwargs={"slug": self.forum.slug, "public_id": self.public_id}
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = str(_("The meeting must end after it starts."))
        if not (self.place or "").strip() and not self.online_url:
            errors["place"] = str(
                _("Say where the meeting takes place: a place, an online link or both.")
            )
        if self.status == self.Status.CANCELLED and not self.cancellation_reason.strip():
            errors["cancellation_reason"] = str(_("Say why the meeting is cancelled."))
        if errors:
            raise ValidationError(errors)

    @property
    def notice_days(self) -> int:
        """Whole days between the last setting of date, time or place and the start."""
        return max(0, (self.starts_at - self.schedule_changed_at).days)

    @property
    def short_notice(self) -> bool:
        return self.notice_days < NOTICE_DAYS_ASKED

    @property
    def schedule_changed(self) -> bool:
        """Whether the date, time or place changed after the meeting was announced."""
        return self.schedule_changed_at > self.announced_at


class Attendance(models.Model):
    """A seat present at a meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    seat = models.ForeignKey(
        ForumSeat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="attendance"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat"],
                name="forum_attendance_once_per_seat",
                violation_error_message=_("This seat is already recorded as present."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.seat}"


class MeetingDocument(TimeStampedModel):
    """A document of a meeting: a link, or a file checked from its content (like tracking's
    evidence), stored with its SHA-256 and served only through a view."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to="forum/%Y/%m/", blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(~Q(url="") & Q(file="")) | (Q(url="") & ~Q(file="")),
                name="forum_document_file_or_link",
                violation_error_message=_("Give either a link or a file, not both."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class Decision(models.Model):
    """A decision the forum took at a meeting, numbered as in the minutes."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), max_length=5000)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="forum_decision_number_unique",
                violation_error_message=_("This meeting already has a decision with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"
