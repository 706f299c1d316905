"""The Spanish and English catalogues are complete, and the compiled ones are what is served."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])


@pytest.mark.parametrize("language", ["es", "en"])
def test_catalogue_is_complete_with_nothing_fuzzy(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_spanish_catalogue_keeps_every_placeholder():
    catalogue = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    import re

    placeholder = re.compile(r"%\(\w+\)s")
    for entry in catalogue:
        translations = (
            [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        )
        for text in translations:
            expected = set(placeholder.findall(entry.msgid_plural or entry.msgid))
            assert set(placeholder.findall(text)) <= expected | set(
                placeholder.findall(entry.msgid)
            ), entry.msgid


def test_the_compiled_spanish_catalogue_is_in_use():
    with translation.override("es"):
        assert translation.gettext("Overdue milestones") == "Hitos vencidos"


def test_every_string_of_the_jinja_templates_is_in_the_catalogue():
    """makemessages reads our Jinja2 templates with Django's template lexer, which finds
    `{{ _("...") }}` and `_("...")` inside `{% ... %}` but not a `_("...")` passed to a macro
    inside `{{ ... }}`: such a string would silently stay in English. Put it in a `{% set %}`."""
    import re

    catalogue = {e.msgid for e in polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))}
    literal = re.compile(r'_\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
    missing = [
        f"{path.relative_to(settings.BASE_DIR)}: {text}"
        for path in sorted((settings.BASE_DIR / "cocrea" / "jinja2").rglob("*.html"))
        for text in literal.findall(path.read_text())
        if text.replace('\\"', '"') not in catalogue
    ]
    assert missing == []


def test_no_translation_call_hides_inside_an_f_string():
    """makemessages cannot see a gettext call inside an f-string's braces, so its text never
    reaches the catalogues and shows in English whatever the language (it happened once)."""
    import io
    import re
    import tokenize

    call = re.compile(r"\{[^{}]*\b(_|gettext|ngettext|pgettext|gettext_lazy|gettext_noop)\(")
    hidden = []
    for path in Path(settings.BASE_DIR, "cocrea").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            prefix = re.match(r"[a-zA-Z]*", token.string).group().lower()
            if token.type == tokenize.STRING and "f" in prefix and call.search(token.string):
                hidden.append(f"{path.name}:{token.start[0]}")
    assert hidden == []
