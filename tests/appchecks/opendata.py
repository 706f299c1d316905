"""Open data's part of the project-wide checks: its documentation page is a public page; its
Atom feeds are read-only documents (XML, not pages), tested in opendata/tests/test_feeds.py."""

READ_ONLY = {
    "opendata:plan_feed",
    "opendata:commitment_feed",
    "opendata:institution_feed",
    "opendata:consultation_feed",
    "opendata:download",  # files of the export, by listed name
}


def samples(plan, commitment, person):
    return {"opendata:api_docs": dict, "opendata:index": dict}
