"""The workflow's common ground: its errors, the authority checks of every service (``require``,
``require_hr``, ``require_hr_over``), the look-ups by key for endpoints and views, the
assignment transitions and the clock (Asia/Jakarta)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import errors
from kompetensi import rules
from kompetensi.models import Employee
from workflow import permissions
from workflow.models import Assignment, Certificate

logger = logging.getLogger(__name__)

S = Assignment.Status
OPEN_STATES = Assignment.OPEN_STATES
ACTIVE_STATES = Assignment.ACTIVE_STATES
DONE_STATES = Assignment.DONE_STATES
# transition name → (states it may come from, state it goes to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": ((S.RECOMMENDED,), S.ASSIGNED),
    "start": ((S.ASSIGNED,), S.IN_PROGRESS),
    "complete": (ACTIVE_STATES, S.COMPLETED),
    "certify": ((S.COMPLETED,), S.CERTIFIED),
    "cancel": (OPEN_STATES, S.CANCELLED),
}
RECENT_COMPLETION = dt.timedelta(days=365)


class WorkflowError(Exception):
    """A rule of the workflow was broken; ``message`` is for people (Indonesian)."""

    status = 422

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionError(WorkflowError):
    status = 409


class NotAllowed(WorkflowError, errors.NotAllowed):
    """The actor lacks the power altogether (403). Also a ``core.errors`` error, so a
    handler of those treats it alike."""

    status = 403

    @property
    def detail(self) -> str:
        return self.message


class NotFound(WorkflowError, errors.NotFound):
    """The object does not exist or lies outside what the actor may see (404: the two are
    not told apart)."""

    status = 404

    @property
    def detail(self) -> str:
        return self.message


NOT_FOUND = _lazy("Data tidak ditemukan.")
HR_ONLY = _lazy("Hanya BKPSDM yang boleh melakukan tindakan ini.")


def require(allowed: bool, message="", *, hide: bool = False) -> None:
    """The authority check of a workflow service: ``NotAllowed`` (403), or ``NotFound`` (404)
    with ``hide=True`` where the object's existence is itself private."""
    if allowed:
        return
    if hide:
        raise NotFound(str(message or NOT_FOUND))
    raise NotAllowed(str(message or _("Anda tidak berwenang melakukan tindakan ini.")))


def require_hr(actor) -> None:
    """HR authority at all (BKPSDM with at least one unit in scope, a superuser, SYSTEM):
    403 otherwise, the same answer whatever the object."""
    if permissions.can_manage_assignments(actor):
        return
    from core.roles import is_hr

    if is_hr(actor):
        raise NotAllowed(_("Anda belum diberi unit kewenangan SDM."))
    raise NotAllowed(str(HR_ONLY))


def require_hr_over(actor, employee) -> None:
    """HR authority over ``employee``: an actor without HR authority at all gets 403 (the same
    answer for every object), an officer whose scope does not cover the employee's current
    unit gets 404."""
    require_hr(actor)
    require(permissions.can_manage_employee_training(actor, employee), hide=True)


# Look-ups by key for endpoints and views: the same order of checks as the services (403
# without HR authority, then 404 when missing or outside the scope), so no channel tells a
# missing object from a hidden one.


def managed_assignment(*, actor, pk) -> Assignment:
    require_hr(actor)
    a = (
        permissions.assignments_managed_by(actor)
        .select_related("employee__unit", "module")
        .filter(pk=pk)
        .first()
    )
    require(a is not None, hide=True)
    return a


def managed_employee(*, actor, nip: str) -> Employee:
    from kompetensi.permissions import employees_managed_by

    require_hr(actor)
    employee = (
        employees_managed_by(actor)
        .select_related("unit")
        .filter(nip=rules.normalise_nip(nip or ""))
        .first()
    )
    require(employee is not None, _("Pegawai dengan NIP ini tidak ditemukan."), hide=True)
    return employee


def managed_certificate(*, actor, number: str = "", code: str = "") -> Certificate:
    require_hr(actor)
    query = permissions.certificates_managed_by(actor).select_related("employee__unit")
    if code:
        query = query.filter(verification_code=rules.normalise_code(code))
    else:
        query = query.filter(number=number)
    cert = query.first()
    require(cert is not None, _("Sertifikat dengan nomor ini tidak ditemukan."), hide=True)
    return cert


def _check(assignment: Assignment, transition: str) -> str:
    sources, target = TRANSITIONS[transition]
    if assignment.status not in sources:
        raise TransitionError(
            _("Penugasan berstatus “%(now)s” tidak dapat %(what)s.")
            % {
                "now": S(assignment.status).label,
                "what": {
                    "approve": _("disetujui"),
                    "start": _("dimulai"),
                    "complete": _("diselesaikan"),
                    "certify": _("diberi sertifikat"),
                    "cancel": _("dibatalkan"),
                }[transition],
            }
        )
    return target


def jakarta_now() -> dt.datetime:
    return timezone.localtime(timezone.now(), rules.JAKARTA)


def jakarta_today() -> dt.date:
    return jakarta_now().date()
