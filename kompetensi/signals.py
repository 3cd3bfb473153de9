"""Signals other apps listen to (kompetensi imports none of them).

``profile_recomputed``: sent after EmployeeCompetency rows were recomputed, with
``employee_ids`` (list[int]) and ``period_id`` (int | None, the period whose final evaluation
caused it). The workflow app closes training needs whose gap is now closed."""

from django.dispatch import Signal

profile_recomputed = Signal()
