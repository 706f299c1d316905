"""The public drafting pages: what they show, what they hide, their headers, their cache and
their cost in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cocrea.core.pagecache import HEADER
from cocrea.drafting import services
from cocrea.drafting.models import Draft
from cocrea.drafting.tests.conftest import VERSION_1
from cocrea.plans.tests.factories import ActionPlanFactory
from tests.appchecks.drafting import consultation_for, draft_for, samples
from tests.headers import security_header_problems


def _url(name, draft, **kwargs):
    return reverse(f"drafting:{name}", kwargs={"public_id": draft.public_id, **kwargs})


def _two_versions(draft, personas):
    return services.draft_version_add(
        actor=personas["point_of_contact"],
        draft=draft,
        version={
            **VERSION_1,
            "problem": "Los contratos no se publican a tiempo.",
            "change_note": "Plazos",
        },
    )


def test_the_draft_page_shows_every_section_in_the_templates_order(client, draft):
    html = client.get(_url("draft", draft)).content.decode()
    positions = [
        html.index(f'id="seccion-{name}"')
        for name in ("title", "problem", "causes", "ambition", "dates", "milestones")
    ]
    assert positions == sorted(positions)
    assert VERSION_1["problem"] in html
    assert "Portal publicado" in html


def test_anonymous_visitors_get_a_link_to_log_in_not_a_form(client, draft):
    html = client.get(_url("draft", draft)).content.decode()
    assert "/cuentas/login/?next=" in html
    assert 'name="body"' not in html


def test_a_signed_in_person_gets_a_comment_form_per_section(client, draft, personas):
    client.force_login(personas["citizen"])
    html = client.get(_url("draft", draft)).content.decode()
    assert html.count('name="body"') == 14
    assert 'for="comentario-problem"' in html


def test_no_comment_form_outside_the_drafting_phases(client, personas):
    consultation = consultation_for(ActionPlanFactory(), "proposals")
    draft = draft_for(consultation, personas["point_of_contact"], versions=1, comments_each=0)
    client.force_login(personas["citizen"])
    html = client.get(_url("draft", draft)).content.decode()
    assert 'name="body"' not in html


def test_a_comment_is_shown_under_its_section_with_markdown_made_safe(client, draft, personas):
    client.force_login(personas["citizen"])
    response = client.post(
        _url("comment_add", draft),
        {
            "section": "causes",
            "body": "**Falta** <script>alert(1)</script> [x](javascript:alert(1))",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#seccion-causes")
    html = client.get(_url("draft", draft)).content.decode()
    section = html[html.index('id="seccion-causes"') : html.index('id="seccion-description"')]
    assert "<strong>Falta</strong>" in section
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html


def test_a_hidden_comment_shows_the_reason_not_the_text(client, draft, personas):
    comment = services.section_comment_add(
        actor=personas["citizen"], draft=draft, section="problem", body="Texto ofensivo"
    )
    services.section_comment_hide(actor=personas["moderator"], comment=comment, reason="abuse")
    html = client.get(_url("draft", draft)).content.decode()
    assert "Texto ofensivo" not in html
    assert str(comment.HideReason.ABUSE.label) in html
    client.force_login(personas["citizen"])  # its author still sees it
    assert "Texto ofensivo" in client.get(_url("draft", draft)).content.decode()


def test_the_history_lists_every_version_and_each_can_be_read(client, draft, personas):
    _two_versions(draft, personas)
    html = client.get(_url("draft", draft)).content.decode()
    assert _url("version", draft, number=1) in html
    assert "Plazos" in html
    old = client.get(_url("version", draft, number=1)).content.decode()
    assert VERSION_1["problem"] in old
    assert "a tiempo" not in old
    assert client.get(_url("version", draft, number=9)).status_code == 404


def test_the_comparison_marks_removed_and_added_words(client, draft, personas):
    _two_versions(draft, personas)
    response = client.get(_url("compare", draft) + "?de=1&a=2")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>completos</del>" in html
    assert "<ins>a tiempo</ins>" in html
    # without numbers: the last two versions
    assert "<del>completos</del>" in client.get(_url("compare", draft)).content.decode()


def test_the_comparison_escapes_what_people_wrote(client, draft, personas):
    services.draft_version_add(
        actor=personas["point_of_contact"],
        draft=draft,
        version={**VERSION_1, "problem": "<b onmouseover=alert(1)>x</b>", "change_note": "x"},
    )
    html = client.get(_url("compare", draft) + "?de=1&a=2").content.decode()
    assert "<b onmouseover" not in html
    assert "&lt;b" in html and "&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "query",
    ["?de=1", "?de=&a=2", "?de=uno&a=2", "?de=1&a=99", "?de=-1&a=2", "?de=1&a=" + "9" * 40],
)
def test_bad_version_numbers_get_a_clear_message_not_an_error(client, draft, personas, query):
    _two_versions(draft, personas)
    response = client.get(_url("compare", draft) + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "<del>" not in html


def test_a_draft_with_one_version_has_nothing_to_compare(client, draft):
    response = client.get(_url("compare", draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "<del>" not in html


def test_the_list_shows_the_drafts_of_the_consultation(client, draft, personas, institutions):
    draft.versions.update(lead_institution=institutions["mineduc"])
    services.draft_approve(
        actor=personas["point_of_contact"], draft=draft, version=draft.versions.get()
    )
    url = reverse("drafting:draft_list", kwargs={"slug": draft.consultation.slug})
    html = client.get(url).content.decode()
    assert draft.title in html
    assert str(Draft.Status.APPROVED.label) in html
    draft.refresh_from_db()
    assert draft.commitment.get_absolute_url() in html
    page = client.get(_url("draft", draft)).content.decode()
    assert draft.commitment.get_absolute_url() in page


def test_an_unpublished_consultation_has_no_public_drafts(client, draft):
    consultation = draft.consultation
    consultation.published_at = None
    consultation.save()
    assert (
        client.get(reverse("drafting:draft_list", kwargs={"slug": consultation.slug})).status_code
        == 404
    )
    assert client.get(_url("draft", draft)).status_code == 404


def _pages(plan, person):
    # Spanish addresses (no prefix) whatever language an earlier test left active.
    with translation.override("es"):
        return {
            name: reverse(name, kwargs=kwargs())
            for name, kwargs in samples(plan, None, person).items()
        }


@pytest.fixture
def sample_pages(db, personas):
    return _pages(ActionPlanFactory(), personas["citizen"])


def test_every_public_page_answers_with_strict_headers_and_no_inline_code(client, sample_pages):
    for lang_prefix in ("", "/en"):
        for page in sample_pages.values():
            response = client.get(lang_prefix + page)
            assert response.status_code == 200, page
            assert security_header_problems(response) == [], page
            html = response.content.decode()
            assert "<script" not in html and "<style" not in html and " style=" not in html


def test_every_public_page_is_cached_and_refreshed_by_a_change(
    client, sample_pages, settings, personas
):
    settings.COCREA_PAGE_CACHE = True
    for page in sample_pages.values():
        assert client.get(page)[HEADER] == "miss", page
        assert client.get(page)[HEADER] == "hit", page
    draft = Draft.objects.get()
    services._comment_save(actor=personas["citizen"], draft=draft, section="title", body="Nuevo")
    assert client.get(sample_pages["drafting:draft"])[HEADER] == "miss"


def _counts(client, plan, person, versions):
    consultation = consultation_for(plan)
    draft_for(consultation, person, versions=versions, comments_each=3)
    counts = {}
    for name, url in _pages(plan, person).items():
        if name == "drafting:compare":
            url += f"?de=1&a={versions}"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[name] = len(queries)
    return counts


def test_public_pages_cost_the_same_queries_at_2_and_20_versions(client, personas):
    person = personas["citizen"]
    small = _counts(client, ActionPlanFactory(), person, 2)
    large = _counts(client, ActionPlanFactory(), person, 20)
    assert small == large
    assert max(small.values()) <= 8, small
