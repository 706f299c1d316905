"""bin/every, which `make run` and `make serve` run `manage.py send_notifications` through: the
command runs at once and again SECONDS after each run, a failed run does not stop the next, and
stopping the loop stops a run in progress too."""

import signal
import subprocess
import time
from pathlib import Path

from django.conf import settings

EVERY = Path(settings.BASE_DIR) / "bin" / "every"


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_the_command_runs_again_after_each_run_even_a_failed_one(tmp_path):
    runs = tmp_path / "runs"
    loop = subprocess.Popen(  # noqa: S603 (our script, our arguments)
        [EVERY, "1", "sh", "-c", f"echo $$ >> {runs}; exit 3"], stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(_lines(runs)) < 3:
        time.sleep(0.1)
    loop.send_signal(signal.SIGTERM)
    assert loop.wait(timeout=10) == 0
    assert len(_lines(runs)) >= 3, "the command was not run again"
    assert b"ended with status 3" in loop.stderr.read()


def test_stopping_the_loop_stops_the_run_in_progress(tmp_path):
    runs = tmp_path / "runs"
    loop = subprocess.Popen(  # noqa: S603 (our script, our arguments)
        [EVERY, "60", "sh", "-c", f"echo $$ >> {runs}; exec sleep 60"]
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not _lines(runs):
        time.sleep(0.1)
    running = int(_lines(runs)[0])
    loop.send_signal(signal.SIGTERM)
    assert loop.wait(timeout=10) == 0
    time.sleep(0.2)
    assert not Path(f"/proc/{running}").exists(), "the run outlived the loop"


def test_seconds_must_be_a_whole_number():
    done = subprocess.run(  # noqa: S603 (our script, our arguments)
        [EVERY, "soon", "true"], capture_output=True, check=False
    )
    assert done.returncode == 2
    assert b"SECONDS must be a whole number" in done.stderr
