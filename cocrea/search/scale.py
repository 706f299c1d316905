"""The benchmark's search index (`manage.py seed_scale`, COCREA_SCALE_SEEDERS, after the apps
that add content): everything the scale data makes public, indexed."""

import random
from typing import Any, TextIO

from django.core.management.base import CommandParser

from cocrea.search.models import Entry
from cocrea.search.services import rebuild


def add_arguments(parser: CommandParser) -> None:
    """No options of its own: it indexes what the others made."""


def clear() -> None:
    Entry.objects.all().delete()


def seed(*, rng: random.Random, options: dict[str, Any], plans: list[Any], stdout: TextIO) -> None:
    stdout.write(f"Search: {rebuild()} entries indexed.")
