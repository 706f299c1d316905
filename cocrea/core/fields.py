"""Model fields of our own: only where Django's do something we must avoid."""

from typing import Any

from django.db import models


class BulkJSONField(models.JSONField):
    """Django's JSONField, inserted in bulk with VALUES on PostgreSQL rather than UNNEST.

    Django inserts a batch of rows on PostgreSQL as arrays passed to UNNEST, and psycopg quotes
    each JSON text in those arrays in Python, one regular-expression substitution per quote: for
    rows with a lot of JSON (an OGP row's 170 cells) that costs seconds per thousand rows
    (measured: 5,000 kept OGP rows took 18.5 s, 3.7 s with this field). A field with a
    placeholder of its own makes Django write the batch as VALUES with bound parameters instead
    (its `assemble_as_sql`). Nothing else differs: same column type, same values."""

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s"
