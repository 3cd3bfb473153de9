"""Per-person versions (core/dataversion.py): a write that concerns one person moves only
that person's version, a bulk write about many people (or anyone) moves the global one, and
the pages cached per person (home, Kinerja Saya, HR employee view) are fresh after every write
that changes them while another person's activity leaves them cached."""

import pytest
from django.db import IntegrityError, transaction

from core import dataversion
from kompetensi.services import PERSON_SCOPE_LIMIT, people_changed
from workflow.models import Assignment

pytestmark = pytest.mark.django_db


def _v(*names):
    return {name: dataversion.current(name) for name in names}


def _moved(before: dict) -> set[str]:
    return {name for name, value in before.items() if dataversion.current(name) != value}


@pytest.fixture
def two(make_employee, make_module):
    e1, e2 = make_employee("satu"), make_employee("dua")
    module = make_module()
    return e1, e2, module


def _names(e1, e2):
    return ("person", f"person@emp:{e1.pk}", f"person@emp:{e2.pk}", "sdm")


def test_a_single_save_moves_only_that_persons_version(two):
    e1, e2, module = two
    before = _v(*_names(e1, e2))
    Assignment.objects.create(employee=e1, module=module, status="assigned", jp=10)
    # "sdm" (HR aggregates over everyone) still moves; only e1's person version does.
    assert _moved(before) == {f"person@emp:{e1.pk}", "sdm"}


def test_moving_a_row_to_another_person_moves_both(two):
    e1, e2, module = two
    a = Assignment.objects.create(employee=e1, module=module, status="assigned", jp=10)
    a = Assignment.objects.get(pk=a.pk)
    before = _v(*_names(e1, e2))
    a.employee = e2
    a.save()
    assert _moved(before) == {f"person@emp:{e1.pk}", f"person@emp:{e2.pk}", "sdm"}


def test_a_services_bulk_write_moves_the_versions_of_the_people_it_names(two, hr_user):
    from workflow import services

    e1, e2, module = two
    a = Assignment.objects.create(employee=e1, module=module, status="recommended", jp=10)
    before = _v(*_names(e1, e2))
    assert services.assignment_approve_bulk(ids=[a.pk], actor=hr_user, due_date=None) == 1
    assert _moved(before) == {f"person@emp:{e1.pk}", "sdm"}


def test_a_bulk_write_about_many_people_moves_the_global_version(two):
    e1, e2, _module = two
    before = _v(*_names(e1, e2))
    people_changed(list(range(1, PERSON_SCOPE_LIMIT + 2)))
    assert {"person", "sdm"} <= _moved(before)
    before = _v(*_names(e1, e2))
    people_changed(None)  # anyone (a whole-city recompute)
    assert {"person", "sdm"} <= _moved(before)


def test_a_deferred_person_field_falls_back_to_the_global_version(two):
    e1, e2, module = two
    a = Assignment.objects.create(employee=e1, module=module, status="assigned", jp=10)
    a = Assignment.objects.only("pk", "jp").get(pk=a.pk)
    before = _v(*_names(e1, e2))
    a.jp = 4
    a.save(update_fields=["jp"])
    assert "person" in _moved(before)


def test_naming_one_person_moves_only_their_version(two):
    e1, e2, _module = two
    before = _v(*_names(e1, e2))
    dataversion.bump(*dataversion.for_person(employee=e1))
    assert _moved(before) == {f"person@emp:{e1.pk}"}
    assert dataversion.for_person(employee=e1) == (
        f"person@emp:{e1.pk}",
        f"person@user:{e1.user_id}",
    )


def test_a_failed_save_moves_nothing(two):
    e1, e2, module = two
    Assignment.objects.create(employee=e1, module=module, status="assigned", jp=10)
    duplicate = Assignment(employee=e1, module=module, status="assigned", jp=10)
    before = _v(*_names(e1, e2))
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()  # one open assignment per employee and module
    assert _moved(before) == set()


def test_one_commit_hook_collects_every_key_of_a_transaction(two, make_module):
    from django.db import connection

    e1, e2, _module = two
    modules = [make_module() for _ in range(3)]
    with transaction.atomic():
        for i, m in enumerate(modules):
            Assignment.objects.create(employee=(e1, e2)[i % 2], module=m, status="assigned", jp=10)
        ours = [
            func
            for _sids, func, _robust in connection.run_on_commit
            if getattr(func, "sikap_dataversion", False)
        ]
        assert len(ours) == 1  # one hook per transaction, not one per row
        before = _v(*_names(e1, e2))
        ours[0]()  # what the commit runs: every key the transaction wrote moves again
        assert {f"person@emp:{e1.pk}", f"person@emp:{e2.pk}", "sdm"} <= _moved(before)


# ------------------------------------------------------------------------------------------
# Pages cached per person
# ------------------------------------------------------------------------------------------


def _count_get(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_home_is_fresh_after_progress_and_stays_cached_for_others(client, two):
    from portal.models import LessonPage
    from workflow import services

    e1, e2, module = two
    for e in (e1, e2):
        Assignment.objects.create(employee=e, module=module, status="assigned", jp=10)
    client.force_login(e1.user)
    html, _n = _count_get(client, "/")
    assert "0% selesai" in html
    html, warm = _count_get(client, "/")
    # Another learner's progress does not invalidate e1's cached part of the page.
    first = LessonPage.objects.child_of(module).order_by("path").first()
    services.lesson_complete(user=e2.user, lesson=first)
    _html, after_other = _count_get(client, "/")
    assert after_other == warm
    # e1's own progress shows at once.
    services.lesson_complete(user=e1.user, lesson=first)
    html, _n = _count_get(client, "/")
    # Two lessons, the second with a quiz: three items, one done (the module page's number).
    assert "33% selesai" in html


def test_kinerja_saya_is_fresh_after_an_evaluation(client, two, make_gap, period, competency):
    e1, e2, _module = two
    make_gap(e1, required=3, assessed=1)
    client.force_login(e1.user)
    html, _n = _count_get(client, "/kinerja-saya/")
    assert "level 1 dari 3" in html
    _html, warm = _count_get(client, "/kinerja-saya/")
    # Someone else's profile changes: e1's page stays cached.
    make_gap(e2, required=3, assessed=2)
    assert _count_get(client, "/kinerja-saya/")[1] == warm
    # e1's profile changes through a single-row save: fresh at once.
    make_gap(e1, required=3, assessed=3)
    html, _n = _count_get(client, "/kinerja-saya/")
    assert "level 1 dari 3" not in html and "memenuhi level 3" in html


def test_hr_employee_view_is_fresh_after_a_need_is_dismissed(
    client, two, hr_user, make_gap, period, competency
):
    from workflow import services
    from workflow.models import TrainingNeed

    e1, e2, _module = two
    need = TrainingNeed.objects.create(
        employee=e1,
        competency=competency,
        period=period,
        required_level=3,
        assessed_level=1,
        gap=2,
    )
    client.force_login(hr_user)
    url = f"/sdm/pegawai/{e1.nip}/"
    html, _n = _count_get(client, url)
    assert "Terbuka" in html and "Ditutup oleh BKPSDM" not in html
    _html, warm = _count_get(client, url)
    # A write about e2 leaves e1's fragment cached (the audit log row is written either way).
    Assignment.objects.create(employee=e2, module=_module, status="assigned", jp=10)
    assert _count_get(client, url)[1] == warm
    services.need_dismiss(need=need, actor=hr_user, reason="Sudah mengikuti diklat lain")
    html, _n = _count_get(client, url)
    assert "Ditutup oleh BKPSDM" in html
    # The supervisor's name is part of the cached fragment: renaming them shows at once.
    e1.supervisor = e2
    e1.save()
    html, _n = _count_get(client, url)
    assert e2.name in html
    e2.name = "Nama Baru Atasan"
    e2.save()
    assert "Nama Baru Atasan" in _count_get(client, url)[0]


def test_catalog_cards_are_fresh_after_own_progress_and_gaps(client, two, make_gap, catalog):
    from portal.models import LessonPage
    from workflow import services

    e1, e2, module = two
    client.force_login(e1.user)
    url = catalog.url
    html, _n = _count_get(client, url)
    assert "Kemajuan" not in html and "Sesuai kesenjangan Anda" not in html
    _html, warm = _count_get(client, url)
    first = LessonPage.objects.child_of(module).order_by("path").first()
    services.lesson_complete(user=e2.user, lesson=first)  # someone else: still cached
    assert _count_get(client, url)[1] == warm
    services.lesson_complete(user=e1.user, lesson=first)
    # Two lessons, the second with a quiz: three items, one done (the module page's number).
    assert "Kemajuan 33%" in _count_get(client, url)[0]
    make_gap(e1, required=3, assessed=1)  # the module's competency becomes a gap of e1
    assert "Sesuai kesenjangan Anda" in _count_get(client, url)[0]


def test_unit_feedback_leaves_person_pages_cached_feedback_naming_someone_does_not(two, unit):
    from skm.models import ServiceFeedback, ServicePoint

    e1, e2, _module = two
    point = ServicePoint.objects.create(unit=unit, code="loket-1", service="Loket KTP")
    scores = {f"u{i}": 4 for i in range(1, 10)}
    before = _v(*_names(e1, e2))
    ServiceFeedback.objects.create(service_point=point, unit=unit, **scores)
    # Unit-level feedback: HR aggregates ("sdm") move, no person's page does.
    assert _moved(before) == {"sdm"}
    before = _v(*_names(e1, e2))
    ServiceFeedback.objects.create(service_point=point, unit=unit, employee=e1, **scores)
    assert _moved(before) == {f"person@emp:{e1.pk}", "sdm"}
