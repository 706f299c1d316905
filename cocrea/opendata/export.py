"""Bulk open data: every public table as CSV (UTF-8), JSON and XLSX, and all of it as one zipped
Frictionless Data Package (`datapackage.json` with a table schema per file, a README and the
licence). The rows are the API's (opendata/selectors.py): nothing private.

Beside the whole site's package, each OGP member has its own, the same tables with its rows only
(`miembros/cocrea-datos-<member slug>-<day>.zip` in the export's folder).

Rows are read in chunks from a database cursor (`.values_list().iterator()`) and written as they
come, XLSX in xlsxwriter's constant-memory mode, so memory stays flat however large the data.
"""

import csv
import json
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from cocrea.core.versioning import data_version_bump
from cocrea.opendata import selectors

CHUNK = 2000
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless field type: string, integer, number, boolean, date, datetime
    lookup: str  # the ORM path read with values_list
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    rows: Callable[[], QuerySet]
    columns: tuple[Column, ...]
    order: str = "pk"
    # The ORM path to the row's OGP member: a member's package holds its rows only. None for a
    # table every member shares (OGP's policy areas), which every package holds whole.
    member: str | None = None


def _c(name: str, kind: str = "string", lookup: str | None = None, description: str = "") -> Column:
    return Column(name, kind, lookup or name, description)


# Columns that carry a rule every table keeps: rows are identified by their public id (never a
# database integer), and people appear by their public name only.
_PUBLIC_ID = _c("id", lookup="public_id")
_AUTHOR = _c("author", lookup="author__public_name", description="Public name only")


TABLES = (
    Table(
        "action_plans",
        "Action plans",
        selectors.plans,
        (
            _c("slug"),
            _c("ogp_id"),
            _c("member", lookup="member__name"),
            _c("member_code", lookup="member__code"),
            _c("number", "integer"),
            _c("title"),
            _c("start_date", "date"),
            _c("end_date", "date"),
            _c("status"),
            _c("summary"),
            _c("updated_at", "datetime"),
        ),
        member="member_id",
    ),
    Table(
        "institutions",
        "Institutions",
        selectors.institutions,
        (
            _c("slug"),
            _c("name"),
            _c("acronym"),
            _c("kind"),
            _c("member_code", lookup="member__code"),
            _c("updated_at", "datetime"),
        ),
        member="member_id",
    ),
    Table(
        "policy_areas",
        "OGP policy areas",
        selectors.policy_areas,
        (
            _c("slug"),
            _c("ogp_column", description="The column of OGP's commitments database"),
            _c("name_es"),
            _c("name_en"),
            _c("theme", lookup="parent__slug"),
        ),
        order="position",
    ),
    Table(
        "commitments",
        "Commitments in OGP's template",
        selectors.commitments,
        (
            _c("plan", lookup="plan__slug"),
            _c("slug"),
            _c("ogp_id"),
            _c("number", description="As the plan writes it: 3, 2.6, 3.2.5, 1.6A"),
            _c("title"),
            _c("short_description"),
            _c("problem"),
            _c("causes"),
            _c("description"),
            _c("how_it_helps"),
            _c("ambition"),
            _c("access_to_information", "boolean"),
            _c("civic_participation", "boolean"),
            _c("public_accountability", "boolean"),
            _c("technology_innovation", "boolean"),
            _c("inclusion", "boolean"),
            _c("start_date", "date"),
            _c("end_date", "date"),
            _c("lead_institution", lookup="lead_institution__slug"),
            _c("responsible_name"),
            _c("responsible_position"),
            _c("budget_amount", "number"),
            _c("budget_currency"),
            _c("carried_forward", "boolean"),
            _c("updated_at", "datetime"),
        ),
        member="plan__member_id",
    ),
    Table(
        "milestones",
        "Milestones",
        selectors.milestones,
        (
            _c("plan", lookup="commitment__plan__slug"),
            _c("commitment", lookup="commitment__slug"),
            _c("number", "integer"),
            _c("description"),
            _c("expected_output"),
            _c("start_date", "date"),
            _c("end_date", "date"),
            _c("responsible_institution", lookup="responsible_institution__slug"),
            _c("weight", "integer"),
            _c("completion"),
            _c("carried_over", "boolean"),
            _c("updated_at", "datetime"),
        ),
        member="commitment__plan__member_id",
    ),
    Table(
        "progress_reports",
        "Published progress reports",
        selectors.progress_reports,
        (
            _PUBLIC_ID,
            _c("plan", lookup="milestone__commitment__plan__slug"),
            _c("commitment", lookup="milestone__commitment__slug"),
            _c("milestone", "integer", "milestone__number"),
            _c("institution", lookup="institution__slug"),
            _c("completion"),
            _c("percent", "integer"),
            _c("done"),
            _c("facts_date", "date"),
            _c("published_at", "datetime"),
            _c("corrects", lookup="corrects__public_id"),
        ),
        member="milestone__commitment__plan__member_id",
    ),
    Table(
        "assessments",
        "Civil society's assessments",
        selectors.assessments,
        (
            _PUBLIC_ID,
            _c("plan", lookup="commitment__plan__slug"),
            _c("commitment", lookup="commitment__slug"),
            _c("milestone", "integer", "milestone__number"),
            _c("organisation", lookup="organisation__slug"),
            _c("completion"),
            _c("reading"),
            _c("published_at", "datetime"),
        ),
        member="commitment__plan__member_id",
    ),
    Table(
        "consultations",
        "Consultations",
        selectors.consultations,
        (
            _c("slug"),
            _c("plan", lookup="plan__slug"),
            _c("title"),
            _c("description"),
            _c("published_at", "datetime"),
        ),
        member="plan__member_id",
    ),
    Table(
        "proposals",
        "Proposals (visible ones)",
        selectors.proposals,
        (
            _PUBLIC_ID,
            _c("consultation", lookup="consultation__slug"),
            _c("title"),
            _c("problem"),
            _c("proposal"),
            _c("policy_area", lookup="policy_area__slug"),
            _c("department"),
            _c("municipality"),
            _AUTHOR,
            _c("organisation", lookup="organisation__slug"),
            _c("support_count", "integer"),
            _c("comment_count", "integer"),
            _c("created_at", "datetime"),
        ),
        member="consultation__plan__member_id",
    ),
    Table(
        "responses",
        "Answers to proposals",
        selectors.responses,
        (
            _c("proposal", lookup="proposal__public_id"),
            _c("kind"),
            _c("reasons"),
            _c("merged_into", lookup="merged_into__public_id"),
            _c("answered_at", "datetime"),
        ),
        member="proposal__consultation__plan__member_id",
    ),
    Table(
        "comments",
        "Comments on proposals (visible ones)",
        selectors.comments,
        (
            _PUBLIC_ID,
            _c("proposal", lookup="proposal__public_id"),
            _c("in_reply_to", lookup="parent__public_id"),
            _AUTHOR,
            _c("body"),
            _c("created_at", "datetime"),
        ),
        member="proposal__consultation__plan__member_id",
    ),
    Table(
        "meetings",
        "Forum meetings",
        selectors.meetings,
        (
            _PUBLIC_ID,
            _c("forum", lookup="forum__slug"),
            _c("plan", lookup="plan__slug"),
            _c("kind"),
            _c("status"),
            _c("title"),
            _c("starts_at", "datetime"),
            _c("place"),
            _c("online_url"),
            _c("agenda"),
            _c("minutes"),
        ),
        member="forum__member_id",
    ),
)


def _text(value: Any) -> Any:
    """A cell as CSV and JSON write it: dates in ISO 8601 (UTC for moments), decimals as text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def rows(table: Table, members: list[int] | None = None) -> Iterator[tuple[Any, ...]]:
    """The table's rows, a chunk at a time from a database cursor. With `members`, only those
    members' rows (a table every member shares: all of it), each led by its member's id."""
    lookups = [column.lookup for column in table.columns]
    queryset = table.rows().order_by(table.order)
    if members is None:
        for row in queryset.values_list(*lookups).iterator(chunk_size=CHUNK):
            yield tuple(_text(value) for value in row)
        return
    if table.member is None:
        queryset = queryset.values_list(*lookups)
    else:
        queryset = queryset.filter(**{f"{table.member}__in": members})
        queryset = queryset.values_list(table.member, *lookups)
    for row in queryset.iterator(chunk_size=CHUNK):
        yield tuple(_text(value) for value in row)


class _TableFiles:
    """The CSV, JSON and XLSX of one table in one folder, written a row at a time."""

    def __init__(self, table: Table, folder: Path) -> None:
        import xlsxwriter

        self.names = [column.name for column in table.columns]
        self.count = 0
        self.workbook = xlsxwriter.Workbook(
            str(folder / f"{table.name}.xlsx"),
            {"constant_memory": True, "strings_to_urls": False},
        )
        self.sheet = self.workbook.add_worksheet(table.name[:31])
        self.sheet.write_row(0, 0, self.names)
        self.csv_file = open(folder / f"{table.name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.json_file = open(folder / f"{table.name}.json", "w", encoding="utf-8")  # noqa: SIM115
        self.writer = csv.writer(self.csv_file)
        self.writer.writerow(self.names)
        self.json_file.write("[")

    def write(self, row: tuple[Any, ...]) -> None:
        cells = ["" if value is None else value for value in row]  # CSV and XLSX: no null
        self.writer.writerow(cells)
        self.json_file.write(("," if self.count else "") + "\n")
        json.dump(dict(zip(self.names, row, strict=True)), self.json_file, ensure_ascii=False)
        self.count += 1
        self.sheet.write_row(self.count, 0, cells)

    def close(self) -> int:
        self.json_file.write("\n]\n")
        self.json_file.close()
        self.csv_file.close()
        self.workbook.close()
        return self.count


def _write_table(table: Table, folder: Path) -> int:
    """CSV, JSON and XLSX of one table, in one pass over its rows."""
    files = _TableFiles(table, folder)
    try:
        for row in rows(table):
            files.write(row)
    finally:
        count = files.close()
    return count


def _write_member_tables(table: Table, folders: dict[int, Path]) -> None:
    """The table for each member of `folders` (member id: folder), in one pass over their
    rows: each row goes to its own member's files; a shared table's rows go to every one."""
    files = {member: _TableFiles(table, folder) for member, folder in folders.items()}
    try:
        for row in rows(table, list(folders)):
            if table.member is None:
                for each in files.values():
                    each.write(row)
            else:
                files[row[0]].write(row[1:])
    finally:
        for each in files.values():
            each.close()


def _resource(table: Table) -> dict[str, Any]:
    return {
        "name": table.name.replace("_", "-"),
        "title": table.title,
        "path": f"{table.name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {
                    "name": c.name,
                    "type": c.type,
                    **({"description": c.description} if c.description else {}),
                }
                for c in table.columns
            ]
        },
    }


README = """# {site}: open data of {day}{of_member}

Every public table of {site} (open government action plans, their co-creation and their
progress){member_only}, as CSV (UTF-8), JSON and XLSX, described by `datapackage.json`
(Frictionless Data, one table schema per CSV file). The same data is served by the API at /api/v1/.

People appear by their public name only; drafts, hidden content and personal data are not here.
Moments are in UTC (ISO 8601). Licence: {licence} ({licence_url}).

Tables: {tables}
"""


KEEP = 7  # exports kept on disk; the page offers the newest
MEMBERS = "miembros"  # the folder, inside an export's folder, of each member's package
# Files an export replaced stay this long (seconds) for downloads that had begun (see export()).
RETIRED_SECONDS = 3600
BATCH = 64  # members written in one pass over a table (each has three files open meanwhile)


def member_archive_name(slug: str, day: str) -> str:
    """A member's package: `cocrea-datos-<member slug>-<day>.zip`, in the export's folder's
    `miembros/`; the whole site's files keep their names."""
    return f"cocrea-datos-{slug}-{day}.zip"


def _zip(work: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(work.iterdir()):
            if path.is_file():
                zipped.write(path, arcname=f"{work.name}/{path.name}")


def export(folder: Path, *, progress: Callable[[str, int], None] | None = None) -> Path:
    """Write every table, the package description, a README, the licence and the zip into
    `folder`; return the zip's path. Files are dated by the day of the export.

    Everything is built in a hidden folder beside the published one and then moved into place
    by renames, so a download that runs during an export reads the old files or the new ones,
    never half of either. The newest KEEP exports are kept.

    The folder may be shared by several machines (NFS: the worker writes, the app servers
    read). There a file deleted on one machine is gone at once for a reader on another, even
    one half-way through it; so what an export of the same day replaces is not deleted but
    retired, beside the export, and deleted RETIRED_SECONDS later."""
    day = timezone.localdate().isoformat()
    name = f"cocrea-datos-{day}"
    folder.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
    try:
        work = building / name
        work.mkdir()
        _write_package(work, day, progress)
        archive = building / f"{name}.zip"
        _zip(work, archive)
        _write_member_packages(work / MEMBERS, day, building)
        final, published = folder / name, folder / f"{name}.zip"
        if final.exists():
            final.rename(building / "replaced")
        work.rename(final)
        if published.exists():
            os.link(published, building / "replaced.zip")  # the old file lives on through it
        os.replace(archive, published)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _retire(building)
    _prune(folder)
    return folder / f"{name}.zip"


def _retire(building: Path) -> None:
    if not any(building.iterdir()):
        building.rmdir()
        return
    retired = building.with_name(building.name.replace(".building-", ".retired-", 1))
    building.rename(retired)
    os.utime(retired)  # its age counts from now


def _write_package(work: Path, day: str, progress: Callable[[str, int], None] | None) -> None:
    for table in TABLES:
        count = _write_table(table, work)
        if progress:
            progress(table.name, count)
    _describe(work, day)


def _write_member_packages(members_folder: Path, day: str, building: Path) -> None:
    """One package per OGP member, the same tables with that member's rows only, zipped into
    `members_folder`. Members are written BATCH at a time, one pass over each table per batch:
    a few queries per table, whatever the rows."""
    from cocrea.plans.models import Member

    members_folder.mkdir()
    everyone = list(Member.objects.order_by("pk").values_list("pk", "slug", "name", "code"))
    for start in range(0, len(everyone), BATCH):
        batch = everyone[start : start + BATCH]
        folders: dict[int, Path] = {}
        for pk, slug, _name, _code in batch:
            folders[pk] = building / f"cocrea-datos-{slug}-{day}"
            folders[pk].mkdir()
        for table in TABLES:
            _write_member_tables(table, folders)
        for pk, slug, member_name, code in batch:
            _describe(folders[pk], day, member=(slug, member_name, code))
            _zip(folders[pk], members_folder / member_archive_name(slug, day))
            shutil.rmtree(folders[pk])


def _describe(work: Path, day: str, member: tuple[str, str, str] | None = None) -> None:
    """The package's description, read-me and licence; `member` (slug, name, code) for one
    member's package."""
    site = settings.COCREA_SITE_NAME
    package = {
        "name": f"cocrea-open-data-{member[0]}" if member else "cocrea-open-data",
        "title": f"{site}: open data of {member[1]}" if member else f"{site}: open data",
        "created": timezone.now().isoformat(),
        "version": day,
        "licenses": [LICENCE],
        "resources": [_resource(table) for table in TABLES],
    }
    (work / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2))
    (work / "README.md").write_text(
        README.format(
            site=site,
            day=day,
            of_member=f", {member[1]} ({member[2]})" if member else "",
            member_only=(
                f" of the OGP member {member[1]} only (OGP's policy areas whole)" if member else ""
            ),
            licence=LICENCE["title"],
            licence_url=LICENCE["path"],
            tables=", ".join(table.name for table in TABLES),
        )
    )
    (work / "LICENSE.txt").write_text(
        f"{LICENCE['title']} ({LICENCE['name']}). Full text: {LICENCE['path']}\n"
    )


def _prune(folder: Path) -> None:
    for archive in sorted(folder.glob("cocrea-datos-*.zip"))[:-KEEP]:
        shutil.rmtree(folder / archive.stem, ignore_errors=True)
        archive.unlink(missing_ok=True)
    stale = time.time() - 6 * 3600
    for leftover in folder.glob(".building-*"):  # an export killed half-way, not one running
        if leftover.stat().st_mtime < stale:
            shutil.rmtree(leftover, ignore_errors=True)
    done_with = time.time() - RETIRED_SECONDS
    for retired in folder.glob(".retired-*"):
        if retired.stat().st_mtime < done_with:
            shutil.rmtree(retired, ignore_errors=True)


def export_published(*, progress: Callable[[str, int], None] | None = None) -> Path:
    """Export into COCREA_OPENDATA_ROOT, where the open-data page offers it, and let the page
    (cached by data version) list the new files at once."""
    archive = export(Path(settings.COCREA_OPENDATA_ROOT), progress=progress)
    data_version_bump()
    return archive
