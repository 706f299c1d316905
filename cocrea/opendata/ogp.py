"""OGP's commitments database format (DOMAIN.md), in and out.

Import: a CSV or XLSX as OGP publishes it creates or updates OGP members, action plans,
commitments, institutions, policy areas (0/1 columns) and the IRM's findings, matching by OGP's
ids (`Code`, `Action Plan ID`, `Commitment Unique Identifier`). `ND`, `NA`, `NR` and empty cells
are missing values. Unknown columns are listed, not fatal. A value outside the vocabulary or a
date in no known shape is reported per row and left out (the row is not refused: real OGP files
are messy). A row without what identifies it (commitment id, plan id, country code, title) is a
bad row, and a file with any bad row changes nothing: every bad row is reported with its reason.
Every write goes through the services, in one transaction; a dry run does all of it and rolls
it back, reporting what would be created and changed.

Export: the same columns, one row per commitment with an OGP id, so that an import followed by an
export gives back every field Cocrea models."""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
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
REQUIRED = ["Commitment Unique Identifier", "Action Plan ID", "Code", "Commitment Title"]
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
DATE_SHAPES = ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%B %Y", "%b %Y", "%B %d, %Y")
BOOLEAN_FIELDS = {
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
    "starred",
}


def _missing(value: Any) -> bool:
    return value is None or str(value).strip().lower() in MISSING


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value).strip()


def parse_date(value: Any) -> date | None:
    """OGP's dates are month-first in several shapes; a month alone means its first day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for shape in DATE_SHAPES:
        try:
            return datetime.strptime(text, shape).date()
        except ValueError:
            continue
    raise ValueError(text)


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


# OGP's spellings that differ from our labels.
ALIASES = {"completed": "complete", "not started": "not_started", "no evidence": ""}


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


def _institution(name: str, report: Report, cache: dict[str, Institution]) -> Institution:
    key = name.strip()
    if key in cache:
        return cache[key]
    found = Institution.objects.filter(name__iexact=key).first()
    if found is None:
        base = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:60] or "institucion"
        slug, n = base, 2
        while Institution.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        found = institution_save(
            actor=report.actor,
            institution=Institution(name=key[:200], slug=slug, kind="government"),
        )
        report.count("created", "institutions")
    cache[key] = found
    return found


def _plan(row: dict[str, Any], number: int, report: Report, line: int) -> ActionPlan:
    code = _text(row.get("Code")).upper()
    member = Member.objects.filter(code=code).first()
    if member is None:
        level = (
            "local"
            if _text(row.get("National Or Local")).lower().startswith("local")
            else "national"
        )
        member = member_save(
            actor=report.actor,
            member=Member(
                name=_text(row.get("Country/Locality")) or code,
                code=code,
                slug=code.lower(),
                level=level,
                region=_text(row.get("Region")),
            ),
        )
        report.count("created", "members")
    plan_id = _text(row.get("Action Plan ID"))
    plan = ActionPlan.objects.filter(ogp_id=plan_id).first()
    if plan is not None:
        return plan
    try:
        start_year = int(float(_text(row.get("Year Of Submission"))))
        end_year = int(float(_text(row.get("Action Plan End Year")) or start_year + 2))
    except ValueError:
        raise BadRowError(
            _("the plan's years (Year Of Submission, Action Plan End Year) are not numbers")
        ) from None
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
            values[name] = _text(raw)[:500]
        else:
            text = _text(raw).lower()
            value = ALIASES.get(text, _choices(name).get(text))
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


def _import_row(
    row: dict[str, Any], line: int, report: Report, areas: dict[str, PolicyArea], cache: dict
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
    created = existing is None
    before = None if existing is None else _fingerprint(existing)
    if existing is not None:
        commitment = existing
    else:
        taken = set(Commitment.objects.filter(plan=plan).values_list("number", flat=True))
        try:
            number = int(float(_text(row.get("Commitment Number"))))
        except ValueError:
            number = 0
        if number < 1 or number in taken:
            number = max(taken, default=0) + 1
            report.warnings.append(
                (
                    line,
                    _(
                        "Commitment Number «%(value)s» is taken or not a whole number; "
                        "numbered %(number)s"
                    )
                    % {"value": row.get("Commitment Number"), "number": number},
                )
            )
        commitment = Commitment(plan=plan, ogp_id=ogp_id, number=number, slug=ogp_id.lower())
    dates = {}
    for name, column in (("start_date", "Start Date"), ("end_date", "End Date")):
        try:
            dates[name] = parse_date(row.get(column))
        except ValueError:
            report.warnings.append(
                (
                    line,
                    _("%(column)s: «%(value)s» is not a date; left out")
                    % {"column": column, "value": row.get(column)},
                )
            )
            dates[name] = getattr(commitment, name)
    lead_name = _text(row.get("Lead Institution"))
    if not lead_name:
        raise BadRowError(_("missing %(columns)s") % {"columns": "Lead Institution"})
    commitment.title = _text(row["Commitment Title"])[:300]
    commitment.short_description = _text(row.get("Short Title"))[:140]
    commitment.description = _text(row.get("Full Text"))
    commitment.start_date, commitment.end_date = dates["start_date"], dates["end_date"]
    if (
        commitment.start_date
        and commitment.end_date
        and commitment.end_date < commitment.start_date
    ):
        report.warnings.append((line, _("End Date before Start Date; dates left out")))
        commitment.start_date = commitment.end_date = None
    commitment.lead_institution = _institution(lead_name, report, cache)
    carried = row.get("Carried Forward")
    if not _missing(carried):
        try:
            commitment.carried_forward = bool(parse_flag(carried))
        except ValueError:
            report.warnings.append((line, _not_flag("Carried Forward", carried)))
    supporters = [
        _institution(name, report, cache)
        for name in re.split(r"[;\n]", _text(row.get("Supporting Institution(s)")))
        if name.strip()
    ]
    chosen = []
    for column, area in areas.items():
        if column in row and not _missing(row[column]):
            try:
                if parse_flag(row[column]):
                    chosen.append(area)
            except ValueError:
                report.warnings.append((line, _not_flag(column, row[column])))
    commitment_save(
        actor=report.actor,
        commitment=commitment,
        supporting_institutions=supporters,
        policy_areas=chosen,
    )
    if created:
        report.count("created", "commitments")
    elif before != _fingerprint(Commitment.objects.get(pk=commitment.pk)):
        report.count("changed", "commitments")
    findings = _irm(row, line, report)
    if findings:
        stored = IrmReview.objects.filter(commitment=commitment).first()
        review = IrmReview(commitment=commitment, **findings)
        if stored is None:
            report.count("created", "IRM findings")
        elif any(getattr(stored, k) != v for k, v in findings.items()):
            report.count("changed", "IRM findings")
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


def import_file(
    path: Path, *, dry_run: bool = False, progress: Any = None, actor: Any = None
) -> Report:
    """Import `path`; all or nothing (see the module's docstring)."""
    report = Report(dry_run=dry_run, actor=actor)
    header, rows = read_rows(path)
    areas = _policy_areas()
    known = set(IDENTITY) | set(IrmReview.OGP_COLUMNS.values()) | set(areas) | KNOWN_DERIVED
    report.unknown_columns = [h for h in header if h and h not in known]
    missing_columns = [c for c in REQUIRED if c not in header]
    if missing_columns:
        report.errors.append(
            (1, _("the header lacks %(columns)s") % {"columns": ", ".join(missing_columns)})
        )
        return report
    cache: dict[str, Institution] = {}
    try:
        with transaction.atomic():
            for index, row in enumerate(rows, start=2):  # line 1 is the header
                if not any(not _missing(v) for v in row.values()):
                    continue
                report.rows += 1
                try:
                    with transaction.atomic():
                        _import_row(row, index, report, areas, cache)
                except BadRowError as error:
                    report.errors.append((index, str(error)))
                except Exception as error:  # a service's validation: the row's reason
                    messages = getattr(error, "messages", None)
                    report.errors.append((index, "; ".join(messages) if messages else str(error)))
                if progress:
                    progress(index - 1)
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
            "Commitment Number": str(c.number),
            "Code": plan.member.code,
            "Region": plan.member.region or "NA",
            "National Or Local": "Local" if plan.member.level == "local" else "National",
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
            "Carried Forward": "1" if c.carried_forward else "0",
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
        .order_by("plan__start_date", "number", "ogp_id")
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
