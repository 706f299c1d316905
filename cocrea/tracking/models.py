"""Implementation tracking: what an institution reports on a milestone, with its evidence, and
what civil society says about it. Reports and assessments are never edited once published: a
correction is a new one that names what it corrects."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cocrea.core.models import TimeStampedModel
from cocrea.plans.models import Commitment, Institution, Milestone


def new_public_id() -> str:
    return secrets.token_hex(8)


class ProgressReport(TimeStampedModel):
    """A responsible institution's account of a milestone. Draft (or returned) while its
    reporting officials work on it, then submitted; the point of contact publishes it or returns
    it with a reason. Publishing sets the milestone's official completion."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting publication")
        RETURNED = "returned", _("Returned")
        PUBLISHED = "published", _("Published")

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="progress_reports",
    )
    completion = models.CharField(
        _("completion"), max_length=20, choices=Milestone.Completion.choices
    )
    percent = models.PositiveSmallIntegerField(
        _("percentage done"),
        validators=[
            MinValueValidator(0),
            MaxValueValidator(100, message=_("The percentage goes from 0 to 100.")),
        ],
    )
    done = models.TextField(_("what was done"), max_length=5000)
    facts_date = models.DateField(_("date of the facts"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text=_("The published report this one corrects, if any."),
    )
    return_reason = models.TextField(_("why it was returned"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="tracking_report_percent_at_most_100",
                violation_error_message=_("The percentage goes from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="tracking_report_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} · {self.facts_date:%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Assessment(TimeStampedModel):
    """Civil society's own reading of a commitment or one of its milestones, published by a
    verified member of a civil-society organisation, beside the official view."""

    class Completion(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        LIMITED = "limited", _("Limited")
        SUBSTANTIAL = "substantial", _("Substantial")
        COMPLETE = "complete", _("Complete")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NO_EVIDENCE = "no_evidence", _("No evidence available")

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
        help_text=_("Leave empty to assess the commitment as a whole."),
    )
    organisation = models.ForeignKey(
        Institution,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    completion = models.CharField(_("completion"), max_length=20, choices=Completion.choices)
    reading = models.TextField(_("our reading of the evidence"), max_length=5000)
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("civil-society assessment")
        verbose_name_plural = _("civil-society assessments")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.organisation.short_name} · {self.commitment}"


class Evidence(TimeStampedModel):
    """A file or a link supporting a report or an assessment. Files are checked from their
    content, stored with their SHA-256, and served only through a view that checks who asks."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    report = models.ForeignKey(
        ProgressReport,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    assessment = models.ForeignKey(
        Assessment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=True, assessment__isnull=False)
                | Q(report__isnull=False, assessment__isnull=True),
                name="tracking_evidence_belongs_to_one",
            ),
            models.CheckConstraint(
                condition=(~Q(url="") & Q(file="")) | (Q(url="") & ~Q(file="")),
                name="tracking_evidence_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.file_name or self.url

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class IrmReview(TimeStampedModel):
    """The Independent Reporting Mechanism's findings on a commitment, as OGP publishes them,
    entered by the point of contact. Values are OGP's own (DOMAIN.md); blank means not assessed.
    `OGP_COLUMNS` names the column of OGP's commitments database each field fills."""

    class Verifiable(models.TextChoices):
        VERIFIABLE = "verifiable", _("Verifiable")
        NOT_VERIFIABLE = "not_verifiable", _("Not verifiable")

    class Specificity(models.TextChoices):
        NONE = "none", pgettext_lazy("specificity", "None")
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class PotentialForResults(models.TextChoices):
        UNCLEAR = "unclear", _("Unclear")
        MODEST = "modest", _("Modest")
        SUBSTANTIAL = "substantial", _("Substantial")

    class PotentialImpact(models.TextChoices):
        NONE = "none", _("None")
        MINOR = "minor", _("Minor")
        MODERATE = "moderate", _("Moderate")
        TRANSFORMATIVE = "transformative", _("Transformative")

    class EarlyResults(models.TextChoices):
        NO_NOTABLE = "no_notable_results", _("No notable results")
        MODERATE = "moderate", _("Moderate")
        SIGNIFICANT = "significant", _("Significant")

    class OpenedGovernment(models.TextChoices):
        WORSENED = "worsened", _("Worsened")
        DID_NOT_CHANGE = "did_not_change", _("Did not change")
        MARGINAL = "marginal", _("Marginal")
        MAJOR = "major", _("Major")
        OUTSTANDING = "outstanding", _("Outstanding")
        NO_RESULTS_YET = "no_results_yet", _("No early results to report yet")

    class Completion(models.TextChoices):
        """The IRM's completion: the assessments' scale and OGP's "Unclear"."""

        NOT_STARTED = "not_started", _("Not started")
        LIMITED = "limited", _("Limited")
        SUBSTANTIAL = "substantial", _("Substantial")
        COMPLETE = "complete", _("Complete")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NO_EVIDENCE = "no_evidence", _("No evidence available")
        UNCLEAR = "unclear", _("Unclear")

    commitment = models.OneToOneField(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="irm_review",
    )
    verifiable = models.CharField(
        _("verifiability"), max_length=20, choices=Verifiable.choices, blank=True
    )
    specificity = models.CharField(
        _("specificity (before 2021)"), max_length=10, choices=Specificity.choices, blank=True
    )
    access_to_information = models.BooleanField(
        _("relevant to access to information"), null=True, blank=True
    )
    civic_participation = models.BooleanField(
        _("relevant to civic participation"), null=True, blank=True
    )
    public_accountability = models.BooleanField(
        _("relevant to public accountability"), null=True, blank=True
    )
    technology_innovation = models.BooleanField(
        _("relevant to technology and innovation"), null=True, blank=True
    )
    potential_for_results = models.CharField(
        _("potential for results"), max_length=15, choices=PotentialForResults.choices, blank=True
    )
    potential_impact = models.CharField(
        _("potential impact (before 2020)"),
        max_length=15,
        choices=PotentialImpact.choices,
        blank=True,
    )
    promising = models.BooleanField(_("promising commitment"), default=False)
    completion_midterm = models.CharField(
        _("completion at mid-term"),
        max_length=20,
        choices=Completion.choices,
        blank=True,
    )
    completion_end = models.CharField(
        _("completion at the end of term"),
        max_length=20,
        choices=Completion.choices,
        blank=True,
    )
    early_results = models.CharField(
        _("early results"), max_length=20, choices=EarlyResults.choices, blank=True
    )
    opened_government = models.CharField(
        _("did it open government?"), max_length=15, choices=OpenedGovernment.choices, blank=True
    )
    starred = models.BooleanField(_("starred"), null=True, blank=True)  # None: not known
    # What OGP publishes as the latest report: an address, or often a year or a word.
    report_url = models.CharField(_("latest IRM report"), blank=True, max_length=500)

    OGP_COLUMNS = {
        "specificity": "Specificity",
        "verifiable": "Verifiable",
        "access_to_information": "OGP Value Access To Information",
        "civic_participation": "OGP Value Civic Participation",
        "public_accountability": "OGP Value Public Accountability",
        "technology_innovation": "OGP Value Technology",
        "potential_impact": "Potential Impact",
        "potential_for_results": "Potential for Results",
        "completion_midterm": "Completion (Progress Report)",
        "completion_end": "Completion (End Of Term)",
        "early_results": "Early Results",
        "opened_government": "Did It Open Government (Overall)",
        "starred": "Starred (Current Formula) End of Term",
        "report_url": "Latest IRM Report",
    }

    class Meta:
        verbose_name = _("IRM review")
        verbose_name_plural = _("IRM reviews")

    def __str__(self) -> str:
        return f"IRM · {self.commitment}"

    @property
    def report_link(self) -> str:
        """The latest report as a link, only when it is a web address."""
        text = self.report_url.strip()
        return text if text.lower().startswith(("http://", "https://")) else ""

    def findings(self) -> list[tuple[str, str]]:
        """(label, value shown) of every finding entered, in OGP's order."""
        shown = []
        for name in [*self.OGP_COLUMNS, "promising"]:
            if name == "report_url":
                continue
            field = self._meta.get_field(name)
            value = getattr(self, name)
            if value in ("", None) or (value is False and name in ("starred", "promising")):
                continue
            if isinstance(value, bool):
                text = str(_("Yes") if value else _("No"))
            else:
                text = str(getattr(self, f"get_{name}_display")())
            shown.append((str(getattr(field, "verbose_name", name)), text))
        return shown
