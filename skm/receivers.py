"""Cache versions (core/dataversion.py): one service point or feedback row saved or deleted
bumps what reads it (connected in ``SkmConfig.ready``)."""

from core import dataversion as dv

from .models import ServiceFeedback, ServicePoint


def connect() -> None:
    dv.watch_model(ServicePoint, "person")
    # HR aggregates (IKM) always; a person's pages only when the feedback names an employee
    # (unit-level feedback is read by no per-person page).
    dv.track_loaded(ServiceFeedback, "employee_id")
    dv.watch_model(
        ServiceFeedback, "sdm", scopes=lambda f: dv.person_of(f, employee=("employee_id",))
    )
