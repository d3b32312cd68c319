import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Action messages are asserted in English here; pages are checked in Dutch."""
    with translation.override("en"):
        yield
