"""Fixtures shared with tests/kompetensi/ (the tests here moved from there with the code they
test)."""

from tests.kompetensi.conftest import (  # noqa: F401
    world,
)
