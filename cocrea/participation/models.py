"""Co-creation: a plan's consultation with its published timeline, the public's proposals (online
and from in-person workshops), supports, threaded comments, the point of contact's reasoned
response to every proposal, moderation, and civil society's own reading of OGP's co-creation
standards."""

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from markupsafe import Markup

from cocrea.core.markdown import MAX_MARKDOWN_CHARS, render_markdown
from cocrea.core.models import TimeStampedModel
from cocrea.plans.models import ActionPlan, Commitment, Institution, PolicyArea


def new_public_id() -> str:
    return secrets.token_hex(8)


class Department(models.TextChoices):
    """Guatemala's 22 departments (DOMAIN.md)."""

    ALTA_VERAPAZ = "alta-verapaz", "Alta Verapaz"
    BAJA_VERAPAZ = "baja-verapaz", "Baja Verapaz"
    CHIMALTENANGO = "chimaltenango", "Chimaltenango"
    CHIQUIMULA = "chiquimula", "Chiquimula"
    EL_PROGRESO = "el-progreso", "El Progreso"
    ESCUINTLA = "escuintla", "Escuintla"
    GUATEMALA = "guatemala", "Guatemala"
    HUEHUETENANGO = "huehuetenango", "Huehuetenango"
    IZABAL = "izabal", "Izabal"
    JALAPA = "jalapa", "Jalapa"
    JUTIAPA = "jutiapa", "Jutiapa"
    PETEN = "peten", "Petén"
    QUETZALTENANGO = "quetzaltenango", "Quetzaltenango"
    QUICHE = "quiche", "Quiché"
    RETALHULEU = "retalhuleu", "Retalhuleu"
    SACATEPEQUEZ = "sacatepequez", "Sacatepéquez"
    SAN_MARCOS = "san-marcos", "San Marcos"
    SANTA_ROSA = "santa-rosa", "Santa Rosa"
    SOLOLA = "solola", "Sololá"
    SUCHITEPEQUEZ = "suchitepequez", "Suchitepéquez"
    TOTONICAPAN = "totonicapan", "Totonicapán"
    ZACAPA = "zacapa", "Zacapa"


TEXT_MAX = MAX_MARKDOWN_CHARS
COMMENT_MAX = 5_000


class Consultation(TimeStampedModel):
    """The co-creation of one action plan. Its timeline is public once `published_at` is set,
    which must be before the first phase opens; what people can do on a day is what the phase
    of that day allows (rules.py)."""

    plan = models.OneToOneField(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="consultation",
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("Another consultation already uses this slug.")},
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("how to take part"),
        blank=True,
        validators=[MaxLengthValidator(TEXT_MAX)],
        help_text=_("Markdown: the ways to take part, online and in person, and who organises."),
    )
    published_at = models.DateTimeField(
        _("timeline published"),
        null=True,
        blank=True,
        help_text=_("Until it is published, only the point of contact sees the consultation."),
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-plan__start_date"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:consultation", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def ordered_phases(self) -> list["Phase"]:
        """The phases in time order (its selectors prefetch them: no query here)."""
        return sorted(self.phases.all(), key=lambda phase: (phase.starts_on, phase.position))

    def phase_on(self, day: date) -> "Phase | None":
        for phase in self.ordered_phases():
            if phase.starts_on <= day <= phase.ends_on:
                return phase
        return None

    def phase_of_kind(self, kind: str) -> "Phase | None":
        return next((phase for phase in self.phases.all() if phase.kind == kind), None)

    def next_phase(self, day: date) -> "Phase | None":
        return next((phase for phase in self.ordered_phases() if phase.starts_on > day), None)


class ConsultationFigures(models.Model):
    """A consultation's counts (proposals, answers by kind, median days to an answer, workshops,
    departments, comments, supports), kept by the services that change them in the same
    transaction, and by the seeders after their bulk writes (selectors.consultation_figures).
    The consultation page and the standards panel read this one row: counting 2,000 proposals
    and their answers took 3 ms of every request. Without a row they are counted afresh."""

    consultation = models.OneToOneField(
        Consultation, primary_key=True, on_delete=models.CASCADE, related_name="figures"
    )
    proposals = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    by_kind = models.JSONField(default=dict)
    median_days = models.FloatField(null=True)
    workshops = models.PositiveIntegerField(default=0)
    workshop_participants = models.PositiveIntegerField(default=0)
    from_workshops = models.PositiveIntegerField(default=0)
    departments = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    supports = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("consultation figures")
        verbose_name_plural = _("consultation figures")

    def __str__(self) -> str:
        return str(self.consultation_id)


class Phase(models.Model):
    """One step of the co-creation timeline, with its dates."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        PROPOSALS = "proposals", _("Proposals")
        DELIBERATION = "deliberation", _("Deliberation")
        # Not the plan status "Drafting" (En redacción): the phase of writing commitments.
        DRAFTING = "drafting", pgettext_lazy("consultation phase", "Drafting")
        VALIDATION = "validation", _("Validation")
        RESPONSE = "response", _("Response")

    ORDER = list(Kind.values)

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="phases",
    )
    kind = models.CharField(_("phase"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("opens"))
    ends_on = models.DateField(_("closes"))
    description = models.TextField(_("what happens"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "kind"],
                name="participation_one_phase_of_each_kind",
                violation_error_message=_("The consultation already has a phase of this kind."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="participation_phase_dates_in_order",
                violation_error_message=_("A phase cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def position(self) -> int:
        return self.ORDER.index(self.kind)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A phase cannot close before it opens.")})


class Workshop(TimeStampedModel):
    """An in-person session where input was gathered, so people without internet count too.
    Its proposals are recorded by staff and name it."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="workshops",
    )
    title = models.CharField(_("workshop"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    department = models.CharField(
        _("department"), max_length=20, choices=Department.choices, blank=True
    )
    municipality = models.CharField(_("municipality"), max_length=80, blank=True)
    participants = models.PositiveIntegerField(_("number of participants"))
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class Moderated(TimeStampedModel):
    """Content a moderator can hide, with a public reason. Hidden text is replaced by a notice
    for everyone but its author."""

    class HideReason(models.TextChoices):
        ABUSE = "abuse", _("Insults, threats or harassment")
        PERSONAL_DATA = "personal_data", _("Personal data of someone else")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off_topic", _("Not about this consultation")
        ILLEGAL = "illegal", _("Unlawful content")

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=20, choices=HideReason.choices, blank=True
    )
    hidden_note = models.CharField(_("moderator's note"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def hidden_reason_label(self) -> str:
        """The public reason it was hidden, in the active language."""
        return str(self.get_hidden_reason_display())

    @property
    def audit_repr(self) -> str:
        """How the audit log names it: by its public id, never by words a moderator may hide
        (the log is public and append-only)."""
        return f"{self._meta.model_name} {self.public_id}"


class Proposal(Moderated):
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    organisation = models.ForeignKey(
        Institution,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("gathered at the workshop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=150, validators=[MinLengthValidator(5)])
    problem = models.TextField(
        _("the problem"), validators=[MinLengthValidator(20), MaxLengthValidator(TEXT_MAX)]
    )
    proposal = models.TextField(
        _("the proposal"), validators=[MinLengthValidator(20), MaxLengthValidator(TEXT_MAX)]
    )
    policy_area = models.ForeignKey(
        PolicyArea,
        verbose_name=_("policy area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    department = models.CharField(
        _("department"), max_length=20, choices=Department.choices, blank=True
    )
    municipality = models.CharField(_("municipality"), max_length=80, blank=True)
    # Counted by the services in the same transaction as the row they count, so lists sort and
    # show them without a query per proposal.
    support_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["consultation", "-created_at"], name="proposal_recent"),
            models.Index(fields=["consultation", "-support_count"], name="proposal_supported"),
            models.Index(fields=["consultation", "-comment_count"], name="proposal_discussed"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:proposal", kwargs={"public_id": self.public_id})


class Support(models.Model):
    """One person's support of a proposal: at most one each, by a database constraint."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"],
                name="participation_one_support_per_person",
                violation_error_message=_("You already support this proposal."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal}"


class Comment(Moderated):
    """A comment on a proposal, or a reply to one (`parent` is always a top-level comment, so
    a thread is one level deep and renders from one ordered query)."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposal_comments",
    )
    body = models.TextField(
        _("comment"), validators=[MinLengthValidator(2), MaxLengthValidator(COMMENT_MAX)]
    )
    # The body as sanitised HTML, rendered when it is saved: a discussed proposal shows dozens of
    # comments, and rendering their Markdown on every view was a fifth of the page.
    body_html = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["proposal", "created_at"], name="comment_thread")]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.body[:40]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    @property
    def body_markup(self) -> Markup:
        """The body as safe HTML: as rendered when saved, or now for a row written in bulk
        without it (seeders)."""
        if self.body_html:
            return Markup(self.body_html)  # noqa: S704 - sanitised by render_markdown on save
        return render_markdown(self.body)


class Response(TimeStampedModel):
    """The point of contact's reasoned, public answer to a proposal."""

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
        MERGED = "merged", _("Merged")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    INTO_COMMITMENTS = (Kind.ADOPTED, Kind.PARTLY_ADOPTED)

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="response"
    )
    kind = models.CharField(_("answer"), max_length=20, choices=Kind.choices)
    reasons = models.TextField(
        _("reasons"), validators=[MinLengthValidator(20), MaxLengthValidator(TEXT_MAX)]
    )
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("adopted into the commitments"),
        blank=True,
        related_name="source_responses",
    )
    merged_into = models.ForeignKey(
        Proposal,
        verbose_name=_("merged into the proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_responses",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"))
    # Days from the proposal to its first answer, kept so the median is read off an index.
    days_to_answer = models.FloatField(editable=False, default=0)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["days_to_answer"], name="response_days_to_answer")]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.days_to_answer = (self.answered_at - self.proposal.created_at).total_seconds() / 86400
        super().save(*args, **kwargs)


class Flag(TimeStampedModel):
    """Someone signed in asks moderators to look at a proposal or a comment."""

    # The reasons a person flags with are the reasons a moderator hides with: one list.
    Reason = Moderated.HideReason

    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, comment__isnull=True)
                | Q(proposal__isnull=True, comment__isnull=False),
                name="participation_flag_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "proposal"],
                condition=Q(proposal__isnull=False),
                name="participation_one_flag_per_proposal",
                violation_error_message=_("You have already flagged this."),
            ),
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="participation_one_flag_per_comment",
                violation_error_message=_("You have already flagged this."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.target}"

    @property
    def target(self) -> Proposal | Comment:
        return self.proposal or self.comment  # type: ignore[return-value]


class StandardAssessment(TimeStampedModel):
    """A civil-society organisation's own reading of how one of OGP's co-creation standards was
    met for a plan, published beside the figures the panel computes."""

    class Standard(models.IntegerChoices):
        FORUM = 1, _("A space for dialogue")
        INFORMATION = 2, _("Open, timely information")
        INCLUSIVE = 3, _("Inclusive participation")
        RESPONSE = 4, _("Reasoned response")
        IMPLEMENTATION = 5, _("Participation in implementation")

    class Rating(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="standard_assessments"
    )
    standard = models.PositiveSmallIntegerField(_("standard"), choices=Standard.choices)
    organisation = models.ForeignKey(
        Institution,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="standard_assessments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.CharField(_("our reading"), max_length=10, choices=Rating.choices)
    reading = models.TextField(
        _("why"), validators=[MinLengthValidator(20), MaxLengthValidator(TEXT_MAX)]
    )
    evidence_url = models.URLField(_("evidence (link)"), blank=True, max_length=500)
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("assessment of a standard")
        verbose_name_plural = _("assessments of the standards")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_standard_display()}"
