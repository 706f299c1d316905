"""The files of deploy/ agree with the application they deploy (docs/deployment.md).

bench/topology.py runs them for real (nginx, the units, the environment file) in CI; these
tests catch what a run would only show as a confusing failure: a variable the settings no longer
read, a body limit below a form's, a unit that runs a command that does not exist.
"""

import re
import shlex
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def environment_file() -> dict[str, str]:
    lines = (DEPLOY / "cocrea.env").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return dict(pairs)


def read_by_the_code() -> set[str]:
    code = (ROOT / "cocrea" / "settings.py").read_text() + (DEPLOY / "gunicorn.conf.py").read_text()
    return set(re.findall(r'"((?:COCREA|DATABASE|REDIS)_[A-Z0-9_]+)"', code))


def unit(name: str) -> dict[str, str]:
    text = (DEPLOY / "systemd" / name).read_text().replace("\\\n", " ")
    return dict(line.split("=", 1) for line in text.splitlines() if re.match(r"^[A-Za-z]+=", line))


def test_the_environment_file_sets_only_what_the_code_reads():
    env = environment_file()
    assert set(env) - read_by_the_code() == set()
    # What production cannot run without is there, for the operator to fill in.
    for required in ("COCREA_SECRET_KEY", "COCREA_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert required in env
    assert env["COCREA_ENVIRONMENT"] == "production"
    assert env["COCREA_BEHIND_PROXY"] == "1"


def test_every_variable_of_the_environment_file_is_explained():
    lines = (DEPLOY / "cocrea.env").read_text().splitlines()
    for number, line in enumerate(lines):
        if line and not line.startswith("#"):
            before = lines[number - 1]
            # A comment just above, or a variable of the same group (explained together).
            assert before.startswith("# ") or re.match(r"^[A-Z0-9_]+=", before), line


def test_nginx_lets_through_the_largest_form_and_no_more_than_needed():
    conf = (DEPLOY / "nginx" / "cocrea.conf").read_text()
    limit = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1)) * 1024 * 1024
    largest = max(settings.COCREA_IMPORT_MAX_BYTES, settings.COCREA_EVIDENCE_MAX_BYTES)
    assert largest < limit <= largest + 10 * 1024 * 1024


def test_nginx_never_serves_uploaded_files_and_never_retries_a_form():
    conf = (DEPLOY / "nginx" / "cocrea.conf").read_text()
    assert "/srv/cocrea/media" not in conf and "/srv/cocrea/private" not in conf
    assert "non_idempotent" not in conf
    assert "proxy_next_upstream error timeout" in conf
    # Its own error pages exist, in Spanish first.
    for page in re.findall(r"error_page [\d ]+ (/errores/\S+);", conf):
        html = (DEPLOY / "nginx" / page.lstrip("/")).read_text()
        assert '<html lang="es">' in html


def test_the_units_run_commands_that_exist():
    commands = get_commands()
    for name in sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")):
        fields = unit(name)
        argv = shlex.split(fields["ExecStart"])
        assert fields["WorkingDirectory"] == "/srv/cocrea/app", name
        assert fields["EnvironmentFile"] == "/etc/cocrea/env", name
        assert fields["User"] == "cocrea", name
        if "manage.py" in argv:
            assert argv[argv.index("manage.py") + 1] in commands, name
        elif argv[0].endswith("/gunicorn"):
            config = argv[argv.index("--config") + 1]
            assert (ROOT / config).exists(), name
        if fields.get("Type") != "oneshot":
            assert fields["Restart"] == "always", name
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert (timer.with_suffix(".service")).exists()


def test_gunicorn_accepts_its_configuration():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    argv = [str(gunicorn), "--check-config", "--config", "deploy/gunicorn.conf.py"]
    done = subprocess.run(  # noqa: S603 - our own gunicorn and files
        [*argv, "cocrea.wsgi:application"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COCREA_WEB_WORKERS": "3", "COCREA_ENVIRONMENT": "test"},
    )
    assert done.returncode == 0, done.stderr


def _check(root: Path, **variables: str) -> subprocess.CompletedProcess:
    from tests.test_security_headers import _deploy_check, folders

    return _deploy_check(
        **{
            "COCREA_ENVIRONMENT": "production",
            "COCREA_SECRET_KEY": "a-production-like-secret-key-" + "x" * 40,
            "COCREA_ALLOWED_HOSTS": "cocrea.example.org",
            **folders(root),
            **variables,
        }
    )


def test_the_deploy_check_stores_a_file_in_each_storage_and_leaves_nothing(tmp_path):
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["media", "opendata", "private"]
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_deploy_check_names_a_folder_the_site_cannot_write(tmp_path):
    """§6's `check --deploy` before the app servers start: a media or open-data folder that
    cannot be made (here, under a file) is an error, not a surprise at the first upload."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _check(tmp_path, COCREA_MEDIA_ROOT=str(blocker / "media"))
    assert result.returncode != 0
    assert "cocrea.E001" in result.stderr and "Uploaded files cannot be stored" in result.stderr
    assert "cocrea.E003" not in result.stderr
    result = _check(tmp_path, COCREA_OPENDATA_ROOT=str(blocker / "opendata"))
    assert result.returncode != 0
    assert "cocrea.E003" in result.stderr and "cocrea.E001" not in result.stderr


def test_the_deploy_check_finds_a_missing_bucket_and_uses_one_that_exists(tmp_path):
    from tests.servers import BUCKET, CREDENTIALS, PRIVATE_BUCKET, s3_client, s3_server

    s3 = {
        "COCREA_STORAGE": "s3",
        "COCREA_S3_REGION": "us-east-1",
        "COCREA_S3_ACCESS_KEY_ID": CREDENTIALS["access_key_id"],
        "COCREA_S3_SECRET_ACCESS_KEY": CREDENTIALS["secret_access_key"],
    }
    with s3_server() as endpoint:
        s3["COCREA_S3_ENDPOINT_URL"] = endpoint
        missing = _check(
            tmp_path, **s3, COCREA_S3_BUCKET=BUCKET, COCREA_S3_PRIVATE_BUCKET="no-such-bucket"
        )
        present = _check(
            tmp_path, **s3, COCREA_S3_BUCKET=BUCKET, COCREA_S3_PRIVATE_BUCKET=PRIVATE_BUCKET
        )
        left = [
            item
            for bucket in (BUCKET, PRIVATE_BUCKET)
            for item in s3_client(endpoint).list_objects_v2(Bucket=bucket).get("Contents", [])
        ]
    assert missing.returncode != 0
    assert "Staff-only files cannot be stored" in missing.stderr
    assert "NoSuchBucket" in missing.stderr
    assert "Uploaded files cannot be stored" not in missing.stderr
    assert present.returncode == 0, present.stdout + present.stderr
    assert left == []
