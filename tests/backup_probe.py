"""What a database and its storages look like from the outside, read the same way from the
test's database and, in a subprocess, from the database a backup was restored into
(tests/test_backup_restore.py): row counts of every Cocrea table, the main tables' rows, the
public pages as a visitor gets them, and the SHA-256 of every stored file.

Run in a subprocess as `manage.py shell -c "from tests.backup_probe import main; main()"` with
the page addresses in the environment (PROBE_PAGES, one per line); it prints JSON."""

import hashlib
import json
import os
import re
from typing import Any

from django.apps import apps
from django.core.files.storage import storages
from django.test import Client

from cocrea.core.backup import STORAGES, storage_names

# Derived or moved on purpose by a restore: the data version (moved so no cached page of the
# old data is served).
NOT_COMPARED = {"core.DataVersion"}
ROWS_OF = {
    "plans.Commitment": ("slug", "title", "number", "plan__slug"),
    "tracking.ProgressReport": ("public_id", "status", "completion", "done", "published_at"),
    "tracking.Evidence": ("public_id", "file", "file_name", "size", "sha256"),
    "opendata.OgpImport": ("file", "file_name", "size", "sha256", "status"),
    "audit.AuditEvent": ("id", "action", "public", "hash", "prev_hash"),
}
_VOLATILE = [
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'),
    re.compile(r'(nonce=")[^"]*'),
]


def _page(client: Client, address: str) -> dict[str, Any]:
    response = client.get(address)
    html = response.content.decode()
    for pattern in _VOLATILE:
        html = pattern.sub(r"\1", html)
    return {"status": response.status_code, "html": html}


def _sha256(alias: str, name: str) -> str:
    with storages[alias].open(name, "rb") as source:
        return hashlib.sha256(source.read()).hexdigest()


def probe(pages: list[str]) -> dict[str, Any]:
    models = [m for m in apps.get_models() if m._meta.app_config.name.startswith("cocrea.")]
    return {
        "counts": {
            m._meta.label: m._base_manager.count()
            for m in models
            if m._meta.label not in NOT_COMPARED
        },
        "rows": {
            label: [
                {key: str(value) for key, value in row.items()}
                for row in apps.get_model(label)._base_manager.order_by("pk").values(*fields)
            ]
            for label, fields in ROWS_OF.items()
        },
        "pages": {address: _page(Client(), address) for address in pages},
        "files": {
            alias: {name: _sha256(alias, name) for name in storage_names(storages[alias])}
            for alias in STORAGES
        },
    }


def main() -> None:
    pages = [line for line in os.environ.get("PROBE_PAGES", "").splitlines() if line]
    print(json.dumps(probe(pages)))
