import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Messages in English, for tests that compare them with the source text."""
    with translation.override("en"):
        yield
