"""Strict security headers on every public page (found from the URL configuration)."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.headers import security_header_problems
from tests.pages import plan_samples, public_pages

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_public_page_sends_strict_security_headers(client, plan, lang):
    pages = public_pages(plan_samples(plan), lang)
    assert len(pages) >= 6
    problems = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        if found := security_header_problems(response):
            problems[page] = found
    assert problems == {}


def test_no_public_page_carries_inline_script_or_style(client, plan):
    for page in public_pages(plan_samples(plan)):
        html = client.get(page).content.decode()
        assert "<script" not in html, page
        assert "<style" not in html, page
        assert " style=" not in html, page


def test_the_404_page_carries_the_headers_too(client, db):
    response = client.get("/planes/nada/")
    assert response.status_code == 404
    assert security_header_problems(response) == []


def _deploy_check(**variables: str) -> subprocess.CompletedProcess:
    import os

    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("COCREA_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def folders(root: Path) -> dict[str, str]:
    """The storage folders of a deployment, in `root` (the deploy check writes a file in each)."""
    return {
        f"COCREA_{name.upper()}_ROOT": str(root / name) for name in ("media", "private", "opendata")
    }


def test_production_settings_pass_djangos_deploy_check(tmp_path):
    result = _deploy_check(
        **folders(tmp_path),
        COCREA_ENVIRONMENT="production",
        COCREA_SECRET_KEY="a-production-like-secret-key-" + "x" * 40,
        COCREA_ALLOWED_HOSTS="cocrea.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_without_https_settings(tmp_path):
    result = _deploy_check(
        **folders(tmp_path),
        COCREA_ENVIRONMENT="production",
        COCREA_SECRET_KEY="a-production-like-secret-key-" + "x" * 40,
        COCREA_ALLOWED_HOSTS="cocrea.example.org",
        COCREA_HTTPS="0",
    )
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stdout + result.stderr


def test_https_redirected_by_the_proxy_passes_the_deploy_check_and_nowhere_else(tmp_path):
    """deploy/cocrea.env: nginx redirects plain HTTP, so the app servers do not (they answer
    health checks on loopback). Without a proxy in front, that is worth Django's warning."""
    production = {
        **folders(tmp_path),
        "COCREA_ENVIRONMENT": "production",
        "COCREA_SECRET_KEY": "a-production-like-secret-key-" + "x" * 40,
        "COCREA_ALLOWED_HOSTS": "cocrea.example.org",
        "COCREA_SSL_REDIRECT": "0",
    }
    behind = _deploy_check(**production, COCREA_BEHIND_PROXY="1")
    assert behind.returncode == 0, behind.stdout + behind.stderr
    alone = _deploy_check(**production)
    assert alone.returncode != 0
    assert "security.W008" in alone.stdout + alone.stderr
