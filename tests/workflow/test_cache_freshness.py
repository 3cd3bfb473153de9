"""Every workflow service that writes names the cache versions it changed
(core/dataversion.py): the pages it feeds are fresh at the next request. Each test renders the
page warm (twice: the second from the cache), calls the service, and renders it again."""

import datetime as dt

import pytest

from workflow import services
from workflow.models import Assignment, Certificate, TrainingNeed

from .conftest import finish_module

pytestmark = pytest.mark.django_db


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _warm(client, url) -> str:
    _html(client, url)
    return _html(client, url)


@pytest.fixture
def learner(make_employee):
    return make_employee("pembelajar")


@pytest.fixture
def hr(client, hr_user):
    client.force_login(hr_user)
    return hr_user


def _hr_url(employee) -> str:
    return f"/sdm/pegawai/{employee.nip}/"


def _issue(employee) -> Certificate:
    """The certificate of the employee's completed assignment (the task that runs on commit)."""
    a = Assignment.objects.get(employee=employee, status="completed")
    return services.certificate_issue(assignment_id=a.pk)


def _need(employee, competency, period, **extra):
    return TrainingNeed.objects.create(
        employee=employee,
        competency=competency,
        period=period,
        required_level=3,
        assessed_level=1,
        gap=2,
        **extra,
    )


def test_assignment_create_shows_on_the_learners_home(client, learner, make_module, hr_user):
    module = make_module("Pelayanan Prima Lanjutan")
    client.force_login(learner.user)
    assert "Pelayanan Prima Lanjutan" not in _warm(client, "/")
    services.assignment_create(employee=learner, module=module, due_date=None, actor=hr_user)
    assert "Pelayanan Prima Lanjutan" in _html(client, "/")


def test_assignment_approve_shows_on_the_hr_employee_page(
    client, hr, learner, make_module, competency, period
):
    need = _need(learner, competency, period)
    module = make_module("Modul Rekomendasi")
    a = Assignment.objects.create(
        employee=learner, module=module, need=need, status="recommended", jp=10
    )
    url = _hr_url(learner)
    html = _warm(client, url)
    assert "Direkomendasikan" in html and "Ditangani pelatihan" not in html
    services.assignment_approve(assignment=a, actor=hr, due_date=None)
    html = _html(client, url)
    assert "Ditugaskan" in html and "Ditangani pelatihan" in html  # the need, by update()


def test_bulk_approve_and_bulk_cancel_show_on_the_hr_employee_page(
    client, hr, learner, make_module, competency, period
):
    need = _need(learner, competency, period)
    a = Assignment.objects.create(
        employee=learner, module=make_module(), need=need, status="recommended", jp=10
    )
    url = _hr_url(learner)
    assert "Ditugaskan" not in _warm(client, url)
    assert services.assignment_approve_bulk(ids=[a.pk], actor=hr, due_date=None) == 1
    html = _html(client, url)
    assert "Ditugaskan" in html and "Ditangani pelatihan" in html
    assert services.assignment_cancel_bulk(ids=[a.pk], actor=hr, reason="Tidak jadi") == 1
    html = _html(client, url)
    assert "Dibatalkan" in html and "Ditangani pelatihan" not in html  # the need reopened


def test_assignment_cancel_reopens_the_need_on_the_hr_employee_page(
    client, hr, learner, make_module, competency, period
):
    need = _need(learner, competency, period, status=TrainingNeed.Status.ADDRESSED)
    a = Assignment.objects.create(
        employee=learner, module=make_module(), need=need, status="assigned", jp=10
    )
    url = _hr_url(learner)
    assert "Ditangani pelatihan" in _warm(client, url)
    services.assignment_cancel(assignment=a, actor=hr, reason="Mutasi")
    html = _html(client, url)
    assert "Dibatalkan" in html and "Ditangani pelatihan" not in html and "Terbuka" in html


def test_completing_a_module_shows_on_home_and_the_hr_page(
    client, learner, make_module, hr_user, fake_pdf
):
    module = make_module("Etika Pelayanan", jp=12)
    services.assignment_create(employee=learner, module=module, due_date=None, actor=hr_user)
    client.force_login(learner.user)
    assert "0% selesai" in _warm(client, "/")
    finish_module(learner.user, module)  # progress rows and the completion
    assert "0% selesai" not in _html(client, "/")
    client.force_login(hr_user)
    url = _hr_url(learner)
    _warm(client, url)
    cert = _issue(learner)
    assert cert.number in _html(client, url)


def test_certificate_revoke_shows_on_the_hr_page(client, hr, learner, make_module, fake_pdf):
    module = make_module()
    services.assignment_create(employee=learner, module=module, due_date=None, actor=hr)
    finish_module(learner.user, module)
    cert = _issue(learner)
    url = _hr_url(learner)
    assert "Dicabut" not in _warm(client, url)
    services.certificate_revoke(certificate=cert, actor=hr, reason="Salah terbit")
    assert "Dicabut" in _html(client, url) or "dicabut" in _html(client, url)


def test_period_recommend_shows_new_needs_and_recommendations(
    client, hr, learner, make_module, make_gap, period
):
    make_module("Modul Untuk Kesenjangan")
    make_gap(learner, required=3, assessed=1)
    url = _hr_url(learner)
    assert "Modul Untuk Kesenjangan" not in _warm(client, url)
    result = services.period_recommend(period=period, actor=hr)
    assert result.recommended == 1
    html = _html(client, url)
    assert "Modul Untuk Kesenjangan" in html and "Direkomendasikan" in html


def test_closed_gaps_close_needs_and_withdraw_recommendations(
    client, hr, learner, make_module, make_gap, period, competency
):
    need = _need(learner, competency, period)
    Assignment.objects.create(
        employee=learner, module=make_module(), need=need, status="recommended", jp=10
    )
    make_gap(learner, required=3, assessed=3)  # the next evaluation closed the gap
    url = _hr_url(learner)
    assert "Gap tertutup" not in _warm(client, url)
    assert services.needs_close_for_profiles(employee_ids=[learner.pk]) == 1
    html = _html(client, url)
    assert "Gap tertutup" in html and "Ditarik" in html


def test_need_dismiss_shows_on_the_hr_page(client, hr, learner, competency, period):
    need = _need(learner, competency, period)
    url = _hr_url(learner)
    assert "Ditutup oleh BKPSDM" not in _warm(client, url)
    services.need_dismiss(need=need, actor=hr, reason="Sudah mengikuti diklat lain")
    assert "Ditutup oleh BKPSDM" in _html(client, url)


def test_external_learning_submit_and_approve_show_on_the_hr_page(client, hr, learner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workflow import external

    url = _hr_url(learner)
    assert "Seminar Pelayanan Publik" not in _warm(client, url)
    proof = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    data = {
        "title": "Seminar Pelayanan Publik",
        "provider": "LAN",
        "kind": "seminar",
        "start_date": dt.date(2026, 1, 5),
        "end_date": dt.date(2026, 1, 6),
        "jp": 8,
    }
    record = external.external_learning_submit(employee=learner, data=data, proof=proof)
    assert "Seminar Pelayanan Publik" in _html(client, url)
    external.external_learning_approve(record=record, actor=hr)
    assert "Disetujui" in _html(client, url)


def test_expiry_reminders_show_the_renewal_on_home(client, learner, make_module, hr_user, fake_pdf):
    from django.utils import timezone

    module = make_module("Modul Berlaku Setahun", valid_months=12)
    services.assignment_create(employee=learner, module=module, due_date=None, actor=hr_user)
    finish_module(learner.user, module)
    _issue(learner)
    Certificate.objects.filter(employee=learner).update(
        expires_at=timezone.now() + dt.timedelta(days=10)
    )
    client.force_login(learner.user)
    _warm(client, "/")
    services.certificates_check_expiry()
    renewal = Assignment.objects.get(employee=learner, origin=Assignment.Origin.RENEWAL)
    assert renewal.status == "assigned"
    assert "Modul Berlaku Setahun" in _html(client, "/")
