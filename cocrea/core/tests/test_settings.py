"""Settings come from the environment and fail loudly on a bad or missing value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cocrea.core import env

ROOT = Path(__file__).resolve().parents[3]


def _load_settings(**variables: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COCREA_")}
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "-c", "import cocrea.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _load_settings(COCREA_ENVIRONMENT="production")
    assert result.returncode != 0
    assert "COCREA_SECRET_KEY must be set in production." in result.stderr


def test_production_is_the_default_environment():
    result = _load_settings()
    assert "COCREA_SECRET_KEY must be set in production." in result.stderr


def test_debug_cannot_be_switched_on_in_production():
    result = _load_settings(
        COCREA_ENVIRONMENT="production", COCREA_SECRET_KEY="k" * 50, COCREA_DEBUG="1"
    )
    assert "COCREA_DEBUG cannot be on in production." in result.stderr


def test_production_starts_with_a_secret_key():
    result = _load_settings(COCREA_ENVIRONMENT="production", COCREA_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("COCREA_X", raw)
    assert env.env_bool("COCREA_X") is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("COCREA_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="COCREA_X must be a boolean"):
        env.env_bool("COCREA_X")


def test_env_int_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("COCREA_X", "ten")
    with pytest.raises(ImproperlyConfigured, match="COCREA_X must be an integer"):
        env.env_int("COCREA_X", 1)


def test_env_choice_refuses_an_unknown_value(monkeypatch):
    monkeypatch.setenv("COCREA_ENVIRONMENT", "staging")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env.env_choice("COCREA_ENVIRONMENT", ("development", "production"), "production")


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("COCREA_X", "a.org, b.org,,")
    assert env.env_list("COCREA_X") == ["a.org", "b.org"]


def test_unset_values_take_their_default(monkeypatch):
    monkeypatch.delenv("COCREA_X", raising=False)
    assert env.env_int("COCREA_X", 7) == 7
    assert env.env_bool("COCREA_X", True) is True
    assert env.env_list("COCREA_X", ["x"]) == ["x"]


def test_env_example_documents_every_variable_the_settings_read():
    import re

    source = (ROOT / "cocrea" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source)) | set(
        re.findall(r'env_str\("([A-Z_]+)"', source)
    )
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no variable found: the pattern is out of date"
    assert read == documented


@pytest.fixture
def redis_port():
    """A Redis server of the test's own on loopback (Debian's redis-server, which
    bin/system-packages installs), stopped afterwards."""
    import shutil
    import socket
    import time

    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: run bin/system-packages"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 - fixed binary and arguments
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_redis_url_selects_a_shared_redis_cache_that_really_works(redis_port):
    script = (
        "from django.conf import settings; import django; django.setup();"
        "from django.core.cache import cache;"
        "print(settings.CACHES['default']['BACKEND']);"
        "cache.set('cocrea-check', 'ok', 10); print(cache.get('cocrea-check'))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COCREA_")}
    environment.update(
        COCREA_ENVIRONMENT="test",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        DJANGO_SETTINGS_MODULE="cocrea.settings",
    )
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "ok"]
