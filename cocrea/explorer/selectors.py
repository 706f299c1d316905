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
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cocrea.core.i18n import language
from cocrea.core.versioning import data_version_get
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
KEPT = 24 * 3600  # seconds; a new data version makes a new key long before
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
# Complete by Cocrea's rule: some milestone complete (so it has milestones), none unfinished
# (withdrawn ones are left out).
_LIVE_COMPLETE = Q(Exists(_milestones().filter(completion=progress.COMPLETE))) & ~Q(
    Exists(_milestones().filter(completion__in=UNFINISHED))
)
# Complete by the IRM's latest reading, for a commitment without milestones (the IRM's columns,
# cheap to read, are asked first).
_IRM_COMPLETE = (
    Q(irm_review__completion_end=progress.COMPLETE)
    | Q(irm_review__completion_end="", irm_review__completion_midterm=progress.COMPLETE)
) & ~LIVE
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


def tracked_members() -> QuerySet[Member, Any]:
    """Members with milestones in Cocrea, the ones whose disputes Cocrea can know: their ids as
    a subquery, which the database runs once inside the query that uses it."""
    return Member.objects.filter(
        Exists(Milestone.objects.filter(commitment__plan__member_id=OuterRef("pk")))
    ).values("pk")


def disputed_ids() -> list[int]:
    """Every disputed commitment of a tracked member, kept in the cache under the data version
    (which every change through a service moves, so it is never stale): reading it costs
    tracking's rule three queries and some 30 ms at OGP scale (mostly Django preparing the
    thousand ids of the assessed commitments), the largest part of a page before it was kept.
    The figures' queries then count these ids among the commitments they keep."""
    key = f"explorer:disputed:{data_version_get()}"
    found: list[int] | None = cache.get(key)
    if found is None:
        found = sorted(_disputed())
        cache.set(key, found, KEPT)
    return found


def _disputed() -> set[int]:
    """The three queries of `disputed_ids`: the assessed commitments of tracked members, the
    milestones' figures of those assessed as a whole, then tracking's own reading of their
    assessments."""
    assessed = Commitment.objects.filter(
        Exists(Assessment.objects.filter(commitment_id=OuterRef("pk"))),
        plan__member_id__in=tracked_members(),
    )
    ids = list(assessed.order_by().values_list("pk", flat=True))
    # The official completion of a commitment assessed as a whole, by progress.py's rule, from
    # its milestones counted by (completion, weight): the rule sums weights, so n milestones of
    # one completion and weight count as one of n times the weight.
    milestones: dict[int, list[Any]] = {}
    for row in (
        Milestone.objects.filter(
            commitment_id__in=assessed.filter(
                Exists(
                    Assessment.objects.filter(commitment_id=OuterRef("pk"), milestone__isnull=True)
                )
            ).values("pk")
        )
        .order_by()
        .values("commitment_id", "completion", "weight")
        .annotate(n=Count("*"))
    ):
        milestones.setdefault(row["commitment_id"], []).append(
            SimpleNamespace(completion=row["completion"], weight=row["weight"] * row["n"])
        )
    # What tracking's rule reads of a commitment: its id and its official completion (None
    # without milestones, as for a commitment imported from OGP's database).
    read = [
        SimpleNamespace(pk=pk, completion=progress.commitment_completion(milestones.get(pk, [])))
        for pk in ids
    ]
    return disputed_commitment_ids(cast(list[Commitment], read))


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


# Each commitment's figures as flags, each condition evaluated once per commitment; the
# aggregates group by them, so a query returns a few rows per group, not a row per commitment.
FLAGS = {
    COMPLETE: "is_complete",
    STARRED: "is_starred",
    "live": "is_live",
    "tracked": "is_tracked",
}
COUNTED = (TOTAL, DISPUTED, *FLAGS)


def _flagged(found: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return found.order_by().annotate(
        is_complete=_flag(COMPLETE_Q),
        is_starred=_flag(STARRED_Q),
        is_live=_flag(LIVE),
        is_tracked=_flag(Q(plan__member_id__in=tracked_members())),
    )


def _tally(rows: Any, disputed: Any, key: Any) -> dict[Any, dict[str, int]]:
    """{key of a row: {figure: how many}}, from rows grouped by the flags with their count `n`,
    and the disputed ones grouped the same way. The disputed are counted in a query of their
    own, through the primary key's index: as a flag, PostgreSQL compared every commitment with
    the whole list of ids (`= ANY(array)`, 7,286 rows by 837 ids, most of 240 ms)."""
    tallies: dict[Any, dict[str, int]] = {}
    for row in rows:
        for k in key(row):
            tally = tallies.setdefault(k, dict.fromkeys(COUNTED, 0))
            tally[TOTAL] += row["n"]
            for name, flag in FLAGS.items():
                if row[flag]:
                    tally[name] += row["n"]
    for row in disputed:
        for k in key(row):
            if k in tallies:
                tallies[k][DISPUTED] += row["n"]
    return tallies


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
    # {figure: the address of the commitments behind it}, set by `with_links`.
    links: dict[str, str] = field(default_factory=dict)

    @property
    def disputed_known(self) -> bool:
        return self.tracked > 0

    def figure(self, name: str) -> int | None:
        if name == DISPUTED:
            return self.disputed if self.tracked > 0 else None
        return {TOTAL: self.total, COMPLETE: self.complete, STARRED: self.starred}[name]


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


_MEMBER = (
    "plan__member__slug",
    "plan__member__name",
    "plan__member__level",
    "plan__member__region",
)


def by_member(filters: Filters) -> list[Row]:
    """One row per member with commitments the filters keep, by name: four queries."""
    found = commitments(filters)
    rows = _flagged(found).values(*_MEMBER, *FLAGS.values()).annotate(n=Count("pk"))
    disputed = (
        found.filter(pk__in=disputed_ids()).order_by().values(*_MEMBER).annotate(n=Count("pk"))
    )
    tallies = _tally(rows, disputed, lambda r: [tuple(r[k] for k in _MEMBER)])
    level_labels = dict(Member.Level.choices)
    return [
        _row(
            name,
            {"miembro": slug},
            tallies[(slug, name, level, region)],
            member={"slug": slug, "level": str(level_labels.get(level, "")), "region": region},
        )
        for slug, name, level, region in sorted(tallies, key=lambda k: (k[1], k[0]))
    ]


def by_area(filters: Filters) -> list[Row]:
    """One row per OGP theme (a commitment counts once in each theme it touches, through the
    theme itself or any of its areas); with an area or theme chosen, one row per area of it.
    Five queries."""
    found = commitments(filters)
    if filters.area_ids:
        found = found.filter(policy_areas__in=filters.area_ids)
        key: Any = F("policy_areas__id")
    else:
        key = Coalesce("policy_areas__parent_id", "policy_areas__id")
    rows = (
        _flagged(found)
        .values(*FLAGS.values(), key=key)
        .annotate(n=Count("pk", distinct=True))
        .filter(key__isnull=False)
    )
    disputed = (
        found.filter(pk__in=disputed_ids())
        .order_by()
        .values(key=key)
        .annotate(n=Count("pk", distinct=True))
        .filter(key__isnull=False)
    )
    tallies = _tally(rows, disputed, lambda r: [r["key"]])
    areas = PolicyArea.objects.filter(pk__in=list(tallies)).order_by("position", "pk")
    return [
        _row(area_name(a.name_es, a.name_en), {"area": a.slug}, tallies[a.pk])
        for a in areas.only("pk", "slug", "name_es", "name_en")
    ]


def by_value(filters: Filters) -> list[Row]:
    """One row per OGP value, in the template's order: four queries."""
    found = commitments(filters)
    rows = _flagged(found).values(*VALUES, *FLAGS.values()).annotate(n=Count("pk"))
    disputed = (
        found.filter(pk__in=disputed_ids()).order_by().values(*VALUES).annotate(n=Count("pk"))
    )
    tallies = _tally(rows, disputed, lambda r: [value for value in VALUES if r[value]])
    return [
        _row(str(label), {"valor": value}, tallies.get(value, dict.fromkeys(COUNTED, 0)))
        for value, label in VALUES.items()
        if not filters.value or filters.value == value
    ]


VIEWS = {"": by_member, "area": by_area, "valor": by_value}


def figures(view: str, filters: Filters) -> list[Row]:
    """The rows of a view (`VIEWS`), kept in the cache under the data version like the disputed
    set: computing them is a GROUP BY over every commitment the filters keep (some 30 ms at OGP
    scale on an idle machine), asked again only after a change. The key names the language (the
    labels are in it) and the filters, which come from whitelists, so the keys are few."""
    params = urlencode(sorted(filters.params().items()))  # ASCII, whatever a region is called
    key = f"explorer:rows:{data_version_get()}:{language()}:{view}:{params}"
    rows: list[Row] | None = cache.get(key)
    if rows is None:
        rows = with_links(VIEWS[view](filters), filters)
        cache.set(key, rows, KEPT)
    return rows


def with_links(rows: list[Row], filters: Filters) -> list[Row]:
    """Each figure's link to its commitments: the page's filters, the row's own part (its
    member, area or value) and the figure. Made once with the rows and kept with them (the
    addresses of a page of 160 members were a tenth of its time)."""
    base = reverse("explorer:commitments")
    for row in rows:
        row.links = {
            name: f"{base}?{urlencode({**filters.params(), **row.params, 'figura': name})}"
            for name in FIGURES
        }
    return rows


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
    count and the page (for the disputed, the data version too, and tracking's reading, three
    queries, when it is not kept)."""
    found = commitments(filters)
    if figure == COMPLETE:
        found = found.filter(COMPLETE_Q)
    elif figure == STARRED:
        found = found.filter(STARRED_Q)
    elif figure == DISPUTED:
        found = found.filter(pk__in=disputed_ids())
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
