"""Plain SQL helpers (cocrea.core.sql): names from the models, values as parameters."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator

from cocrea.core import sql


def _content_types() -> sql.Rows:
    table, label, model = (
        sql.name(ContentType),
        sql.name(ContentType, "app_label"),
        sql.name(ContentType, "model"),
    )
    return sql.Rows(
        f"SELECT COUNT(*) FROM {table} WHERE {label} <> %s",  # noqa: S608
        f"SELECT {label}, {model} FROM {table} WHERE {label} <> %s "  # noqa: S608
        f"ORDER BY {label}, {model}",
        ["no-such-app"],
        lambda row: f"{row[0]}.{row[1]}",
    )


def test_rows_count_and_slice_like_the_orm(db):
    expected = [
        f"{c.app_label}.{c.model}" for c in ContentType.objects.order_by("app_label", "model")
    ]
    rows = _content_types()
    assert rows.count() == len(rows) == len(expected) > 10
    assert rows[0:3] == expected[0:3]
    assert rows[5:9] == expected[5:9]
    assert rows[4:4] == []
    last = Paginator(rows, 4).get_page("9999")  # past the end: the last page, as with querysets
    assert list(last) == expected[(last.number - 1) * 4 :]


@pytest.mark.parametrize("index", [0, slice(0, None), slice(0, 4, 2)])
def test_rows_refuse_anything_but_a_page(db, index):
    with pytest.raises(TypeError):
        _content_types()[index]


def test_placeholders_match_the_values():
    assert sql.placeholders(1) == "%s"
    assert sql.placeholders(3) == "%s, %s, %s"
