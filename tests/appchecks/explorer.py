"""The explorer's part of the project-wide checks: its two public pages (GET only, nothing to
authorise)."""


def samples(plan, commitment, person):
    return {"explorer:index": dict, "explorer:commitments": dict}
