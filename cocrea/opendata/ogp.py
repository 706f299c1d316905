"""OGP's commitments database format (DOMAIN.md), in and out.

Import: a CSV or XLSX as OGP publishes it creates or updates OGP members, action plans,
commitments, institutions, policy areas (0/1 columns) and the IRM's findings, matching by OGP's
ids (`Code`, `Action Plan ID`, `Commitment Unique Identifier`). Only a row without what
identifies it (commitment id, plan id, member code) is a bad row, and a file with any bad row
changes nothing: every bad row is reported with its reason. Everything else OGP publishes
imports; each value that cannot be modelled exactly is reported by row, column and value, with
what was done about it:

- `ND`, `NA`, `NR` and empty cells are unknown, and unknown stays unknown: a flag (Carried
  Forward, Starred, a policy area) is left unset on a new commitment and unchanged on an
  existing one, never read as 0 or No.
- A missing title: the Short Title, else the commitment's id. A missing lead institution: the
  shared placeholder institution «Not published by OGP» (the model needs one).
- Dates: each date column of a file is read day-first or month-first as its unambiguous dates
  show (`31/12/2016` is day-first); a date that could be either, in a column that does not say,
  is read month-first (OGP's habit) and reported. Years (`2017`) and words (`Underway`) are not
  dates: left out and reported.
- Institution names are compared after collapsing whitespace and ignoring case, so a second
  import creates none. Supporting institutions are split only on OGP's separators (`;`, or a
  line break followed by a bullet); a line break inside a name joins it.
- OGP's own words (Verifiable `Yes`, `Worsens`, `Unclear`, `Legacy Local`) are its vocabulary.

Every write goes through the services, in one transaction; a dry run does all of it and rolls
it back, reporting what would be created and changed. Unknown columns are listed, not fatal.

Export: the same columns, one row per commitment with an OGP id, so that an import followed by an
export gives back every field Cocrea models."""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, PolicyArea
from cocrea.plans.services import (
    action_plan_save,
    commitment_save,
    institution_save,
    member_save,
)
from cocrea.tracking.models import IrmReview
from cocrea.tracking.services import irm_review_import

MISSING = {"", "nd", "na", "nr", "n/a", "none available"}
IDENTITY = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan Number",
    "Commitment Number",
    "Code",
    "Region",
    "National Or Local",
    "Year Of Submission",
    "Action Plan End Year",
    "Commitment Title",
    "Short Title",
    "Full Text",
    "Start Date",
    "End Date",
    "Lead Institution",
    "Supporting Institution(s)",
    "Action Plan ID",
    "Carried Forward",
]
# What identifies a row: without one of these a row is bad (everything else imports).
REQUIRED = ["Commitment Unique Identifier", "Action Plan ID", "Code"]
# Columns OGP derives and Cocrea derives too: read, but not stored.
KNOWN_DERIVED = {
    "Action Plan Duration (Years)",
    "Theme",
    "URL",
    "Active Commitment",
    "Cluster (AP Review)",
    "Cluster Commitment ID(s)",
    "Did It Open Government (Access To Information)",
    "Did It Open Government (Civic Participation)",
    "Did It Open Government: Public Accountability",
}
DATE_COLUMNS = {"start_date": "Start Date", "end_date": "End Date"}
NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
BARE_YEAR = re.compile(r"\d{4}(\.0+)?")
DATE_SHAPES = ("%Y-%m-%d", "%B %Y", "%b %Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")
BOOLEAN_FIELDS = {
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
    "starred",
}
# OGP's "National Or Local", lower case, to the member's level; and back, for the export.
LEVELS = {
    "national": Member.Level.NATIONAL,
    "local": Member.Level.LOCAL,
    "legacy local": Member.Level.LEGACY_LOCAL,
    "other": Member.Level.OTHER,
}
LEVEL_COLUMN: dict[str, str] = {
    Member.Level.NATIONAL: "National",
    Member.Level.LOCAL: "Local",
    Member.Level.LEGACY_LOCAL: "Legacy Local",
    Member.Level.OTHER: "Other",
}
# The institution that leads a commitment whose lead OGP did not publish (the model needs one).
PLACEHOLDER_NAME = "Not published by OGP"
PLACEHOLDER_SLUG = "no-publicada-por-ogp"
BULLETS = "•\\-*·"
# The commitment's fields as OGP's columns, to name the column of a service's refusal.
FIELD_COLUMNS = {
    "ogp_id": "Commitment Unique Identifier",
    "number": "Commitment Number",
    "title": "Commitment Title",
    "short_description": "Short Title",
    "description": "Full Text",
    "lead_institution": "Lead Institution",
    "carried_forward": "Carried Forward",
    **DATE_COLUMNS,
    **IrmReview.OGP_COLUMNS,
}


def _missing(value: Any) -> bool:
    return value is None or str(value).strip().lower() in MISSING


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value).strip()


def _shown(value: Any) -> str:
    """A cell as the report quotes it: as published (nothing for an empty cell)."""
    return "" if value is None else str(value)


def name_key(name: str) -> str:
    """An institution's name as names are compared: whitespace collapsed, case ignored."""
    return " ".join(name.split()).casefold()


def _date_cells(values: Iterable[Any]) -> Iterator[tuple[int, int, str]]:
    for value in values:
        if isinstance(value, date):
            continue
        found = NUMERIC_DATE.fullmatch(_text(value))
        if found:
            yield int(found[1]), int(found[2]), _text(value)


def date_order(values: Iterable[Any]) -> tuple[str, str, str]:
    """How a file writes one date column: ("dmy" | "mdy" | "both" | "", an example of
    day-first, an example of month-first), from its dates that can be read only one way."""
    day_first = month_first = ""
    for first, second, text in _date_cells(values):
        if first > 12 >= second and not day_first:
            day_first = text
        elif second > 12 >= first and not month_first:
            month_first = text
    if day_first and month_first:
        return "both", day_first, month_first
    return ("dmy" if day_first else "mdy" if month_first else ""), day_first, month_first


def read_date(value: Any, order: str = "mdy") -> tuple[date | None, str]:
    """(the date, what was wrong): "" read, "ambiguous" read month-first although it could be
    day-first and the column does not say, "day-first" read day-first as the column is written
    although it could be month-first, "year" a bare year, "not a date" anything else. `order`
    is the column's (date_order)."""
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    text = _text(value)
    if not text:
        return None, ""
    found = NUMERIC_DATE.fullmatch(text)
    if found:
        first, second, problem = int(found[1]), int(found[2]), ""
        year = int(found[3]) if len(found[3]) == 4 else datetime.strptime(found[3], "%y").year
        day_first = first > 12 or (second <= 12 and first != second and order == "dmy")
        if first <= 12 and second <= 12 and first != second:
            # could be either: read as the column is written, and said when not month-first
            problem = "day-first" if order == "dmy" else "" if order == "mdy" else "ambiguous"
        day, month = (first, second) if day_first else (second, first)
        try:
            return date(year, month, day), problem
        except ValueError:
            return None, "not a date"
    if BARE_YEAR.fullmatch(text):
        return None, "year"
    for shape in DATE_SHAPES:
        try:
            return datetime.strptime(text, shape).date(), ""
        except ValueError:
            continue
    return None, "not a date"


def parse_date(value: Any) -> date | None:
    """A date read month-first (OGP's habit); ValueError if it is none."""
    found, problem = read_date(value)
    if problem in ("year", "not a date"):
        raise ValueError(_text(value))
    return found


def parse_flag(value: Any) -> bool | None:
    text = _text(value).lower()
    if not text:
        return None
    if text in {"1", "1.0", "yes", "true", "x", "y"}:
        return True
    if text in {"0", "0.0", "no", "false", "n"}:
        return False
    raise ValueError(text)


def _not_flag(column: str, value: Any) -> str:
    return _("%(column)s: «%(value)s» is not 0 or 1; left out") % {
        "column": column,
        "value": value,
    }


def _labels(field_name: str) -> dict[str, str]:
    """Stored value to English label, for an IRM field with choices."""
    choices: Any = getattr(IrmReview._meta.get_field(field_name), "choices", None) or []
    with translation.override("en"):
        return {value: str(label) for value, label in choices}


def _choices(field_name: str) -> dict[str, str]:
    """English label (lower case) to stored value."""
    return {label.lower(): value for value, label in _labels(field_name).items()}


def split_institutions(text: str) -> list[str]:
    """OGP's list of supporting institutions, split only on its separators: a semicolon, or a
    line break followed by a bullet. A line break inside a name joins it (a word cut with a
    hyphen at the line's end is joined whole); commas never split."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    names = []
    for piece in re.split(rf";|\n(?=\s*[{BULLETS}])", text):
        joined = ""
        for line in (line.strip() for line in piece.split("\n")):
            if not line:
                continue
            if joined.endswith("-") and not joined.endswith(" -") and joined[-2:-1].isalpha():
                joined = joined[:-1] + line
            else:
                joined = f"{joined} {line}" if joined else line
        name = " ".join(re.sub(rf"^[{BULLETS}]\s*", "", joined).split())
        if name and not _missing(name):
            names.append(name)
    return names


# OGP's spellings that differ from our labels, by field (lower case); "*": any field.
ALIASES: dict[str, dict[str, str]] = {
    "*": {"completed": "complete", "not started": "not_started", "no evidence": "no_evidence"},
    "verifiable": {"yes": "verifiable", "no": "not_verifiable"},
    "opened_government": {"worsens": "worsened"},
}


# What an import creates or changes, by the key Report counts it under.
KINDS = {
    "members": gettext_lazy("OGP members"),
    "action plans": gettext_lazy("action plans"),
    "commitments": gettext_lazy("commitments"),
    "institutions": gettext_lazy("institutions"),
    "IRM findings": gettext_lazy("IRM findings"),
}


@dataclass
class Report:
    rows: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    actor: Any = None  # who imports (None: a command on the server); the services record them

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, kind: str, what: str) -> None:
        target = self.created if kind == "created" else self.changed
        target[what] = target.get(what, 0) + 1


def read_rows(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The header and the rows of a CSV (UTF-8, with or without BOM) or XLSX file."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        values = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(values, ())]
        return header, (dict(zip(header, row, strict=False)) for row in values)
    handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - read lazily below
    reader = csv.DictReader(handle)
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    return header, iter(reader)


def count_rows(path: Path) -> int | None:
    """How many rows follow the header (for a progress bar); None if the file does not say."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        rows = workbook.active.max_row
        workbook.close()
        return rows - 1 if rows else None
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return max(sum(1 for _row in csv.reader(handle)) - 1, 0)


class BadRowError(Exception):
    pass


class _RollbackError(Exception):
    pass


def _policy_areas() -> dict[str, PolicyArea]:
    return {area.ogp_column: area for area in PolicyArea.objects.all()}


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


class _Institutions:
    """The import's institutions by name_key, read once; what a refused row added is forgotten
    with it (its savepoint is rolled back, so the cache must not keep them)."""

    def __init__(self) -> None:
        self.by_key: dict[str, Institution] = {}
        self.placeholder: Institution | None = None
        self.slugs: set[str] = set()
        for institution in Institution.objects.order_by("pk"):  # the oldest of equal names
            self.by_key.setdefault(name_key(institution.name), institution)
            self.slugs.add(institution.slug)
            if institution.slug == PLACEHOLDER_SLUG:
                self.placeholder = institution
        self._added: list[tuple[str, str]] = []  # (key, slug) created in the current row
        self._placeholder_before: Institution | None = self.placeholder

    def begin(self) -> None:
        self._added, self._placeholder_before = [], self.placeholder

    def undo(self) -> None:
        for key, slug in self._added:
            self.by_key.pop(key, None)
            self.slugs.discard(slug)
        self._added, self.placeholder = [], self._placeholder_before

    def _create(self, name: str, slug: str, kind: str, report: Report) -> Institution:
        created = institution_save(
            actor=report.actor, institution=Institution(name=name, slug=slug, kind=kind)
        )
        self.slugs.add(slug)
        self.by_key[name_key(name)] = created
        self._added.append((name_key(name), slug))
        report.count("created", "institutions")
        return created

    def get(self, name: str, column: str, line: int, report: Report) -> Institution:
        name = _fit(column, " ".join(name.split()), 400, line, report)
        found = self.by_key.get(name_key(name))
        if found is not None:
            return found
        base = slugify(name)[:60].strip("-") or "institucion"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        return self._create(name, slug, Institution.Kind.GOVERNMENT, report)

    def unpublished(self, report: Report) -> Institution:
        """The shared placeholder for a lead institution OGP did not publish."""
        if self.placeholder is None:
            self.placeholder = self.by_key.get(name_key(PLACEHOLDER_NAME)) or self._create(
                PLACEHOLDER_NAME, PLACEHOLDER_SLUG, Institution.Kind.OTHER, report
            )
        return self.placeholder


def _member(row: dict[str, Any], line: int, report: Report) -> Member:
    """The row's member; one OGP's file introduces keeps its region and level. An existing
    member is left as it is (its region and level may have been set in Cocrea)."""
    code = _text(row.get("Code")).upper()
    member = Member.objects.filter(code=code).first()
    if member is not None:
        return member
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
    member = member_save(
        actor=report.actor,
        member=Member(
            name=_fit(
                "Country/Locality", _text(row.get("Country/Locality")) or code, 150, line, report
            ),
            code=code,
            slug=slugify(code)[:80] or code.lower(),
            level=level,
            region=_fit("Region", _text(row.get("Region")), 80, line, report),
        ),
    )
    report.count("created", "members")
    return member


def _plan(row: dict[str, Any], number: int, report: Report, line: int) -> ActionPlan:
    plan_id = _text(row.get("Action Plan ID"))
    plan = ActionPlan.objects.filter(ogp_id=plan_id).first()
    if plan is not None:
        return plan
    member = _member(row, line, report)
    try:
        start_year = int(float(_text(row.get("Year Of Submission"))))
        end_year = int(float(_text(row.get("Action Plan End Year")) or start_year + 2))
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
    # The title is written in the uploader's language, as anything typed in Cocrea is.
    plan = action_plan_save(
        actor=report.actor,
        plan=ActionPlan(
            member=member,
            number=number,
            title=_("%(member)s: action plan %(number)s (%(start)s–%(end)s)")
            % {"member": member.name, "number": number, "start": start_year, "end": end_year},
            slug=re.sub(r"[^a-z0-9]+", "-", plan_id.lower()).strip("-")[:80],
            start_date=date(start_year, 1, 1),
            end_date=date(end_year, 12, 31),
            status=ActionPlan.Status.CLOSED if end_year < date.today().year else "implementation",
            ogp_id=plan_id,
        ),
    )
    report.count("created", "action plans")
    return plan


def _irm(row: dict[str, Any], line: int, report: Report) -> dict[str, Any]:
    """The IRM's findings the row publishes (unknown ones are not in it)."""
    values: dict[str, Any] = {}
    for name, column in IrmReview.OGP_COLUMNS.items():
        raw = row.get(column)
        if _missing(raw):
            continue
        if name in BOOLEAN_FIELDS:
            try:
                values[name] = parse_flag(raw)
            except ValueError:
                report.warnings.append((line, _not_flag(column, raw)))
        elif name == "report_url":
            values[name] = _fit(column, _text(raw), 500, line, report)
        else:
            text = " ".join(_text(raw).lower().split())
            labels = _labels(name)
            value = ALIASES.get(name, {}).get(text) or ALIASES["*"].get(text)
            if value not in labels:
                value = _choices(name).get(text)
            if value:
                values[name] = value
            else:
                report.warnings.append(
                    (
                        line,
                        _("%(column)s: «%(value)s» is not one of OGP's values; left out")
                        % {"column": column, "value": raw},
                    )
                )
    return values


def _number(row: dict[str, Any], plan: ActionPlan, line: int, report: Report) -> str:
    """A new commitment's number as OGP publishes it (3, 2.6, 3.2.5, 1.6A), with a spreadsheet's
    float noise taken out (2.2999999999999998 is 2.3, 3.0 is 3) and said. A number missing,
    taken in the plan or longer than the field: the next free whole number, and said."""
    import math

    from cocrea.plans.models import next_whole_number

    raw = row.get("Commitment Number")
    number = _text(raw)
    try:
        value = float(number)
    except ValueError:
        value = math.nan  # 3.2.5, 1.6A: text, kept as published
    if not number.isdigit() and math.isfinite(value):
        shortest = str(int(value)) if value.is_integer() else repr(value)
        if shortest != number:
            report.warnings.append(
                (
                    line,
                    _("%(column)s: «%(value)s» is a spreadsheet's number; read as %(number)s")
                    % {"column": "Commitment Number", "value": raw, "number": shortest},
                )
            )
            number = shortest
    taken = set(Commitment.objects.filter(plan=plan).values_list("number", flat=True))
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
    raw = row.get("Lead Institution")
    name = _text(raw)
    if name:
        commitment.lead_institution = cache.get(name, "Lead Institution", line, report)
    elif commitment.pk is not None:
        report.warnings.append((line, _unpublished("Lead Institution", raw)))
    else:
        commitment.lead_institution = cache.unpublished(report)
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
    row: dict[str, Any], line: int, report: Report, cache: _Institutions
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
        institution = cache.get(name, "Supporting Institution(s)", line, report)
        found.setdefault(institution.pk, institution)
    return list(found.values())


def _areas(
    row: dict[str, Any], line: int, report: Report, areas: dict[str, PolicyArea], current: set
) -> list[PolicyArea]:
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
    return [area for area in areas.values() if area.pk in chosen]


def _import_row(
    row: dict[str, Any],
    line: int,
    report: Report,
    areas: dict[str, PolicyArea],
    cache: _Institutions,
    orders: dict[str, str],
) -> None:
    missing = [column for column in REQUIRED if _missing(row.get(column))]
    if missing:
        raise BadRowError(_("missing %(columns)s") % {"columns": ", ".join(missing)})
    try:
        plan_number = int(float(_text(row.get("Action Plan Number")) or 1))
    except ValueError:
        raise BadRowError(
            _("Action Plan Number «%(value)s» is not a number")
            % {"value": row.get("Action Plan Number")}
        ) from None
    plan = _plan(row, plan_number, report, line)
    ogp_id = _text(row["Commitment Unique Identifier"])
    existing = Commitment.objects.filter(ogp_id=ogp_id).first()
    before = None if existing is None else _fingerprint(existing)
    if existing is not None:
        commitment = existing
        current = set(existing.policy_areas.values_list("pk", flat=True))
    else:
        number = _number(row, plan, line, report)
        # Imported commitments have no currency unless OGP's file says one (it does not).
        commitment = Commitment(
            plan=plan,
            ogp_id=ogp_id,
            number=number,
            slug=slugify(ogp_id)[:120] or ogp_id.lower(),
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
    _lead(row, line, report, cache, commitment)
    carried = row.get("Carried Forward")
    if not _missing(carried):
        try:
            commitment.carried_forward = parse_flag(carried)
        except ValueError:
            report.warnings.append((line, _not_flag("Carried Forward", carried)))
    commitment_save(
        actor=report.actor,
        commitment=commitment,
        supporting_institutions=_supporters(row, line, report, cache),
        policy_areas=_areas(row, line, report, areas, current),
    )
    if existing is None:
        report.count("created", "commitments")
    elif before != _fingerprint(Commitment.objects.get(pk=commitment.pk)):
        report.count("changed", "commitments")
    findings = _irm(row, line, report)
    if findings:
        stored = IrmReview.objects.filter(commitment=commitment).first()
        if stored is None:
            report.count("created", "IRM findings")
            review = IrmReview(commitment=commitment, **findings)
        else:
            if any(getattr(stored, k) != v for k, v in findings.items()):
                report.count("changed", "IRM findings")
            review = stored  # what the row does not publish stays as it was
            for name, value in findings.items():
                setattr(review, name, value)
        irm_review_import(actor=report.actor, commitment=commitment, review=review)


def _fingerprint(commitment: Commitment) -> tuple:
    return (
        commitment.title,
        commitment.short_description,
        commitment.description,
        commitment.start_date,
        commitment.end_date,
        commitment.lead_institution_id,
        commitment.carried_forward,
        tuple(sorted(commitment.supporting_institutions.values_list("pk", flat=True))),
        tuple(sorted(commitment.policy_areas.values_list("pk", flat=True))),
    )


def _refusal(error: Exception, row: dict[str, Any]) -> str:
    """A service's refusal as the report says it: each message with its column and value."""
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


def import_file(
    path: Path, *, dry_run: bool = False, progress: Any = None, actor: Any = None
) -> Report:
    """Import `path`; all or nothing (see the module's docstring)."""
    report = Report(dry_run=dry_run, actor=actor)
    header, reader = read_rows(path)
    areas = _policy_areas()
    known = set(IDENTITY) | set(IrmReview.OGP_COLUMNS.values()) | set(areas) | KNOWN_DERIVED
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
    orders = _date_notes(rows, report)
    try:
        with transaction.atomic():
            cache = _Institutions()
            for line, row in rows:
                report.rows += 1
                cache.begin()
                try:
                    with transaction.atomic():
                        _import_row(row, line, report, areas, cache, orders)
                except BadRowError as error:
                    cache.undo()
                    report.errors.append((line, str(error)))
                except Exception as error:  # a service's validation: the row's reason
                    cache.undo()
                    report.errors.append((line, _refusal(error, row)))
                if progress:
                    progress(line - 1)
            if report.errors or dry_run:
                raise _RollbackError
    except _RollbackError:
        pass
    if report.errors:
        report.created, report.changed = {}, {}
    return report


def export_rows(commitments: Iterable[Commitment]) -> Iterator[dict[str, str]]:
    areas = list(PolicyArea.objects.order_by("position"))
    for c in commitments:
        plan = c.plan
        row = {
            "Commitment Unique Identifier": c.ogp_id,
            "Country/Locality": plan.member.name,
            "Action Plan Number": str(plan.number),
            "Commitment Number": c.number,
            "Code": plan.member.code,
            "Region": plan.member.region or "NA",
            "National Or Local": LEVEL_COLUMN.get(plan.member.level, "National"),
            "Year Of Submission": str(plan.start_date.year),
            "Action Plan End Year": str(plan.end_date.year),
            "Commitment Title": c.title,
            "Short Title": c.short_description or "NA",
            "Full Text": c.description or "NA",
            "Start Date": c.start_date.strftime("%m/%d/%Y") if c.start_date else "NA",
            "End Date": c.end_date.strftime("%m/%d/%Y") if c.end_date else "NA",
            "Lead Institution": c.lead_institution.name,
            "Supporting Institution(s)": "; ".join(i.name for i in c.supporting_institutions.all())
            or "NA",
            "Action Plan ID": plan.ogp_id,
            "Carried Forward": "ND"
            if c.carried_forward is None
            else ("1" if c.carried_forward else "0"),
        }
        review = getattr(c, "irm_review", None)
        with translation.override("en"):
            for name, column in IrmReview.OGP_COLUMNS.items():
                value = getattr(review, name, None) if review else None
                if value is None or value == "":
                    row[column] = "ND"
                elif name in BOOLEAN_FIELDS:
                    row[column] = "1" if value else "0"
                elif name == "report_url":
                    row[column] = value
                else:
                    row[column] = _labels(name)[value]
        chosen = {a.pk for a in c.policy_areas.all()}
        for area in areas:
            row[area.ogp_column] = "1" if area.pk in chosen else "0"
        yield row


def export_commitments(plan: ActionPlan | None = None) -> QuerySet[Commitment]:
    """Every commitment with an OGP id, or every commitment of one plan (a new plan's have no
    OGP id yet: OGP gives them one when it receives the file)."""
    commitments = Commitment.objects.all() if plan else Commitment.objects.exclude(ogp_id="")
    if plan is not None:
        commitments = commitments.filter(plan=plan)
    return (
        commitments.select_related("plan", "plan__member", "lead_institution", "irm_review")
        .prefetch_related("supporting_institutions", "policy_areas")
        .order_by("plan__start_date", "number_sort", "ogp_id")
    )


def export_write(handle: Any, commitments: QuerySet[Commitment]) -> int:
    """Write the commitments as OGP's CSV to an open text handle; return how many."""
    areas = [a.ogp_column for a in PolicyArea.objects.order_by("position")]
    header = IDENTITY + list(IrmReview.OGP_COLUMNS.values()) + areas
    writer = csv.DictWriter(handle, fieldnames=header)
    writer.writeheader()
    count = 0
    for row in export_rows(commitments.iterator(chunk_size=500)):
        writer.writerow(row)
        count += 1
    return count


def export_file(path: Path) -> int:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        return export_write(handle, export_commitments().order_by("ogp_id"))
