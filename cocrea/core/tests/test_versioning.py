"""The data version the page cache keys on, read as the stored row says, in one query."""

import pytest

from cocrea.core.models import DataVersion
from cocrea.core.versioning import data_version_bump, data_version_get

pytestmark = pytest.mark.django_db


def test_the_data_version_is_the_stored_value_read_in_one_query(django_assert_num_queries):
    DataVersion.objects.all().delete()
    with django_assert_num_queries(1):
        assert data_version_get() == 0  # no row yet
    data_version_bump()
    data_version_bump()
    with django_assert_num_queries(1):
        read = data_version_get()
    assert read == DataVersion.objects.get(pk=1).value == 2
