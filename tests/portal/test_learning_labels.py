"""A self-enrolled module reads "Didaftar sendiri" (not "Ditugaskan") and a module not yet
begun says "Mulai", not "Lanjutkan"."""

import pytest

from portal.models import LessonPage

pytestmark = pytest.mark.django_db


def test_self_enrolled_and_not_started(client, learner, make_module):
    from workflow import services

    module = make_module(lessons=2)
    services.module_enrol(user=learner, module=module)
    client.force_login(learner)
    html = client.get("/pelatihan-saya/").content.decode()
    assert "Didaftar sendiri" in html and ">Ditugaskan<" not in html
    assert "Mulai belajar" in html and "Lanjutkan belajar" not in html
    page = client.get(module.url).content.decode()
    assert "Mulai: Pelajaran 1" in page and "Lanjutkan:" not in page
    home = client.get("/").content.decode()
    assert ">Ditugaskan<" not in home

    first = LessonPage.objects.child_of(module).get(slug="p1")
    services.lesson_complete(user=learner, lesson=first)
    html = client.get("/pelatihan-saya/").content.decode()
    assert "Lanjutkan belajar" in html and "Didaftar sendiri" not in html
    assert "Lanjutkan: Pelajaran 2" in client.get(module.url).content.decode()


def test_assigned_by_hr_still_reads_ditugaskan(learner, make_module):
    from workflow.models import Assignment

    module = make_module(lessons=1)
    a = Assignment(
        employee=learner.employee, module=module, status="assigned", origin="hr", jp=module.jp
    )
    assert a.learner_status_display == "Ditugaskan"
    a.origin = "self"
    assert a.learner_status_display == "Didaftar sendiri"
    a.status = "in_progress"
    assert a.learner_status_display == "Sedang berjalan"
