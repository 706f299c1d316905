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

The import itself (checked in memory, then written in bulk in one short transaction) is
`ogp_import.py`. Unknown columns are listed, not fatal, and kept.

Export: one row per commitment with an OGP id. Each imported row is kept as OGP published it
(`OgpRecord`: every cell, OGP's own columns and unknown ones too), so the export gives back OGP's
cell wherever the value was not edited in Cocrea since, and Cocrea's value where it was: an import
followed by an export gives back the file, cell for cell."""

import csv
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from cocrea.opendata.models import OgpHeader
from cocrea.plans.models import ActionPlan, Commitment, Member, PolicyArea
from cocrea.tracking.models import IrmReview

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
# Named in the uploader's language, as a plan's title is; found again by its slug.
PLACEHOLDER_NAME = gettext_noop("Not published by OGP")
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


@functools.cache
def _labels(field_name: str) -> dict[str, str]:
    """Stored value to English label, for an IRM field with choices (the same in every
    language: read once)."""
    choices: Any = getattr(IrmReview._meta.get_field(field_name), "choices", None) or []
    with translation.override("en"):
        return {value: str(label) for value, label in choices}


@functools.cache
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


def irm_values(row: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The IRM's findings the row publishes (unknown ones are not in it), and what could not be
    read, as the report says it."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, column in IrmReview.OGP_COLUMNS.items():
        raw = row.get(column)
        if _missing(raw):
            continue
        if name in BOOLEAN_FIELDS:
            try:
                values[name] = parse_flag(raw)
            except ValueError:
                problems.append(_not_flag(column, raw))
        elif name == "report_url":
            values[name] = _text(raw)[:500]
            if len(_text(raw)) > 500:
                problems.append(
                    _("%(column)s: «%(value)s» is longer than %(limit)s characters; cut")
                    % {"column": column, "value": raw, "limit": 500}
                )
        else:
            text = " ".join(_text(raw).lower().split())
            labels = _labels(name)
            value = ALIASES.get(name, {}).get(text) or ALIASES["*"].get(text)
            if value not in labels:
                value = _choices(name).get(text)
            if value:
                values[name] = value
            else:
                problems.append(
                    _("%(column)s: «%(value)s» is not one of OGP's values; left out")
                    % {"column": column, "value": raw}
                )
    return values, problems


def _flag(value: bool | None) -> str:
    return "ND" if value is None else ("1" if value else "0")


def modelled_row(
    c: Commitment,
    *,
    plan: ActionPlan,
    supporting: list[str],
    review: IrmReview | None,
    chosen: set[int],
    areas: list[PolicyArea],
) -> dict[str, str]:
    """A commitment as OGP's columns, from what Cocrea models of it: the export of a commitment
    no OGP file brought, and, for one that came from a file, what tells whether a column was
    edited in Cocrea since (`OgpRecord.modelled`)."""
    member = plan.member
    row = {
        "Commitment Unique Identifier": c.ogp_id,
        "Country/Locality": member.name,
        "Action Plan Number": str(plan.number),
        "Commitment Number": str(c.number),
        "Code": member.code,
        "Region": member.region or "NA",
        "National Or Local": LEVEL_COLUMN.get(member.level, "National"),
        "Year Of Submission": str(plan.start_date.year),
        "Action Plan End Year": str(plan.end_date.year),
        "Commitment Title": c.title,
        "Short Title": c.short_description or "NA",
        "Full Text": c.description or "NA",
        "Start Date": c.start_date.strftime("%m/%d/%Y") if c.start_date else "NA",
        "End Date": c.end_date.strftime("%m/%d/%Y") if c.end_date else "NA",
        "Lead Institution": c.lead_institution.name,
        "Supporting Institution(s)": "; ".join(sorted(supporting)) or "NA",
        "Action Plan ID": plan.ogp_id,
        "Carried Forward": _flag(c.carried_forward),
    }
    with translation.override("en"):
        for name, column in IrmReview.OGP_COLUMNS.items():
            value = getattr(review, name, None) if review else None
            if value is None or value == "":
                row[column] = "ND"
            elif name in BOOLEAN_FIELDS:
                row[column] = _flag(value)
            elif name == "report_url":
                row[column] = value
            else:
                row[column] = _labels(name)[value]
    for area in areas:
        row[area.ogp_column] = "1" if area.pk in chosen else "0"
    return row


def export_rows(commitments: Iterable[Commitment]) -> Iterator[dict[str, str]]:
    """OGP's row of each commitment: for one an OGP file brought, the cell as OGP published it
    wherever Cocrea's value is still what the import made of it, and Cocrea's value where it
    was edited since (or where the file had no such column); for the others, Cocrea's values."""
    areas = list(PolicyArea.objects.order_by("position"))
    for c in commitments:
        modelled = modelled_row(
            c,
            plan=c.plan,
            supporting=[i.name for i in c.supporting_institutions.all()],
            review=getattr(c, "irm_review", None),
            chosen={a.pk for a in c.policy_areas.all()},
            areas=areas,
        )
        record = getattr(c, "ogp_record", None)
        if record is None:
            yield modelled
            continue
        row = dict(record.cells)
        for column, value in modelled.items():
            if column not in row or record.modelled.get(column) != value:
                row[column] = value
        yield row


def export_commitments(
    plan: ActionPlan | None = None, member: Member | None = None
) -> QuerySet[Commitment]:
    """Every commitment with an OGP id (of one OGP member's plans only, with `member`), or
    every commitment of one plan (a new plan's have no OGP id yet: OGP gives them one when it
    receives the file)."""
    commitments = Commitment.objects.all() if plan else Commitment.objects.exclude(ogp_id="")
    if plan is not None:
        commitments = commitments.filter(plan=plan)
    if member is not None:
        commitments = commitments.filter(plan__member=member)
    return (
        commitments.select_related(
            "plan", "plan__member", "lead_institution", "irm_review", "ogp_record"
        )
        .prefetch_related("supporting_institutions", "policy_areas")
        .order_by("plan__start_date", "number_sort", "ogp_id")
    )


def export_header(commitments: QuerySet[Commitment]) -> list[str]:
    """The export's columns: when the commitments came from one OGP file, its columns in its
    order, then OGP's columns it lacked; else OGP's columns as Cocrea writes them, then the other
    columns OGP's files had, in their order."""
    standard = IDENTITY + list(IrmReview.OGP_COLUMNS.values())
    standard += [a.ogp_column for a in PolicyArea.objects.order_by("position")]
    headers = list(
        OgpHeader.objects.filter(records__commitment__in=commitments.values("pk"))
        .distinct()
        .order_by("pk")
        .values_list("columns", flat=True)
    )
    if len(headers) == 1:
        return headers[0] + [c for c in standard if c not in headers[0]]
    extra: list[str] = []
    for columns in headers:
        extra += [c for c in columns if c and c not in standard and c not in extra]
    return standard + extra


def export_write(handle: Any, commitments: QuerySet[Commitment]) -> int:
    """Write the commitments as OGP's CSV to an open text handle; return how many."""
    writer = csv.DictWriter(handle, fieldnames=export_header(commitments), restval="")
    writer.writeheader()
    count = 0
    for row in export_rows(commitments.iterator(chunk_size=500)):
        writer.writerow(row)
        count += 1
    return count


def export_file(path: Path, member: Member | None = None) -> int:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        return export_write(handle, export_commitments(member=member).order_by("ogp_id"))
