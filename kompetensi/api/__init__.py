"""REST endpoints of the kompetensi app (see ../shared/design/API.md), one module per
resource: units, competencies, positions, employees (with the import), periods and
evaluations, an employee's competency profile, summary and SKP, HR scopes. ``router`` joins
them (mounted by ``sikap/api.py``); the operation ids stay ``kompetensi_api_<function>``
(``core.api.SikapAPI``).

Who may do what is decided in ``permissions.py`` and enforced by the service that performs
the write (``services.py``, which gets ``actor=request.user``): an endpoint only finds the
objects the caller may see (404 otherwise, 422 for a reference in the body) and maps the
service's error to its status. An employee or unit the caller may not see is 404; a visible
one they may not change is 403."""

from ninja import Router

from . import competencies, employees, evaluations, hr_scopes, positions, profile, units

router = Router(tags=["kompetensi"])
# In this order: paths (and so URL patterns) as they always were, /employees/import before
# /employees/{nip}.
for _module in (units, competencies, positions, employees, evaluations, profile, hr_scopes):
    router.add_router("", _module.router)

__all__ = ["router"]
