"""Cache versions (core/dataversion.py): one need, assignment, certificate or external
learning record saved or deleted (a service's save(), the admin) bumps the HR aggregates and
that employee's pages (connected in ``WorkflowConfig.ready``). The services' bulk writes bump
themselves."""

from core import dataversion as dv

from .models import Assignment, Certificate, ExternalLearning, TrainingNeed


def connect() -> None:
    for model in (TrainingNeed, Assignment, Certificate, ExternalLearning):
        dv.track_loaded(model, "employee_id")  # a row moved to another employee: both
        dv.watch_model(
            model, "sdm", scopes=lambda row: dv.person_of(row, employee=("employee_id",))
        )
