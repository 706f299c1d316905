"""The import of OGP's commitments database (the format and its vocabulary: `ogp.py`), in two
steps so that it is all or nothing and the rest of the site keeps working (ADR 7):

1. **Check**, reading only: every row is read into the objects it would create or change, in
   memory, and validated as the models validate (`full_clean`); the uniqueness the database
   would enforce (numbers and slugs in a plan, OGP ids, institutions' names and slugs) is checked
   against what was read and what earlier rows add. A refused row adds nothing (its new member,
   plan or institutions are forgotten with it), so later rows are judged on their own. The report
   (what is refused, what was changed and why, what would be created and changed) is complete
   here; a dry run stops here, so the dry run and the import say the same.
2. **Write**, only if no row was refused: one short transaction that writes in bulk through the
   services (`plans.services.repository_import`, `tracking.services.irm_reviews_import`,
   `opendata.services.ogp_records_save`), with the audit events chained in bulk. Rows that change
   nothing are not written, so a second import of the same file writes nothing.

What happens to each value OGP publishes is said in `ogp.py`'s docstring."""

import copy
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocrea.audit.services import Entry, events_record
from cocrea.opendata.models import OgpRecord
from cocrea.opendata.ogp import (
    DATE_COLUMNS,
    FIELD_COLUMNS,
    IDENTITY,
    KNOWN_DERIVED,
    LEVELS,
    PLACEHOLDER_NAME,
    PLACEHOLDER_SLUG,
    REQUIRED,
    Report,
    _missing,
    _not_flag,
    _shown,
    _text,
    date_order,
    irm_values,
    modelled_row,
    name_key,
    parse_flag,
    read_date,
    read_rows,
    split_institutions,
)
from cocrea.opendata.services import ogp_records_save
from cocrea.plans.models import (
    ActionPlan,
    Commitment,
    Institution,
    Member,
    PolicyArea,
    next_whole_number,
)
from cocrea.plans.rules import allowed
from cocrea.plans.services import CommitmentWrite, RepositoryImport, repository_import
from cocrea.tracking.models import IrmReview
from cocrea.tracking.services import irm_reviews_import

# What the check leaves to the database: uniqueness (checked in memory against what was read)
# and foreign keys (the objects are in memory, some not created yet).
_NOT_CHECKED = {
    Member: [],
    ActionPlan: ["member"],
    Institution: ["member"],
    Commitment: ["plan", "lead_institution", "supporting_institutions", "policy_areas"],
    IrmReview: ["commitment"],
}
_IN = 500  # ids per `__in` query


class BadRowError(Exception):
    pass


def _check(instance: Any) -> None:
    instance.full_clean(
        exclude=_NOT_CHECKED[type(instance)], validate_unique=False, validate_constraints=False
    )


def _chunks(values: list[Any]) -> Any:
    for start in range(0, len(values), _IN):
        yield values[start : start + _IN]


def _fit(column: str, value: str, limit: int, line: int, report: Report) -> str:
    """A text that the model holds whole; one longer than any OGP publishes is cut, and said."""
    if len(value) <= limit:
        return value
    report.warnings.append(
        (
            line,
            _("%(column)s: «%(value)s» is longer than %(limit)s characters; cut")
            % {"column": column, "value": value, "limit": limit},
        )
    )
    return value[:limit].rstrip()


def _cell(value: Any) -> str:
    """A cell as text, as a CSV holds it (an XLSX gives numbers and dates)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Institutions:
    """Institutions by member and name_key: an institution belongs to one OGP member, so the
    same name in two countries is two institutions. Those in the database are read once; those
    the file adds stay in memory until the write. What a refused row added is forgotten with
    it."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], Institution] = {}
        self.by_pk: dict[int, Institution] = {}
        self.slugs: set[str] = set()
        self.new: list[Institution] = []
        self.placeholders: dict[str, Institution] = {}  # by member code
        for institution in Institution.objects.select_related("member").order_by("pk"):
            code = institution.member.code  # the oldest of equal names in a member wins
            self.by_key.setdefault((code, name_key(institution.name)), institution)
            self.by_pk[institution.pk] = institution
            self.slugs.add(institution.slug)
            if institution.slug.startswith(PLACEHOLDER_SLUG):
                self.placeholders.setdefault(code, institution)
        self._mark = 0

    def begin(self) -> None:
        self._mark = len(self.new)

    def undo(self) -> None:
        for institution in self.new[self._mark :]:
            code = institution.member.code
            self.by_key.pop((code, name_key(institution.name)), None)
            self.slugs.discard(institution.slug)
            if self.placeholders.get(code) is institution:
                del self.placeholders[code]
        del self.new[self._mark :]

    def _slug(self, base: str) -> str:
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _create(self, member: Member, name: str, slug: str, kind: str) -> Institution:
        institution = Institution(member=member, name=name, slug=slug, kind=kind)
        _check(institution)
        self.slugs.add(slug)
        self.by_key[(member.code, name_key(name))] = institution
        self.new.append(institution)
        return institution

    def get(self, member: Member, name: str, column: str, line: int, report: Report) -> Institution:
        name = _fit(column, " ".join(name.split()), 400, line, report)
        found = self.by_key.get((member.code, name_key(name)))
        if found is not None:
            return found
        slug = self._slug(slugify(name)[:60].strip("-") or "institucion")
        return self._create(member, name, slug, Institution.Kind.GOVERNMENT)

    def unpublished(self, member: Member) -> Institution:
        """The member's placeholder for a lead institution OGP did not publish."""
        placeholder = self.placeholders.get(member.code)
        if placeholder is None:
            slug = self._slug(f"{PLACEHOLDER_SLUG}-{slugify(member.code)}"[:80])
            placeholder = self._create(member, _(PLACEHOLDER_NAME), slug, Institution.Kind.OTHER)
            self.placeholders[member.code] = placeholder
        return placeholder


@dataclass
class _Done:
    """A row that was read: the first row of each commitment's and plan's id, and the cells."""

    commitment: Commitment
    supporting: list[Institution] | None
    areas: set[int]
    review: IrmReview | None
    cells: dict[str, str]
    line: int


@dataclass
class _State:
    """What the database holds that the file touches, read once, and what the rows add."""

    ogp_ids: list[str]
    plan_ids: list[str]
    areas: dict[str, PolicyArea] = field(init=False)
    members: dict[str, Member] = field(init=False)
    new_members: list[Member] = field(default_factory=list)
    member_slugs: set[str] = field(init=False)
    plans: dict[str, ActionPlan] = field(init=False)
    new_plans: dict[str, tuple[ActionPlan, int]] = field(default_factory=dict)  # and its line
    plan_slugs: set[str] = field(init=False)
    plan_numbers: set[tuple[str, int]] = field(init=False)  # (member code, number)
    stored: dict[str, Commitment] = field(init=False)  # by OGP id, as read
    numbers: dict[str, set[str]] = field(init=False)  # by plan's OGP id
    slugs: dict[str, set[str]] = field(init=False)
    supporting_before: dict[int, set[int]] = field(init=False)
    areas_before: dict[int, set[int]] = field(init=False)
    reviews: dict[int, IrmReview] = field(init=False)
    records: dict[int, OgpRecord] = field(init=False)
    institutions: _Institutions = field(init=False)
    done: dict[str, _Done] = field(default_factory=dict)  # by OGP id

    def __post_init__(self) -> None:
        self.areas = {area.ogp_column: area for area in PolicyArea.objects.order_by("position")}
        members = list(Member.objects.all())
        self.members = {m.code: m for m in members}
        self.member_slugs = {m.slug for m in members}
        plans = list(ActionPlan.objects.select_related("member"))
        self.plans = {p.ogp_id: p for p in plans if p.ogp_id}
        self.plan_slugs = {p.slug for p in plans}
        self.plan_numbers = {(p.member.code, p.number) for p in plans}
        self.stored, self.reviews, self.records = {}, {}, {}
        for chunk in _chunks(self.ogp_ids):
            self.stored.update(
                (c.ogp_id, c)
                for c in Commitment.objects.filter(ogp_id__in=chunk).select_related(
                    "plan__member", "lead_institution"
                )
            )
        ids = [c.pk for c in self.stored.values()]
        self.supporting_before = {pk: set() for pk in ids}
        self.areas_before = {pk: set() for pk in ids}
        for chunk in _chunks(ids):
            supporting = Commitment.supporting_institutions.through.objects.filter(
                commitment_id__in=chunk
            )
            for c_id, i_id in supporting.values_list("commitment_id", "institution_id"):
                self.supporting_before[c_id].add(i_id)
            areas = Commitment.policy_areas.through.objects.filter(commitment_id__in=chunk)
            for c_id, a_id in areas.values_list("commitment_id", "policyarea_id"):
                self.areas_before[c_id].add(a_id)
            self.reviews.update(
                (r.commitment_id, r) for r in IrmReview.objects.filter(commitment_id__in=chunk)
            )
            self.records.update(
                (r.commitment_id, r) for r in OgpRecord.objects.filter(commitment_id__in=chunk)
            )
        self.numbers, self.slugs = defaultdict(set), defaultdict(set)
        for chunk in _chunks(self.plan_ids):
            for plan_id, number, slug in Commitment.objects.filter(
                plan__ogp_id__in=chunk
            ).values_list("plan__ogp_id", "number", "slug"):
                self.numbers[plan_id].add(number)
                self.slugs[plan_id].add(slug)
        self.institutions = _Institutions()


def _member(row: dict[str, Any], line: int, report: Report, state: _State) -> Member:
    """The row's member; one OGP's file introduces keeps its region and level. An existing
    member is left as it is (its region and level may have been set in Cocrea)."""
    code = _text(row.get("Code")).upper()
    member = state.members.get(code)
    actor = report.actor
    if member is not None:
        if actor is not None and not allowed("opendata.import_ogp", actor, member):
            raise BadRowError(
                _("Code: «%(code)s» is %(member)s, whose data you do not manage")
                % {"code": code, "member": member.name}
            )
        return member
    if actor is not None and not allowed("plans.manage_members", actor):
        raise BadRowError(
            _("Code: «%(code)s» is not a member of this site; only an administrator adds members")
            % {"code": code}
        )
    published = _text(row.get("National Or Local"))
    level = LEVELS.get(" ".join(published.lower().split()))
    if level is None:
        level = Member.Level.NATIONAL
        if published:
            report.warnings.append(
                (
                    line,
                    _("National Or Local: «%(value)s» is not one of OGP's levels; national")
                    % {"value": published},
                )
            )
    slug = base = slugify(code)[:80] or code.lower()
    n = 2
    while slug in state.member_slugs:
        slug, n = f"{base[:76]}-{n}", n + 1
    member = Member(
        name=_fit(
            "Country/Locality", _text(row.get("Country/Locality")) or code, 150, line, report
        ),
        code=code,
        slug=slug,
        level=level,
        region=_fit("Region", _text(row.get("Region")), 80, line, report),
    )
    _check(member)
    return member


def _years(row: dict[str, Any]) -> tuple[int, int]:
    try:
        start = int(float(_text(row.get("Year Of Submission"))))
        end = int(float(_text(row.get("Action Plan End Year")) or start + 2))
    except ValueError:
        raise BadRowError(
            _(
                "the plan's years are not numbers: Year Of Submission «%(start)s», "
                "Action Plan End Year «%(end)s»"
            )
            % {
                "start": _shown(row.get("Year Of Submission")),
                "end": _shown(row.get("Action Plan End Year")),
            }
        ) from None
    if not 1900 <= start <= end <= 2200:
        raise BadRowError(
            _(
                "the plan's years are not a span of years: Year Of Submission «%(start)s», "
                "Action Plan End Year «%(end)s»"
            )
            % {
                "start": _shown(row.get("Year Of Submission")),
                "end": _shown(row.get("Action Plan End Year")),
            }
        )
    return start, end


def _plan(row: dict[str, Any], line: int, report: Report, state: _State) -> ActionPlan:
    """The row's plan: one read, one an earlier row introduced, or a new one (with a new member
    if the file introduces that too)."""
    plan_id = _text(row.get("Action Plan ID"))
    plan = state.plans.get(plan_id)
    if plan is not None:
        return plan
    try:
        number = int(float(_text(row.get("Action Plan Number")) or 1))
    except ValueError:
        raise BadRowError(
            _("Action Plan Number «%(value)s» is not a number")
            % {"value": _shown(row.get("Action Plan Number"))}
        ) from None
    member = _member(row, line, report, state)
    start, end = _years(row)
    taken = {n for code, n in state.plan_numbers if code == member.code}
    if number in taken or number < 1:
        free = max(taken, default=0) + 1
        report.warnings.append(
            (
                line,
                _(
                    "Action Plan Number «%(value)s»: %(member)s already has a plan with this "
                    "number; numbered %(number)s"
                )
                % {
                    "value": _shown(row.get("Action Plan Number")),
                    "member": member.name,
                    "number": free,
                },
            )
        )
        number = free
    slug = base = slugify(plan_id)[:80] or "plan"
    n = 2
    while slug in state.plan_slugs:
        slug, n = f"{base[:76]}-{n}", n + 1
    # The title is written in the uploader's language, as anything typed in Cocrea is; the
    # dates are the years' until the file's commitment dates give better ones (_date_plans).
    plan = ActionPlan(
        member=member,
        number=number,
        title=_("%(member)s: action plan %(number)s (%(start)s–%(end)s)")
        % {"member": member.name, "number": number, "start": start, "end": end},
        slug=slug,
        start_date=date(start, 1, 1),
        end_date=date(end, 12, 31),
        status=ActionPlan.Status.CLOSED if end < timezone.localdate().year else "implementation",
        ogp_id=plan_id,
    )
    _check(plan)
    return plan


def _irm(row: dict[str, Any], line: int, report: Report) -> dict[str, Any]:
    values, problems = irm_values(row)
    report.warnings += [(line, problem) for problem in problems]
    return values


FLOAT_NOISE = re.compile(r"\d+\.\d*(\d)\1{5,}\d?")  # 2.2999999999999998, 1.1000000000000001
WHOLE_FLOAT = re.compile(r"\d+\.0+")  # 3.0: a whole number a spreadsheet wrote as a float


def _unnoised(number: str) -> str:
    """A commitment number without a spreadsheet's float noise: `2.2999999999999998` is 2.3 and
    `3.0` is 3; anything else as written (`2.10` and `2.1` are two numbers)."""
    if WHOLE_FLOAT.fullmatch(number):
        return number.split(".")[0]
    if FLOAT_NOISE.fullmatch(number):
        value = float(number)
        return str(int(value)) if value.is_integer() else repr(value)
    return number


def _number(row: dict[str, Any], taken: set[str], line: int, report: Report) -> str:
    """A new commitment's number as OGP publishes it (3, 2.6, 3.2.5, 1.6A), with a spreadsheet's
    float noise taken out (2.2999999999999998 is 2.3, 3.0 is 3) and said. A number missing,
    taken in the plan or longer than the field: the next free whole number, and said."""
    raw = row.get("Commitment Number")
    number = _text(raw)
    shortest = _unnoised(number)
    if shortest != number:
        report.warnings.append(
            (
                line,
                _("%(column)s: «%(value)s» is a spreadsheet's number; read as %(number)s")
                % {"column": "Commitment Number", "value": raw, "number": shortest},
            )
        )
        number = shortest
    longest = Commitment._meta.get_field("number").max_length or 0
    if number and number not in taken and len(number) <= longest:
        return number
    free = next_whole_number(taken)
    report.warnings.append(
        (
            line,
            _(
                "Commitment Number «%(value)s» is missing, taken in this plan or longer than "
                "%(length)s characters; numbered %(number)s"
            )
            % {"value": _shown(raw), "length": longest, "number": free},
        )
    )
    return free


def _dates(
    row: dict[str, Any], line: int, report: Report, orders: dict[str, str], commitment: Commitment
) -> None:
    for name, column in DATE_COLUMNS.items():
        raw = row.get(column)
        value, problem = read_date(raw, orders.get(column, ""))
        if problem == "ambiguous":
            report.warnings.append(
                (
                    line,
                    _(
                        "%(column)s: «%(value)s» could be day/month or month/day and this file "
                        "does not say which; read as month/day: %(date)s"
                    )
                    % {"column": column, "value": raw, "date": value},
                )
            )
        elif problem == "day-first":
            report.warnings.append(
                (
                    line,
                    _(
                        "%(column)s: «%(value)s» read as day/month, as this file writes this "
                        "column: %(date)s"
                    )
                    % {"column": column, "value": raw, "date": value},
                )
            )
        elif problem:
            message = (
                _("%(column)s: «%(value)s» is a year, not a date; left out")
                if problem == "year"
                else _("%(column)s: «%(value)s» is not a date; left out")
            )
            report.warnings.append((line, message % {"column": column, "value": raw}))
            continue  # a new commitment's stays empty, an existing one's unchanged
        if value is not None or commitment.pk is None:
            setattr(commitment, name, value)
    start, end = commitment.start_date, commitment.end_date
    if start and end and end < start:
        report.warnings.append(
            (
                line,
                _("End Date «%(end)s» is before Start Date «%(start)s»; both dates left out")
                % {"end": _shown(row.get("End Date")), "start": _shown(row.get("Start Date"))},
            )
        )
        commitment.start_date = commitment.end_date = None


def _unpublished(column: str, value: Any) -> str:
    return _("%(column)s: «%(value)s» not published; left unchanged") % {
        "column": column,
        "value": _shown(value),
    }


def _title(row: dict[str, Any], line: int, report: Report, commitment: Commitment) -> None:
    raw = row.get("Commitment Title")
    title = _text(raw)
    if title:
        commitment.title = _fit("Commitment Title", title, 1000, line, report)
    elif commitment.pk is not None:
        report.warnings.append((line, _unpublished("Commitment Title", raw)))
    else:
        short = _text(row.get("Short Title"))
        commitment.title = _fit("Commitment Title", short or commitment.ogp_id, 1000, line, report)
        message = (
            _(
                "Commitment Title: «%(value)s» not published; "
                "titled with its Short Title «%(title)s»"
            )
            if short
            else _("Commitment Title: «%(value)s» not published; titled with its id «%(title)s»")
        )
        report.warnings.append((line, message % {"value": _shown(raw), "title": commitment.title}))


def _lead(
    row: dict[str, Any], line: int, report: Report, cache: _Institutions, commitment: Commitment
) -> None:
    member = commitment.plan.member
    raw = row.get("Lead Institution")
    name = _text(raw)
    if name:
        commitment.lead_institution = cache.get(member, name, "Lead Institution", line, report)
    elif commitment.pk is not None:
        report.warnings.append((line, _unpublished("Lead Institution", raw)))
    else:
        commitment.lead_institution = cache.unpublished(member)
        report.warnings.append(
            (
                line,
                _(
                    "Lead Institution: «%(value)s» not published; led by the placeholder "
                    "institution «%(name)s»"
                )
                % {"value": _shown(raw), "name": commitment.lead_institution.name},
            )
        )


def _supporters(
    row: dict[str, Any], line: int, report: Report, cache: _Institutions, member: Member
) -> list[Institution] | None:
    """The supporting institutions the row names; None when it names none (left unchanged)."""
    raw = row.get("Supporting Institution(s)")
    if _missing(raw):
        return None
    names = split_institutions(str(raw))
    if len(names) > 1 or "\n" in str(raw).strip() or "\r" in str(raw).strip():
        report.warnings.append(
            (
                line,
                _("Supporting Institution(s): «%(value)s» split into %(count)s: %(names)s")
                % {"value": raw, "count": len(names), "names": " | ".join(names)},
            )
        )
    found: dict[int, Institution] = {}
    for name in names:
        institution = cache.get(member, name, "Supporting Institution(s)", line, report)
        found.setdefault(id(institution), institution)
    return list(found.values())


def _areas(
    row: dict[str, Any], line: int, report: Report, areas: dict[str, PolicyArea], current: set
) -> set[int]:
    """The policy areas: 1 adds, 0 removes, an unknown cell leaves the area as it was."""
    chosen = set(current)
    for column, area in areas.items():
        if column not in row or _missing(row[column]):
            continue
        try:
            flag = parse_flag(row[column])
        except ValueError:
            report.warnings.append((line, _not_flag(column, row[column])))
            continue
        if flag:
            chosen.add(area.pk)
        else:
            chosen.discard(area.pk)
    return chosen


def _read_row(
    row: dict[str, Any],
    line: int,
    report: Report,
    state: _State,
    orders: dict[str, str],
    columns: list[str],
) -> None:
    """Read one row into the state; raises (adding nothing) if it is bad."""
    missing = [column for column in REQUIRED if _missing(row.get(column))]
    if missing:
        raise BadRowError(_("missing %(columns)s") % {"columns": ", ".join(missing)})
    plan = _plan(row, line, report, state)
    plan_id = plan.ogp_id
    ogp_id = _text(row["Commitment Unique Identifier"])
    earlier = state.done.get(ogp_id)
    stored = state.stored.get(ogp_id)
    if earlier is not None:  # the same id twice in one file: the later row wins
        commitment = copy.copy(earlier.commitment)
        current = set(earlier.areas)
    elif stored is not None:
        commitment = copy.copy(stored)
        current = set(state.areas_before[stored.pk])
    else:
        number = _number(row, state.numbers[plan_id], line, report)
        slug = base = slugify(ogp_id)[:120] or "compromiso"
        n = 2
        while slug in state.slugs[plan_id]:
            slug, n = f"{base[:114]}-{n}", n + 1
        # Imported commitments have no currency unless OGP's file says one (it does not).
        commitment = Commitment(
            plan=plan,
            ogp_id=ogp_id,
            number=number,
            slug=slug,
            budget_currency="",
            carried_forward=None,
        )
        current = set()
    _title(row, line, report, commitment)
    commitment.short_description = _fit(
        "Short Title", _text(row.get("Short Title")), 400, line, report
    )
    commitment.description = _text(row.get("Full Text"))
    _dates(row, line, report, orders, commitment)
    _lead(row, line, report, state.institutions, commitment)
    carried = row.get("Carried Forward")
    if not _missing(carried):
        try:
            commitment.carried_forward = parse_flag(carried)
        except ValueError:
            report.warnings.append((line, _not_flag("Carried Forward", carried)))
    supporting = _supporters(row, line, report, state.institutions, commitment.plan.member)
    if supporting is None and earlier is not None:
        supporting = earlier.supporting
    areas = _areas(row, line, report, state.areas, current)
    _check(commitment)
    findings = _irm(row, line, report)
    review = earlier.review if earlier is not None else None
    if review is None and stored is not None:
        review = state.reviews.get(stored.pk)
    if findings:
        review = copy.copy(review) if review is not None else IrmReview()
        review.commitment = commitment
        for name, value in findings.items():  # what the row does not publish stays as it was
            setattr(review, name, value)
        _check(review)
    # The row is good: what it adds becomes part of the state.
    member = plan.member
    if member.pk is None and member.code not in state.members:
        state.members[member.code] = member
        state.member_slugs.add(member.slug)
        state.new_members.append(member)
    if plan.pk is None and plan_id not in state.new_plans:
        state.plans[plan_id] = plan
        state.new_plans[plan_id] = (plan, line)
        state.plan_slugs.add(plan.slug)
        state.plan_numbers.add((plan.member.code, plan.number))
    if earlier is None and stored is None:
        state.numbers[plan_id].add(commitment.number)
        state.slugs[plan_id].add(commitment.slug)
    if review is not None:
        review.commitment = commitment
    cells = dict(earlier.cells) if earlier is not None else {}
    cells.update((column, _cell(row.get(column))) for column in columns)
    state.done[ogp_id] = _Done(commitment, supporting, areas, review, cells, line)


def _date_notes(rows: list[tuple[int, dict[str, Any]]], report: Report) -> dict[str, str]:
    """Each date column's order in this file, and a note in the report when it is not OGP's
    usual month-first."""
    orders = {}
    for column in DATE_COLUMNS.values():
        order, day_first, month_first = date_order(row.get(column) for _line, row in rows)
        orders[column] = order
        if order == "dmy":
            report.warnings.append(
                (
                    1,
                    _("%(column)s: this file writes day/month/year («%(example)s»); read so")
                    % {"column": column, "example": day_first},
                )
            )
        elif order == "both":
            report.warnings.append(
                (
                    1,
                    _(
                        "%(column)s: this file writes both day/month/year («%(dmy)s») and "
                        "month/day/year («%(mdy)s»); a date that could be either is reported"
                    )
                    % {"column": column, "dmy": day_first, "mdy": month_first},
                )
            )
    return orders


def _date_plans(state: _State) -> None:
    """A new plan's dates: OGP publishes only its years; its commitments' dates in the file,
    when they fall within those years, say more (the earliest start, the latest end)."""
    starts: dict[int, list[date]] = defaultdict(list)
    ends: dict[int, list[date]] = defaultdict(list)
    for done in state.done.values():
        key = id(done.commitment.plan)
        if done.commitment.start_date:
            starts[key].append(done.commitment.start_date)
        if done.commitment.end_date:
            ends[key].append(done.commitment.end_date)
    for plan, _line in state.new_plans.values():
        first, last = plan.start_date.year, plan.end_date.year
        start = min((d for d in starts[id(plan)] if first <= d.year <= last), default=None)
        end = max((d for d in ends[id(plan)] if first <= d.year <= last), default=None)
        if start and (end or plan.end_date) >= start:
            plan.start_date = start
        if end and end >= plan.start_date:
            plan.end_date = end
            plan.status = (
                ActionPlan.Status.CLOSED if end < timezone.localdate() else "implementation"
            )


def _refusal(error: Exception, row: dict[str, Any]) -> str:
    """A model's refusal as the report says it: each message with its column and value."""
    if not isinstance(error, ValidationError):
        return str(error)
    if not hasattr(error, "error_dict"):
        return "; ".join(error.messages)
    said = []
    for name, messages in error.message_dict.items():
        column = FIELD_COLUMNS.get(name)
        for message in messages:
            if name == NON_FIELD_ERRORS or column is None:
                said.append(message if name == NON_FIELD_ERRORS else f"{name}: {message}")
            else:
                said.append(
                    _("%(column)s: «%(value)s»: %(message)s")
                    % {"column": column, "value": _shown(row.get(column)), "message": message}
                )
    return "; ".join(said)


def _values(instance: Any) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in {"id", "created_at", "updated_at"}
    }


@dataclass
class _Batch:
    repository: RepositoryImport
    reviews: list[IrmReview]
    records: list[OgpRecord]


def _batch(state: _State, report: Report, columns: list[str]) -> _Batch:
    """What the write will do, counted in the report: only what is new or changed."""
    batch = _Batch(RepositoryImport(), [], [])
    batch.repository.members = state.new_members
    batch.repository.institutions = state.institutions.new
    batch.repository.plans = [plan for plan, _line in state.new_plans.values()]
    for kind, objects in (
        ("members", state.new_members),
        ("institutions", state.institutions.new),
        ("action plans", batch.repository.plans),
    ):
        for _object in objects:
            report.count("created", kind)
    names = {pk: i.name for pk, i in state.institutions.by_pk.items()}
    for ogp_id, done in state.done.items():
        commitment = done.commitment
        stored = state.stored.get(ogp_id)
        supporting = done.supporting
        if stored is None:
            report.count("created", "commitments")
            changed = True
        else:
            before_supporting = state.supporting_before[stored.pk]
            if supporting is not None and {i.pk for i in supporting} == before_supporting:
                supporting = None  # the same set: left as it is
            changed = (
                _values(commitment) != _values(stored)
                or supporting is not None
                or done.areas != state.areas_before[stored.pk]
            )
            if changed:
                report.count("changed", "commitments")
        if changed:
            batch.repository.commitments.append(
                CommitmentWrite(
                    commitment=commitment,
                    supporting_institutions=supporting,
                    policy_areas=None
                    if stored is not None and done.areas == state.areas_before[stored.pk]
                    else [a for a in state.areas.values() if a.pk in done.areas],
                )
            )
        review = done.review
        if review is not None:
            before = state.reviews.get(stored.pk) if stored is not None else None
            if before is None or review.pk is None:
                report.count("created", "IRM findings")
                batch.reviews.append(review)
            elif _values(review) != _values(before):
                report.count("changed", "IRM findings")
                batch.reviews.append(review)
        # OGP's cells, and what the export writes of this commitment now.
        if done.supporting is not None:
            supporter_names = [i.name for i in done.supporting]
        elif stored is not None:
            supporter_names = [names[pk] for pk in sorted(state.supporting_before[stored.pk])]
        else:
            supporter_names = []
        modelled = modelled_row(
            commitment,
            plan=commitment.plan,
            supporting=supporter_names,
            review=review,
            chosen=done.areas,
            areas=list(state.areas.values()),
        )
        record = state.records.get(stored.pk) if stored is not None else None
        if record is None:
            record = OgpRecord(commitment=commitment, cells={}, modelled={})
        cells = {**record.cells, **done.cells}
        snapshot = {**record.modelled, **{c: modelled[c] for c in modelled if c in done.cells}}
        if record.pk is None or cells != record.cells or snapshot != record.modelled:
            record.cells, record.modelled = cells, snapshot
            batch.records.append(record)
    return batch


def import_file(
    path: Path, *, dry_run: bool = False, progress: Any = None, actor: Any = None
) -> Report:
    """Import `path`; all or nothing (see the module's docstring)."""
    report = Report(dry_run=dry_run, actor=actor)
    header, reader = read_rows(path)
    areas = {area.ogp_column for area in PolicyArea.objects.all()}
    known = set(IDENTITY) | set(IrmReview.OGP_COLUMNS.values()) | areas | KNOWN_DERIVED
    report.unknown_columns = [h for h in header if h and h not in known]
    missing_columns = [c for c in REQUIRED if c not in header]
    if missing_columns:
        report.errors.append(
            (1, _("the header lacks %(columns)s") % {"columns": ", ".join(missing_columns)})
        )
        return report
    # line 1 is the header; rows with nothing in them are not rows
    rows = [
        (line, row)
        for line, row in enumerate(reader, start=2)
        if any(not _missing(v) for v in row.values())
    ]
    columns = [h for h in header if h]
    orders = _date_notes(rows, report)
    state = _State(
        ogp_ids=sorted({_text(r.get("Commitment Unique Identifier")) for _l, r in rows} - {""}),
        plan_ids=sorted({_text(r.get("Action Plan ID")) for _l, r in rows} - {""}),
    )
    for line, row in rows:
        report.rows += 1
        state.institutions.begin()
        try:
            _read_row(row, line, report, state, orders, columns)
        except BadRowError as error:
            state.institutions.undo()
            report.errors.append((line, str(error)))
        except ValidationError as error:
            state.institutions.undo()
            report.errors.append((line, _refusal(error, row)))
        if progress:
            progress(line - 1)
    if report.errors:
        return report
    _date_plans(state)
    batch = _batch(state, report, columns)
    if dry_run:
        return report
    try:
        with transaction.atomic():
            events: list[Entry] = []
            repository_import(actor=actor, batch=batch.repository, events=events)
            irm_reviews_import(actor=actor, reviews=batch.reviews, events=events)
            ogp_records_save(records=batch.records, columns=columns)
            events_record(events)  # last: the chain's lock is held from here to the commit
    except (IntegrityError, ValidationError, DatabaseError) as error:
        report.errors.append(
            (
                1,
                _(
                    "The site's data changed while the file was being checked, so nothing was "
                    "imported: %(reason)s. Import the file again."
                )
                % {"reason": "; ".join(getattr(error, "messages", [str(error)]))},
            )
        )
    if report.errors:
        report.created, report.changed = {}, {}
    return report
