"""Fixtures shared with tests/workflow/ (the tests here moved from there with the code they
test)."""

from tests.workflow.conftest import (  # noqa: F401
    _urls_loaded,
    catalog,
    competency,
    fake_pdf,
    hr_user,
    make_employee,
    make_gap,
    make_module,
    other_unit,
    period,
    unit,
)
