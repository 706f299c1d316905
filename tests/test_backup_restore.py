"""Backups restore (bin/backup, bin/restore; cocrea/core/backup.py and restore.py): on the engine
the suite runs on, a backup of real data made through the services is restored into a new,
empty database (PostgreSQL: a database created for the test; SQLite: a new file) by bin/restore
in a subprocess, and the restored site is read there: the same rows, the same public pages, the
same files, the audit chain whole. A damaged archive, or a target that holds data, is refused
with nothing changed; an archive whose file does not match its row is restored but reported."""

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse

from cocrea.core.backup import DUMP_NAMES, MANIFEST, backup_write
from cocrea.core.tests.files import BLANK_PDF
from cocrea.opendata.imports import ogp_import_upload
from cocrea.opendata.models import OgpImport
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory
from cocrea.tracking import services
from cocrea.tracking.models import Evidence
from cocrea.tracking.uploads import evidence_file_check
from tests.backup_probe import probe

pytestmark = pytest.mark.django_db(transaction=True)  # committed, so pg_dump sees the data

ROOT = Path(settings.BASE_DIR)
OGP_CSV = b"Commitment Unique Identifier,Commitment Title\r\nGT0110,Portal de datos\r\n"


@pytest.fixture
def storage_roots(settings, tmp_path):
    """Both storages in folders of the test's own (the OGP import's field follows STORAGES:
    cocrea/core/storage.py)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "private", "base_url": "/no-public-address/"},
    }
    settings.STORAGES = {**settings.STORAGES, "private": private}
    return tmp_path


def build_site(personas, institutions) -> list[str]:
    """A published progress report with an evidence file, an OGP file waiting in the private
    storage, and their audit events, all written through the services; the addresses of the
    pages that show them."""
    commitment = CommitmentFactory(lead_institution=institutions["mineduc"])
    milestone = MilestoneFactory(
        commitment=commitment, number=1, responsible_institution=institutions["mineduc"]
    )
    upload = SimpleUploadedFile("informe.pdf", BLANK_PDF, content_type="application/pdf")
    report = services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="substantial",
        percent=60,
        done="Se publicó el portal con 12 conjuntos de datos.",
        facts_date=date(2025, 3, 1),
        files=[evidence_file_check(upload)],
    )
    services.progress_report_submit(actor=personas["official"], report=report)
    services.progress_report_publish(actor=personas["point_of_contact"], report=report)
    ogp_import_upload(
        actor=personas["administrator"], upload=SimpleUploadedFile("ogp.csv", OGP_CSV)
    )
    return [commitment.get_absolute_url(), reverse("audit:log"), commitment.plan.get_absolute_url()]


@pytest.fixture
def site(storage_roots, personas, institutions):
    return build_site(personas, institutions)


@pytest.fixture
def empty_database(tmp_path):
    """The environment of a process whose database is new and empty, with storages and open-data
    folder of its own: PostgreSQL, a database created on the test database's server and dropped
    after; SQLite, a file that does not exist yet."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "COCREA_ENVIRONMENT": "test",
        "COCREA_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "COCREA_PRIVATE_ROOT": str(tmp_path / "restored-private"),
        "COCREA_OPENDATA_ROOT": str(tmp_path / "restored-opendata"),
        "COCREA_PAGE_CACHE": "0",
    }
    if connection.vendor != "postgresql":
        env["COCREA_SQLITE_PATH"] = str(tmp_path / "restored.sqlite3")
        yield env
        return
    from psycopg import sql

    from cocrea.core.tests.pg import other_connection

    name = f"cocrea_restore_{uuid.uuid4().hex[:12]}"
    database = connection.settings_dict
    with other_connection("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    env["DATABASE_URL"] = (
        f"postgres://{database['USER']}{password}@{database['HOST'] or 'localhost'}:"
        f"{database['PORT'] or 5432}/{name}"
    )
    yield env
    with other_connection("postgres") as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _run(command: list[str], env: dict[str, str], **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env | extra, capture_output=True, text=True, timeout=300, check=False
    )


def _probe_restored(env: dict[str, str], pages: list[str]) -> dict:
    script = "from tests.backup_probe import main; main()"
    done = _run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        env,
        PROBE_PAGES="\n".join(pages),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _tables(env: dict[str, str]) -> list[str]:
    script = "from django.db import connection; print(connection.introspection.table_names())"
    done = _run([sys.executable, "manage.py", "shell", "--no-imports", "-c", script], env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _rewrite(archive: Path, change, rename: dict[str, str] | None = None) -> Path:
    """A copy of the archive with each member passed through `change(name, bytes)`, which
    returns the bytes to write, or None to leave the member out; and renamed by `rename`."""
    damaged = archive.with_name("damaged.tar")
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for info in source.getmembers():
            data = change(info.name, source.extractfile(info).read())
            if data is not None:
                info.size = len(data)
                info.name = (rename or {}).get(info.name, info.name)
                target.addfile(info, io.BytesIO(data))
    return damaged


def _stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_backup_restores_into_an_empty_database_with_the_same_pages_rows_and_files(
    site, tmp_path, empty_database
):
    before = probe(site)
    archive = backup_write(tmp_path / "backups").path

    done = _run([str(ROOT / "bin" / "restore"), str(archive)], empty_database)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok   audit chain: Audit log verified" in done.stdout
    assert "ok   tracking.Evidence files: 1 match their SHA-256" in done.stdout
    assert "ok   opendata.OgpImport files: 1 match their SHA-256" in done.stdout
    assert "ok   page cache" in done.stdout and "ok   open data rebuilt" in done.stdout
    after = _probe_restored(empty_database, site)
    assert after["counts"] == before["counts"]
    assert after["rows"] == before["rows"]
    assert all(page["status"] == 200 for page in before["pages"].values())
    for address in site:
        assert after["pages"][address] == before["pages"][address], address
    assert after["files"] == before["files"]
    evidence = Evidence.objects.get()
    assert before["files"]["default"][evidence.file.name] == evidence.sha256
    assert list(before["files"]["private"].values()) == [OgpImport.objects.get().sha256]
    assert (tmp_path / "restored-opendata").exists()


def test_the_archive_is_one_file_for_its_owner_only_with_a_manifest_of_everything(site, tmp_path):
    made = backup_write(tmp_path / "backups")

    assert [p.name for p in (tmp_path / "backups").iterdir()] == [made.path.name]
    assert made.path.name.startswith("cocrea-backup-") and made.path.suffix == ".tar"
    assert made.path.stat().st_mode & 0o777 == 0o600
    with tarfile.open(made.path) as archive:
        manifest = json.load(archive.extractfile(MANIFEST))
    assert manifest["engine"] == connection.vendor
    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["migrations"]["tracking"] == sorted(n for a, n in applied if a == "tracking")
    evidence = Evidence.objects.get()
    assert {"storage": "default", "name": evidence.file.name, "sha256": evidence.sha256,
            "size": evidence.size} in manifest["files"]  # fmt: skip
    assert [f["storage"] for f in manifest["files"]].count("private") == 1


def test_old_backups_beyond_the_number_kept_are_removed(site, tmp_path):
    folder = tmp_path / "backups"
    made = [backup_write(folder, keep=2).path for _ in range(3)]

    assert sorted(folder.iterdir()) == sorted(made[1:])


def test_a_restore_into_a_database_with_data_is_refused_and_changes_nothing(site, tmp_path):
    archive = backup_write(tmp_path / "backups").path
    counts = probe([])["counts"]
    files = _stored_files(tmp_path)

    with pytest.raises(CommandError, match="holds Cocrea data") as refused:
        call_command("restore_backup", str(archive))

    assert refused.value.returncode == 2
    assert "Nothing was changed" in str(refused.value)
    assert probe([])["counts"] == counts
    assert _stored_files(tmp_path) == files


def test_a_restore_into_a_database_with_tables_but_no_data_is_refused(
    site, tmp_path, empty_database
):
    """A table without Cocrea rows: the backup brings its own tables, which could clash with
    what is there; refused, and the table is left alone."""
    archive = backup_write(tmp_path / "backups").path
    script = (
        "from django.db import connection as c; c.cursor().execute('CREATE TABLE leftover (x int)')"
    )
    create = [sys.executable, "manage.py", "shell", "--no-imports", "-c", script]
    assert _run(create, empty_database).returncode == 0
    tables = _tables(empty_database)

    done = _run([str(ROOT / "bin" / "restore"), str(archive)], empty_database)

    assert done.returncode == 2
    assert (
        "already has 1 table(s) (leftover;" in done.stderr and "new, empty database" in done.stderr
    )
    assert _tables(empty_database) == tables


def _evidence_member(name: str) -> bool:
    return name.startswith("files/default/evidence/")


def _flip_last_byte(name: str, data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1]) if _evidence_member(name) else data


def _escaping_name(name: str, data: bytes) -> bytes:
    """A manifest naming a file outside the storage's folder."""
    if name != MANIFEST:
        return data
    manifest = json.loads(data)
    manifest["files"][0]["name"] = "../../outside.pdf"
    return json.dumps(manifest).encode()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda path: _rewrite(path, _flip_last_byte), "does not match the manifest"),
        (lambda path: _rewrite(path, lambda n, d: None if n == MANIFEST else d), "no manifest"),
        (lambda path: _rewrite(path, lambda n, d: b"{" if n == MANIFEST else d), "damaged"),
        (lambda path: _rewrite(path, lambda n, d: None if _evidence_member(n) else d), "lacks"),
        (lambda path: _rewrite(path, _escaping_name), "damaged or of an unknown format"),
        (lambda path: _truncated(path, lambda size, manifest_end: size // 2), "truncated"),
        (lambda path: _truncated(path, lambda size, manifest_end: manifest_end - 10), "truncated"),
    ],
    ids=[
        "file-bytes",
        "no-manifest",
        "bad-manifest",
        "file-missing",
        "name-escapes",
        "cut-half",
        "cut-manifest",
    ],
)
def test_a_damaged_archive_is_refused_for_what_it_is(site, tmp_path, damage, message):
    """Refused for the damage, before the target is looked at (the test's database holds data,
    which would be refused with another message); the storages are left as they were."""
    damaged = damage(backup_write(tmp_path / "backups").path)
    files = _stored_files(tmp_path)

    with pytest.raises(CommandError, match=message) as refused:
        call_command("restore_backup", str(damaged))

    assert refused.value.returncode == 2 and "Nothing was changed" in str(refused.value)
    assert _stored_files(tmp_path) == files


def test_a_damaged_archive_leaves_an_empty_database_empty(site, tmp_path, empty_database):
    damaged = _rewrite(backup_write(tmp_path / "backups").path, _flip_last_byte)

    done = _run([str(ROOT / "bin" / "restore"), str(damaged)], empty_database)

    assert done.returncode == 2, done.stdout + done.stderr
    assert "does not match the manifest" in done.stderr and "Nothing was changed" in done.stderr
    assert _tables(empty_database) == "[]"
    assert _stored_files(tmp_path / "restored-media") == []


def test_a_failed_backup_leaves_no_partial_archive(site, tmp_path):
    """A file listed but gone when it is read (here a dangling link in the storage's folder):
    the backup fails, saying which file, and leaves nothing in the folder."""
    (tmp_path / "media" / "evidence" / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    folder = tmp_path / "backups"

    with pytest.raises(CommandError, match=re.escape("evidence/gone.pdf")):
        call_command("make_backup", str(folder))

    assert list(folder.iterdir()) == []


def _truncated(archive: Path, where) -> Path:
    """The archive cut at `where(size, end of the manifest's bytes)` (the zeros after the
    manifest are tar's padding: cutting them loses nothing)."""
    with tarfile.open(archive) as source:
        manifest = source.getmember(MANIFEST)
    data = archive.read_bytes()
    cut = archive.with_name("cut.tar")
    cut.write_bytes(data[: where(len(data), manifest.offset_data + manifest.size)])
    return cut


@pytest.mark.parametrize("fault", ["differs", "missing"])
def test_a_file_unlike_its_rows_hash_is_restored_but_reported(
    site, tmp_path, empty_database, fault
):
    """An archive consistent with its manifest, but whose evidence file is not the one the
    database row vouches for, or is not there at all: the restore runs, and the check names the
    file and fails."""
    archive = backup_write(tmp_path / "backups").path
    evidence = Evidence.objects.get()
    changed = BLANK_PDF + b"%% altered\n"

    def swap(name: str, data: bytes) -> bytes | None:
        if _evidence_member(name):
            return changed if fault == "differs" else None
        if name == MANIFEST:
            manifest = json.loads(data)
            ours = next(e for e in manifest["files"] if e["name"] == evidence.file.name)
            if fault == "differs":
                ours |= {"sha256": hashlib.sha256(changed).hexdigest(), "size": len(changed)}
            else:
                manifest["files"].remove(ours)
            return json.dumps(manifest).encode()
        return data

    done = _run([str(ROOT / "bin" / "restore"), str(_rewrite(archive, swap))], empty_database)

    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        f"FAIL tracking.Evidence files: 1 of 1 do not match: {evidence.file.name} ({fault})"
        in done.stdout
    )
    assert "ok   audit chain" in done.stdout
    assert "check(s) failed: tracking.Evidence files" in done.stderr


def test_a_backup_of_another_engine_is_refused(site, tmp_path):
    archive = backup_write(tmp_path / "backups").path
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    member = DUMP_NAMES

    def relabel(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["engine"] = other
        manifest["database"]["member"] = member[other]
        return json.dumps(manifest).encode()

    renamed = _rewrite(archive, relabel, rename={member[connection.vendor]: member[other]})

    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore_backup", str(renamed))


def test_the_files_are_read_through_the_storage_api(site, tmp_path, settings):
    """The default storage is whatever STORAGES names (S3 in production, through
    django-storages): a storage at another location is what is backed up, not MEDIA_ROOT."""
    elsewhere = tmp_path / "elsewhere"
    FileSystemStorage(location=elsewhere).save("evidence/x.pdf", io.BytesIO(BLANK_PDF))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": elsewhere}},
    }  # fmt: skip

    made = backup_write(tmp_path / "backups")

    with tarfile.open(made.path) as archive:
        names = archive.getnames()
    assert "files/default/evidence/x.pdf" in names
    assert not any(Evidence.objects.get().file.name in name for name in names)


def test_a_backup_from_newer_code_is_refused_naming_its_commit(site, tmp_path):
    def from_the_future(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["migrations"]["tracking"].append("9999_from_the_future")
        manifest["commit"] = "0123abcd"
        return json.dumps(manifest).encode()

    newer = _rewrite(backup_write(tmp_path / "backups").path, from_the_future)

    with pytest.raises(CommandError, match=re.escape("tracking.9999_from_the_future")) as refused:
        call_command("restore_backup", str(newer))

    assert "commit 0123abcd" in str(refused.value)


def test_a_different_file_already_in_storage_under_a_backed_up_name_is_refused(
    site, tmp_path, empty_database
):
    """Storage would keep it and save the backup's copy under another name, which no row
    names: refused, and the file found there is left as it was."""
    archive = backup_write(tmp_path / "backups").path
    present = tmp_path / "restored-media" / Evidence.objects.get().file.name
    present.parent.mkdir(parents=True)
    present.write_bytes(b"another file")

    done = _run([str(ROOT / "bin" / "restore"), str(archive)], empty_database)

    assert done.returncode == 2, done.stdout + done.stderr
    assert "already holds a different" in done.stderr
    assert _tables(empty_database) == "[]"
    assert present.read_bytes() == b"another file"


def test_files_already_in_storage_as_backed_up_are_kept(site, tmp_path, empty_database):
    """A restore into the storage the site used (a bucket that outlived the database): the
    files there are the backup's, so they are kept, and checked like the others."""
    archive = backup_write(tmp_path / "backups").path
    empty_database["COCREA_MEDIA_ROOT"] = str(tmp_path / "media")

    done = _run([str(ROOT / "bin" / "restore"), str(archive)], empty_database)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Files: 1 written, 1 already in storage." in done.stdout
    assert "ok   tracking.Evidence files: 1 match their SHA-256" in done.stdout


def test_an_archive_whose_database_cannot_be_restored_leaves_the_target_empty(
    site, tmp_path, empty_database
):
    """Consistent with its manifest, but its database is not one: pg_restore (one transaction)
    or SQLite's backup API fails, and the new database is left without a table."""
    garbage = b"not a database dump " * 100

    def spoil(name: str, data: bytes) -> bytes:
        if name.startswith("database."):
            return garbage
        if name == MANIFEST:
            manifest = json.loads(data)
            manifest["database"] |= {
                "sha256": hashlib.sha256(garbage).hexdigest(),
                "size": len(garbage),
            }
            return json.dumps(manifest).encode()
        return data

    spoilt = _rewrite(backup_write(tmp_path / "backups").path, spoil)

    done = _run([str(ROOT / "bin" / "restore"), str(spoilt)], empty_database)

    assert done.returncode == 2, done.stdout + done.stderr
    assert "Nothing was changed" in done.stderr
    assert _tables(empty_database) == "[]"
    assert _stored_files(tmp_path / "restored-media") == []


def test_a_backup_of_a_database_without_tables_is_refused(tmp_path, empty_database):
    """A mistyped DATABASE_URL or COCREA_SQLITE_PATH names an empty database: backing it up
    would look like success and hold nothing."""
    done = _run([str(ROOT / "bin" / "backup"), str(tmp_path / "backups")], empty_database)

    assert done.returncode == 1
    assert "The database has no tables" in done.stderr
    assert _stored_files(tmp_path / "backups") == []


def test_files_on_object_storage_are_backed_up_and_restored_into_another_bucket(
    s3_storage, personas, institutions, tmp_path, empty_database
):
    """COCREA_STORAGE=s3 (django-storages, on a real S3 server on loopback): the backup reads
    both storages from the bucket, and the restore writes them into an empty bucket and checks
    them there."""
    from tests.servers import CREDENTIALS, PRIVATE_BUCKET

    pages = build_site(personas, institutions)
    before = probe([])
    archive = backup_write(tmp_path / "backups").path
    bucket = {
        "COCREA_STORAGE": "s3",
        "COCREA_S3_BUCKET": PRIVATE_BUCKET,  # the server's other bucket, empty
        "COCREA_S3_ENDPOINT_URL": s3_storage,
        "COCREA_S3_REGION": "us-east-1",
        "COCREA_S3_ACCESS_KEY_ID": CREDENTIALS["access_key_id"],
        "COCREA_S3_SECRET_ACCESS_KEY": CREDENTIALS["secret_access_key"],
    }

    done = _run([str(ROOT / "bin" / "restore"), str(archive)], empty_database | bucket)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Files: 2 written, 0 already in storage." in done.stdout
    assert "ok   tracking.Evidence files: 1 match their SHA-256" in done.stdout
    assert "ok   opendata.OgpImport files: 1 match their SHA-256" in done.stdout
    assert sorted(before["files"]["default"]) == [Evidence.objects.get().file.name]
    after = _probe_restored(empty_database | bucket, pages)
    assert after["files"] == before["files"]
    assert after["rows"] == before["rows"]


@pytest.mark.parametrize("redis_up", [True, False], ids=["redis-up", "redis-away"])
def test_the_restore_clears_the_shared_cache_or_fails_saying_it_could_not(
    site, tmp_path, empty_database, redis_server, redis_up
):
    """A page cached before the restore (of other data) is gone after it; a Redis that is away
    cannot be cleared, which the check says instead of passing (it may come back with it)."""
    import redis

    stale = redis.Redis.from_url(redis_server.url)
    stale.set("page:from-before-the-restore", b"old page")
    archive = backup_write(tmp_path / "backups").path
    if not redis_up:
        redis_server.stop()

    done = _run(
        [str(ROOT / "bin" / "restore"), str(archive)], empty_database, REDIS_URL=redis_server.url
    )

    if redis_up:
        assert done.returncode == 0, done.stdout + done.stderr
        assert "ok   page cache" in done.stdout
        assert stale.get("page:from-before-the-restore") is None
    else:
        assert done.returncode == 1, done.stdout + done.stderr
        assert "FAIL page cache" in done.stdout and "could not be reached" in done.stdout
