"""bin/supervise, which `make run` and `make serve` run the background worker through: a command
that ends is started again (after 2 s), and stopping the supervisor stops the command too."""

import signal
import subprocess
import time
from pathlib import Path

from django.conf import settings

SUPERVISE = Path(settings.BASE_DIR) / "bin" / "supervise"


def test_a_command_that_ends_is_started_again_until_the_supervisor_is_stopped(tmp_path):
    runs = tmp_path / "runs"
    # Each run notes itself; the first ends at once (as a crash would), later ones keep running.
    script = f'echo $$ >> {runs}; [ "$(wc -l < {runs})" -gt 1 ] && exec sleep 60; exit 3'
    supervisor = subprocess.Popen(  # noqa: S603 (our script, our arguments)
        [SUPERVISE, "sh", "-c", script], stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(_lines(runs)) < 2:
        time.sleep(0.1)
    assert len(_lines(runs)) == 2, "the command was not started again"
    second = int(_lines(runs)[1])
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=10) == 0
    assert b"ended with status 3; starting it again" in supervisor.stderr.read()
    time.sleep(0.2)
    assert not Path(f"/proc/{second}").exists(), "the running command outlived its supervisor"


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []
