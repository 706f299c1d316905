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
