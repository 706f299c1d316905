"""Every list of the API against an independent ORM read of the same rows, field by field by
name, and every filter against the same filter written here: a field read through the wrong
relation (a commitment's slug where its plan's belongs, a support count where the comment count
belongs) or a filter that stops narrowing fails here. The demo data, with the empty and the set
side of each optional relation made to exist."""

import io
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import QuerySet

from cocrea.accounts.models import User
from cocrea.forum.models import Decision, Meeting
from cocrea.participation.models import Comment, Consultation, Proposal, Response
from cocrea.plans.models import ActionPlan, Commitment, Institution, Milestone, PolicyArea
from cocrea.tracking.models import Assessment, Evidence, ProgressReport

pytestmark = pytest.mark.django_db


def _all(client, name: str, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    url: str | None = f"/api/v1/{name}"
    query: dict[str, Any] = {**params, "page_size": 200}
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, (name, params, response.content[:300])
        body = json.loads(response.content)
        rows += body["results"]
        url, query = body["next"], {}
    return rows


@pytest.fixture
def demo(db):
    """The demo data, where each optional relation the API reads is both empty and set."""
    call_command("seed_demo", stdout=io.StringIO())
    reports = list(ProgressReport.objects.filter(status="published").order_by("pk")[:2])
    ProgressReport.objects.filter(pk=reports[1].pk).update(corrects=reports[0])
    Assessment.objects.filter(pk=Assessment.objects.order_by("pk")[0].pk).update(milestone=None)
    public = Proposal.objects.filter(
        hidden_at__isnull=True, consultation__published_at__isnull=False
    )
    first, second = public.order_by("pk")[:2]
    Proposal.objects.filter(pk=first.pk).update(policy_area=None, author=None)
    Response.objects.filter(pk=Response.objects.order_by("pk")[0].pk).update(merged_into=second)
    Meeting.objects.filter(pk=Meeting.objects.order_by("pk")[0].pk).update(plan=None)
    return {"proposal": first}


# What each list must show, written here rather than taken from the schemas: for each field
# checked, the ORM path it must be read from. Fields marked * identify a row; fields marked ?
# are optional relations, which the data leaves null on some rows and sets on others.
READS = """
plans            *slug=slug member=member__name member_code=member__code number=number
commitments      *plan=plan__slug *slug=slug ogp_id=ogp_id
commitments      lead_institution=lead_institution__slug
milestones       *plan=commitment__plan__slug *commitment=commitment__slug *number=number
milestones       responsible_institution=responsible_institution__slug weight=weight
policy-areas     *slug=slug theme?=parent__slug ogp_column=ogp_column
progress-reports *id=public_id plan=milestone__commitment__plan__slug percent=percent
progress-reports commitment=milestone__commitment__slug milestone=milestone__number
progress-reports institution=institution__slug corrects?=corrects__public_id done=done
assessments      *id=public_id plan=commitment__plan__slug commitment=commitment__slug
assessments      milestone?=milestone__number organisation=organisation__slug reading=reading
consultations    *slug=slug plan=plan__slug title=title
proposals        *id=public_id consultation=consultation__slug policy_area?=policy_area__slug
proposals        organisation=organisation__slug workshop=workshop__title title=title
proposals        support_count=support_count comment_count=comment_count problem=problem
responses        *proposal=proposal__public_id merged_into?=merged_into__public_id kind=kind
comments         *id=public_id proposal=proposal__public_id in_reply_to?=parent__public_id
comments         body=body
meetings         *id=public_id forum=forum__slug plan?=plan__slug title=title
"""


def _visible() -> dict[str, QuerySet]:
    """The rows each list may show: drafts, hidden and unpublished content left out."""
    public = Proposal.objects.filter(
        hidden_at__isnull=True, consultation__published_at__isnull=False
    )
    return {
        "plans": ActionPlan.objects.all(),
        "commitments": Commitment.objects.all(),
        "milestones": Milestone.objects.all(),
        "policy-areas": PolicyArea.objects.all(),
        "progress-reports": ProgressReport.objects.filter(status="published"),
        "assessments": Assessment.objects.all(),
        "consultations": Consultation.objects.filter(published_at__isnull=False),
        "proposals": public,
        "responses": Response.objects.filter(proposal__in=public),
        "comments": Comment.objects.filter(hidden_at__isnull=True, proposal__in=public),
        "meetings": Meeting.objects.all(),
    }


def _reads() -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in READS.strip().splitlines():
        name, *specs = line.split()
        fields.setdefault(name, []).extend(specs)
    return fields


def _by(rows: Iterable[dict[str, Any]], key: tuple[str, ...]) -> dict[Any, dict[str, Any]]:
    rows = list(rows)
    keyed = {tuple(row[k] for k in key): row for row in rows}
    assert keyed, f"no rows: the check would prove nothing ({key})"
    assert len(keyed) == len(rows), f"{key} does not identify a row"
    return keyed


def _compare(client, name: str, queryset: QuerySet, specs: list[str]) -> dict[Any, dict]:
    """The API's rows of `name` against the ORM's read of the same rows, field by field."""
    paths: dict[str, str] = {}
    key: list[str] = []
    optional: list[str] = []
    for spec in specs:
        field, path = spec.split("=")
        if field.startswith("*"):
            field = field[1:]
            key.append(field)
        if field.endswith("?"):
            field = field[:-1]
            optional.append(field)
        paths[field] = path
    api = _by(_all(client, name), tuple(key))
    orm = _by(
        (
            {field: row[path] for field, path in paths.items()}
            for row in queryset.values(*paths.values())
        ),
        tuple(key),
    )
    assert api.keys() == orm.keys(), name
    for row_key, expected in orm.items():
        for field, value in expected.items():
            assert api[row_key][field] == value, (name, row_key, field)
    for field in optional:
        assert {row[field] is None for row in api.values()} == {True, False}, (name, field)
    return api


def _values(queryset: QuerySet, field: str) -> list[Any]:
    return list(queryset.values_list(field, flat=True))


def test_every_list_reads_each_field_from_its_own_column(client, demo):
    visible = _visible()
    lists = {name: _compare(client, name, visible[name], specs) for name, specs in _reads().items()}
    assert any(row["member"] != row["member_code"] for row in lists["plans"].values())
    proposals = lists["proposals"]
    assert any(row["support_count"] != row["comment_count"] for row in proposals.values())

    # Lists of related rows, and the author's public name, read another way.
    for commitment in Commitment.objects.select_related("plan"):
        row = lists["commitments"][(commitment.plan.slug, commitment.slug)]
        supporting = Institution.objects.filter(supported_commitments=commitment)
        assert sorted(row["supporting_institutions"]) == sorted(_values(supporting, "slug"))
        areas = PolicyArea.objects.filter(commitments=commitment)
        assert sorted(row["policy_areas"]) == sorted(_values(areas, "slug"))
    for (public_id,), row in lists["progress-reports"].items():
        evidence = Evidence.objects.filter(report__public_id=public_id).order_by("created_at")
        assert [e["id"] for e in row["evidence"]] == _values(evidence, "public_id")
    for (public_id,), row in lists["meetings"].items():
        decisions = Decision.objects.filter(meeting__public_id=public_id).order_by("number")
        assert row["decisions"] == _values(decisions, "text")
    assert proposals[(demo["proposal"].public_id,)]["author"] == ""
    for proposal in visible["proposals"].exclude(author=None):
        author = User.objects.get(pk=proposal.author_id)
        assert proposals[(proposal.public_id,)]["author"] == author.display_name


# The filters that keep the rows whose field (named as in the API) has the value asked for.
EQUAL_FILTERS = {
    "plans": {"member": "member_code", "status": "status"},
    "commitments": {"plan": "plan"},
    "milestones": {"plan": "plan", "commitment": "commitment", "completion": "completion"},
    "institutions": {"kind": "kind"},
    "progress-reports": {"plan": "plan", "institution": "institution", "completion": "completion"},
    "assessments": {"plan": "plan"},
    "consultations": {"plan": "plan"},
    "proposals": {"consultation": "consultation", "policy_area": "policy_area"},
    "responses": {"kind": "kind"},
    "comments": {"proposal": "proposal"},
    "meetings": {"plan": "plan", "kind": "kind"},
    "audit-events": {"context_type": "context_type"},
}


def _as_set(rows: Iterable[dict[str, Any]]) -> list[str]:
    """Rows comparable whatever their order (rows tied in the list's order may swap)."""
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def _a_narrowing(values: Iterable[Any]) -> Any:
    """A value some rows have and, where there is one, others have not: the filter must keep
    some rows and leave some out for the check to prove anything."""
    counts = Counter(value for value in values if value is not None)
    assert counts, "no row has a value to filter on"
    total = sum(counts.values())
    return next((v for v, n in counts.most_common() if n < total), counts.most_common(1)[0][0])


def _check(client, name: str, param: str, value: Any, expected: list[dict[str, Any]]) -> None:
    kept = _all(client, name, **{param: value})
    assert kept, (name, param, value, "keeps nothing: the check would prove nothing")
    assert _as_set(kept) == _as_set(expected), (name, param, value)


def test_every_filter_keeps_the_rows_it_names_and_only_those(client, demo):
    """Each filter against the unfiltered list (itself checked against the ORM above), narrowed
    here by the field the filter names."""
    for name, filters in EQUAL_FILTERS.items():
        everything = _all(client, name)
        for param, field in filters.items():
            value = _a_narrowing(row[field] for row in everything)
            _check(client, name, param, value, [r for r in everything if r[field] == value])

    commitments = _all(client, "commitments")
    leads = _a_narrowing(row["lead_institution"] for row in commitments)
    _check(
        client,
        "commitments",
        "institution",
        leads,
        [r for r in commitments if leads in [r["lead_institution"], *r["supporting_institutions"]]],
    )
    area = _a_narrowing(a for row in commitments for a in row["policy_areas"])
    _check(
        client,
        "commitments",
        "policy_area",
        area,
        [r for r in commitments if area in r["policy_areas"]],
    )

    milestones = _all(client, "milestones")
    due = _a_narrowing(row["end_date"] for row in milestones)
    expected = [r for r in milestones if r["end_date"] is not None and r["end_date"] < due]
    _check(client, "milestones", "due_before", due, expected)
    institution = _a_narrowing(row["responsible_institution"] for row in milestones)
    expected = [r for r in milestones if r["responsible_institution"] == institution]
    _check(client, "milestones", "institution", institution, expected)

    proposals = _all(client, "proposals")
    department = _a_narrowing(row["department"] for row in proposals if row["department"])
    expected = [r for r in proposals if r["department"] == department]
    _check(client, "proposals", "department", department, expected)
    consultation = _a_narrowing(row["consultation"] for row in proposals)
    answered = {r["id"] for r in proposals if r["consultation"] == consultation}
    responses = [r for r in _all(client, "responses") if r["proposal"] in answered]
    _check(client, "responses", "consultation", consultation, responses)

    # A moment after every change leaves nothing; one before all of them leaves everything.
    for name, since in [("plans", "updated_since"), ("progress-reports", "published_since")]:
        assert _all(client, name, **{since: "2999-01-01T00:00:00Z"}) == []
        _check(client, name, since, "2000-01-01T00:00:00Z", _all(client, name))
