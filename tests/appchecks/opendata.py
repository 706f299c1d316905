"""Open data's part of the project-wide checks: its documentation page is a public page; its
Atom feeds are read-only documents (XML, not pages), tested in opendata/tests/test_feeds.py."""

from django.urls import reverse

from tests.appchecks import ALLOWED, FORBIDDEN, LOGIN


def tokens(personas, institutions):
    """MINEDUC's coordinator (with two-factor authentication) manages MINEDUC's tokens; the
    coordinator of another institution, its reporting official and staff do not."""
    from cocrea.opendata.models import ApiToken

    url = reverse("opendata:tokens", kwargs={"slug": institutions["mineduc"].slug})
    expected = dict.fromkeys(personas, FORBIDDEN)
    expected.update(anonymous=LOGIN, coordinator=ALLOWED)
    return (
        url,
        {"action": "create", "name": "Sistema de planificación"},
        expected,
        ApiToken.objects.exists,
    )


SCENARIOS = {"opendata:tokens": tokens}

READ_ONLY = {
    "opendata:plan_feed",
    "opendata:commitment_feed",
    "opendata:institution_feed",
    "opendata:consultation_feed",
    "opendata:member_feed",
    "opendata:feed",
    "opendata:download",  # files of the export, by listed name
    "opendata:plan_document_pdf",  # PDFs of public pages (tested in test_documents.py)
    "opendata:self_assessment_pdf",
}


def samples(plan, commitment, person):
    return {
        "opendata:api_docs": dict,
        "opendata:index": dict,
        "opendata:plan_document": lambda: {"slug": plan.slug},
        "opendata:self_assessment": lambda: {"slug": plan.slug},
    }
