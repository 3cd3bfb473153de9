"""Keep the materialised profile current when data changes outside the services (the Wagtail
admin, other code): a position's requirements or an employee's position. Services already
recompute and mark the instance with ``_sikap_skip_signal``. The work runs on commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from .models import Employee, PositionRequirement


def _recompute_position(position_id: int) -> None:
    from .services import profile_recompute

    ids = list(Employee.objects.filter(position_id=position_id).values_list("pk", flat=True))
    if ids:
        profile_recompute(employee_ids=ids)


def _recompute_employee(employee_id: int) -> None:
    from .services import profile_recompute

    profile_recompute(employee_ids=[employee_id])


@receiver([post_save, post_delete], sender=PositionRequirement)
def requirement_changed(sender, instance: PositionRequirement, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    position_id = instance.position_id
    transaction.on_commit(lambda: _recompute_position(position_id))


@receiver(post_init, sender=Employee)
def employee_loaded(sender, instance: Employee, **kwargs) -> None:
    instance._sikap_position_id = instance.__dict__.get("position_id")


@receiver(post_save, sender=Employee)
def employee_saved(sender, instance: Employee, created: bool, **kwargs) -> None:
    previous = getattr(instance, "_sikap_position_id", None)
    instance._sikap_position_id = instance.position_id
    if kwargs.get("raw") or getattr(instance, "_sikap_skip_signal", False):
        instance._sikap_skip_signal = False
        return
    if created or previous != instance.position_id:
        employee_id = instance.pk
        transaction.on_commit(lambda: _recompute_employee(employee_id))


# Cache versions (core/dataversion.py): one row saved or deleted here (a service's save(), the
# Wagtail admin) bumps the versions of what reads it. The services' bulk writes bump
# themselves (kompetensi/services.py, kompetensi/importer.py).
def _connect_cache_versions() -> None:
    from core import dataversion as dv

    from .models import (
        Competency,
        CompetencyLevel,
        Evaluation,
        EvaluationPeriod,
        OrganizationUnit,
        Position,
        SkpResult,
    )
    from .models import EmployeeCompetency as Profile

    def employee_scopes(employee):
        # The employee, their supervisor (whose page lists their team) and their account, as
        # loaded and as saved: a new supervisor's page and the old one's both change.
        return dv.person_of(employee, employee=("id", "supervisor_id"), user=("user_id",))

    def of_employee(row):
        return dv.person_of(row, employee=("employee_id",))

    dv.track_loaded(Employee, "supervisor_id", "user_id")
    dv.watch_model(Employee, "sdm", scopes=employee_scopes)
    dv.watch_model(OrganizationUnit, "sdm", "person")
    dv.watch_model(Position, "sdm", "person")
    dv.watch_model(PositionRequirement, "person")
    dv.watch_model(Competency, "sdm", "content", "person")
    dv.watch_model(CompetencyLevel, "person")
    dv.watch_model(EvaluationPeriod, "sdm", "person", "periods")
    for model in (Evaluation, SkpResult, Profile):
        dv.track_loaded(model, "employee_id")  # a row moved to another employee: both
    dv.watch_model(
        Evaluation,
        scopes=lambda e: dv.person_of(e, employee=("employee_id",), user=("evaluator_id",)),
    )
    dv.watch_model(SkpResult, "sdm", scopes=of_employee)
    # Profile rows are deleted in bulk by the recompute (which bumps): keep the fast delete.
    dv.watch_model(Profile, "sdm", scopes=of_employee, delete=False)


_connect_cache_versions()
