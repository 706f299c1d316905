"""`manage.py makemessages`: Django's, with the Jinja2 templates read by Jinja's own extractor.

Django reads templates with its own lexer, which misses what only Jinja can parse: `ngettext`
plurals, a `_()` passed to a macro or a filter. So the Jinja2 template folders are left out of
Django's pass, and Babel reads them with `jinja2.ext.babel_extract`, keeping plurals as
msgid/msgid_plural pairs. Their messages go into the same django.pot before msgmerge, so
`--locale`, `--no-obsolete` and `--no-location` work as before and the .po files stay one per
language.
"""

import os
import tempfile
from pathlib import Path
from typing import Any, cast

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import makemessages
from django.core.management.utils import popen_wrapper

# The names cocrea.core.jinja puts in templates for translation; `format` with %(name)s
# placeholders follows, so these are old-style gettext calls.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
METHOD_MAP = [("**.html", "jinja2.ext.babel_extract"), ("**.txt", "jinja2.ext.babel_extract")]
# Errors must stop the extraction: a template Jinja cannot parse would otherwise be skipped
# silently and its strings would vanish from the catalogue.
OPTIONS = {"silent": "false", "encoding": "utf-8"}


def jinja_template_dirs() -> list[Path]:
    return [
        Path(directory).resolve()
        for engine in settings.TEMPLATES
        if engine["BACKEND"] == "django.template.backends.jinja2.Jinja2"
        for directory in cast(list[str], engine.get("DIRS", []))
    ]


def jinja_catalogue() -> Catalog:
    """Every message of the Jinja2 templates, plurals as (singular, plural) pairs."""
    catalogue = Catalog(fuzzy=False)
    for directory in jinja_template_dirs():
        extracted = extract_from_dir(
            str(directory),
            method_map=METHOD_MAP,
            options_map={pattern: OPTIONS for pattern, _method in METHOD_MAP},
            keywords=KEYWORDS,
            comment_tags=("Translators",),
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in extracted:
            path = str((directory / filename).relative_to(settings.BASE_DIR))
            catalogue.add(
                message, locations=[(path, lineno)], auto_comments=comments, context=context
            )
    return catalogue


class Command(makemessages.Command):
    help = makemessages.Command.help + (
        "\n\nCocrea's version reads the Jinja2 templates with Babel's Jinja2 extractor."
    )

    def find_files(self, root: str) -> list[Any]:
        jinja_dirs = jinja_template_dirs()
        return [
            translatable
            for translatable in super().find_files(root)
            if not any(Path(translatable.path).resolve().is_relative_to(d) for d in jinja_dirs)
        ]

    def build_potfiles(self) -> list[str]:
        potfiles = super().build_potfiles()
        if self.domain != "django" or self.default_locale_path is None:
            return potfiles
        potfile = os.path.join(self.default_locale_path, f"{self.domain}.pot")
        with tempfile.NamedTemporaryFile("wb", suffix=".pot", delete=False) as jinja_pot:
            write_po(
                jinja_pot,
                jinja_catalogue(),
                width=0,
                no_location="--no-location" in self.msguniq_options,
            )
        try:
            # msgcat joins the two, merging a message found in Python and in a template.
            sources = [path for path in (potfile, jinja_pot.name) if os.path.exists(path)]
            args = ["msgcat", *self.msguniq_options, "--use-first", "-o", potfile, *sources]
            _out, errors, status = popen_wrapper(args)
            if status:
                raise CommandError(f"errors happened while running msgcat\n{errors}")
        finally:
            os.unlink(jinja_pot.name)
        return potfiles if potfile in potfiles else [*potfiles, potfile]
