"""Reads for the OGP members' pages (`/miembros/`, a member's home) and the member filters of the
plan and institution lists. Each costs a fixed number of queries whatever the number of members
and plans (plans/tests/test_members.py). Filter values are checked against the members that
exist: a request parameter never reaches `filter()` unchecked."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from cocrea.plans.models import ActionPlan, Commitment, Institution, Member

# `nivel` in the lists' addresses: OGP's own "legacy local" members count as local.
LEVELS: dict[str, tuple[str, ...]] = {
    "national": (Member.Level.NATIONAL,),
    "local": (Member.Level.LOCAL, Member.Level.LEGACY_LOCAL),
}


@dataclass(frozen=True)
class MemberFilters:
    """What the lists filter by, already checked: a member's slug, a region, a level (a key of
    LEVELS). Empty strings mean no filter."""

    member: str = ""
    region: str = ""
    level: str = ""

    @property
    def active(self) -> bool:
        return bool(self.member or self.region or self.level)

    def query(self) -> str:
        """The filters as the lists' query string (for their pagination), "" without any."""
        pairs = [("miembro", self.member), ("region", self.region), ("nivel", self.level)]
        return urlencode([(k, v) for k, v in pairs if v])


def _plan_count() -> Coalesce:
    counted = (
        ActionPlan.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def member_rows() -> list[Member]:
    """Every member with its number of plans (`plan_count`), by name: the member list, and the
    lists' filter choices (which members and regions exist). One query."""
    return list(
        Member.objects.only("id", "slug", "name", "code", "level", "region", "national_id")
        .annotate(plan_count=_plan_count())
        .order_by("name", "pk")
    )


def member_filters(params: Mapping[str, str], members: list[Member]) -> MemberFilters:
    """The filters of a list's query string (`miembro`, `region`, `nivel`) that name something
    that exists; any other value is dropped, so a bad one changes nothing."""
    slugs = {m.slug for m in members}
    regions = {m.region for m in members if m.region}
    member = params.get("miembro", "")
    region = params.get("region", "")
    level = params.get("nivel", "")
    return MemberFilters(
        member=member if member in slugs else "",
        region=region if region in regions else "",
        level=level if level in LEVELS else "",
    )


def filtered_member_ids(filters: MemberFilters, members: list[Member]) -> list[int] | None:
    """The ids of the members that pass the filters; None without a filter (everything)."""
    if not filters.active:
        return None
    return [
        m.pk
        for m in members
        if (not filters.member or m.slug == filters.member)
        and (not filters.region or m.region == filters.region)
        and (not filters.level or m.level in LEVELS[filters.level])
    ]


def regions(members: list[Member]) -> list[str]:
    return sorted({m.region for m in members if m.region})


@dataclass
class MemberGroup:
    """A row of the member list: a member and, under a national one, its local members."""

    member: Member
    locals: list[Member] = field(default_factory=list)
    national: Member | None = None  # a local member shown on its own: its national member


def member_groups(members: list[Member], ids: list[int] | None) -> list[MemberGroup]:
    """The members that pass (`ids`; None: all), national members with their local members
    under them; a local member whose national member is not shown stands on its own, naming
    it."""
    by_id = {m.pk: m for m in members}
    shown = [m for m in members if ids is None or m.pk in set(ids)]
    shown_ids = {m.pk for m in shown}
    groups: dict[int, MemberGroup] = {}
    order: list[MemberGroup] = []
    for member in shown:
        if member.national_id in shown_ids:
            continue
        group = MemberGroup(
            member=member, national=by_id.get(member.national_id) if member.national_id else None
        )
        groups[member.pk] = group
        order.append(group)
    for member in shown:
        if member.national_id in shown_ids:
            groups[member.national_id].locals.append(member)
    return order


def member_get(*, slug: str) -> Member:
    """A member with its national member, its forum (`forum_slug`, "" without one) and its
    number of institutions (`institution_count`). One query."""
    institutions = (
        Institution.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(n=Count("*"))
        .values("n")
    )
    member = get_object_or_404(
        Member.objects.select_related("national", "forum")
        .annotate(
            institution_count=Coalesce(Subquery(institutions, output_field=IntegerField()), 0)
        )
        .only(
            "id",
            "slug",
            "name",
            "code",
            "level",
            "region",
            "is_default",
            "national__id",
            "national__slug",
            "national__name",
            "forum__id",
            "forum__slug",
            "forum__name",
            "forum__member_id",
        ),
        slug=slug,
    )
    forum = getattr(member, "forum", None)
    member.forum_slug = forum.slug if forum is not None else ""  # type: ignore[attr-defined]
    return member


def _plans(queryset: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    commitments = (
        Commitment.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        queryset.select_related("member")
        .only(
            "id",
            "slug",
            "title",
            "number",
            "status",
            "start_date",
            "end_date",
            "member__id",
            "member__slug",
            "member__name",
        )
        .annotate(commitment_count=Coalesce(Subquery(commitments, output_field=IntegerField()), 0))
    )


@dataclass
class MemberFacts:
    """What a member's home shows besides its current plan: its plans, its local members with
    theirs (a national member), and how many institutions it has."""

    plans: list[ActionPlan]
    local_members: list[Member]
    institution_count: int


def member_facts(*, member: Member) -> MemberFacts:
    """One query, two for a national member: its plans and its local members' in one read, and
    its local members (those without a plan too), each with its plans as `plan_list`. `member`
    as `member_get` reads it (with `institution_count`)."""
    if member.level != Member.Level.NATIONAL:
        plans = list(_plans(ActionPlan.objects.filter(member=member)).order_by("-start_date", "pk"))
        return MemberFacts(plans, [], member.institution_count)  # type: ignore[attr-defined]
    local_members = list(
        Member.objects.filter(national=member)
        .only("id", "slug", "name", "level", "region", "national_id")
        .order_by("name", "pk")
    )
    by_member: dict[int, list[ActionPlan]] = {m.pk: [] for m in [member, *local_members]}
    every = _plans(ActionPlan.objects.filter(Q(member=member) | Q(member__national=member)))
    for plan in every.order_by("-start_date", "pk"):
        by_member[plan.member_id].append(plan)
    for local in local_members:
        local.plan_list = by_member[local.pk]  # type: ignore[attr-defined]
    return MemberFacts(
        by_member[member.pk],
        local_members,
        member.institution_count,  # type: ignore[attr-defined]
    )
