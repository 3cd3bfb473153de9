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
