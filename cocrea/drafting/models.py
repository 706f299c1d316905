"""Collaborative drafting: a draft commitment in OGP's template, published for comment during the
consultation's drafting and validation phases. Every change is a new version (versions are
never edited), comments attach to one section of one version, any two versions can be compared,
and the forum's approval of one version turns it into a commitment of the plan."""

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cocrea.core.models import TimeStampedModel
from cocrea.participation.models import Consultation, Moderated
from cocrea.plans.models import Commitment, Institution

SECTION_MAX = 10_000  # long enough for any section of OGP's template; bounds the comparison
COMMENT_MIN = 2
COMMENT_MAX = 5_000

# The sections of OGP's commitment template that are commented on and compared, in the
# template's order. The names are Commitment's own fields, except "dates" (dates and lead
# institution together) and "milestones" (one per line).
SECTIONS: list[tuple[str, Any]] = [
    ("title", _("Title")),
    ("short_description", _("Short description")),
    ("problem", _("Problem it addresses")),
    ("causes", _("Causes of the problem")),
    ("description", _("What the commitment is")),
    ("how_it_helps", _("How it will help solve the problem")),
    ("access_to_information_text", _("Relevance: access to information")),
    ("civic_participation_text", _("Relevance: civic participation")),
    ("public_accountability_text", _("Relevance: public accountability")),
    ("technology_innovation_text", _("Relevance: technology and innovation")),
    ("inclusion_text", _("Relevance: inclusion")),
    ("ambition", _("Ambition")),
    ("dates", _("Dates and lead institution")),
    ("milestones", _("Milestones")),
]
SECTION_NAMES = [name for name, _label in SECTIONS]
# Each relevance text goes with its yes/no field, named without "_text".
VALUE_SECTIONS = {
    name: name.removesuffix("_text") for name in SECTION_NAMES if name.endswith("_text")
}
# The fields a version copies into the commitment it becomes.
COMMITMENT_FIELDS = [
    "title",
    "short_description",
    "problem",
    "causes",
    "description",
    "how_it_helps",
    "ambition",
    *[field for pair in VALUE_SECTIONS.items() for field in (pair[1], pair[0])],
    "start_date",
    "end_date",
    "lead_institution",
]


def new_public_id() -> str:
    return secrets.token_hex(8)


def _text(verbose_name: Any, *, blank: bool = True) -> models.TextField:
    return models.TextField(verbose_name, blank=blank, validators=[MaxLengthValidator(SECTION_MAX)])


class Draft(TimeStampedModel):
    """A draft commitment of a consultation. Open while it is published for comment; approved
    when the forum marks one of its versions, which then becomes a commitment of the plan; or
    withdrawn."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for comment")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    title = models.CharField(_("working title"), max_length=200, validators=[MinLengthValidator(3)])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment it became"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_drafts",
    )
    approved_version = models.ForeignKey(
        "DraftVersion",
        verbose_name=_("approved version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approval recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approval_meeting = models.ForeignKey(
        "forum.Meeting",
        verbose_name=_("forum session that approved it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_drafts",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("why it was withdrawn"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("draft commitment")
        verbose_name_plural = _("draft commitments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(approved_version__isnull=False, approved_at__isnull=False),
                name="drafting_approved_draft_names_its_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("drafting:draft", kwargs={"public_id": self.public_id})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @classmethod
    def audit_history_urls(cls, ids: Iterable[str]) -> dict[str, str]:
        """{draft id: its page}, in one query: the audit log links drafting events there."""
        rows = cls.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).values_list(
            "pk", "public_id"
        )
        return {
            str(pk): reverse("drafting:draft", kwargs={"public_id": public_id})
            for pk, public_id in rows.order_by()
        }


class DraftVersion(models.Model):
    """One version of a draft, in OGP's template. Never edited: a change is a new version."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300, validators=[MinLengthValidator(3)])
    short_description = models.CharField(
        _("short description"), max_length=300, blank=True, help_text=_("About 140 characters.")
    )
    problem = _text(_("problem it addresses"))
    causes = _text(_("causes of the problem"))
    description = _text(_("what the commitment is"))
    how_it_helps = _text(_("how it will help solve the problem"))
    ambition = _text(_("ambition"))
    access_to_information = models.BooleanField(_("access to information"), default=False)
    access_to_information_text = _text(_("how it relates to access to information"))
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    civic_participation_text = _text(_("how it relates to civic participation"))
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    public_accountability_text = _text(_("how it relates to public accountability"))
    technology_innovation = models.BooleanField(_("technology and innovation"), default=False)
    technology_innovation_text = _text(_("how it relates to technology and innovation"))
    inclusion = models.BooleanField(_("inclusion"), default=False)
    inclusion_text = _text(_("how it relates to inclusion"))
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    milestones = _text(_("milestones"))
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"],
                name="drafting_version_number_unique",
                violation_error_message=_("This draft already has a version with this number."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date"))
                | Q(end_date__isnull=True)
                | Q(start_date__isnull=True),
                name="drafting_version_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft} · v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "drafting:version", kwargs={"public_id": self.draft.public_id, "number": self.number}
        )

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    def milestone_lines(self) -> list[str]:
        return [line.strip() for line in self.milestones.splitlines() if line.strip()]

    def section_text(self, name: str) -> str:
        """The section as plain text, for comparing versions: a relevance section starts with
        whether the value is marked, the dates section names the lead institution too."""
        if name == "dates":
            lead = self.lead_institution.name if self.lead_institution else "—"
            start = self.start_date.isoformat() if self.start_date else "—"
            end = self.end_date.isoformat() if self.end_date else "—"
            lead_label, dates_label = _("Lead institution"), _("Dates")
            return f"{lead_label}: {lead}\n{dates_label}: {start} – {end}"
        text = str(getattr(self, name))
        if name in VALUE_SECTIONS:
            marked = _("relevant") if getattr(self, VALUE_SECTIONS[name]) else _("not marked")
            return f"[{marked}]\n{text}" if text else f"[{marked}]"
        return text


class SectionComment(Moderated):
    """A comment on one section of one version. A moderator may hide it, with a public reason."""

    version = models.ForeignKey(
        DraftVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    section = models.CharField(_("section"), max_length=40, choices=SECTIONS)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="draft_comments",
    )
    body = models.TextField(
        _("comment"),
        validators=[MinLengthValidator(COMMENT_MIN), MaxLengthValidator(COMMENT_MAX)],
        help_text=_("Markdown: paragraphs, lists, links, emphasis."),
    )

    class Meta:
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["version", "section"], name="drafting_comment_section")]

    def __str__(self) -> str:
        return f"{self.version} · {self.section}: {self.body[:40]}"
