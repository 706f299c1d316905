"""Reads for the public pages: every queryset here has its related rows fetched, so a template
never triggers a query and a page costs the same number of queries whatever the data size."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cocrea.core import sql
from cocrea.plans import progress
from cocrea.plans.models import (
    ActionPlan,
    Commitment,
    Institution,
    Member,
    Milestone,
    PolicyArea,
    area_name,
    plan_years,
)


def default_member() -> Member | None:
    return Member.objects.order_by("-is_default", "name").first()


def home_plan() -> tuple[Member | None, ActionPlan | None]:
    """The default member and its current plan: the plan being implemented (the most recent if
    several), else its most recent plan. One query, as `plan_get` (building the ORM query, with
    its subquery and CASE, cost more than running it); a second only when the member has no
    plan yet."""
    n = sql.name
    plan = _plan_with_member(
        f"p.{n(ActionPlan, 'member')} = (SELECT {n(Member, 'id')} FROM {n(Member)} "  # noqa: S608 - names from the models
        f"ORDER BY {n(Member, 'is_default')} DESC, {n(Member, 'name')} LIMIT 1) "
        f"ORDER BY CASE WHEN p.{n(ActionPlan, 'status')} = %s THEN 1 ELSE 0 END DESC, "
        f"p.{n(ActionPlan, 'start_date')} DESC LIMIT 1",
        [ActionPlan.Status.IMPLEMENTATION],
    )
    return (plan.member, plan) if plan is not None else (default_member(), None)


SupportingLink = Commitment.supporting_institutions.through
AreaLink = Commitment.policy_areas.through


def _counts(model: type[Model], key: str, ids: list[int]) -> dict[int, int]:
    """{id: number of `model` rows whose `key` is that id}, for the ids of one page: one grouped
    query in plain SQL (ADR 4)."""
    if not ids:
        return {}
    n = sql.name
    return dict(
        sql.fetch_all(
            f"SELECT {n(model, key)}, COUNT(*) FROM {n(model)} "  # noqa: S608
            f"WHERE {n(model, key)} IN ({sql.placeholders(len(ids))}) GROUP BY {n(model, key)}",
            ids,
        )
    )


def _page(items: QuerySet, number: str | None) -> Page:
    """One page of a long list; an unknown page number gives the first or last page."""
    return Paginator(items, settings.COCREA_PAGE_SIZE).get_page(number)


def policy_area_choices() -> list[SimpleNamespace]:
    """OGP's policy areas (the themes' children) for a filter, in their order and named in the
    active language: plain rows of plain SQL, a third of the time of fifty model instances and
    a tenth of the ORM's."""
    n = sql.name
    return [
        SimpleNamespace(pk=pk, slug=slug, name=area_name(name_es, name_en))
        for pk, slug, name_es, name_en in sql.fetch_all(
            f"SELECT {n(PolicyArea, 'id')}, {n(PolicyArea, 'slug')}, "  # noqa: S608
            f"{n(PolicyArea, 'name_es')}, {n(PolicyArea, 'name_en')} FROM {n(PolicyArea)} "
            f"WHERE {n(PolicyArea, 'parent')} IS NOT NULL "
            f"ORDER BY {n(PolicyArea, 'position')}, {n(PolicyArea, 'id')}"
        )
    ]


def plan_list_page(*, number: str | None) -> Page:
    """A page of action plans with their number of commitments, counted for the plans of this page
    only, after paginating. (Milestones are not counted here: at OGP scale that meant aggregating
    some 5,000 rows on every view of the list, the largest cost of the page on PostgreSQL.) Plain
    rows of plain SQL (ADR 4): the ORM's count and page took longer to build than to run, and
    the page's plans and members as model instances read every column of both."""
    n = sql.name

    def row(values: tuple[Any, ...]) -> SimpleNamespace:
        pk, slug, title, ogp_id, status, start, end, member = values
        return SimpleNamespace(
            pk=pk,
            slug=slug,
            title=title,
            ogp_id=ogp_id,
            status=status,
            years=plan_years(start, end),
            member=SimpleNamespace(name=member),
        )

    page = _page(
        sql.Rows(  # type: ignore[arg-type]
            f"SELECT COUNT(*) FROM {n(ActionPlan)}",  # noqa: S608 - names from the models
            f"SELECT p.{n(ActionPlan, 'id')}, p.{n(ActionPlan, 'slug')}, "  # noqa: S608
            f"p.{n(ActionPlan, 'title')}, p.{n(ActionPlan, 'ogp_id')}, "
            f"p.{n(ActionPlan, 'status')}, p.{n(ActionPlan, 'start_date')}, "
            f"p.{n(ActionPlan, 'end_date')}, m.{n(Member, 'name')} FROM {n(ActionPlan)} p "
            f"INNER JOIN {n(Member)} m ON m.{n(Member, 'id')} = p.{n(ActionPlan, 'member')} "
            f"ORDER BY m.{n(Member, 'name')}, p.{n(ActionPlan, 'start_date')} DESC, "
            f"p.{n(ActionPlan, 'id')}",
            [],
            row,
        ),
        number,
    )
    plans = list(page.object_list)
    commitments = _counts(Commitment, "plan", [plan.pk for plan in plans])
    for plan in plans:
        plan.commitment_count = commitments.get(plan.pk, 0)
    page.object_list = plans
    return page


# What pages read of a plan's member; its other fields load when first read (deferred).
_MEMBER_FIELDS = ("id", "name", "code", "slug", "level", "region")


def plan_get(*, slug: str) -> ActionPlan:
    """A plan with its member, from one plain query (`_plan_with_member`): building the ORM
    query took two thirds of the read (0.4 of 0.6 ms on the benchmark's PostgreSQL), on four
    pages."""
    plan = _plan_with_member(f"p.{sql.name(ActionPlan, 'slug')} = %s", [slug])
    if plan is None:
        raise Http404
    return plan


def _plan_with_member(condition: str, params: list[Any]) -> ActionPlan | None:
    """The first plan that `condition` (on `p`, the plan; it may end with an ORDER BY) selects,
    with its member's fields read in the same row (`sql.instances`, `sql.beside`)."""
    n = sql.name
    plans = sql.instances(
        ActionPlan,
        f"SELECT {sql.all_columns(ActionPlan, 'p')}, "  # noqa: S608 - names from the models
        f"{sql.beside(Member, 'm', _MEMBER_FIELDS)} FROM {n(ActionPlan)} p "
        f"INNER JOIN {n(Member)} m ON m.{n(Member, 'id')} = p.{n(ActionPlan, 'member')} "
        f"WHERE {condition}",
        params,
    )
    if not plans:
        return None
    plan = plans[0]
    plan.member = sql.attached_from(plan, Member, _MEMBER_FIELDS)
    return plan


_Listed = TypeVar("_Listed", Commitment, SimpleNamespace)


class ProgressRow(NamedTuple):
    """What progress.py reads of a milestone."""

    commitment_id: int
    completion: str
    weight: int
    end_date: date | None


def _attach_progress(
    commitments: list[_Listed], rows: list[ProgressRow] | None = None
) -> list[_Listed]:
    """Set each commitment's progress and completion (progress.py's rule) from plain rows: lists
    need the figures, not a model instance for every milestone. `rows` when the caller has
    them; otherwise one query for these commitments."""
    by_commitment: dict[int, list[ProgressRow]] = {c.pk: [] for c in commitments}
    if rows is None:
        # No ORDER BY: the model's default ordering would join commitment, plan and member only
        # to sort rows that are grouped here anyway (it tripled this query's time on PostgreSQL).
        rows = [
            ProgressRow(*row)
            for row in Milestone.objects.filter(commitment_id__in=by_commitment)
            .order_by()
            .values_list("commitment_id", "completion", "weight", "end_date")
        ]
    for row in rows:
        by_commitment[row.commitment_id].append(row)
    for commitment in commitments:
        _set_progress(commitment, by_commitment[commitment.pk])
    return commitments


def _set_progress(commitment: Commitment | SimpleNamespace, milestones: list[Any]) -> None:
    commitment.progress = progress.commitment_progress(milestones)
    commitment.completion = progress.commitment_completion(milestones)


# What a list row shows of a commitment and of its lead institution: reading only these saves
# parsing the long texts and timestamps of every row.
_LIST_FIELDS = ("id", "plan_id", "number", "slug", "title", "ogp_id", "lead_institution_id")
_LIST_LEAD_FIELDS = ("id", "name", "acronym", "slug")


@dataclass(frozen=True)
class CommitmentFilters:
    """Slugs checked against the plan's own choices by the filter form."""

    policy_area: str | None = None
    institution: str | None = None
    completion: str | None = None
    disputed: bool = False


def plan_commitments(
    *, plan: ActionPlan, supporters: bool = False, with_progress: bool = True
) -> list[Commitment]:
    """A plan's commitments with what lists show: lead institution, `areas` (policy areas),
    progress and completion, and with `supporters` the supporting institutions (for the plan's
    filters). Areas, supporters and milestone figures come as plain rows of plain SQL, selected
    by the plan: prefetching model instances for them cost more than the rest of the page, and
    building their three ORM queries cost 0.3 ms each on every view of four pages (ADR 4). The
    commitments themselves are model instances with only the list's fields (`sql.instances`).
    """
    n = sql.name
    commitments = sql.instances(
        Commitment,
        f"SELECT {', '.join(f'c.{n(Commitment, f)}' for f in _LIST_FIELDS)}, "  # noqa: S608
        f"{sql.beside(Institution, 'i', _LIST_LEAD_FIELDS)} FROM {n(Commitment)} c "
        f"INNER JOIN {n(Institution)} i "
        f"ON i.{n(Institution, 'id')} = c.{n(Commitment, 'lead_institution')} "
        f"WHERE c.{n(Commitment, 'plan')} = %s ORDER BY c.{n(Commitment, 'number')}",
        [plan.pk],
    )
    leads: dict[int, Institution] = {}
    for commitment in commitments:
        lead = leads.get(commitment.lead_institution_id)
        if lead is None:
            lead = sql.attached_from(commitment, Institution, _LIST_LEAD_FIELDS)
            leads[lead.pk] = lead
        commitment.lead_institution = lead
        commitment.plan = plan
    areas: dict[int, list[SimpleNamespace]] = {c.pk: [] for c in commitments}
    backers: dict[int, list[SimpleNamespace]] = {c.pk: [] for c in commitments}
    for kind, commitment_id, slug, name, other, position in plan_tag_rows(plan.pk, supporters):
        if kind == _AREA:
            areas[commitment_id].append(
                SimpleNamespace(slug=slug, name=area_name(name, other), position=position)
            )
        else:
            label = f"{name} ({other})" if other else name
            backers[commitment_id].append(SimpleNamespace(slug=slug, name=name, label=label))
    for commitment in commitments:
        commitment.areas = areas[commitment.pk]  # type: ignore[attr-defined]
        commitment.supporters = backers[commitment.pk]  # type: ignore[attr-defined]
    if not with_progress:
        return commitments
    return _attach_progress(commitments, plan_progress_rows(plan.pk))


# The satellite reads of a plan's commitment list, in plain SQL (cocrea.core.sql): one fixed
# shape each, with the plan as their only parameter.


_AREA, _SUPPORTER = 0, 1


def _areas_sql(owner: str) -> str:
    """(0, commitment id, slug, name_es, name_en, position) of the policy areas of the
    commitments that `owner` (a condition on `c`, the commitment) selects."""
    n = sql.name
    return (
        f"SELECT {_AREA}, l.{n(AreaLink, 'commitment')}, a.{n(PolicyArea, 'slug')}, "  # noqa: S608
        f"a.{n(PolicyArea, 'name_es')}, a.{n(PolicyArea, 'name_en')}, "
        f"a.{n(PolicyArea, 'position')} FROM {n(AreaLink)} l "
        f"INNER JOIN {n(PolicyArea)} a "
        f"ON a.{n(PolicyArea, 'id')} = l.{n(AreaLink, 'policyarea')} "
        f"INNER JOIN {n(Commitment)} c "
        f"ON c.{n(Commitment, 'id')} = l.{n(AreaLink, 'commitment')} "
        f"WHERE {owner}"
    )


def _supporters_sql(owner: str, detail: str) -> str:
    """(1, commitment id, slug, name, `detail` (acronym or kind), 0) of the supporting
    institutions of the commitments that `owner` selects."""
    n = sql.name
    return (
        f"SELECT {_SUPPORTER}, s.{n(SupportingLink, 'commitment')}, "  # noqa: S608
        f"i.{n(Institution, 'slug')}, "
        f"i.{n(Institution, 'name')}, i.{n(Institution, detail)}, 0 FROM {n(SupportingLink)} s "
        f"INNER JOIN {n(Institution)} i "
        f"ON i.{n(Institution, 'id')} = s.{n(SupportingLink, 'institution')} "
        f"INNER JOIN {n(Commitment)} c "
        f"ON c.{n(Commitment, 'id')} = s.{n(SupportingLink, 'commitment')} "
        f"WHERE {owner}"
    )


def plan_tag_rows(plan_id: int, supporters: bool) -> list[tuple[Any, ...]]:
    """The policy areas of the plan's commitments, and with `supporters` their supporting
    institutions, in one plain query (a UNION ALL saves a round trip to the database): rows of
    (kind, commitment id, slug, name, name_en or acronym, position), areas in their order,
    institutions by name."""
    owner = f"c.{sql.name(Commitment, 'plan')} = %s"
    query, params = _areas_sql(owner), [plan_id]
    if supporters:
        query += f" UNION ALL {_supporters_sql(owner, 'acronym')}"
        params.append(plan_id)
    return sql.fetch_all(f"{query} ORDER BY 1, 6, 4, 2", params)


def plan_commitment_areas(plan_id: int) -> dict[int, list[SimpleNamespace]]:
    """{commitment id: its policy areas (slug, name, position)} for every commitment of the
    plan, those without an area included: one plain query, for pages that need no more of the
    commitments than that (the dashboard)."""
    n = sql.name
    areas: dict[int, list[SimpleNamespace]] = {}
    for commitment_id, slug, name_es, name_en, position in sql.fetch_all(
        f"SELECT c.{n(Commitment, 'id')}, a.{n(PolicyArea, 'slug')}, "  # noqa: S608
        f"a.{n(PolicyArea, 'name_es')}, a.{n(PolicyArea, 'name_en')}, "
        f"a.{n(PolicyArea, 'position')} FROM {n(Commitment)} c "
        f"LEFT OUTER JOIN {n(AreaLink)} l "
        f"ON l.{n(AreaLink, 'commitment')} = c.{n(Commitment, 'id')} "
        f"LEFT OUTER JOIN {n(PolicyArea)} a "
        f"ON a.{n(PolicyArea, 'id')} = l.{n(AreaLink, 'policyarea')} "
        f"WHERE c.{n(Commitment, 'plan')} = %s "
        f"ORDER BY c.{n(Commitment, 'number')}, a.{n(PolicyArea, 'position')}",
        [plan_id],
    ):
        own = areas.setdefault(commitment_id, [])
        if slug is not None:
            own.append(
                SimpleNamespace(slug=slug, name=area_name(name_es, name_en), position=position)
            )
    return areas


def plan_progress_rows(plan_id: int) -> list[ProgressRow]:
    """What progress.py reads of every milestone of the plan."""
    n = sql.name
    return [
        ProgressRow(*row)
        for row in sql.fetch_all(
            f"SELECT m.{n(Milestone, 'commitment')}, m.{n(Milestone, 'completion')}, "  # noqa: S608
            f"m.{n(Milestone, 'weight')}, m.{n(Milestone, 'end_date')} "
            f"FROM {n(Milestone)} m "
            f"INNER JOIN {n(Commitment)} c "
            f"ON c.{n(Commitment, 'id')} = m.{n(Milestone, 'commitment')} "
            f"WHERE c.{n(Commitment, 'plan')} = %s",
            [plan_id],
        )
    ]


def commitment_filter_choices(
    commitments: list[Commitment],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(slug, label) of the policy areas and of the institutions (leading or supporting) that
    occur among a plan's commitments, for its filter form; from rows already fetched with
    `plan_commitments(supporters=True)`."""
    areas: dict[str, Any] = {}
    institutions: dict[str, tuple[str, str]] = {}
    for commitment in commitments:
        for area in commitment.areas:  # type: ignore[attr-defined]
            areas[area.slug] = area
        lead = commitment.lead_institution
        institutions[lead.slug] = (lead.name, str(lead))
        for backer in commitment.supporters:  # type: ignore[attr-defined]
            institutions[backer.slug] = (backer.name, backer.label)
    return (
        [(a.slug, a.name) for a in sorted(areas.values(), key=lambda a: a.position)],
        [(slug, label) for slug, (_, label) in sorted(institutions.items(), key=lambda i: i[1][0])],
    )


def commitments_filtered(
    commitments: list[Commitment],
    filters: CommitmentFilters,
    disputed_ids: Collection[int] = (),
) -> list[Commitment]:
    """The commitments that match every filter given. In Python, on rows already fetched: a plan
    has tens of commitments, and completion is derived, not stored. `disputed_ids`: the
    commitments where civil society's view differs (given by an app above plans)."""

    def matches(c: Commitment) -> bool:
        if filters.policy_area and filters.policy_area not in {
            a.slug
            for a in c.areas  # type: ignore[attr-defined]
        }:
            return False
        if filters.institution and filters.institution not in {
            c.lead_institution.slug,
            *(i.slug for i in c.supporters),  # type: ignore[attr-defined]
        }:
            return False
        if filters.disputed and c.pk not in disputed_ids:
            return False
        return not filters.completion or (c.completion or "none") == filters.completion

    return [c for c in commitments if matches(c)]


def _led_or_supported_by() -> str:
    """SQL for the ids of the commitments an institution leads or supports (the institution's
    id twice as parameters): one UNION. An OR across two joins multiplied rows, and an OR with a
    subquery made PostgreSQL scan every commitment."""
    n = sql.name
    return (
        f"SELECT {n(Commitment, 'id')} FROM {n(Commitment)} "  # noqa: S608 - names from the models
        f"WHERE {n(Commitment, 'lead_institution')} = %s "
        f"UNION SELECT {n(SupportingLink, 'commitment')} FROM {n(SupportingLink)} "
        f"WHERE {n(SupportingLink, 'institution')} = %s"
    )


# What the commitment page and its sections read of the plan and of institutions; other fields
# load if ever touched (deferred).
_PAGE_PLAN_FIELDS = ("id", "member_id", "number", "slug", "title", "status")
_PAGE_INSTITUTION_FIELDS = ("id", "name", "acronym", "slug", "kind")


def commitment_get(*, plan_slug: str, slug: str) -> Commitment:
    """A commitment with its plan, lead institution and milestones (model instances: the
    page and tracking's sections use their methods), and as `areas` and `supporters` its policy
    areas and supporting institutions as plain rows of plain SQL (ADR 4), where prefetching them
    cost 0.5 ms each on every view. The commitment, its plan and its lead institution are one
    query (`sql.instances`), its milestones with their institutions another: building the two
    ORM queries (a join and a prefetch) was two fifths of the page on the benchmark's
    PostgreSQL."""
    n = sql.name
    found = sql.instances(
        Commitment,
        f"SELECT {sql.all_columns(Commitment, 'c')}, "  # noqa: S608 - names from the models
        f"{sql.beside(ActionPlan, 'p', _PAGE_PLAN_FIELDS)}, "
        f"{sql.beside(Institution, 'i', _PAGE_INSTITUTION_FIELDS)} "
        f"FROM {n(Commitment)} c "
        f"INNER JOIN {n(ActionPlan)} p ON p.{n(ActionPlan, 'id')} = c.{n(Commitment, 'plan')} "
        f"INNER JOIN {n(Institution)} i "
        f"ON i.{n(Institution, 'id')} = c.{n(Commitment, 'lead_institution')} "
        f"WHERE p.{n(ActionPlan, 'slug')} = %s AND c.{n(Commitment, 'slug')} = %s",
        [plan_slug, slug],
    )
    if not found:
        raise Http404
    commitment = found[0]
    commitment.plan = sql.attached_from(commitment, ActionPlan, _PAGE_PLAN_FIELDS)
    lead = sql.attached_from(commitment, Institution, _PAGE_INSTITUTION_FIELDS)
    commitment.lead_institution = lead
    institutions = {lead.pk: lead}
    milestones = sql.instances(
        Milestone,
        f"SELECT {sql.all_columns(Milestone, 'm')}, "  # noqa: S608 - names from the models
        f"{sql.beside(Institution, 'i', _PAGE_INSTITUTION_FIELDS)} "
        f"FROM {n(Milestone)} m INNER JOIN {n(Institution)} i "
        f"ON i.{n(Institution, 'id')} = m.{n(Milestone, 'responsible_institution')} "
        f"WHERE m.{n(Milestone, 'commitment')} = %s ORDER BY m.{n(Milestone, 'number')}",
        [commitment.pk],
    )
    for milestone in milestones:
        milestone.commitment = commitment
        institution = institutions.get(milestone.responsible_institution_id)
        if institution is None:
            institution = sql.attached_from(milestone, Institution, _PAGE_INSTITUTION_FIELDS)
            institutions[institution.pk] = institution
        milestone.responsible_institution = institution
    sql.attach(commitment, "milestones", milestones)
    kinds = dict(Institution.Kind.choices)
    owner = f"c.{sql.name(Commitment, 'id')} = %s"
    areas, supporters = [], []
    for kind, _id, tag_slug, name, other, _position in sql.fetch_all(
        f"{_areas_sql(owner)} UNION ALL {_supporters_sql(owner, 'kind')} ORDER BY 1, 6, 4",
        [commitment.pk, commitment.pk],
    ):
        if kind == _AREA:
            areas.append(SimpleNamespace(slug=tag_slug, name=area_name(name, other)))
        else:
            supporters.append(
                SimpleNamespace(slug=tag_slug, name=name, kind_label=kinds.get(other, other))
            )
    commitment.areas = areas  # type: ignore[attr-defined]
    commitment.supporters = supporters  # type: ignore[attr-defined]
    return commitment


def commitment_heading(*, plan_slug: str, slug: str) -> Commitment:
    """A commitment with its plan, for pages about it that show only its title (its history)."""
    return get_object_or_404(
        Commitment.objects.select_related("plan").only(
            "id", "number", "slug", "title", "ogp_id", "plan__id", "plan__slug", "plan__title"
        ),
        plan__slug=plan_slug,
        slug=slug,
    )


def institution_list_page(*, number: str | None) -> Page:
    """A page of institutions with how many commitments each leads and supports, counted for
    this page's institutions only."""
    page = _page(Institution.objects.order_by("name", "pk"), number)
    institutions = list(page.object_list)
    ids = [i.pk for i in institutions]
    led = _counts(Commitment, "lead_institution", ids)
    supported = _counts(SupportingLink, "institution", ids)
    for institution in institutions:
        institution.led_count = led.get(institution.pk, 0)
        institution.supported_count = supported.get(institution.pk, 0)
    page.object_list = institutions
    return page


def institution_get(*, slug: str) -> Institution:
    """An institution, through `sql.instances`: the ORM took longer to build the query than to
    run it, on the institution's page and its dashboard."""
    found = sql.instances(
        Institution,
        f"SELECT {sql.all_columns(Institution, 'i')} FROM {sql.name(Institution)} i "  # noqa: S608
        f"WHERE i.{sql.name(Institution, 'slug')} = %s",
        [slug],
    )
    if not found:
        raise Http404
    return found[0]


def institution_commitments(*, institution: Institution) -> list[SimpleNamespace]:
    """The commitments an institution leads or supports, newest plan first, as plain rows with
    their plan and progress: two plain queries (ADR 4), where the ORM's three cost 1.5 ms to
    build on every view of the page."""
    n = sql.name
    ids = _led_or_supported_by()
    commitments = [
        SimpleNamespace(
            pk=pk,
            id=pk,
            number=number,
            slug=slug,
            title=title,
            lead_institution_id=lead_id,
            plan=SimpleNamespace(slug=plan_slug, title=plan_title),
        )
        for pk, number, slug, title, lead_id, plan_slug, plan_title in sql.fetch_all(
            f"SELECT c.{n(Commitment, 'id')}, c.{n(Commitment, 'number')}, "  # noqa: S608
            f"c.{n(Commitment, 'slug')}, c.{n(Commitment, 'title')}, "
            f"c.{n(Commitment, 'lead_institution')}, p.{n(ActionPlan, 'slug')}, "
            f"p.{n(ActionPlan, 'title')} "
            f"FROM {n(Commitment)} c "
            f"INNER JOIN {n(ActionPlan)} p ON p.{n(ActionPlan, 'id')} = c.{n(Commitment, 'plan')} "
            f"WHERE c.{n(Commitment, 'id')} IN ({ids}) "
            f"ORDER BY p.{n(ActionPlan, 'start_date')} DESC, c.{n(Commitment, 'number')}",
            [institution.pk, institution.pk],
        )
    ]
    if not commitments:
        return []
    rows = [
        ProgressRow(*row)
        for row in sql.fetch_all(
            f"SELECT m.{n(Milestone, 'commitment')}, m.{n(Milestone, 'completion')}, "  # noqa: S608
            f"m.{n(Milestone, 'weight')}, m.{n(Milestone, 'end_date')} "
            f"FROM {n(Milestone)} m WHERE m.{n(Milestone, 'commitment')} IN ({ids})",
            [institution.pk, institution.pk],
        )
    ]
    return _attach_progress(commitments, rows)


def institution_milestones_page(
    *, institution: Institution, number: str | None, today: date
) -> Page:
    """A page of the milestones an institution is responsible for, as plain rows with their
    `overdue` flag, read in plain SQL (a count and one page, cocrea.core.sql.Rows): a 50-row
    list of model instances cost most of the page, and the ORM's count kept the rows' joins."""
    n = sql.name

    def row(values: tuple[Any, ...]) -> SimpleNamespace:
        milestone = SimpleNamespace(**dict(zip(_INSTITUTION_MILESTONE_FIELDS, values, strict=True)))
        milestone.overdue = progress.milestone_is_overdue(milestone, today)
        return milestone

    responsible = f"{n(Milestone, 'responsible_institution')} = %s"
    return _page(
        sql.Rows(  # type: ignore[arg-type]
            f"SELECT COUNT(*) FROM {n(Milestone)} WHERE {responsible}",  # noqa: S608
            f"SELECT m.{n(Milestone, 'description')}, m.{n(Milestone, 'end_date')}, "  # noqa: S608
            f"m.{n(Milestone, 'completion')}, m.{n(Milestone, 'weight')}, "
            f"c.{n(Commitment, 'slug')}, c.{n(Commitment, 'number')}, "
            f"c.{n(Commitment, 'title')}, p.{n(ActionPlan, 'slug')}, p.{n(ActionPlan, 'number')} "
            f"FROM {n(Milestone)} m "
            f"INNER JOIN {n(Commitment)} c "
            f"ON c.{n(Commitment, 'id')} = m.{n(Milestone, 'commitment')} "
            f"INNER JOIN {n(ActionPlan)} p ON p.{n(ActionPlan, 'id')} = c.{n(Commitment, 'plan')} "
            f"WHERE m.{responsible} "
            f"ORDER BY p.{n(ActionPlan, 'start_date')} DESC, c.{n(Commitment, 'number')}, "
            f"m.{n(Milestone, 'number')}, m.{n(Milestone, 'id')}",
            [institution.pk],
            row,
        ),
        number,
    )


# The names the institution page reads of each milestone row, in the order selected.
_INSTITUTION_MILESTONE_FIELDS = [
    "description",
    "end_date",
    "completion",
    "weight",
    "commitment__slug",
    "commitment__number",
    "commitment__title",
    "commitment__plan__slug",
    "commitment__plan__number",
]


@dataclass
class PlanGlance:
    plan: ActionPlan
    commitments: list[Commitment]
    progress: int | None
    overdue: list[SimpleNamespace]
    upcoming: list[SimpleNamespace]


def plan_glance(*, plan: ActionPlan, today: date, upcoming: int = 5) -> PlanGlance:
    """The home page's summary of a plan, from one fetch of its commitments and one of their
    milestones (which also gives each commitment its progress). The milestones are plain rows
    of plain SQL with their commitment attached and their `is_overdue` flag (ADR 4): a model
    instance for each of a plan's hundred milestones cost more than the query."""
    commitments = plan_commitments(plan=plan, with_progress=False)
    commitment_by_id = {c.id: c for c in commitments}
    n = sql.name
    milestones = [
        SimpleNamespace(
            id=pk,
            commitment_id=commitment_id,
            commitment=commitment_by_id[commitment_id],  # already in memory: no query per row
            number=number,
            weight=weight,
            completion=completion,
            end_date=end_date,
            description=description,
        )
        for pk, commitment_id, number, weight, completion, end_date, description in sql.fetch_all(
            f"SELECT m.{n(Milestone, 'id')}, m.{n(Milestone, 'commitment')}, "  # noqa: S608
            f"m.{n(Milestone, 'number')}, m.{n(Milestone, 'weight')}, "
            f"m.{n(Milestone, 'completion')}, m.{n(Milestone, 'end_date')}, "
            f"m.{n(Milestone, 'description')} FROM {n(Milestone)} m "
            f"INNER JOIN {n(Commitment)} c "
            f"ON c.{n(Commitment, 'id')} = m.{n(Milestone, 'commitment')} "
            f"WHERE c.{n(Commitment, 'plan')} = %s "
            f"ORDER BY m.{n(Milestone, 'commitment')}, m.{n(Milestone, 'number')}",
            [plan.pk],
        )
    ]
    by_commitment: dict[int, list[SimpleNamespace]] = {c.id: [] for c in commitments}
    for milestone in milestones:
        milestone.is_overdue = progress.milestone_is_overdue(milestone, today)
        by_commitment[milestone.commitment_id].append(milestone)
    for commitment in commitments:
        _set_progress(commitment, by_commitment[commitment.id])
    overdue = sorted(
        (m for m in milestones if m.is_overdue),
        key=lambda m: (m.end_date or today, m.commitment.number, m.number),
    )
    pending = sorted(
        (
            m
            for m in milestones
            if m.end_date is not None
            and m.end_date >= today
            and m.completion not in (progress.COMPLETE, progress.WITHDRAWN)
        ),
        key=lambda m: (m.end_date or today, m.commitment.number, m.number),
    )
    return PlanGlance(
        plan=plan,
        commitments=commitments,
        progress=progress.plan_progress(by_commitment.values()),
        overdue=overdue,
        upcoming=pending[:upcoming],
    )
