"""An index of the entries, newest first: a search with more results than are ranked shows its
first page from it (engine.newest). PostgreSQL puts NULL first when descending, so there it says
NULLS LAST; SQLite puts NULL last already (and takes no NULLS LAST in an index)."""

from django.db import migrations

CREATE = {
    "postgresql": "CREATE INDEX search_entry_newest ON search_entry (date DESC NULLS LAST, id DESC)",
    "sqlite": "CREATE INDEX search_entry_newest ON search_entry (date DESC, id DESC)",
}


def _create(apps, schema_editor):
    statement = CREATE.get(schema_editor.connection.vendor)
    if statement:
        schema_editor.execute(statement)


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor in CREATE:
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_newest")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engines")]

    operations = [migrations.RunPython(_create, _drop)]
