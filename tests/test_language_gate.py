"""One language per page (issue 21): every public page and every signed-in form, in Spanish and
in English, shows no text of the other language that the catalogues know.

A Spanish page fails on visible text (a text node, or a title, aria-label, placeholder, alt or
button value) equal to a msgid whose Spanish differs from it, or matching a plural or a message
with placeholders once its values are put in ("8 proposals"); an English page fails on a
Spanish msgstr that differs from its msgid. Only catalogue strings are compared, so what people
typed (plan titles, proposals) never misfires; text inside an element whose `lang` names the
other language (the link to the Spanish page, a title marked lang="es") is judged in that
language. The catalogues are ours and django-allauth's, whose pages we show."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import allauth
import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.pages import plan_samples, public_pages

pytestmark = pytest.mark.django_db

OURS = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
ALLAUTH = Path(allauth.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
BUTTON_INPUTS = {"submit", "button", "reset"}
# Not text in a language: scripts, styles, code (field names, commands), and what a person
# typed into a form (textarea).
HIDDEN_ELEMENTS = {"script", "style", "template", "code", "pre", "kbd", "samp", "textarea"}
VOID_ELEMENTS = {"input", "img", "br", "hr", "meta", "link", "source", "wbr", "area", "col"}
# Placeholders that carry a number in a plural message ("%(num)d proposals").
COUNTS = {"count", "num", "n", "number", "days", "total"}
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]?\d*(?:\.\d+)?([sdif%])")


# What a page shows -------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The visible text of a page as (language, text) pairs: each text node and each shown
    attribute, in the language of its nearest element with a `lang` attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.languages: list[tuple[str, str, int]] = []  # (tag, lang, open elements of tag)
        self.depth: dict[str, int] = {}
        self.hidden = 0

    @property
    def language(self) -> str:
        return self.languages[-1][1] if self.languages else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.depth[tag] = self.depth.get(tag, 0) + 1
        if "lang" in values:
            self.languages.append((tag, values["lang"].split("-")[0], self.depth[tag]))
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        shown = SHOWN_ATTRIBUTES | (
            {"value"} if tag == "input" and values.get("type") in BUTTON_INPUTS else set()
        )
        for name in shown & set(values):
            self._add(values[name])
        if tag in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.languages and self.languages[-1][0::2] == (tag, self.depth.get(tag, 0)):
            self.languages.pop()
        if tag in HIDDEN_ELEMENTS and self.hidden:
            self.hidden -= 1
        if self.depth.get(tag):
            self.depth[tag] -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self._add(data)

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.found.append((self.language, text))


def visible_text(html: str) -> list[tuple[str, str]]:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.found


# What the catalogues know ------------------------------------------------------------------


def _pattern(message: str, plural: bool) -> re.Pattern[str] | None:
    """A regular expression for a message with placeholders, or None when the message has too
    little text of its own to tell a language by."""
    parts, literal, position = [], "", 0
    for match in PLACEHOLDER.finditer(message):
        text = message[position : match.start()]
        parts.append(re.escape(text))
        literal += text
        name, kind = match.groups()
        if kind == "%":
            parts.append("%")
        elif kind in "di" or name in COUNTS or (plural and name is None):
            parts.append(r"\d[\d.,]*")
        else:
            parts.append(".+?")
        position = match.end()
    parts.append(re.escape(message[position:]))
    literal += message[position:]
    if sum(c.isalpha() for c in literal) < 4:
        return None
    body = "".join(parts)
    # A plural is found inside a text node ("· 4 supports · 2 comments"), any other message
    # must be the whole node.
    return re.compile(rf"(?<!\w){body}(?!\w)" if plural else rf"{body}")


@dataclass
class Catalogue:
    """For one language of pages: the texts that must not show, whole and as patterns."""

    texts: set[str] = field(default_factory=set)
    patterns: list[tuple[re.Pattern[str], bool, str]] = field(default_factory=list)

    def add(self, message: str, plural: bool) -> None:
        if PLACEHOLDER.search(message):
            pattern = _pattern(message, plural)
            if pattern is not None:
                self.patterns.append((pattern, plural, message))
        elif sum(c.isalpha() for c in message) >= 2:
            self.texts.add(message)

    def offences(self, text: str, allowed: set[str]) -> Iterator[str]:
        if text in allowed:
            return
        if text in self.texts:
            yield text
        for pattern, plural, message in self.patterns:
            if (pattern.search(text) if plural else pattern.fullmatch(text)) is not None:
                yield f"{text!r} (matches {message!r})"


@cache
def catalogues() -> dict[str, tuple[Catalogue, set[str]]]:
    """Page language -> (what must not show there, every text that is right there)."""
    spanish_wrong, english_wrong = Catalogue(), Catalogue()
    spanish_right: set[str] = set()
    english_right: set[str] = set()
    ours = polib.pofile(str(OURS))
    known = {(e.msgctxt, e.msgid) for e in ours}
    entries = [(e, True) for e in ours] + [
        (e, False) for e in polib.pofile(str(ALLAUTH)) if (e.msgctxt, e.msgid) not in known
    ]
    for entry, our_own in entries:
        if entry.obsolete:
            continue
        plural = bool(entry.msgid_plural)
        if plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for english, spanish in pairs:
            english_right.add(english)
            if "fuzzy" in entry.flags:
                spanish = ""  # a fuzzy translation is not served
            if not spanish:
                if our_own:  # our string without Spanish: it shows in English
                    spanish_wrong.add(english, plural)
                continue
            spanish_right.add(spanish)
            if spanish != english:
                spanish_wrong.add(english, plural)
                english_wrong.add(spanish, plural)
    return {"es": (spanish_wrong, spanish_right), "en": (english_wrong, english_right)}


def wrong_language(html: str, page_language: str) -> list[str]:
    """The texts of the other language that a page in `page_language` shows."""
    found = []
    for language, text in visible_text(html):
        judged_as = language if language in {"es", "en"} else page_language
        wrong, right = catalogues()[judged_as]
        found.extend(wrong.offences(text, right))
    return found


# The pages ---------------------------------------------------------------------------------


# What the tests' people typed that happens to equal a catalogue string: a report whose "what
# was done" is "Avance" (tests/test_authorization_matrix.py), shown as typed on English pages.
TYPED = {"Avance"}


def _check(client: Client, pages: list[str], skip_redirects: bool = False) -> dict[str, list[str]]:
    problems = {}
    for page in pages:
        response = client.get(page)
        if skip_redirects and response.status_code == 302:
            continue  # log-in and sign-up send a signed-in person on
        assert response.status_code == 200, (page, response.status_code)
        assert response["Content-Type"].startswith("text/html"), page
        language = "en" if page.startswith("/en/") else "es"
        found = [
            text
            for text in wrong_language(response.content.decode(), language)
            if text not in TYPED
        ]
        if found:
            problems[page] = found
    return problems


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}: {', '.join(texts)}" for page, texts in problems.items())


def _both_languages(paths: list[str]) -> list[str]:
    return [*paths, *(f"/en{path}" for path in paths)]


def test_the_gate_catches_english_on_a_spanish_page_and_spanish_on_an_english_one():
    assert wrong_language("<p>Overdue milestones</p>", "es") == ["Overdue milestones"]
    assert wrong_language("<p>Hitos vencidos</p>", "en") == ["Hitos vencidos"]
    assert wrong_language('<a title="Overdue milestones">x</a>', "es") == ["Overdue milestones"]
    # A plural with its count put in, inside a longer text node.
    assert len(wrong_language("<span>· 8 proposals · 2 comments</span>", "es")) == 2
    assert len(wrong_language("<span>8 propuestas</span>", "en")) == 1
    # The right language, marked other text, and what people typed pass.
    assert wrong_language("<p>Hitos vencidos</p><p>8 propuestas</p>", "es") == []
    assert wrong_language('<p>Overdue milestones</p><a lang="es">Hitos vencidos</a>', "en") == []
    assert wrong_language("<p>Plan de Acción Nacional de Gobierno Abierto</p>", "en") == []
    assert wrong_language("<script>'Overdue milestones'</script>", "es") == []


def test_every_public_page_is_in_one_language(plan, personas):
    samples = plan_samples(plan)
    pages = public_pages(samples, "es") + public_pages(samples, "en")
    assert len(pages) > 30
    problems = _check(Client(), pages)
    assert problems == {}, _report(problems)
    # The same pages as a signed-in person sees them: support, comment and join forms.
    signed_in = Client()
    signed_in.force_login(personas["cso_member"])
    problems = _check(signed_in, pages, skip_redirects=True)
    assert problems == {}, _report(problems)


def test_every_signed_in_form_is_in_one_language(plan, personas, institutions):
    """Each view that acts (tests/test_authorization_matrix.py), opened by the first persona
    allowed to use it, where it answers GET with a page; and the person's account pages."""
    from tests.test_authorization_matrix import ALLOWED, PERSONAS, SCENARIOS

    plan_samples(plan)
    checked = 0
    problems: dict[str, list[str]] = {}
    for _name, scenario in sorted(SCENARIOS.items()):
        with translation.override("es"):
            built = scenario(personas, institutions)
        url, expected = built[0], built[2]
        persona = next(p for p in PERSONAS if expected.get(p) == ALLOWED)
        client = Client()
        if personas[persona] is not None:  # a signed link: anyone who holds it
            client.force_login(personas[persona])
        if client.get(url).status_code != 200:
            continue  # an action answered only by POST (support, publish)
        checked += 1
        problems.update(_check(client, _both_languages([url])))
    assert checked >= 10
    client = Client()
    client.force_login(personas["point_of_contact"])
    with translation.override("es"):
        account = [
            reverse(name)
            for name in (
                "accounts:my_space",
                "accounts:delete",
                "account_email",
                "account_change_password",
                "mfa_index",
                "account_logout",
            )
        ]
    account.append(reverse("accounts:profile", kwargs={"public_id": personas["citizen"].public_id}))
    problems.update(_check(client, _both_languages(account)))
    assert problems == {}, _report(problems)
