"""Fixtures shared by the lab router's API tests."""

import pytest


@pytest.fixture
def api(lab_router):
    """A librouteros connection to a fresh lab router, closed after the test."""
    connection = lab_router.api()
    yield connection
    connection.close()
