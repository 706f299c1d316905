"""The shared macros of cocrea/jinja2/includes/macros.html: the markup every list repeats."""

from datetime import date

import pytest
from django import forms
from django.template import engines
from django.utils import translation

from cocrea.plans.models import Milestone

_IMPORT = (
    '{% from "includes/macros.html" import '
    "progress_bar, completion_badge, end_cell, overdue_mark, select %}"
)


def _render(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(_IMPORT + source).render(context)


def test_a_progress_bar_shows_the_whole_percentage_and_names_the_commitment(english):
    assert _render('{{ progress_bar(42.9, "Datos <abiertos> & más") }}') == (
        '<span class="progress"><progress value="42" max="100" '
        'aria-label="Progress: Datos &lt;abiertos&gt; &amp; más">42 %</progress> '
        "<span>42 %</span></span>"
    )
    assert _render("{{ progress_bar(0) }}") == (
        '<span class="progress"><progress value="0" max="100" aria-label="Progress">0 %'
        "</progress> <span>0 %</span></span>"
    )


def test_without_a_figure_the_progress_bar_says_so(english):
    assert _render("{{ progress_bar(none) }}") == ('<span class="muted">No progress figure</span>')


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_completion_badge_names_the_completion_in_the_language(language):
    with translation.override(language):
        for value, label in Milestone.Completion.choices:
            assert _render("{{ completion_badge(value) }}", value=value) == (
                f'<span class="badge badge--{value}">{label}</span>'
            )
        none = translation.gettext("No milestones")
        assert _render("{{ completion_badge(none) }}") == f'<span class="badge">{none}</span>'
    assert none == {"es": "Sin hitos", "en": "No milestones"}[language]


def test_an_end_date_is_a_short_time_element_and_nothing_without_a_date(english):
    assert _render("{{ end_cell(day) }}", day=date(2024, 3, 5)) == (
        '<time datetime="2024-03-05">03/05/2024</time>'
    )
    assert _render("[{{ end_cell(none) }}]") == "[]"


def test_the_overdue_mark_follows_the_date_after_a_space():
    with translation.override("es"):
        assert _render("{{ overdue_mark() }}") == ' <strong class="overdue">Vencido</strong>'


def test_select_escapes_values_and_labels_and_marks_the_choice():
    class Form(forms.Form):
        area = forms.ChoiceField(choices=[("", "Todas"), ('a"b', "<b>Agua & saneamiento</b>")])

    chosen = Form({"area": 'a"b'})
    assert _render("{{ select(form['area']) }}", form=chosen) == (
        '<select name="area" id="id_area"><option value="">Todas</option>'
        '<option value="a&#34;b" selected>&lt;b&gt;Agua &amp; saneamiento&lt;/b&gt;</option>'
        "</select>"
    )
    refused = Form({"area": "otra"})
    assert not refused.is_valid()
    html = _render("{{ select(form['area']) }}", form=refused)
    assert html.startswith('<select name="area" id="id_area" aria-invalid="true">')
    assert " selected" not in html
    unbound = _render("{{ select(Form()['area']) }}", Form=Form)
    assert '<option value="" selected>Todas</option>' in unbound
