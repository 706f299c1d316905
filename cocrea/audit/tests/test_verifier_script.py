"""The standalone verifier (cocrea/static/audit/verify_log.py, served to anyone) accepts the
downloaded log, and names the first line of a tampered copy."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from cocrea.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "audit" / "verify_log.py"


def _run(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [sys.executable, str(SCRIPT), str(path), *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def downloaded(client, log, tmp_path) -> Path:
    response = client.get(reverse("audit:log_download"))
    path = tmp_path / "audit-log.jsonl"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, lines: list[dict]) -> Path:
    tampered = path.with_name("tampered.jsonl")
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    tampered.write_text(text, encoding="utf-8")
    return tampered


def test_the_script_is_served_as_a_static_file(client):
    from django.contrib.staticfiles import finders

    assert Path(finders.find("audit/verify_log.py")) == SCRIPT


def test_the_downloaded_log_verifies_and_ends_on_the_head_the_site_shows(downloaded):
    head = AuditEvent.objects.last().hash
    result = _run(downloaded, "--head", head)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"OK: 6 events, head {head}"


def test_a_changed_line_is_named(downloaded):
    lines = _lines(downloaded)
    index = next(i for i, line in enumerate(lines) if line["public"] and i > 1)
    lines[index]["actor_name"] = "Otra persona"
    result = _run(_write(downloaded, lines))
    assert result.returncode == 1
    assert result.stdout.startswith(f"Line {index + 1} (event {lines[index]['id']}) does not fit")
    assert "content does not match" in result.stdout


def test_a_changed_hash_of_a_private_line_is_named(downloaded):
    lines = _lines(downloaded)
    index = next(i for i, line in enumerate(lines) if not line["public"])
    lines[index]["payload_hash"] = "0" * 64
    result = _run(_write(downloaded, lines))
    assert result.returncode == 1
    assert result.stdout.startswith(f"Line {index + 1} (event {lines[index]['id']}) does not fit")


def test_a_removed_line_names_the_next_one(downloaded):
    lines = _lines(downloaded)
    removed = lines.pop(2)
    result = _run(_write(downloaded, lines))
    assert result.returncode == 1
    assert f"Line 3 (event {removed['id'] + 1}) does not fit" in result.stdout


def test_a_log_cut_short_does_not_end_on_the_head(downloaded):
    lines = _lines(downloaded)
    result = _run(_write(downloaded, lines[:-1]), "--head", lines[-1]["hash"])
    assert result.returncode == 1
    assert "not on the head" in result.stdout
