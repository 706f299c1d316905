"""Plain SQL for the few fixed-shape reads that every view of a hot page makes (docs/adr/0003).

Building a query through the ORM costs 0.3 to 1 ms on the benchmark machine, against 0.02 to
0.1 ms to run it; a query of three EXISTS subqueries cost over a millisecond to build. Where the
shape never changes and the answer is a row of plain values, the SQL is written here once, with
table and column names taken from the models (so a renamed column cannot drift) and every value
passed as a parameter, never formatted into the text (SECURITY.md, SQL injection).

A page's main object stays a model instance, read the same way (`instances`, with its related
rows `beside` it and `attached_from` the row): docs/adr/0004.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeVar

from django.db import connection, models

_M = TypeVar("_M", bound=models.Model)


@lru_cache(maxsize=2048)
def name(model: type[models.Model], field: str | None = None) -> str:
    """A model's table, or one of its columns, quoted for the database. Memoised: the plain
    queries of a page ask for some thirty names on every request, and looking up the
    connection's vendor for each cost more than quoting. Without the vendor in the key: a
    process has one database, and SQLite and PostgreSQL quote names alike."""
    if field is None:
        return connection.ops.quote_name(model._meta.db_table)
    column: str = model._meta.get_field(field).column  # type: ignore[union-attr, assignment]
    return connection.ops.quote_name(column)


@lru_cache(maxsize=256)
def all_columns(model: type[models.Model], alias: str) -> str:
    """Every concrete column of `model` as `alias."column"`, for a query (`instances`) that
    reads the model whole. Memoised, as `beside`: joining thirty names cost 60 µs a call."""
    return ", ".join(f"{alias}.{name(model, f.name)}" for f in model._meta.concrete_fields)


@lru_cache(maxsize=256)
def beside(
    model: type[models.Model],
    alias: str,
    fields: tuple[str, ...] | None = None,
    prefix: str | None = None,
) -> str:
    """Columns of a related model read beside a query's own (`instances`), `fields` by
    attribute name (`member_id` for a key; all of them when None), each named after its model
    and field (`alias."column" AS "institution__name"`), for `attached_from` to turn into an
    instance. Two underscores, which no field name has: a member's `member__id` is never taken
    for a plan's own `member_id` column."""
    quote, prefix = connection.ops.quote_name, prefix or model._meta.model_name
    return ", ".join(
        f"{alias}.{name(model, f)} AS {quote(f'{prefix}__{f}')}" for f in _attnames(model, fields)
    )


def attached_from(
    row: models.Model,
    model: type[models.Model],
    fields: tuple[str, ...] | None = None,
    prefix: str | None = None,
) -> Any:
    """The related instance whose columns `beside` added to a row of `instances`, or None where an
    outer join found none. Each value is converted as the ORM converts it (dates and JSON on
    SQLite, for instance); the fields not read are deferred, loading if ever touched, as with
    `only()`."""
    prefix = prefix or model._meta.model_name
    names = _attnames(model, fields)
    values = [getattr(row, f"{prefix}__{f}") for f in names]
    if values[names.index(model._meta.pk.attname)] is None:
        return None
    for i, (column, converters) in enumerate(_converters(model, names, connection.vendor)):
        for convert in converters:
            values[i] = convert(values[i], column, connection)
    return model.from_db(connection.alias, list(names), values)


@lru_cache(maxsize=256)
def _attnames(model: type[models.Model], fields: tuple[str, ...] | None) -> tuple[str, ...]:
    """The fields in the model's order, which `Model.from_db` expects."""
    return tuple(
        f.attname for f in model._meta.concrete_fields if fields is None or f.attname in fields
    )


@lru_cache(maxsize=256)
def _converters(model: type[models.Model], names: tuple[str, ...], vendor: str) -> list[Any]:
    """For each field, its column and the converters the ORM's compiler would apply to it."""
    found = []
    for attname in names:
        field = model._meta.get_field(attname)  # found by attribute name too
        column = field.get_col(model._meta.db_table)  # type: ignore[union-attr]
        found.append(
            (
                column,
                connection.ops.get_db_converters(column) + column.get_db_converters(connection),
            )
        )
    return found


def instances(model: type[_M], query: str, params: list[Any] | tuple[Any, ...] = ()) -> list[_M]:
    """Model instances from a plain query, as `Model.objects.raw()` gives them: columns matched
    to the model's fields by name and converted as the ORM converts them, other columns set as
    attributes (for `attached_from`), fields not selected deferred. raw() matched columns to
    fields and gathered converters again on every call, 60 to 70 µs; here that is done once per
    query shape."""
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        columns = tuple(column[0] for column in cursor.description)
        rows = cursor.fetchall()
    names, positions, extras = _layout(model, columns)
    converters = _converters(model, names, connection.vendor)
    found = []
    for row in rows:
        values = [row[i] for i in positions]
        for i, (column, convert_all) in enumerate(converters):
            for convert in convert_all:
                values[i] = convert(values[i], column, connection)
        instance = model.from_db(connection.alias, list(names), values)
        for column_name, i in extras:
            setattr(instance, column_name, row[i])
        found.append(instance)
    return found


@lru_cache(maxsize=256)
def _layout(
    model: type[models.Model], columns: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[str, int], ...]]:
    """For a query's columns: the model's fields among them (attribute names, in the model's
    order, which `Model.from_db` expects), their positions in the row, and the other columns
    with theirs."""
    by_column = {f.column: f for f in model._meta.concrete_fields}
    fields = [f for f in model._meta.concrete_fields if f.column in columns]
    if model._meta.pk not in fields:
        raise ValueError(f"A query for {model.__name__} instances must select its key.")
    return (
        tuple(f.attname for f in fields),
        tuple(columns.index(f.column) for f in fields),
        tuple((c, i) for i, c in enumerate(columns) if c not in by_column),
    )


def attach(instance: models.Model, relation: str, objects: list[Any]) -> None:
    """Make `instance.<relation>.all()` return `objects` without a query, as prefetch_related
    leaves a relation (and as it does, through the instance's prefetch cache): model methods that
    read the relation then work on what one plain query read."""
    queryset = getattr(instance, relation).get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[relation] = queryset


def attach_one(instance: models.Model, relation: str, obj: models.Model | None) -> None:
    """Set a reverse one-to-one relation (`consultation.figures`) to what a plain query read,
    None included (reading it then raises DoesNotExist without a query), as select_related
    leaves it."""
    related = getattr(type(instance), relation).related
    related.set_cached_value(instance, obj)
    if obj is not None:
        related.field.set_cached_value(obj, instance)


def fetch_one(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row: tuple[Any, ...] | None = cursor.fetchone()
    return row


def fetch_all(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def moment(value: datetime | None) -> datetime | None:
    """A timestamp read in plain SQL, aware as the ORM gives it: PostgreSQL returns it with its
    zone; SQLite returns the stored UTC time without one, which the ORM would have marked UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def instant(value: datetime) -> Any:
    """A timestamp as a parameter, in the form the ORM stores it. PostgreSQL takes it as it is;
    SQLite compares stored UTC text without a zone, and the driver would send an aware value as
    `… 06:00:00+00:00`, which sorts after a row stored at exactly `… 06:00:00`."""
    return connection.ops.adapt_datetimefield_value(value)


def placeholders(count: int) -> str:
    """`%s, %s, …` for an IN list of `count` values, passed as parameters. Callers skip the
    query when there are no values: `IN ()` is not SQL."""
    return ", ".join(["%s"] * count)


class Rows:
    """A list of plain rows that Django's Paginator can count and slice, read with two plain
    queries: `count_sql` (one number) and `rows_sql`, to which the page's LIMIT and OFFSET are
    added. `make` turns each row (a tuple) into what the template reads."""

    def __init__(
        self,
        count_sql: str,
        rows_sql: str,
        params: list[Any],
        make: Callable[[tuple[Any, ...]], Any],
    ) -> None:
        self.count_sql, self.rows_sql, self.params, self.make = count_sql, rows_sql, params, make

    def count(self) -> int:
        row = fetch_one(self.count_sql, self.params)
        return int(row[0]) if row else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice) or index.step is not None or index.stop is None:
            raise TypeError("Rows are read a page at a time: rows[start:stop]")
        start = index.start or 0
        if index.stop <= start:
            return []
        # The page's bounds are written into the SQL as whole numbers, as the ORM does: as
        # parameters, PostgreSQL's prepared (generic) plan does not know the limit and joined
        # every row before sorting (3.7 ms against 0.3 for the proposal list).
        limit, offset = int(index.stop) - int(start), int(start)
        rows = fetch_all(f"{self.rows_sql} LIMIT {limit} OFFSET {offset}", self.params)
        return [self.make(row) for row in rows]
