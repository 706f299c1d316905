"""A draft is called "open for comment" only while its consultation takes comments (its
drafting or validation phase); otherwise its list and page say comments are closed, and when
they open again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cocrea.drafting.selectors import Commenting, draft_commenting
from cocrea.plans.tests.factories import ActionPlanFactory
from tests.appchecks.drafting import consultation_for, draft_for


def _pages(client, draft) -> tuple[str, str]:
    with translation.override("en"):
        listing = reverse("drafting:draft_list", kwargs={"slug": draft.consultation.slug})
        page = reverse("drafting:draft", kwargs={"public_id": draft.public_id})
    return client.get(listing).content.decode(), client.get(page).content.decode()


@pytest.mark.django_db
def test_in_the_drafting_phase_a_draft_is_open_for_comment_until_the_phase_closes(client, personas):
    consultation = consultation_for(ActionPlanFactory(), "drafting")
    draft = draft_for(consultation, personas["point_of_contact"], versions=1, comments_each=0)
    ends = consultation.phase_of_kind("drafting").ends_on
    listing, page = _pages(client, draft)
    assert '<span class="tag">Open for comment</span>' in listing
    assert "Comments closed" not in listing
    assert '<span class="tag">Open for comment</span>' in page
    assert f"Open for comment until {ends:%b}" in page


@pytest.mark.django_db
def test_before_the_drafting_phase_comments_are_closed_and_say_when_they_open(client, personas):
    consultation = consultation_for(ActionPlanFactory(), "proposals")
    draft = draft_for(consultation, personas["point_of_contact"], versions=1, comments_each=0)
    opens = consultation.phase_of_kind("drafting").starts_on
    listing, page = _pages(client, draft)
    for html in (listing, page):
        assert "Open for comment" not in html
        assert '<span class="tag">Comments closed</span>' in html
        assert "they open on" in html
    assert "they open again on" in page
    assert opens.strftime("%Y") in page
    assert "Log in to comment" not in page


@pytest.mark.django_db
def test_after_the_validation_phase_comments_are_closed_with_none_ahead(client, personas):
    consultation = consultation_for(ActionPlanFactory(), "response")
    draft = draft_for(consultation, personas["point_of_contact"], versions=1, comments_each=0)
    listing, page = _pages(client, draft)
    assert "Open for comment" not in listing and "Open for comment" not in page
    assert '<span class="tag">Comments closed</span>' in listing
    assert "they open on" not in listing
    assert "none is ahead" in page


@pytest.mark.django_db
def test_draft_commenting_follows_the_phase_of_the_day():
    consultation = consultation_for(ActionPlanFactory(), "proposals")
    consultation = type(consultation).objects.prefetch_related("phases").get(pk=consultation.pk)
    today = timezone.localdate()
    drafting = consultation.phase_of_kind("drafting")
    validation = consultation.phase_of_kind("validation")
    assert draft_commenting(consultation=consultation, today=today) == Commenting(
        is_open=False, opens_on=drafting.starts_on
    )
    assert draft_commenting(consultation=consultation, today=drafting.starts_on) == Commenting(
        is_open=True, until=drafting.ends_on
    )
    assert draft_commenting(
        consultation=consultation, today=validation.ends_on + timedelta(days=1)
    ) == Commenting(is_open=False, opens_on=None)
    consultation.published_at = None
    assert draft_commenting(consultation=consultation, today=drafting.starts_on) == Commenting(
        is_open=False
    )
