"""The whole loop through the services the product uses: a final evaluation shows a gap →
recommendation → HR approves → the learner completes → certificate → a later final
evaluation closes the need ("gap tertutup")."""

import datetime as dt

import pytest

from core.roles import SYSTEM
from tests.workflow.conftest import finish_module
from workflow import services
from workflow.models import Assignment, Certificate, TrainingNeed

pytestmark = pytest.mark.django_db


def test_gap_to_certificate_to_closed_need(
    make_module, make_employee, make_user, hr_user, competency, period, fake_pdf,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from kompetensi.models import EvaluationPeriod, Position, PositionRequirement
    from kompetensi.services import evaluation_save

    position = Position.objects.create(code="P.1", name="Pengawas", kind="pengawas")
    PositionRequirement.objects.create(position=position, competency=competency, level=3)
    e = make_employee()
    e.position = position
    e.save()
    module = make_module(target=3)

    evaluation_save(
        actor=hr_user, employee=e, period=period, source="assessment",
        scores=[(competency, 1)], finalize=True,
    )  # fmt: skip
    result = services.period_recommend(period=period, actor=SYSTEM)
    assert (result.needs, result.recommended) == (1, 1)
    a = Assignment.objects.get()
    assert a.module_id == module.pk
    services.assignment_approve(
        assignment=a, actor=hr_user, due_date=services.jakarta_today() + dt.timedelta(days=7)
    )
    with django_capture_on_commit_callbacks(execute=True):
        finish_module(e.user, module)
    a.refresh_from_db()
    assert a.status == Assignment.Status.CERTIFIED
    assert Certificate.objects.get(assignment=a).pdf
    need = TrainingNeed.objects.get()
    assert need.status == TrainingNeed.Status.ADDRESSED

    later = EvaluationPeriod.objects.create(
        code="2027", name="2027", start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)
    )
    evaluation_save(
        actor=hr_user, employee=e, period=later, source="assessment",
        scores=[(competency, 3)], finalize=True,
    )  # fmt: skip
    need.refresh_from_db()
    assert need.status == TrainingNeed.Status.CLOSED
    assert need.closed_reason == "gap tertutup"
