"""Who may manage the citizen survey's service points (on top of kompetensi's HR scope)."""

from kompetensi.models import OrganizationUnit
from kompetensi.permissions import can_manage_unit


def can_manage_service_point(user, unit: OrganizationUnit) -> bool:
    """A service point (titik layanan) of ``unit``: HR whose scope covers the unit (city-wide
    HR for any)."""
    return can_manage_unit(user, unit)
