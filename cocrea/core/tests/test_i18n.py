"""The language noted for a rendering (cocrea.core.i18n)."""

import pytest
from django.template.loader import get_template
from django.utils import translation

from cocrea.core import i18n


def test_outside_a_rendering_the_language_is_django_s():
    with translation.override("en"):
        assert i18n.language() == "en"
    with translation.override("es"):
        assert i18n.language() == "es"


def test_a_rendering_notes_its_language_and_forgets_it_after():
    env = get_template("base.html").template.environment  # the site's Jinja environment
    seen = []
    template = env.from_string("{{ spy() }}", globals={"spy": lambda: seen.append(i18n.language())})
    with translation.override("en"):
        template.render()
        assert i18n._rendering.language is None  # nothing noted once it ended
    with translation.override("es"):
        template.render()
    assert seen == ["en", "es"]


def test_a_rendering_inside_another_restores_the_outer_language():
    env = get_template("base.html").template.environment
    inner = env.from_string("{{ spy() }}", globals={"spy": lambda: i18n.language()})

    def render_inner_in_english() -> str:
        with translation.override("en"):
            return inner.render()

    outer = env.from_string(
        "{{ spy() }}|{{ nested() }}|{{ spy() }}",
        globals={"spy": lambda: i18n.language(), "nested": render_inner_in_english},
    )
    with translation.override("es"):
        assert outer.render() == "es|en|es"


def test_a_failed_rendering_forgets_its_language():
    env = get_template("base.html").template.environment
    template = env.from_string("{{ 1 // 0 }}")
    with translation.override("en"), pytest.raises(ZeroDivisionError):
        template.render()
    assert getattr(i18n._rendering, "language", None) is None
