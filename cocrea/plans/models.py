"""The public OGP repository: members, action plans, commitments in OGP's template, milestones,
institutions and OGP's policy-area taxonomy. Field and value names follow OGP's own."""

import re
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cocrea.core.i18n import language
from cocrea.core.models import TimeStampedModel
from cocrea.plans import progress


def _dates_in_order(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


def _optional_dates_in_order(name: str) -> models.CheckConstraint:
    """The database's own guard for `_dates_in_order`, where either date may be missing."""
    return models.CheckConstraint(
        condition=Q(end_date__gte=models.F("start_date"))
        | Q(end_date__isnull=True)
        | Q(start_date__isnull=True),
        name=name,
        violation_error_message=_("The end date cannot be before the start date."),
    )


# Runs of ASCII digits only: str.isdigit() would also take other scripts' digits and superscripts.
_DIGIT_RUNS = re.compile(r"([0-9]+)")
NUMBER_DIGITS = 6


def natural_key(number: str) -> str:
    """A commitment number as it sorts: each run of digits zero-padded to six digits, the rest
    casefolded, so "2" < "2.6" < "3.2.5" < "10" and "1.6" < "1.6A" < "1.7" when the keys are
    compared as text. The keys compare character by character (SQLite, and PostgreSQL in the C
    collation); a collation that ignores punctuation may order "1-b" and "1.a" otherwise. Runs
    longer than six digits (no plan has them) keep their length and sort among the text."""
    # split() with a group alternates: text, digits, text, ... (odd places are the digit runs).
    return "".join(
        part.rjust(NUMBER_DIGITS, "0") if place % 2 else part.casefold()
        for place, part in enumerate(_DIGIT_RUNS.split(number))
    )


def next_whole_number(numbers: Iterable[str]) -> str:
    """The number a new commitment takes in a plan with these numbers: one past the largest of
    those that are whole numbers ("3.2.5" and "1.6A" do not count), as text; "1" in a plan
    without any."""
    whole = (int(n) for n in numbers if n.isascii() and n.isdigit())
    return str(max(whole, default=0) + 1)


STATUS_LABELS = {
    progress.COMPLETE: _("Complete"),
    progress.OVERDUE: _("Overdue"),
    progress.AT_RISK: _("At risk"),
    progress.ON_TRACK: _("On track"),
}


class Institution(TimeStampedModel):
    """An institution of one OGP member: the same name in two countries ("Ministerio de
    Hacienda") is two institutions, and people's memberships of it belong to that member."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        MULTILATERAL = "multilateral", _("Multilateral")
        ACADEMIA = "academia", _("Academia")
        OTHER = "other", _("Other")

    member = models.ForeignKey(
        "Member",
        verbose_name=_("OGP member"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    # Long enough for OGP's longest published names (nothing is cut on import).
    name = models.CharField(_("name"), max_length=400)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("Another institution already uses this slug.")},
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:institution", kwargs={"slug": self.slug})

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


def area_name(name_es: str, name_en: str) -> str:
    """A policy area's name in the active language (OGP's taxonomy is kept in both)."""
    return name_en if language().startswith("en") else name_es


class PolicyArea(models.Model):
    """OGP's policy-area taxonomy: a theme (parent) and its areas. `ogp_column` is the column
    header used in OGP's commitments database, so imports and exports match it exactly."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    ogp_column = models.CharField(_("OGP column"), max_length=100, unique=True)
    name_es = models.CharField(_("name in Spanish"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return area_name(self.name_es, self.name_en)


class Member(TimeStampedModel):
    """An OGP member: a national government or an OGP Local jurisdiction."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        LOCAL = "local", _("Local")
        # OGP's own levels in its commitments database ("National Or Local").
        LEGACY_LOCAL = "legacy_local", _("Legacy local")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150)
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("ISO 3166 alpha-3 code for a country (GTM), OGP's code for a local member."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.NATIONAL
    )
    region = models.CharField(_("region"), max_length=80, blank=True)
    is_default = models.BooleanField(
        _("default member"),
        default=False,
        help_text=_("The member whose current plan the home page shows."),
    )
    # OGP Local: a local member names the national member of its country.
    national = models.ForeignKey(
        "self",
        verbose_name=_("national member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_members",
        limit_choices_to={"level": "national"},
        help_text=_("For an OGP Local member: the national member of its country."),
    )

    class Meta:
        verbose_name = _("OGP member")
        verbose_name_plural = _("OGP members")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="plans_one_default_member",
                violation_error_message=_("Only one member can be the default."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.national_id is None:
            return
        if self.national_id == self.pk:
            raise ValidationError({"national": _("A member cannot be its own national member.")})
        if self.level == self.Level.NATIONAL:
            raise ValidationError({"national": _("Only a local member names a national member.")})
        national = Member.objects.filter(pk=self.national_id).values_list("level", flat=True)
        if national.first() != self.Level.NATIONAL:
            raise ValidationError({"national": _("The national member must be a national one.")})


class ActionPlan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        CO_CREATION = "co_creation", _("Co-creation")
        IMPLEMENTATION = "implementation", _("Implementation")
        CLOSED = "closed", _("Closed")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="plans"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("Another action plan already uses this slug.")},
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFTING
    )
    summary = models.TextField(_("summary"), blank=True)
    ogp_id = models.CharField(
        _("OGP action plan id"),
        max_length=30,
        blank=True,
        help_text=_("As in OGP's data, for example AP_GTM05."),
    )

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["member", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "number"],
                name="plans_plan_number_unique",
                violation_error_message=_(
                    "This member already has an action plan with this number."
                ),
            ),
            models.UniqueConstraint(
                fields=["ogp_id"],
                condition=~Q(ogp_id=""),
                name="plans_plan_ogp_id_unique",
                violation_error_message=_("Another action plan already has this OGP id."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="plans_plan_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        _dates_in_order(self.start_date, self.end_date)

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", kwargs={"slug": self.slug})

    @property
    def years(self) -> str:
        return plan_years(self.start_date, self.end_date)

    @property
    def has_ended(self) -> bool:
        return self.end_date < timezone.localdate()

    @property
    def is_current(self) -> bool:
        """Being carried out today: in implementation and not past its end date. A plan whose
        end date has passed is not current, even before the point of contact closes it."""
        return self.status == self.Status.IMPLEMENTATION and not self.has_ended

    @property
    def status_label(self) -> str:
        """Its status as pages show it: an implementation past the plan's end date is said to
        have ended, not shown as still under way."""
        if self.status == self.Status.IMPLEMENTATION and self.has_ended:
            return str(_("Implementation ended"))
        return str(self.get_status_display())


def plan_years(start: date, end: date) -> str:
    """A plan's years as lists show them: the first and last joined by a dash, or one year."""
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    """Bulk writes skip save(), which keeps `number_sort`; these two keep it all the same."""

    def bulk_create(
        self,
        objs: Iterable[Any],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Collection[str] | None = None,
        unique_fields: Collection[str] | None = None,
    ) -> list[Any]:
        objs = list(objs)
        for commitment in objs:
            commitment.set_number_sort()
        return super().bulk_create(
            objs,
            batch_size=batch_size,
            ignore_conflicts=ignore_conflicts,
            update_conflicts=update_conflicts,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        objs, fields = list(objs), list(fields)
        if "number" in fields:
            for commitment in objs:
                commitment.set_number_sort()
            if "number_sort" not in fields:
                fields.append("number_sort")
        return super().bulk_update(objs, fields, batch_size=batch_size)


class Commitment(TimeStampedModel):
    """A commitment with every field of OGP's commitment template.

    Its `number` is text as OGP writes it (3, 2.6, 3.2.5, 1.6A); lists order by `number_sort`,
    its `natural_key`. save() keeps the key, and so do `bulk_create` and `bulk_update` (of the
    number) through `CommitmentQuerySet`; anything else that writes the number without save(),
    a `QuerySet.update()` or raw SQL, calls `set_number_sort()` on each commitment and writes
    `number_sort` with it, or the commitment sorts out of place."""

    objects = CommitmentQuerySet.as_manager()

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    ogp_id = models.CharField(
        _("OGP id"), max_length=30, blank=True, help_text=_("As in OGP's data, for example GT0110.")
    )
    # As OGP writes it: 3.2.5, 1.6A, 12. Text, so it sorts by `number_sort`, never by itself.
    number = models.CharField(
        _("number"),
        max_length=20,
        help_text=_("Its number within the plan as the plan writes it, e.g. 3, 2.6 or 1.6A."),
    )
    # natural_key(number), kept by save() and the bulk writes (see the class's docstring).
    # Blank only until save() fills it, so that full_clean() passes before the first save.
    number_sort = models.CharField(max_length=200, editable=False, blank=True, db_index=False)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        help_text=_("Part of its address; keep it stable once published."),
    )
    # Long enough for OGP's longest published titles (nothing is cut on import).
    title = models.CharField(_("title"), max_length=1000)
    short_description = models.CharField(
        _("short description"), max_length=400, blank=True, help_text=_("About 140 characters.")
    )
    # The template's narrative sections.
    problem = models.TextField(_("problem it addresses"), blank=True)
    causes = models.TextField(_("causes of the problem"), blank=True)
    description = models.TextField(_("what the commitment is"), blank=True)
    how_it_helps = models.TextField(_("how it will help solve the problem"), blank=True)
    ambition = models.TextField(_("ambition"), blank=True)
    # Relevance to OGP values. Technology and inclusion count only together with one of the
    # first three.
    access_to_information = models.BooleanField(_("access to information"), default=False)
    access_to_information_text = models.TextField(
        _("how it relates to access to information"), blank=True
    )
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    civic_participation_text = models.TextField(
        _("how it relates to civic participation"), blank=True
    )
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    public_accountability_text = models.TextField(
        _("how it relates to public accountability"), blank=True
    )
    technology_innovation = models.BooleanField(_("technology and innovation"), default=False)
    technology_innovation_text = models.TextField(
        _("how it relates to technology and innovation"), blank=True
    )
    inclusion = models.BooleanField(_("inclusion"), default=False)
    inclusion_text = models.TextField(_("how it relates to inclusion"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        related_name="led_commitments",
    )
    supporting_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("supporting institutions"),
        blank=True,
        related_name="supported_commitments",
    )
    # The responsible person's contact details are kept for the administration, not published.
    responsible_name = models.CharField(_("responsible person"), max_length=150, blank=True)
    responsible_position = models.CharField(_("position"), max_length=150, blank=True)
    responsible_email = models.EmailField(_("email"), blank=True)
    responsible_phone = models.CharField(_("phone"), max_length=40, blank=True)
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(_("currency"), max_length=3, default="GTQ", blank=True)
    budget_notes = models.TextField(_("budget notes"), blank=True)
    national_plan_links = models.TextField(_("links to national plans and policies"), blank=True)
    policy_areas = models.ManyToManyField(
        PolicyArea, verbose_name=_("policy areas"), blank=True, related_name="commitments"
    )
    sdg_goals = models.JSONField(
        _("Sustainable Development Goals"),
        default=list,
        blank=True,
        help_text=_("Numbers of the goals, from 1 to 17."),
    )
    # None: not known (OGP's data says ND for many commitments).
    carried_forward = models.BooleanField(
        _("carried forward from an earlier plan"), null=True, blank=True, default=False
    )
    is_demo = models.BooleanField(
        _("demonstration content"),
        default=False,
        help_text=_("Plausible text written for the demo, not taken from the real plan."),
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "number_sort"]
        indexes = [models.Index(fields=["plan", "number_sort"], name="plans_commitment_in_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plans_commitment_number_unique",
                violation_error_message=_("This plan already has a commitment with this number."),
            ),
            models.UniqueConstraint(
                fields=["plan", "slug"],
                name="plans_commitment_slug_unique",
                violation_error_message=_("This plan already has a commitment with this slug."),
            ),
            models.UniqueConstraint(
                fields=["ogp_id"],
                condition=~Q(ogp_id=""),
                name="plans_commitment_ogp_id_unique",
                violation_error_message=_("Another commitment already has this OGP id."),
            ),
            _optional_dates_in_order("plans_commitment_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.ogp_id} {self.title}" if self.ogp_id else self.title

    def clean(self) -> None:
        self.number = (self.number or "").strip()
        if not self.number:
            raise ValidationError({"number": models.Field.default_error_messages["blank"]})
        self.set_number_sort()
        _dates_in_order(self.start_date, self.end_date)
        goals = self.sdg_goals
        if not isinstance(goals, list) or not all(
            isinstance(g, int) and not isinstance(g, bool) and 1 <= g <= 17 for g in goals
        ):
            raise ValidationError(
                {"sdg_goals": _("List the goals as whole numbers from 1 to 17, e.g. [5, 16].")}
            )

    def set_number_sort(self) -> None:
        """Keep `number_sort` true to `number`; for writers that skip save()."""
        self.number_sort = natural_key(self.number)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A save of named fields without the number leaves both as they are (and does not read
        # a number that was not loaded).
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "number" in update_fields:
            self.set_number_sort()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "number_sort"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("plans:commitment", kwargs={"plan_slug": self.plan.slug, "slug": self.slug})

    # For the public audit log (cocrea.audit reads these through the app registry): the contact
    # details the public page does not show stay out of it, and events link to the history.
    audit_private_fields = frozenset({"responsible_email", "responsible_phone"})

    @classmethod
    def audit_history_urls(cls, ids: Iterable[str]) -> dict[str, str]:
        """{commitment id: its public history page}, in one query."""
        rows = (
            cls.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()])
            .order_by()
            .values_list("pk", "slug", "plan__slug")
        )
        return {
            str(pk): reverse("plans:commitment_history", kwargs={"plan_slug": plan, "slug": slug})
            for pk, slug, plan in rows
        }

    # Derived figures. They read `milestones.all()`, so selectors prefetch the milestones; each
    # is computed once per instance (a page asks for them several times).
    @cached_property
    def progress(self) -> int | None:
        return progress.commitment_progress(self.milestones.all())

    @cached_property
    def completion(self) -> str | None:
        return progress.commitment_completion(self.milestones.all())

    @cached_property
    def status(self) -> str | None:
        return progress.commitment_status(self.milestones.all(), timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status or "", _("No milestones")))

    @property
    def overdue_milestones(self) -> list["Milestone"]:
        return [m for m in self.milestones.all() if m.is_overdue]

    @property
    def values(self) -> list[tuple[str, bool, str]]:
        """OGP values as (label, relevant, explanation), in the template's order."""
        return [
            (
                str(_("Access to information")),
                self.access_to_information,
                self.access_to_information_text,
            ),
            (
                str(_("Civic participation")),
                self.civic_participation,
                self.civic_participation_text,
            ),
            (
                str(_("Public accountability")),
                self.public_accountability,
                self.public_accountability_text,
            ),
            (
                str(_("Technology and innovation")),
                self.technology_innovation,
                self.technology_innovation_text,
            ),
            (str(_("Inclusion")), self.inclusion, self.inclusion_text),
        ]


class Milestone(TimeStampedModel):
    class Completion(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        LIMITED = "limited", _("Limited")
        SUBSTANTIAL = "substantial", _("Substantial")
        COMPLETE = "complete", _("Complete")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    description = models.TextField(_("description"))
    expected_output = models.TextField(_("expected output"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    responsible_institution = models.ForeignKey(
        Institution,
        verbose_name=_("responsible institution"),
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[
            MinValueValidator(1, message=_("The weight must be a whole number of at least 1.")),
            MaxValueValidator(100, message=_("The weight cannot be more than 100.")),
        ],
        help_text=_("Its share of the commitment's progress, relative to the other milestones."),
    )
    completion = models.CharField(
        _("completion"), max_length=20, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    carried_over = models.BooleanField(_("carried over from an earlier plan"), default=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["commitment", "number"]
        # Whether a commitment is complete by its milestones, read from the index alone (the
        # explorer's aggregates over every commitment: 26 → 11 ms at OGP scale on SQLite).
        indexes = [
            models.Index(fields=["commitment", "completion"], name="plans_milestone_completion")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "number"],
                name="plans_milestone_number_unique",
                violation_error_message=_(
                    "This commitment already has a milestone with this number."
                ),
            ),
            _optional_dates_in_order("plans_milestone_dates_in_order"),
            models.CheckConstraint(
                condition=Q(weight__gte=1),
                name="plans_milestone_weight_positive",
                violation_error_message=_("The weight must be a whole number of at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description[:80]}"

    def clean(self) -> None:
        _dates_in_order(self.start_date, self.end_date)

    @property
    def is_overdue(self) -> bool:
        return progress.milestone_is_overdue(self, timezone.localdate())


def _new_public_id() -> str:
    import secrets

    return secrets.token_hex(8)


class Membership(TimeStampedModel):
    """A person's place in an institution (government body or civil-society organisation): asked
    for, then approved or refused by the institution's coordinator or the point of contact."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        REPORTING_OFFICIAL = "reporting_official", _("Reporting official")
        COORDINATOR = "coordinator", _("Coordinator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    # The roles that act for the institution: report progress on its milestones.
    REPORTING_ROLES = (Role.REPORTING_OFFICIAL, Role.COORDINATOR)

    public_id = models.CharField(max_length=16, unique=True, default=_new_public_id, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    show_on_profile = models.BooleanField(
        _("show on my public profile"),
        default=False,
        help_text=_("Your public profile names this organisation only if you choose so."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"],
                name="plans_one_membership_per_institution",
                violation_error_message=_("You have already asked to join this institution."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.institution.short_name} ({self.get_role_display()})"
