"""Reads of the search index: one page of results for what a visitor typed, with filters, each
result with its title and a snippet where the matching words are marked. Everything in the
index is public (documents.py), so the same search gives the same results to everyone. A page
costs a fixed number of queries: the matches scored (up to COUNT_CAP, which counts them), the
page's entries, their snippets."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cocrea.search import engine
from cocrea.search.models import Entry

PER_PAGE = 20
# Results are counted up to this many. Past it a page says "more than 1,000", and shows the
# newest first instead of the most relevant: ranking a common word read and scored every match
# (at 279,000 entries on PostgreSQL, 0.6 s and more), while the newest come from an index in
# a fraction of a millisecond; the filters and more words narrow a search back to relevance.
COUNT_CAP = 1000


SHOWN = ("pk", "kind", "title", "context", "url", "date", "plan_id", "institution_id", "department")


class _Counted(Paginator):
    """A paginator told its count (the capped one), so it does not count again."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known = count

    @cached_property
    def count(self) -> int:
        return self.known


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    plan: int | None = None
    institution: int | None = None
    department: str = ""
    policy_area: str = ""
    since: date | None = None
    until: date | None = None


@dataclass
class Result:
    entry: Entry
    title: SafeString
    snippet: SafeString


@dataclass
class Results:
    query: engine.Query
    page: Page[Any] | None
    results: list[Result] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many results, up to COUNT_CAP (see `more`)."""
        return min(self.page.paginator.count, COUNT_CAP) if self.page is not None else 0

    @property
    def more(self) -> bool:
        """Whether there are more than COUNT_CAP results (then the newest come first)."""
        return self.page is not None and self.page.paginator.count > COUNT_CAP


def _marked(text: str) -> SafeString:
    """Escape the text, then mark what matched: the engine's markers are never in the text
    people write (they are control characters, which the index never holds unescaped)."""
    safe = escape(text.replace("<mark>", ""))
    return mark_safe(  # noqa: S308 - escaped above; only our own tags are added
        safe.replace(engine.MARK_START, "<mark>").replace(engine.MARK_END, "</mark>")
    )


def _filtered(filters: Filters) -> QuerySet[Entry]:
    entries = Entry.objects.all()
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.plan:
        entries = entries.filter(plan_id=filters.plan)
    if filters.institution:
        entries = entries.filter(institution_id=filters.institution)
    if filters.department:
        entries = entries.filter(department=filters.department)
    if filters.policy_area:
        entries = entries.filter(policy_areas__contains=f"|{filters.policy_area}|")
    if filters.since:
        entries = entries.filter(date__gte=filters.since)
    if filters.until:
        entries = entries.filter(date__lte=filters.until)
    return entries


def search(text: str, filters: Filters = Filters(), page: int = 1) -> Results:
    """One page of what matches `text` with `filters`, best first; no page for a query with
    nothing to search (empty, or operators only)."""
    query = engine.parse(text)
    if not query:
        return Results(query=query, page=None)
    filtered = _filtered(filters)
    hits = engine.scored(filtered, query, COUNT_CAP + 1)  # the count, up to the cap
    count = len(hits)
    if count <= COUNT_CAP:  # ranked here: the best first, then the newest
        hits.sort(key=lambda hit: (hit[1], hit[2] or date.min, hit[0]), reverse=True)
        found: Page[Any] = Paginator(hits, PER_PAGE).get_page(page)
        ids = [pk for pk, _score, _day in found.object_list]
        by_id = Entry.objects.only(*SHOWN).in_bulk(ids)
        entries = [by_id[pk] for pk in ids if pk in by_id]
    else:  # more than are ranked: the newest first, from an index
        matching = engine.newest(engine.matching(filtered, query)).only(*SHOWN)
        found = _Counted(matching, PER_PAGE, count).get_page(page)
        entries = [entry for entry in found.object_list if isinstance(entry, Entry)]
    marks = engine.snippets([e.pk for e in entries], query)
    results = []
    for entry in entries:
        title, snippet = marks.get(entry.pk, (entry.title, ""))
        results.append(Result(entry=entry, title=_marked(title), snippet=_marked(snippet)))
    return Results(query=query, page=found, results=results)
