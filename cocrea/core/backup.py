"""Backups: one tar file holding the database, the files of both storages and a manifest
(docs/backups.md). `backup_write` makes one; `archive_open` reads one back and checks every
member against the manifest before anything is restored (cocrea/core/restore.py).

The database is dumped first and the files listed after it: a file is stored before the row
that names it is committed, so every file a dumped row names is already in storage when the
files are read. Files are read through Django's storage API (never filesystem paths), so the
same code backs up a local folder or S3-compatible object storage. The open-data bulk files are
derived from the database: not backed up, rebuilt after a restore (`export_opendata`).
"""

import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
# The storages backed up: uploaded evidence and meeting documents, and the OGP files that only
# staff read. Static files come from the code; the open-data files from the database.
STORAGES = ("default", "private")
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
PREFIX = "cocrea-backup-"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be used; nothing was changed."""


def pg_environment(database: dict[str, Any]) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: the connection's parts as libpq's variables,
    so the password is never on a command line (where `ps` shows it)."""
    env = {**os.environ, "PGAPPNAME": "cocrea-backup"}
    parts = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
    }
    options = database.get("OPTIONS", {})
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        parts[f"PG{option.upper()}"] = options.get(option)
    env.update({key: str(value) for key, value in parts.items() if value})
    return env


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in `storage`, walked with listdir (a folder that is not there yet is an
    empty storage)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from storage_names(storage, posixpath.join(folder, sub) if folder else sub)


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it, so a file is read once on its way into
    the archive."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def sha256_of(source: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _dump_database(alias: str, folder: Path) -> Path:
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise ArchiveError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if MigrationRecorder.Migration._meta.db_table not in tables:
        # A mistyped setting backs up an empty database as readily as the real one.
        raise ArchiveError(
            "The database has no tables: is DATABASE_URL (or COCREA_SQLITE_PATH, read from "
            "the current folder when relative) the site's?"
        )
    target = folder / DUMP_NAMES[vendor]
    if vendor == "postgresql":
        database = connection.settings_dict
        result = subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--no-password", f"--file={target}"],  # noqa: S607
            env=pg_environment(database),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise ArchiveError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        # The backup API copies a consistent snapshot while the site goes on writing.
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    return target


def _migrations(alias: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _git_commit() -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def _add_stream(archive: tarfile.TarFile, name: str, source: IO[bytes], size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    reader = _Hashing(source)
    archive.addfile(info, reader)
    if reader.size != size:
        raise ArchiveError(f"{name} changed size while it was read.")
    return reader.digest.hexdigest()


def _final_path(folder: Path, created: datetime) -> Path:
    stem = f"{PREFIX}{created:%Y%m%dT%H%M%SZ}"
    path, number = folder / f"{stem}.tar", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}.tar"
    return path


def _prune(folder: Path, keep: int, made: Path) -> list[Path]:
    """The oldest backups of the folder beyond `keep`, removed (0 keeps them all)."""
    if keep <= 0:
        return []
    ours = sorted(
        (p for p in folder.glob(f"{PREFIX}*.tar") if p.is_file()),
        key=lambda p: (p.stat().st_mtime, p.name),
    )
    old = [p for p in ours if p != made][: max(0, len(ours) - keep)]
    for path in old:
        path.unlink()
    return old


@dataclass
class Made:
    path: Path
    files: int
    size: int
    pruned: list[Path]


def _add_database(archive: tarfile.TarFile, alias: str, scratch: Path) -> dict[str, Any]:
    dump = _dump_database(alias, scratch)
    size = dump.stat().st_size
    with dump.open("rb") as source:
        digest = _add_stream(archive, dump.name, source, size)
    dump.unlink()
    return {"member": dump.name, "sha256": digest, "size": size}


def _add_files(archive: tarfile.TarFile) -> list[dict[str, Any]]:
    files = []
    for alias in STORAGES:
        storage = storages[alias]
        for name in storage_names(storage):
            try:
                size = storage.size(name)
                with storage.open(name, "rb") as source:
                    digest = _add_stream(archive, f"files/{alias}/{name}", source, size)
            except OSError as error:
                raise ArchiveError(
                    f"The {alias} storage's {name} could not be read: {error}."
                ) from None
            files.append({"storage": alias, "name": name, "sha256": digest, "size": size})
    return files


def backup_write(
    destination: Path | None = None,
    *,
    keep: int = 0,
    alias: str = "default",
    progress: Callable[[str], None] = lambda line: None,
) -> Made:
    """Write one archive into `destination` (a folder, default COCREA_BACKUP_DIR; or a path
    ending in .tar), atomically: a temporary file in the same folder, renamed when complete,
    readable by its owner only. The oldest backups of the folder beyond `keep` are removed
    then (not when a file path is given). The database's dump is made in the same folder, which
    has room for the archive, rather than in /tmp, which may be small."""
    created = datetime.now(UTC).replace(microsecond=0)
    destination = Path(destination or settings.COCREA_BACKUP_DIR)
    named = destination.suffix == ".tar"
    folder = destination.parent if named else destination
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{PREFIX}", suffix=".part")
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            tempfile.TemporaryDirectory(dir=folder, prefix=f".{PREFIX}") as scratch,
        ):
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
                database = _add_database(archive, alias, Path(scratch))
                progress(f"Database dumped ({connections[alias].vendor}).")
                files = _add_files(archive)
                progress(f"Files copied: {len(files)}.")
                manifest = {
                    "format": FORMAT,
                    "created_at": created.isoformat().replace("+00:00", "Z"),
                    "engine": connections[alias].vendor,
                    "database": database,
                    "migrations": _migrations(alias),
                    "files": files,
                    "commit": _git_commit(),
                }
                body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                _add_stream(archive, MANIFEST, io.BytesIO(body), len(body))
            raw.flush()
            os.fsync(raw.fileno())
        final = destination if named else _final_path(folder, created)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    pruned = [] if named else _prune(folder, keep, final)
    return Made(final, len(files), final.stat().st_size, pruned)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# Reading an archive back.


@dataclass
class Archive:
    path: Path
    manifest: dict[str, Any]
    tar: tarfile.TarFile

    @property
    def engine(self) -> str:
        return str(self.manifest["engine"])

    def member(self, name: str) -> IO[bytes]:
        source = self.tar.extractfile(name)
        if source is None:
            raise ArchiveError(f"{name} is not a file in the archive.")
        return source

    def file_member(self, entry: dict[str, Any]) -> str:
        return f"files/{entry['storage']}/{entry['name']}"

    def database_to(self, folder: Path) -> Path:
        """The database member written to `folder` (SQLite's backup API reads a file)."""
        target = folder / Path(self.manifest["database"]["member"]).name
        with self.member(self.manifest["database"]["member"]) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        return target

    def close(self) -> None:
        self.tar.close()


def _safe_name(name: object) -> bool:
    """A storage name as Django makes them: relative, forward slashes, no step upwards."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name:
        return False
    return all(part not in {"", ".", ".."} for part in name.split("/"))


def _manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        source = tar.extractfile(MANIFEST)
    except KeyError:
        raise ArchiveError(
            "The archive has no manifest.json: it is truncated or is not a Cocrea backup."
        ) from None
    if source is None:
        raise ArchiveError("The archive's manifest.json is not a file.")
    try:
        manifest = json.loads(source.read())
        valid = (
            manifest.get("format") == FORMAT
            and manifest.get("engine") in DUMP_NAMES
            and manifest["database"]["member"] == DUMP_NAMES[manifest["engine"]]
            and all(e["storage"] in STORAGES and _safe_name(e["name"]) for e in manifest["files"])
            and isinstance(manifest.get("migrations"), dict)
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        valid = False
    if not valid:
        raise ArchiveError("The archive's manifest.json is damaged or of an unknown format.")
    return manifest


def archive_open(path: Path) -> Archive:
    """Open an archive and check it whole: every member the manifest lists is there with its
    SHA-256 and size, and nothing else is. Raises ArchiveError, having changed nothing."""
    try:
        tar = tarfile.open(path, mode="r:")  # noqa: SIM115  (closed by Archive.close)
    except (OSError, tarfile.TarError, EOFError) as error:
        raise ArchiveError(f"{path} cannot be read as a backup archive: {error}") from None
    try:
        names = {info.name for info in tar.getmembers() if info.isfile()}
        archive = Archive(path, _manifest(tar), tar)
        expected = {archive.manifest["database"]["member"]: archive.manifest["database"]}
        for entry in archive.manifest["files"]:
            expected[archive.file_member(entry)] = entry
        if missing := sorted(set(expected) - names):
            raise ArchiveError(f"The archive lacks {len(missing)} listed member(s): {missing[0]}")
        if extra := sorted(names - set(expected) - {MANIFEST}):
            raise ArchiveError(f"The archive holds {len(extra)} unlisted member(s): {extra[0]}")
        for name, entry in expected.items():
            with archive.member(name) as source:
                digest, size = sha256_of(source)
            if (digest, size) != (entry["sha256"], entry["size"]):
                raise ArchiveError(
                    f"{name} does not match the manifest (SHA-256 {digest}, {size} bytes; "
                    f"expected {entry['sha256']}, {entry['size']} bytes): the archive is damaged."
                )
    except ArchiveError:
        tar.close()
        raise
    except (OSError, tarfile.TarError, EOFError) as error:
        tar.close()
        raise ArchiveError(f"{path} is damaged or truncated: {error}") from None
    return archive
