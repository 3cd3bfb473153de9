"""Fixtures shared with tests/portal/ (the tests here moved from there with the code they
test)."""

from tests.portal.conftest import (  # noqa: F401
    catalog,
    competencies,
    give_gap,
    learner,
    make_module,
    site,
)
