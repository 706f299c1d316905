"""The explorer's figures: every OGP member's commitments, complete, starred and disputed, per
member, per policy area and per OGP value, each a GROUP BY in the database (a fixed number of
queries at any data size), and the commitments behind any figure.

Live or OGP's, decided per commitment (docs/explorer.md):

* a commitment with milestones in Cocrea is complete by Cocrea's derived progress
  (`plans.progress`): at least one milestone counted (not withdrawn) and every counted one
  complete; asked as two `Exists` on its milestones, not by reading them;
* one without milestones (imported from OGP's database) is complete by the IRM's latest
  completion: at the end of term, or at mid-term when the end of term is not known;
* starred is the IRM's `starred is True`;
* disputed only where tracked in Cocrea: commitments of members with milestones in Cocrea, by
  tracking's own rule (`tracking.selectors.disputed_commitment_ids`), asked only of the
  commitments civil society has assessed. Members with nothing tracked show no figure.

Everything in the repository is public (plans have no private state; assessments and IRM
reviews are published as entered), so nothing here needs a visibility filter."""

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cocrea.plans import progress
from cocrea.plans.models import Commitment, Member, Milestone, PolicyArea, area_name
from cocrea.tracking.models import Assessment
from cocrea.tracking.selectors import disputed_commitment_ids

# OGP's five values, as the commitment's fields name them (the whitelist of `valor=`).
VALUES: dict[str, Any] = {
    "access_to_information": _("Access to information"),
    "civic_participation": _("Civic participation"),
    "public_accountability": _("Public accountability"),
    "technology_innovation": _("Technology and innovation"),
    "inclusion": _("Inclusion"),
}
# The figures a link may ask for (`figura=`), in the tables' order.
TOTAL, COMPLETE, STARRED, DISPUTED = "total", "completos", "destacados", "disputados"
FIGURES = (TOTAL, COMPLETE, STARRED, DISPUTED)
# Levels offered by the filter; OGP's "legacy local" members are local governments too.
NATIONAL, LOCAL = "nacional", "local"
LEVELS: dict[str, tuple[str, ...]] = {
    NATIONAL: (Member.Level.NATIONAL,),
    LOCAL: (Member.Level.LOCAL, Member.Level.LEGACY_LOCAL),
}

AreaLink = Commitment.policy_areas.through
UNFINISHED = (progress.NOT_STARTED, progress.LIMITED, progress.SUBSTANTIAL)


@dataclass(frozen=True)
class Filters:
    """What the visitor chose, every part already checked against its whitelist (forms.py)."""

    region: str = ""
    level: str = ""
    area: str = ""  # a policy area's or a theme's slug
    area_ids: tuple[int, ...] = ()  # the area, or the theme and its areas
    value: str = ""
    member: str = ""  # a member's slug (the commitments page)

    def params(self) -> dict[str, str]:
        """The filters as the query string names them, for links that keep them."""
        named = {
            "region": self.region,
            "nivel": self.level,
            "area": self.area,
            "valor": self.value,
            "miembro": self.member,
        }
        return {key: value for key, value in named.items() if value}


def _milestones() -> QuerySet[Milestone]:
    return Milestone.objects.filter(commitment_id=OuterRef("pk"))


# A commitment tracked in Cocrea: it has milestones.
LIVE = Q(Exists(_milestones()))
# Complete by Cocrea's rule: some milestone complete, none unfinished (withdrawn ones left out).
_LIVE_COMPLETE = (
    LIVE
    & Q(Exists(_milestones().filter(completion=progress.COMPLETE)))
    & ~Q(Exists(_milestones().filter(completion__in=UNFINISHED)))
)
# Complete by the IRM's latest reading, for a commitment without milestones.
_IRM_COMPLETE = ~LIVE & (
    Q(irm_review__completion_end=progress.COMPLETE)
    | Q(irm_review__completion_end="", irm_review__completion_midterm=progress.COMPLETE)
)
COMPLETE_Q = _LIVE_COMPLETE | _IRM_COMPLETE
STARRED_Q = Q(irm_review__starred=True)


def commitments(filters: Filters) -> QuerySet[Commitment]:
    """Every commitment the filters keep."""
    found = Commitment.objects.all()
    if filters.region:
        found = found.filter(plan__member__region=filters.region)
    if filters.level:
        found = found.filter(plan__member__level__in=LEVELS[filters.level])
    if filters.member:
        found = found.filter(plan__member__slug=filters.member)
    if filters.area_ids:
        found = found.filter(
            Exists(
                AreaLink.objects.filter(
                    commitment_id=OuterRef("pk"), policyarea_id__in=filters.area_ids
                )
            )
        )
    if filters.value:
        found = found.filter(**{filters.value: True})  # a name from VALUES
    return found


def tracked_member_ids() -> set[int]:
    """Members with milestones in Cocrea: the ones whose disputes Cocrea can know. One query."""
    return set(
        Member.objects.filter(
            Exists(Milestone.objects.filter(commitment__plan__member_id=OuterRef("pk")))
        ).values_list("pk", flat=True)
    )


def disputed_ids(filters: Filters, tracked: set[int]) -> set[int]:
    """The disputed commitments among those the filters keep, of tracked members only: two
    queries whatever the data size (the assessed commitments with their milestones' figures,
    then tracking's own reading of their assessments)."""
    milestones: dict[int, list[Any]] = {}
    for row in (
        commitments(filters)
        .filter(plan__member_id__in=tracked)
        .filter(Exists(Assessment.objects.filter(commitment_id=OuterRef("pk"))))
        .order_by()
        .values("pk", "milestones__completion", "milestones__weight")
    ):
        own = milestones.setdefault(row["pk"], [])
        if row["milestones__completion"] is not None:
            own.append(
                SimpleNamespace(
                    completion=row["milestones__completion"], weight=row["milestones__weight"]
                )
            )
    # What tracking's rule reads of a commitment: its id and its official completion.
    assessed = [
        SimpleNamespace(pk=pk, completion=progress.commitment_completion(rows))
        for pk, rows in milestones.items()
    ]
    return disputed_commitment_ids(cast(list[Commitment], assessed))


def _figures(disputed: set[int], tracked: set[int], distinct: bool = False) -> dict[str, Count]:
    def count(condition: Q | None = None) -> Count:
        return Count("pk", filter=condition, distinct=distinct)

    return {
        TOTAL: count(),
        COMPLETE: count(COMPLETE_Q),
        STARRED: count(STARRED_Q),
        DISPUTED: count(Q(pk__in=disputed)),
        "live": count(LIVE),
        "tracked": count(Q(plan__member_id__in=tracked)),
    }


@dataclass
class Row:
    """A row of a table and of its chart: what it counts (label, and the filter its figures'
    links add), its four figures, and how many of its commitments are live or of tracked
    members (disputed has no figure without any)."""

    label: str
    params: dict[str, str]
    total: int
    complete: int
    starred: int
    disputed: int
    live: int
    tracked: int
    member: dict[str, str] = field(default_factory=dict)

    @property
    def disputed_known(self) -> bool:
        return self.tracked > 0

    def figure(self, name: str) -> int | None:
        return {
            TOTAL: self.total,
            COMPLETE: self.complete,
            STARRED: self.starred,
            DISPUTED: self.disputed if self.disputed_known else None,
        }[name]


def _row(label: str, params: dict[str, str], values: dict[str, Any], **extra: Any) -> Row:
    return Row(
        label=label,
        params=params,
        total=values[TOTAL],
        complete=values[COMPLETE],
        starred=values[STARRED],
        disputed=values[DISPUTED],
        live=values["live"],
        tracked=values["tracked"],
        **extra,
    )


def by_member(filters: Filters) -> list[Row]:
    """One row per member with commitments the filters keep, by name: four queries."""
    tracked = tracked_member_ids()
    disputed = disputed_ids(filters, tracked)
    level_labels = dict(Member.Level.choices)
    rows = (
        commitments(filters)
        .order_by()
        .values(
            "plan__member__slug",
            "plan__member__name",
            "plan__member__level",
            "plan__member__region",
        )
        .annotate(**_figures(disputed, tracked))
        .order_by("plan__member__name", "plan__member__slug")
    )
    return [
        _row(
            r["plan__member__name"],
            {"miembro": r["plan__member__slug"]},
            r,
            member={
                "slug": r["plan__member__slug"],
                "level": str(level_labels.get(r["plan__member__level"], "")),
                "region": r["plan__member__region"],
            },
        )
        for r in rows
    ]


def by_area(filters: Filters) -> list[Row]:
    """One row per OGP theme (a commitment counts once in each theme it touches, through the
    theme itself or any of its areas); with an area or theme chosen, one row per area of it.
    Four queries."""
    tracked = tracked_member_ids()
    disputed = disputed_ids(filters, tracked)
    found = commitments(filters)
    if filters.area_ids:
        found = found.filter(policy_areas__in=filters.area_ids)
        key: Any = F("policy_areas__id")
    else:
        key = Coalesce("policy_areas__parent_id", "policy_areas__id")
    grouped = {
        r["key"]: r
        for r in found.order_by()
        .values(key=key)
        .annotate(**_figures(disputed, tracked, distinct=True))
        .filter(key__isnull=False)
    }
    areas = PolicyArea.objects.filter(pk__in=list(grouped)).order_by("position", "pk")
    return [
        _row(area_name(a.name_es, a.name_en), {"area": a.slug}, grouped[a.pk])
        for a in areas.only("pk", "slug", "name_es", "name_en")
    ]


def by_value(filters: Filters) -> list[Row]:
    """One row per OGP value, in the template's order: four queries (one aggregate)."""
    tracked = tracked_member_ids()
    disputed = disputed_ids(filters, tracked)
    aggregates = {}
    for value in VALUES:
        for name, count in _figures(disputed, tracked).items():
            condition = Q(**{value: True})
            if count.filter is not None:
                condition &= count.filter
            aggregates[f"{value}__{name}"] = Count("pk", filter=condition)
    totals = commitments(filters).order_by().aggregate(**aggregates)
    return [
        _row(
            str(label),
            {"valor": value},
            {name: totals[f"{value}__{name}"] for name in _figures(set(), set())},
        )
        for value, label in VALUES.items()
        if not filters.value or filters.value == value
    ]


def total_row(rows: list[Row], label: str) -> Row:
    """The sum of the members' rows (each commitment belongs to one member)."""
    return Row(
        label=label,
        params={},
        total=sum(r.total for r in rows),
        complete=sum(r.complete for r in rows),
        starred=sum(r.starred for r in rows),
        disputed=sum(r.disputed for r in rows),
        live=sum(r.live for r in rows),
        tracked=sum(r.tracked for r in rows),
    )


def figure_commitments(filters: Filters, figure: str, page: str | None) -> Page:
    """A page of the commitments behind a figure, by member, plan and number: the paginator's
    count and the page (plus three for the disputed: the tracked members and the reading)."""
    found = commitments(filters)
    if figure == COMPLETE:
        found = found.filter(COMPLETE_Q)
    elif figure == STARRED:
        found = found.filter(STARRED_Q)
    elif figure == DISPUTED:
        found = found.filter(pk__in=disputed_ids(filters, tracked_member_ids()))
    rows = (
        found.select_related("plan", "plan__member")
        .only(
            "pk",
            "slug",
            "number",
            "title",
            "ogp_id",
            "plan__slug",
            "plan__title",
            "plan__number",
            "plan__member__name",
            "plan__member__slug",
        )
        .annotate(live=LIVE)
        .order_by("plan__member__name", "plan__number", "number_sort", "pk")
    )
    return Paginator(rows, settings.COCREA_PAGE_SIZE).get_page(page)


def region_choices() -> list[str]:
    """The regions members are in, as written. One query."""
    return list(
        Member.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def area_choices() -> list[PolicyArea]:
    """OGP's themes and areas, in the taxonomy's order. One query."""
    return list(
        PolicyArea.objects.only("pk", "slug", "name_es", "name_en", "parent", "position").order_by(
            "position", "pk"
        )
    )
