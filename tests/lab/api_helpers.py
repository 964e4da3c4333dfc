"""Helpers for the lab router's API tests."""

import pytest
from librouteros.exceptions import TrapError


def trap(call):
    """The message of the ``!trap`` that ``call()`` gets (a print is consumed to reach it)."""
    with pytest.raises(TrapError) as err:
        result = call()
        if result is not None and not isinstance(result, str):
            tuple(result)
    return err.value.message
