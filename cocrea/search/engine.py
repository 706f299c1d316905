"""The database's own full-text engine behind the index: PostgreSQL's text search (a weighted
`tsvector` per entry, `websearch_to_tsquery` for what people type, `ts_headline` for snippets)
or SQLite's FTS5 (diacritics removed, bm25 ranking with the title weighted, `snippet`). Both
get the same parsed query, so what a visitor types means the same on both."""

import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import snowballstemmer
from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from cocrea.search.models import Entry

MAX_QUERY = 200  # characters read of what is typed
MAX_TERMS = 12
MARK_START, MARK_END = "\x02", "\x03"  # a match, in a snippet (escaped, then made <mark>)
CONFIGS = {"es": "cocrea_es", "en": "cocrea_en"}  # PostgreSQL, migration 0002
STEMMERS = {"es": "spanish", "en": "english"}
SNIPPET_WORDS = 24
MIN_ROOT = 3  # SQLite: the shortest part of a word matched as its prefix
MATCHING = "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s"
# One pass over FTS5's matches, each with its bm25 (the title weighted ten times the text).
SCORED = (
    "SELECT search_entry.id, bm25(search_entry_fts, 10.0, 1.0), search_entry.date"
    " FROM search_entry_fts JOIN search_entry ON search_entry.id = search_entry_fts.rowid"
    " WHERE search_entry_fts MATCH %s"
)


@dataclass
class Query:
    """What was typed, made safe: words (a trailing * asks for the prefix) and quoted phrases."""

    words: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes or self.phrases)


WORD = re.compile(r"\w+(?:\*)?")


def parse(text: str) -> Query:
    """Words and "phrases" of what was typed; anything else (operators, unbalanced quotes,
    control characters) is dropped, and at most MAX_QUERY characters and MAX_TERMS terms read."""
    text = "".join(ch if ch.isprintable() else " " for ch in text[:MAX_QUERY])
    query = Query()
    chunks = text.split('"')
    if len(chunks) % 2 == 0:  # an unmatched quote: read as if it were not there
        chunks = [" ".join(chunks)]
    terms = 0
    for position, chunk in enumerate(chunks):
        tokens = [t.lower() for t in WORD.findall(chunk)]
        if position % 2:  # inside quotes
            words = [t.rstrip("*") for t in tokens]
            if len(words) > 1:
                query.phrases.append(words)
                terms += 1
                continue
            tokens = words
        for token in tokens:
            if terms >= MAX_TERMS:
                break
            (query.prefixes if token.endswith("*") else query.words).append(token.rstrip("*"))
            terms += 1
    return query


def language() -> str:
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in CONFIGS else "es"


# Writing ------------------------------------------------------------------------------------


def refresh(ids: list[int]) -> None:
    """Bring the engine's copy of these entries up to date (SQLite's triggers do it there)."""
    if connection.vendor != "postgresql" or not ids:
        return
    for code, config in CONFIGS.items():
        Entry.objects.filter(pk__in=ids, language=code).update(
            vector=SearchVector("title", weight="A", config=config)
            + SearchVector("body", weight="B", config=config)
        )


# Reading ------------------------------------------------------------------------------------


def matching(entries: QuerySet[Entry], query: Query) -> QuerySet[Entry]:
    """The entries that match, in no order (to count, or to order by `ranked` or by date)."""
    if connection.vendor == "postgresql":
        return entries.filter(vector=_tsquery(query))
    # The SQL is constant; what was typed is only ever a parameter.
    return entries.filter(pk__in=RawSQL(MATCHING, [_fts_match(query)]))  # noqa: S611


def scored(entries: QuerySet[Entry], query: Query, limit: int) -> list[tuple[int, float, Any]]:
    """Up to `limit` of the entries among `entries` (the filters, not yet the words) that match,
    each as (id, score, date), the higher the score the better (the title weighs more than the
    text), in no order: one query that stops at the limit, so a common word is neither counted
    nor scored past it."""
    if connection.vendor == "postgresql":
        rank = SearchRank(F("vector"), _tsquery(query))
        rows = matching(entries, query).annotate(rank=rank).values_list("pk", "rank", "date")
        return [(pk, float(value or 0), day) for pk, value, day in rows[:limit]]
    # SQLite: FTS5's own pass, joined to the entries (a bm25 asked per entry would run the
    # match again for each). The filters come as the ORM's own SQL and parameters; what was
    # typed is only ever a parameter.
    sql, params = SCORED, [_fts_match(query)]
    if entries.query.where:
        filtered, filtered_params = entries.values("pk").query.sql_with_params()
        sql += f" AND search_entry.id IN ({filtered})"
        params += list(filtered_params)
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT %s", [*params, limit])
        found = cursor.fetchall()
    # bm25 is lower for better matches; SQLite gives the date as text.
    return [
        (pk, -float(value or 0), date.fromisoformat(day) if isinstance(day, str) else day)
        for pk, value, day in found
    ]


def newest(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """The matching entries, newest first (those without a date last), in the order of the
    index "search_entry_newest" (migration 0003), so the first page is read from it."""
    if connection.vendor == "postgresql":
        return entries.order_by(F("date").desc(nulls_last=True), F("id").desc())
    return entries.order_by("-date", "-id")  # SQLite puts NULL last when descending


def snippets(ids: list[int], query: Query) -> dict[int, tuple[str, str]]:
    """Each entry's title and a short piece of its text with the matches between MARK_START
    and MARK_END: one query for a page of results."""
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        tsquery = _tsquery(query)
        config = CONFIGS[language()]
        rows = Entry.objects.filter(pk__in=ids).annotate(
            marked_title=SearchHeadline(
                "title",
                tsquery,
                config=config,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                highlight_all=True,
            ),
            marked_body=SearchHeadline(
                "body",
                tsquery,
                config=config,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=8,
                max_fragments=2,
            ),
        )
        return {row.pk: (row.marked_title, row.marked_body) for row in rows}
    # SQLite: FTS5's snippet() asked for a few rows runs the whole match again for each (a
    # prefix match on 279,000 entries: 13 ms a row), so the page's few texts are marked here,
    # by the same rule FTS5 matched them: unaccented, a word by the part it shares with its stem.
    texts = Entry.objects.filter(pk__in=ids).values_list("pk", "title", "body")
    return {pk: (_mark(title, query), _excerpt(body, query)) for pk, title, body in texts}


WORD_OR_NOT = re.compile(r"(\w+)")


def _plain(text: str) -> str:
    """As FTS5's unicode61 tokenizer with remove_diacritics reads a word: no accents, lower."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _matcher(query: Query) -> Any:
    stemmer = snowballstemmer.stemmer(STEMMERS[language()])
    starts = [_plain(_root(stemmer, word)) for word in query.words]
    starts += [_plain(word) for word in query.prefixes]
    whole = {_plain(word) for words in query.phrases for word in words}

    def matches(token: str) -> bool:
        plain = _plain(token)
        return plain in whole or any(plain.startswith(start) for start in starts)

    return matches


def _mark(text: str, query: Query) -> str:
    matches = _matcher(query)
    parts = WORD_OR_NOT.split(text)
    return "".join(
        f"{MARK_START}{part}{MARK_END}" if index % 2 and matches(part) else part
        for index, part in enumerate(parts)
    )


def _excerpt(text: str, query: Query) -> str:
    """About SNIPPET_WORDS words of the text around its first match, the matches marked."""
    matches = _matcher(query)
    parts = WORD_OR_NOT.split(text)  # words at odd places
    words = list(range(1, len(parts), 2))
    if not words:
        return ""
    first = next((n for n, place in enumerate(words) if matches(parts[place])), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    end = min(len(words), start + SNIPPET_WORDS)
    piece = parts[words[start] : words[end - 1] + 1]
    marked = "".join(
        f"{MARK_START}{part}{MARK_END}" if index % 2 == 0 and matches(part) else part
        for index, part in enumerate(piece)
    )
    return ("…" if start else "") + marked + ("…" if end < len(words) else "")


def _tsquery(query: Query) -> SearchQuery:
    config = CONFIGS[language()]
    typed = [*query.words, *(f'"{" ".join(words)}"' for words in query.phrases)]
    parts = [SearchQuery(" ".join(typed), search_type="websearch", config=config)] if typed else []
    # A prefix: the word as the configuration reads it (unaccented, stemmed), then ":*".
    parts += [SearchQuery(f"{word}:*", search_type="raw", config=config) for word in query.prefixes]
    combined = parts[0]
    for part in parts[1:]:
        combined &= part
    return combined


def _root(stemmer: Any, word: str) -> str:
    """The part a word shares with its Snowball stem (characters, not paths), matched as a
    prefix on SQLite; the word itself when that part is shorter than MIN_ROOT."""
    shared = os.path.commonprefix([word, stemmer.stemWord(word)])  # noqa: RUF071
    return shared if len(shared) >= MIN_ROOT else word


def _fts_match(query: Query) -> str:
    """FTS5 has no Spanish stemmer, and a stem is not always a prefix of the word it stands for
    (Snowball, the algorithm of PostgreSQL's `spanish_stem`, reads both "transparencia" and
    "transparencias" as "transparent"). So each word is matched as a prefix: the part it shares
    with its stem ("transparen*"), which finds its plural, singular and other endings."""
    stemmer = snowballstemmer.stemmer(STEMMERS[language()])

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    terms = [quoted(_root(stemmer, word)) + "*" for word in query.words]
    terms += [quoted(word) + "*" for word in query.prefixes]
    terms += [quoted(" ".join(words)) for words in query.phrases]
    return " AND ".join(terms)
