"""Real servers on loopback for the tests of shared state: Redis (Debian's redis-server, which
bin/system-packages installs), which a test can stop and start again on the same port, and an
S3 server (moto's standalone server: S3 over HTTP, spoken to by boto3 as to any other)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, *, up: bool) -> None:
    for _ in range(100):
        with socket.socket() as probe:
            if (probe.connect_ex(("127.0.0.1", port)) == 0) is up:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not come {'up' if up else 'down'}")


class RedisServer:
    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is missing: run bin/system-packages"
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed binary and arguments
            [
                *(self.binary, "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        _wait_for(self.port, up=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
            _wait_for(self.port, up=False)


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


BUCKET = "cocrea-files"
PRIVATE_BUCKET = "cocrea-private"
CREDENTIALS = {"access_key_id": "test-key", "secret_access_key": "test-secret"}


@contextmanager
def s3_server() -> Iterator[str]:
    """moto's S3 server on a free loopback port, with the site's two buckets; its address."""
    import requests
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto keeps what it stores per process, not per server: each server starts empty.
    requests.post(f"{endpoint}/moto-api/reset", timeout=10).raise_for_status()
    client = s3_client(endpoint)
    for bucket in (BUCKET, PRIVATE_BUCKET):
        client.create_bucket(Bucket=bucket)
    try:
        yield endpoint
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    """A client of the S3 server with the site's credentials (what the tests check with)."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key_id"],
        aws_secret_access_key=CREDENTIALS["secret_access_key"],
    )


def python_with(script: str, **variables: str) -> subprocess.CompletedProcess:
    """`script` run by another Python process in the project, with this environment less
    Cocrea's settings, plus `variables`: how settings are read at start, and a second app
    server shares (or not) what this one has."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COCREA_")}
    environment.update(variables)
    return subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[1],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
