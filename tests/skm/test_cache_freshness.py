"""Citizen feedback and service points name the cache versions they change
(core/dataversion.py, skm/receivers.py): the HR dashboard's IKM is fresh at the next request;
feedback naming an employee moves that employee's pages, unit-level feedback no person's."""

import pytest

from core import dataversion
from skm import services
from skm.models import ServicePoint

pytestmark = pytest.mark.django_db

SCORES = {f"u{i}": 4 for i in range(1, 10)}


def _responses(client) -> int:
    response = client.get("/sdm/")
    assert response.status_code == 200
    return response.context["dash"]["ikm_all"].responses


@pytest.fixture
def point(world):
    return ServicePoint.objects.create(unit=world.duk1, code="loket-1", service="Perekaman KTP")


def test_feedback_shows_in_the_dashboards_ikm(world, point, client):
    client.force_login(world.hr)
    before = _responses(client)
    assert _responses(client) == before  # cached
    result = services.feedback_submit(service_point=point, scores=SCORES, ip="203.0.113.5")
    assert result.created
    assert _responses(client) == before + 1


def test_feedback_moves_the_named_employees_pages_only(world, point):
    staff, other = world.staff, world.atasan

    def versions():
        return (
            dataversion.person_version(employee_id=staff.pk),
            dataversion.person_version(employee_id=other.pk),
        )

    before = versions()
    services.feedback_submit(
        service_point=point, scores=SCORES, ip="203.0.113.6", employee_id=staff.pk
    )
    after = versions()
    assert after[0] != before[0] and after[1] == before[1]
    services.feedback_submit(service_point=point, scores={**SCORES, "u1": 3}, ip="203.0.113.7")
    assert versions() == after  # unit-level feedback: no person's page


def test_a_new_service_point_moves_the_person_pages(world):
    before = dataversion.current("person")
    services.service_point_create(
        actor=world.hr, code="loket-2", service="Akta Kelahiran", unit=world.duk1
    )
    assert dataversion.current("person") != before
