"""Every public page, in Spanish and in English, with its content."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from cocrea.plans.models import Commitment, Milestone


def url(name: str, lang: str, **kwargs: str) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def test_spanish_is_served_without_prefix_and_english_under_en():
    assert url("plans:plan_list", "es") == "/planes/"
    assert url("plans:plan_list", "en") == "/en/planes/"


@pytest.mark.parametrize(
    ("lang", "heading", "overdue"),
    [
        ("es", "Plan de acción vigente", "Hitos vencidos"),
        ("en", "Current action plan", "Overdue milestones"),
    ],
)
def test_home_shows_the_current_plan_at_a_glance(client, plan, lang, heading, overdue):
    plan.end_date = date(2099, 8, 31)  # still being carried out
    plan.save()
    response = client.get(url("plans:home", lang))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert heading in html
    assert plan.title in html
    assert overdue in html
    # three commitments, each with one overdue milestone (limited, ended 2024-01-01)
    assert html.count("Hito de prueba") >= 3
    assert "<dd>3</dd>" in html
    # Each overdue milestone, marked so, links to its commitment by its number.
    assert html.count('<span class="overdue">') == 3
    first = plan.commitments.get(number=1)
    assert f'/{first.slug}/">1.1</a>' in html


def test_home_prefers_the_plan_in_implementation(client, plan):
    from conftest import build_plan

    newer = build_plan(
        commitments=1,
        status="co_creation",
        start_date=plan.start_date.replace(year=2030),
        end_date=plan.end_date.replace(year=2032),
    )
    html = client.get("/").content.decode()
    heading = html.split('<h2 id="current-plan">', 1)[1].split("</h2>")[0]
    assert plan.title in heading
    assert newer.title not in heading


@pytest.mark.parametrize(("lang", "current"), [("es", "vigente"), ("en", "Current action plan")])
def test_a_plan_past_its_end_date_is_not_called_current(client, plan, lang, current):
    # The fixture's plan is in implementation but ended on 31 August 2025.
    assert plan.status == "implementation" and plan.end_date == date(2025, 8, 31)
    assert not plan.is_current
    html = client.get(url("plans:home", lang)).content.decode()
    assert plan.title in html.split('<h2 id="current-plan">', 1)[1].split("</h2>")[0]
    assert current not in html
    detail = client.get(url("plans:plan", lang, slug=plan.slug)).content.decode()
    assert current not in detail


def test_a_plan_past_its_end_date_says_its_implementation_ended(client, plan):
    from django.utils import translation

    with translation.override("en"):
        assert plan.status_label == "Implementation ended"
    with translation.override("es"):
        assert plan.status_label == "Implementación concluida"
    html = client.get(url("plans:home", "en")).content.decode()
    heading = html.split('<h2 id="current-plan">', 1)[1].split("</h2>")[0]
    assert heading == f"Latest action plan: {plan.title}"
    assert "Implementation ended on Aug. 31, 2025" in html
    detail = client.get(url("plans:plan", "en", slug=plan.slug)).content.decode()
    assert '<span class="status status--implementation">Implementation ended</span>' in detail
    listed = client.get(url("plans:plan_list", "en")).content.decode()
    assert '<span class="status status--implementation">Implementation ended</span>' in listed


def test_the_home_plan_is_the_one_being_carried_out_before_one_past_its_end(db):
    from cocrea.plans.selectors import home_plan
    from conftest import build_plan

    ended = build_plan(commitments=1, slug="ended", number=1)  # implementation, ended 2025
    running = build_plan(
        commitments=1,
        slug="running",
        number=2,
        member=ended.member,
        start_date=date(2021, 1, 1),
        end_date=date(2099, 1, 1),
    )
    assert home_plan(date(2026, 12, 1)) == (ended.member, running)
    assert running.is_current
    running.status = "closed"
    running.save()
    assert home_plan(date(2026, 12, 1)) == (ended.member, ended)


def test_home_without_any_plan_says_so(client, db):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "No action plan has been published yet." in response.content.decode()


@pytest.mark.parametrize(("lang", "status"), [("es", "Implementación"), ("en", "Implementation")])
def test_plan_list_shows_years_status_and_counts(client, plan, lang, status):
    html = client.get(url("plans:plan_list", lang)).content.decode()
    assert plan.title in html
    assert "2023–2025" in html
    assert status in html
    label = "Commitments" if lang == "en" else "Compromisos"
    assert f'<td class="num" data-label="{label}">3</td>' in html  # commitments


@pytest.mark.parametrize(("lang", "word"), [("es", "compromisos"), ("en", "commitments")])
def test_plan_page_lists_commitments_with_progress_lead_and_areas(client, plan, lang, word):
    html = client.get(url("plans:plan", lang, slug=plan.slug)).content.decode()
    commitment = plan.commitments.select_related("lead_institution").first()
    assert f"3 {word}" in html
    assert commitment.title in html
    assert commitment.lead_institution.short_name in html
    assert commitment.policy_areas.get().name_es if lang == "es" else True
    with translation.override(lang):
        assert commitment.policy_areas.get().name in html
    # 1 limited (1/3) + 2 complete of 3 equal weights = 7/9 = 77 %
    assert 'value="77"' in html


def test_plan_page_filters_by_policy_area(client, plan):
    first = plan.commitments.get(number=1)
    area = first.policy_areas.get()
    html = client.get(url("plans:plan", "es", slug=plan.slug), {"area": area.slug}).content.decode()
    assert first.title in html
    assert plan.commitments.get(number=2).title not in html


def test_plan_page_filters_by_institution_leading_or_supporting(client, plan):
    first = plan.commitments.get(number=1)
    lead = first.lead_institution
    html = client.get(
        url("plans:plan", "es", slug=plan.slug), {"institution": lead.slug}
    ).content.decode()
    assert first.title in html
    assert plan.commitments.get(number=2).title not in html
    supporter = first.supporting_institutions.get()
    html = client.get(
        url("plans:plan", "es", slug=plan.slug), {"institution": supporter.slug}
    ).content.decode()
    assert all(c.title in html for c in plan.commitments.all())


def test_plan_page_filters_by_derived_completion(client, plan):
    first = plan.commitments.get(number=1)
    first.milestones.update(completion=Milestone.Completion.COMPLETE)
    page = url("plans:plan", "en", slug=plan.slug)
    html = client.get(page, {"completion": "complete"}).content.decode()
    assert first.title in html
    assert "1 commitment" in html
    html = client.get(page, {"completion": "substantial"}).content.decode()
    assert first.title not in html
    assert "2 commitments" in html


@pytest.mark.parametrize(
    "params", [{"area": "not-an-area"}, {"completion": "<script>"}, {"institution": "x" * 500}]
)
def test_plan_page_refuses_bad_filters_with_a_message_and_shows_everything(client, plan, params):
    response = client.get(url("plans:plan", "en", slug=plan.slug), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some filters could not be used" in html
    assert "3 commitments" in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        (
            "es",
            [
                "Problema que aborda",
                "Causas del problema",
                "Hitos",
                "Vencido",
                "Relevancia para los valores de OGP",
            ],
        ),
        (
            "en",
            [
                "Problem it addresses",
                "Causes of the problem",
                "Milestones",
                "Overdue",
                "Relevance to OGP values",
            ],
        ),
    ],
)
def test_commitment_page_shows_every_template_section_and_milestones(client, plan, lang, labels):
    commitment = plan.commitments.get(number=1)
    commitment.ogp_id = "GT0110"
    commitment.responsible_email = "persona@example.org"
    commitment.save()
    response = client.get(url("plans:commitment", lang, plan_slug=plan.slug, slug=commitment.slug))
    html = response.content.decode()
    assert response.status_code == 200
    for label in labels:
        assert label in html
    assert "GT0110" in html
    assert commitment.title in html
    supporter = commitment.supporting_institutions.get()
    kind = "Sociedad civil" if lang == "es" else "Civil society"
    assert f'>{supporter.name}</a> <span class="muted">({kind})</span>' in html
    area = commitment.policy_areas.get()
    assert f'<span class="tag">{area.name_es if lang == "es" else area.name_en}</span>' in html
    for milestone in commitment.milestones.all():
        assert milestone.description in html
    assert html.count('class="row-overdue"') == 1
    assert 'value="77"' in html
    assert "persona@example.org" not in html  # contact details stay in the administration


@pytest.mark.parametrize(("lang", "kind"), [("es", "Gobierno"), ("en", "Government")])
def test_institution_pages_show_what_each_leads_and_supports(client, plan, lang, kind):
    commitment = plan.commitments.select_related("lead_institution").get(number=1)
    lead = commitment.lead_institution
    html = client.get(url("plans:institution_list", lang)).content.decode()
    assert lead.name in html
    assert kind in html
    html = client.get(url("plans:institution", lang, slug=lead.slug)).content.decode()
    assert commitment.title in html
    assert commitment.milestones.first().description in html
    supporter = commitment.supporting_institutions.get()
    html = client.get(url("plans:institution", lang, slug=supporter.slug)).content.decode()
    assert all(c.title in html for c in Commitment.objects.filter(plan=plan))


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/planes/no-existe/", "Página no encontrada"),
        ("/en/planes/does-not-exist/", "Page not found"),
        ("/en/instituciones/nobody/", "Page not found"),
        ("/instituciones/nadie/", "Página no encontrada"),
        ("/en/planes/plan-1/compromisos/nothing/", "Page not found"),
        ("/no/such/page/", "Página no encontrada"),
    ],
)
def test_unknown_addresses_answer_404_in_the_users_language(client, plan, path, message):
    response = client.get(path)
    assert response.status_code == 404
    assert message in response.content.decode()


def test_a_commitment_is_not_found_under_another_plan(client, plan):
    from conftest import build_plan

    other = build_plan(commitments=1)
    commitment = plan.commitments.get(number=1)
    response = client.get(url("plans:commitment", "es", plan_slug=other.slug, slug=commitment.slug))
    assert response.status_code == 404


def test_language_switch_links_to_the_same_page_in_the_other_language(client, plan):
    commitment = plan.commitments.get(number=2)
    es = url("plans:commitment", "es", plan_slug=plan.slug, slug=commitment.slug)
    html = client.get(es).content.decode()
    assert f'href="/en{es}" hreflang="en" lang="en"' in html
    html = client.get("/en" + es).content.decode()
    assert f'href="{es}" hreflang="es" lang="es"' in html


def test_language_switch_keeps_the_query_and_answers_on_error_pages(client, plan):
    es = url("plans:plan_list", "es")
    html = client.get(es, {"page": "1"}).content.decode()
    assert f'href="/en{es}?page=1" hreflang="en" lang="en"' in html
    # A pattern that matched but found no object: the same address in English.
    html = client.get(f"{es}no-existe/").content.decode()
    assert f'href="/en{es}no-existe/" hreflang="en" lang="en"' in html
    # No pattern at all: the address is offered as it is.
    html = client.get("/no-existe/").content.decode()
    assert 'href="/no-existe/" hreflang="en" lang="en"' in html


def test_pages_refuse_writes(client, plan):
    assert client.post(url("plans:plan_list", "es")).status_code == 405


def test_out_of_range_page_number_shows_the_last_page(client, plan):
    response = client.get(url("plans:plan_list", "es"), {"page": "9999"})
    assert response.status_code == 200
    assert plan.title in response.content.decode()


def test_an_institution_s_milestones_come_a_page_at_a_time_newest_plan_first(client, db, settings):
    from cocrea.plans.tests.factories import (
        ActionPlanFactory,
        CommitmentFactory,
        InstitutionFactory,
        MilestoneFactory,
    )

    settings.COCREA_PAGE_SIZE = 2
    own = InstitutionFactory()
    older = ActionPlanFactory()
    newer = ActionPlanFactory(start_date=date(2025, 9, 1), end_date=date(2027, 8, 31))
    for plan, label in ((older, "Viejo"), (newer, "Nuevo")):
        commitment = CommitmentFactory(plan=plan, number="1")
        for number in (2, 1):
            MilestoneFactory(
                commitment=commitment,
                number=number,
                description=f"{label} {number}",
                responsible_institution=own,
            )
    MilestoneFactory(description="De otra institución")
    address = url("plans:institution", "es", slug=own.slug)
    first = client.get(address).content.decode()
    second = client.get(address, {"page": "2"}).content.decode()
    assert "(4)" in first  # the count beside the heading
    assert first.index("Nuevo 1") < first.index("Nuevo 2") and "Viejo" not in first
    assert second.index("Viejo 1") < second.index("Viejo 2") and "Nuevo" not in second
    assert "De otra institución" not in first + second


def test_an_institution_s_milestone_rows_escape_text_and_link_the_commitment(client, db):
    """The rows come from a macro (plans/_macros.html): text from the data is shown, never run,
    escaped by Jinja's autoescape (markupsafe writes a double quote as &#34;)."""
    from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory

    commitment = CommitmentFactory(number="3", title='Datos <i>"abiertos"</i>')
    milestone = MilestoneFactory(
        commitment=commitment, number=1, description="Publicar <script>alert(1)</script>"
    )
    address = url("plans:institution", "es", slug=milestone.responsible_institution.slug)
    html = client.get(address).content.decode()
    link = url("plans:commitment", "es", plan_slug=commitment.plan.slug, slug=commitment.slug)
    assert "<script>alert" not in html and "<i>" not in html
    assert '<td data-label="Hito">Publicar &lt;script&gt;alert(1)&lt;/script&gt;</td>' in html
    assert (
        f'<td data-label="Compromiso"><a href="{link}">{commitment.plan.number}.3 '
        "Datos &lt;i&gt;&#34;abiertos&#34;&lt;/i&gt;</a></td>"
    ) in html


def test_an_institution_s_commitments_are_those_it_leads_or_supports_each_once(db):
    from cocrea.plans.selectors import institution_commitments
    from cocrea.plans.tests.factories import (
        CommitmentFactory,
        InstitutionFactory,
        MilestoneFactory,
    )

    own, other = InstitutionFactory(), InstitutionFactory()
    led = CommitmentFactory(lead_institution=own)
    supported = CommitmentFactory(lead_institution=other, supporting_institutions=[own])
    both = CommitmentFactory(lead_institution=own, supporting_institutions=[own, other])
    CommitmentFactory(lead_institution=other, supporting_institutions=[other])
    MilestoneFactory(commitment=supported, completion="complete")
    MilestoneFactory(commitment=supported, completion="not_started")
    found = institution_commitments(institution=own)
    assert sorted(c.pk for c in found) == sorted([led.pk, supported.pk, both.pk])
    # Each with its plan and its progress by the rule of docs/progress.md.
    by_pk = {c.pk: c for c in found}
    assert by_pk[supported.pk].progress == 50 and by_pk[led.pk].progress is None
    assert by_pk[supported.pk].plan.slug == supported.plan.slug
    assert institution_commitments(institution=InstitutionFactory()) == []
