"""Our makemessages reads the Jinja2 templates with Babel's Jinja2 extractor, so their plurals
reach the catalogue (issue 21: "8 proposals" on Spanish pages), and Django's template lexer no
longer reads them."""

from pathlib import Path

import polib
from django.conf import settings

from cocrea.core.management.commands.makemessages import (
    Command,
    jinja_catalogue,
    jinja_template_dirs,
)

LOCALE = Path(settings.LOCALE_PATHS[0])


def test_the_jinja_extractor_finds_plurals_and_plain_strings():
    catalogue = jinja_catalogue()
    proposals = catalogue.get("%(num)d proposal")
    assert proposals is not None and proposals.id == ("%(num)d proposal", "%(num)d proposals")
    assert "python-format" in proposals.flags
    assert catalogue.get("Overdue milestones") is not None


def test_every_message_of_the_jinja_templates_is_translated_in_spanish():
    spanish = {e.msgid: e for e in polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))}
    missing = []
    for message in jinja_catalogue():
        if not message.id:
            continue  # the header
        key, plural = message.id if message.pluralizable else (message.id, "")
        entry = spanish.get(key)
        if (
            entry is None
            or entry.msgid_plural != plural
            or not entry.translated()
            or "fuzzy" in entry.flags
        ):
            missing.append(key)
    assert missing == []


def test_django_template_lexer_skips_the_jinja_templates():
    command = Command()
    command.ignore_patterns, command.extensions, command.symlinks = [".*"], [".html", ".txt"], False
    command.verbosity, command.locale_paths = 0, [str(LOCALE)]
    command.default_locale_path = str(LOCALE)
    files = {Path(f.path).resolve() for f in command.find_files(str(settings.BASE_DIR / "cocrea"))}
    jinja = jinja_template_dirs()
    assert jinja and not any(path.is_relative_to(d) for path in files for d in jinja)
    assert any("templates" in path.parts for path in files)  # the Django templates still are
