"""The demo's search index (`manage.py seed_demo`, listed in COCREA_DEMO_SEEDERS after every app
that makes demo content): everything public indexed, so `make run` searches at once."""

from typing import Any, TextIO

from cocrea.search.services import rebuild


def seed(stdout: TextIO, **_: Any) -> None:
    stdout.write(f"Search: {rebuild()} entries indexed.")
