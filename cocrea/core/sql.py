"""Plain SQL for the few fixed-shape reads that every view of a hot page makes (docs/adr/0003).

Building a query through the ORM costs 0.3 to 1 ms on the benchmark machine, against 0.02 to
0.1 ms to run it; a query of three EXISTS subqueries cost over a millisecond to build. Where the
shape never changes and the answer is a row of plain values, the SQL is written here once, with
table and column names taken from the models (so a renamed column cannot drift) and every value
passed as a parameter, never formatted into the text (SECURITY.md, SQL injection).
"""

from typing import Any

from django.db import connection, models


def name(model: type[models.Model], field: str | None = None) -> str:
    """A model's table, or one of its columns, quoted for the database in use."""
    if field is None:
        return connection.ops.quote_name(model._meta.db_table)
    column: str = model._meta.get_field(field).column  # type: ignore[union-attr, assignment]
    return connection.ops.quote_name(column)


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
