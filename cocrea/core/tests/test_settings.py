"""Settings come from the environment and fail loudly on a bad or missing value."""

import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cocrea.core import env
from tests.servers import python_with

ROOT = Path(__file__).resolve().parents[3]


def _load_settings(**variables: str) -> subprocess.CompletedProcess:
    return python_with("import cocrea.settings", **variables)


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
    read = set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', source)) | set(
        re.findall(r'env_str\("([A-Z0-9_]+)"', source)
    )
    documented = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no variable found: the pattern is out of date"
    assert read == documented


def test_redis_url_selects_a_shared_redis_cache_that_really_works(redis_server):
    script = (
        "from django.conf import settings; import django; django.setup();"
        "from django.core.cache import cache;"
        "print(settings.CACHES['default']['BACKEND']);"
        "cache.set('cocrea-check', 'ok', 10); print(cache.get('cocrea-check'))"
    )
    result = python_with(
        script,
        COCREA_ENVIRONMENT="test",
        REDIS_URL=redis_server.url,
        DJANGO_SETTINGS_MODULE="cocrea.settings",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cocrea.core.cache.TolerantRedisCache", "ok"]


def _storages_of(**variables: str) -> subprocess.CompletedProcess:
    """STORAGES' default and private backends (and their buckets) as the settings make them."""
    script = (
        "from cocrea import settings as s; both = ('default', 'private');"
        "print(*(s.STORAGES[a]['BACKEND'] for a in both));"
        "print(*(s.STORAGES[a].get('OPTIONS', {}).get('bucket_name') for a in both))"
    )
    return python_with(script, COCREA_ENVIRONMENT="test", **variables)


def test_files_are_kept_in_folders_by_default():
    result = _storages_of()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0].split() == [
        "django.core.files.storage.FileSystemStorage",
        "django.core.files.storage.FileSystemStorage",
    ]


def test_s3_storage_keeps_private_files_in_the_same_bucket_unless_told_otherwise():
    same = _storages_of(COCREA_STORAGE="s3", COCREA_S3_BUCKET="cocrea-files")
    assert same.returncode == 0, same.stderr
    assert same.stdout.split() == [
        *["cocrea.core.s3.S3Storage"] * 2,
        "cocrea-files",
        "cocrea-files",
    ]
    own = _storages_of(
        COCREA_STORAGE="s3",
        COCREA_S3_BUCKET="cocrea-files",
        COCREA_S3_PRIVATE_BUCKET="cocrea-staff",
    )
    assert own.stdout.split()[2:] == ["cocrea-files", "cocrea-staff"]


S3 = {"COCREA_STORAGE": "s3", "COCREA_S3_BUCKET": "cocrea-files"}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"COCREA_STORAGE": "s3"}, "COCREA_STORAGE=s3 needs COCREA_S3_BUCKET"),
        ({"COCREA_STORAGE": "ftp"}, "COCREA_STORAGE must be one of filesystem, s3, not 'ftp'"),
        (
            S3 | {"COCREA_S3_ACCESS_KEY_ID": "only-the-id"},
            "COCREA_S3_ACCESS_KEY_ID and COCREA_S3_SECRET_ACCESS_KEY go together",
        ),
        (
            S3 | {"COCREA_S3_ADDRESSING_STYLE": "sideways"},
            "COCREA_S3_ADDRESSING_STYLE must be one of auto, path, virtual",
        ),
    ],
)
def test_a_storage_that_cannot_work_refuses_to_start(variables, message):
    result = _load_settings(COCREA_ENVIRONMENT="test", **variables)
    assert result.returncode != 0
    assert message in result.stderr


def test_s3_variables_alone_store_and_read_files_on_an_s3_server():
    """From the environment to a real S3 server (moto's, on loopback): what COCREA_STORAGE=s3
    and its variables configure stores a file and reads it back, private files apart."""
    from tests.servers import BUCKET, CREDENTIALS, s3_client, s3_server

    script = (
        "import django; django.setup()\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage, storages\n"
        "name = default_storage.save('evidence/a.txt', ContentFile(b'public'))\n"
        "hidden = storages['private'].save('ogp-imports/b.csv', ContentFile(b'staff'))\n"
        "print(name, default_storage.open(name).read().decode(), default_storage.url(name))\n"
        "print(hidden, storages['private'].open(hidden).read().decode())\n"
    )
    with s3_server() as endpoint:
        result = python_with(
            script,
            COCREA_ENVIRONMENT="test",
            DJANGO_SETTINGS_MODULE="cocrea.settings",
            COCREA_STORAGE="s3",
            COCREA_S3_BUCKET=BUCKET,
            COCREA_S3_ENDPOINT_URL=endpoint,
            COCREA_S3_REGION="us-east-1",
            COCREA_S3_ACCESS_KEY_ID=CREDENTIALS["access_key_id"],
            COCREA_S3_SECRET_ACCESS_KEY=CREDENTIALS["secret_access_key"],
        )
        assert result.returncode == 0, result.stderr
        listed = s3_client(endpoint).list_objects_v2(Bucket=BUCKET)["Contents"]
    assert result.stdout.splitlines() == [
        "evidence/a.txt public /media/evidence/a.txt",
        "ogp-imports/b.csv staff",
    ]
    assert sorted(item["Key"] for item in listed) == [
        "media/evidence/a.txt",
        "private/ogp-imports/b.csv",
    ]
