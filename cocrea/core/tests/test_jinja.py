"""The Jinja2 helpers."""

from datetime import UTC, datetime

from django.template import engines


def _render(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_an_aware_datetime_is_shown_on_its_day_in_guatemala():
    # 03:00 UTC on 2 March is 21:00 on 1 March in Guatemala (UTC-6).
    moment = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    assert _render("{{ moment|date('Y-m-d') }}", moment=moment) == "2026-03-01"


def test_translated_text_follows_the_language_of_each_rendering():
    # `_` is memoised per language: a language seen first must not answer for the next one.
    from django.utils import translation

    source = "{{ _('Action plans') }}"
    with translation.override("es"):
        assert _render(source) == "Planes de acción"
    with translation.override("en"):
        assert _render(source) == "Action plans"
    with translation.override("es"):
        assert _render(source) == "Planes de acción"


def test_a_naive_datetime_is_shown_as_it_is_and_nothing_as_nothing():
    from cocrea.core.jinja import date_filter

    assert date_filter(datetime(2025, 1, 1, 3, 0), "Y-m-d") == "2025-01-01"
    assert date_filter(None) == ""
