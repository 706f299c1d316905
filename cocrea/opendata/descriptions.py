"""What each file of the open-data export holds, said in the visitor's language for the page
`/datos-abiertos/`: the file names stay as they are (they are the addresses and the names inside
the data package), the page describes them."""

from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cocrea.opendata.export import TABLES

# One sentence per table of the export (a test checks that every table has one).
TABLE_DESCRIPTIONS: dict[str, tuple[Promise, Promise]] = {
    "action_plans": (
        _("Action plans"),
        _("Each action plan: its title, period, status and OGP member."),
    ),
    "institutions": (
        _("Institutions"),
        _("Public institutions and civil-society organisations that take part."),
    ),
    "policy_areas": (
        _("Policy areas"),
        _("OGP's policy areas, with which commitments are classified."),
    ),
    "commitments": (
        _("Commitments"),
        _("Every commitment in OGP's template: problem, objective, lead institution, dates."),
    ),
    "milestones": (
        _("Milestones"),
        _(
            "The milestones of each commitment, with their dates, responsible institution and "
            "completion."
        ),
    ),
    "progress_reports": (
        _("Progress reports"),
        _("The published progress reports on each milestone, with their evidence."),
    ),
    "assessments": (
        _("Civil-society assessments"),
        _("What civil-society organisations say of each commitment's progress."),
    ),
    "consultations": (
        _("Consultations"),
        _("Each co-creation consultation and its timeline."),
    ),
    "proposals": (
        _("Proposals"),
        _("The proposals people made in the consultations (hidden ones left out)."),
    ),
    "responses": (
        _("Answers to proposals"),
        _("The point of contact's answer to each proposal, with its reasons."),
    ),
    "comments": (
        _("Comments"),
        _("Comments on the proposals (hidden ones left out)."),
    ),
    "meetings": (
        _("Forum meetings"),
        _("Meetings of the multi-stakeholder forum: date, place, agenda and minutes."),
    ),
}

FORMATS: dict[str, Promise] = {
    ".csv": _("CSV table (opens in a spreadsheet)"),
    ".json": _("JSON (for programs)"),
    ".xlsx": _("Excel workbook"),
}

# The files that describe the package rather than hold data.
ABOUT: dict[str, tuple[Promise, Promise]] = {
    "datapackage.json": (
        _("Description of every column"),
        _("What each column of each table means and its type (Frictionless Data Package, JSON)."),
    ),
    "README.md": (_("Read me"), _("What the export holds and how it was made (text).")),
    "LICENSE.txt": (_("Licence"), _("The terms of reuse: CC BY 4.0 (text).")),
}


@dataclass(frozen=True)
class OfferedFile:
    name: str  # the file name: the download's address
    format: str
    size: int


@dataclass(frozen=True)
class Offered:
    title: str
    description: str
    files: list[OfferedFile]


def offered(paths: list[Path]) -> list[Offered]:
    """The export's files grouped as the page lists them: each table with its formats, then the
    files about the package, then any other file under its own name."""
    by_name = {p.name: p for p in paths}
    listed: list[Offered] = []
    for table in TABLES:
        title, description = TABLE_DESCRIPTIONS[table.name]
        files = [
            OfferedFile(name, str(label), by_name.pop(name).stat().st_size)
            for suffix, label in FORMATS.items()
            if (name := f"{table.name}{suffix}") in by_name
        ]
        if files:
            listed.append(Offered(str(title), str(description), files))
    for name, (title, description) in ABOUT.items():
        if name in by_name:
            size = by_name.pop(name).stat().st_size
            listed.append(Offered(str(title), str(description), [OfferedFile(name, "", size)]))
    for name, path in sorted(by_name.items()):
        listed.append(Offered(name, "", [OfferedFile(name, "", path.stat().st_size)]))
    return listed
