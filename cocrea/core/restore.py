"""Restoring a backup (cocrea/core/backup.py) into an empty database, then checking the result
(docs/backups.md).

Everything that can refuse runs before anything is written: the archive is checked whole
against its manifest, the target database must have no tables, the code must know every
migration the backup has, and a file already in storage under a name the backup uses must be
that very file. Then the database is restored (PostgreSQL: pg_restore in one transaction;
SQLite: the backup API copies the file into place), the files are written back through the
storage API and read back, and the checks run: the audit chain, every stored file against the
SHA-256 its row keeps, the page cache, the open-data files.

`core` imports no domain app: the audit chain is checked by running `verify_audit_log`, the
open data rebuilt by running `export_opendata`, and the files with a SHA-256 are found from the
models (every model with a file field and a `sha256` field: evidence, meeting documents, OGP
import files).
"""

import contextlib
import io
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import DatabaseError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from cocrea.core.backup import CHUNK, Archive, archive_open, pg_environment, sha256_of
from cocrea.core.versioning import data_version_bump, data_version_get

WHAT_TO_DO = (
    "Restore into a new, empty database instead: on PostgreSQL `createdb --owner=cocrea "
    "cocrea_restored` and DATABASE_URL pointing at it; on SQLite, COCREA_SQLITE_PATH naming a "
    "new file. To replace this database, back it up, then drop and create it again."
)


class RefusedError(Exception):
    """The restore did not start, or its database step failed as one transaction: nothing was
    changed."""


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Restored:
    archive: Path
    files_written: int = 0
    files_kept: int = 0
    migrated: bool = False
    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]


def _cocrea_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_config.name.startswith("cocrea.")]


def _target_empty(alias: str) -> None:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
    except DatabaseError as error:
        raise RefusedError(
            f"The target database cannot be opened ({str(error).strip()}). Create it empty "
            "first (PostgreSQL: `createdb --owner=cocrea NAME`)."
        ) from None
    with_rows = [
        model._meta.db_table
        for model in _cocrea_models()
        if model._meta.db_table in tables and model._base_manager.using(alias).exists()
    ]
    if with_rows:
        raise RefusedError(
            f"The target database holds Cocrea data ({len(with_rows)} tables with rows, "
            f"{', '.join(sorted(with_rows)[:3])}...): a restore never overwrites data. "
            + WHAT_TO_DO
        )
    if tables:
        raise RefusedError(
            f"The target database already has {len(tables)} table(s) ("
            f"{', '.join(sorted(tables)[:3])}; was it migrated?): the backup brings its own. "
            + WHAT_TO_DO
        )


def _known_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update((app, name) for app, name in migration.replaces)
    return known


def _code_knows_the_schema(archive: Archive) -> None:
    recorded = {
        (app, name) for app, names in archive.manifest["migrations"].items() for name in names
    }
    # Only Cocrea's and Django's apps that are installed; a removed third-party app's rows are
    # of no consequence.
    installed = {config.label for config in apps.get_app_configs()}
    unknown = sorted(m for m in recorded - _known_migrations() if m[0] in installed)
    if unknown:
        commit = archive.manifest.get("commit") or "of the backup"
        raise RefusedError(
            f"The backup was made by a newer Cocrea: {len(unknown)} migrations unknown to this "
            f"code ({unknown[0][0]}.{unknown[0][1]}...). Restore with the code at commit {commit}."
        )


def _files_to_write(archive: Archive) -> list[dict[str, Any]]:
    """The backup's files not already in storage; a file there under the same name must be the
    same bytes, or the restore is refused (it would be renamed, and its row lose it)."""
    to_write = []
    for entry in archive.manifest["files"]:
        storage = storages[entry["storage"]]
        if not storage.exists(entry["name"]):
            to_write.append(entry)
            continue
        with storage.open(entry["name"], "rb") as present:
            digest, _size = sha256_of(present)
        if digest != entry["sha256"]:
            raise RefusedError(
                f"The {entry['storage']} storage already holds a different {entry['name']}: "
                "restore into empty storage (COCREA_MEDIA_ROOT, COCREA_PRIVATE_ROOT or the "
                "bucket) or move that file away."
            )
    return to_write


def _restore_database(archive: Archive, alias: str) -> None:
    connection = connections[alias]
    settings_dict = connection.settings_dict
    connections.close_all()
    if archive.engine == "postgresql":
        _pg_restore(archive, settings_dict)
        return
    # SQLite's backup API reads a file: the dump is written beside the target, where there is
    # room for the database anyway.
    with tempfile.TemporaryDirectory(dir=Path(settings_dict["NAME"]).parent) as scratch:
        source = sqlite3.connect(archive.database_to(Path(scratch)))
        target = sqlite3.connect(settings_dict["NAME"], timeout=30)
        try:
            source.backup(target)  # one transaction on the target: all or nothing
        except sqlite3.DatabaseError as error:
            raise RefusedError(f"The archive's database cannot be copied: {error}.") from None
        finally:
            target.close()
            source.close()


def _pg_restore(archive: Archive, settings_dict: dict[str, Any]) -> None:
    """pg_restore in one transaction, reading the dump from the archive through a pipe (no
    copy on disk); its messages go to a file, so a full pipe cannot stall it."""
    command = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
        f"--dbname={settings_dict['NAME']}",
    ]
    with (
        tempfile.TemporaryFile() as messages,
        archive.member(archive.manifest["database"]["member"]) as dump,
    ):
        process = subprocess.Popen(  # noqa: S603
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=messages,
            env=pg_environment(settings_dict),
        )
        assert process.stdin is not None  # noqa: S101  (asked for with PIPE)
        try:
            # A broken pipe is pg_restore stopped at an error: its status and messages say which.
            with contextlib.suppress(BrokenPipeError):
                shutil.copyfileobj(dump, process.stdin, CHUNK)
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
            status = process.wait()
        except BaseException:  # the archive could not be read: pg_restore commits nothing
            process.kill()
            process.wait()
            raise
        messages.seek(0)
        text = messages.read().decode(errors="replace").strip()
    if status != 0:
        raise RefusedError(f"pg_restore failed, in one transaction: {text}")


def _restore_files(archive: Archive, entries: list[dict[str, Any]]) -> Check:
    """Each file written through its storage, then read back and hashed."""
    wrong = []
    for entry in entries:
        storage = storages[entry["storage"]]
        try:
            with archive.member(archive.file_member(entry)) as source:
                content = File(source, name=entry["name"])
                content.size = entry["size"]
                saved = storage.save(entry["name"], content)
            with storage.open(saved, "rb") as written:
                digest, _size = sha256_of(written)
        except OSError as error:  # a full disk, a bucket that refuses: told, and the next tried
            wrong.append(f"{entry['name']} ({error})")
            continue
        if saved != entry["name"] or digest != entry["sha256"]:
            wrong.append(saved)
    detail = f"{len(entries)} written and read back"
    if wrong:
        return Check("files written back", False, f"{detail}; {len(wrong)} differ: {wrong[0]}")
    return Check("files written back", True, f"{detail}, each matching the manifest's SHA-256")


def _migrate(alias: str) -> bool:
    """The code's migrations the backup did not have yet, applied (an upgrade's step)."""
    executor = MigrationExecutor(connections[alias])
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", database=alias, interactive=False, verbosity=0)
    return True


def _hashed_file_fields() -> Iterator[tuple[type[models.Model], str]]:
    """Models whose rows keep a file and its SHA-256."""
    for model in _cocrea_models():
        names = {f.name for f in model._meta.get_fields()}
        if "sha256" not in names:
            continue
        for each in model._meta.get_fields():
            if isinstance(each, models.FileField):
                yield model, each.name


def _check_model_files(model: type[models.Model], field_name: str, alias: str) -> Check:
    rows = (
        model._base_manager.using(alias)
        .exclude(**{field_name: ""})
        .only("pk", field_name, "sha256")
        .order_by("pk")
    )
    count, wrong = 0, []
    for row in rows.iterator():
        count += 1
        stored = getattr(row, field_name)
        try:
            with stored.storage.open(stored.name, "rb") as source:
                digest, _size = sha256_of(source)
        except FileNotFoundError:
            wrong.append(f"{stored.name} (missing)")
            continue
        except OSError as error:
            wrong.append(f"{stored.name} (unreadable: {error})")
            continue
        if digest != row.sha256:  # type: ignore[attr-defined]
            wrong.append(f"{stored.name} (differs)")
    name = f"{model._meta.label} files"
    if wrong:
        return Check(name, False, f"{len(wrong)} of {count} do not match: {', '.join(wrong[:3])}")
    return Check(name, True, f"{count} match their SHA-256")


def _command_check(name: str, command: str, **options: Any) -> Check:
    out = io.StringIO()
    try:
        call_command(command, stdout=out, stderr=io.StringIO(), **options)
    except Exception as error:  # a failed check is reported, and the others still run
        return Check(name, False, str(error))
    lines = out.getvalue().strip().splitlines()
    return Check(name, True, lines[-1] if lines else "done")


def _invalidate_page_cache() -> Check:
    """Cached pages of other data must never be served: the data version moves on and the whole
    cache is cleared (the rate limits' counts in it too; sessions are in the database). Redis's
    cache answers a Redis that is away as an empty cache (cocrea/core/cache.py), and its clear()
    then says False: a failed check, since that Redis may come back with old pages."""
    try:
        with transaction.atomic():
            data_version_bump()
        # Django's stubs say clear() returns nothing; Redis's backends return whether it did.
        cleared: object = cache.clear()  # type: ignore[func-returns-value]
    except Exception as error:  # a cache that cannot be reached is a failed check
        return Check("page cache", False, str(error))
    version = data_version_get()
    if cleared is False:
        return Check(
            "page cache",
            False,
            f"data version now {version}, but the cache could not be reached to be cleared: "
            "clear it (redis-cli -u REDIS_URL FLUSHDB) before the site opens",
        )
    return Check("page cache", True, f"data version now {version}, cache cleared")


def checks_run(alias: str = "default") -> list[Check]:
    results = [_command_check("audit chain", "verify_audit_log")]
    results += [_check_model_files(model, name, alias) for model, name in _hashed_file_fields()]
    results.append(_invalidate_page_cache())
    results.append(_command_check("open data rebuilt", "export_opendata"))
    return results


def restore(
    path: Path, *, alias: str = "default", progress: Callable[[str], None] = lambda line: None
) -> Restored:
    """Restore the archive at `path`. Raises ArchiveError or RefusedError having changed nothing;
    otherwise returns what was done and the checks, which may have failed."""
    archive = archive_open(path)
    try:
        manifest = archive.manifest
        progress(
            f"Archive {path.name}: made {manifest['created_at']} on {manifest['engine']}"
            f" (commit {manifest.get('commit') or 'unknown'}), {len(manifest['files'])} files,"
            " every member matching the manifest."
        )
        vendor = connections[alias].vendor
        if vendor != archive.engine:
            raise RefusedError(
                f"The backup is of a {archive.engine} database and the target is {vendor}: "
                "restore into the same engine."
            )
        _code_knows_the_schema(archive)
        _target_empty(alias)
        entries = _files_to_write(archive)
        _restore_database(archive, alias)
        progress(f"Database restored ({archive.engine}).")
        result = Restored(path, files_kept=len(manifest["files"]) - len(entries))
        result.checks.append(_restore_files(archive, entries))
        result.files_written = len(entries)
    finally:
        archive.close()
    result.migrated = _migrate(alias)
    if result.migrated:
        progress("The code's newer migrations applied.")
    result.checks += checks_run(alias)
    return result
