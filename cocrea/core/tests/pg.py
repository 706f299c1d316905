"""A second connection to the test's PostgreSQL server, beside Django's, for tests that act on
Django's own connection from outside (terminating it, closing the database to it)."""

from typing import Any

import psycopg
from django.db import connection


def other_connection(dbname: str | None = None) -> Any:
    """An autocommit connection as Django's user, to `dbname` (default: the test database)."""
    database = connection.settings_dict
    return psycopg.connect(
        dbname=dbname or database["NAME"],
        host=database["HOST"],
        port=database["PORT"] or None,
        user=database["USER"],
        password=database["PASSWORD"],
        autocommit=True,
    )
