"""Open data's part of the project-wide checks: its documentation page is a public page."""


def samples(plan, commitment, person):
    return {"opendata:api_docs": dict}
