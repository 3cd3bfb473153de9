"""Learning progress and published content name the cache versions they change
(core/dataversion.py, portal/receivers.py): the module, lesson and catalog pages are fresh at
the next request after a lesson, a quiz, a publication, an unpublication, a move, a deletion,
new trainers or a renamed competency. Each test renders the page warm (twice: the second from
the cache), makes the change, and renders it again."""

import pytest

from portal.models import LessonPage
from workflow import services

pytestmark = pytest.mark.django_db


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _warm(client, url) -> str:
    _html(client, url)
    return _html(client, url)


def _lessons(module):
    return list(LessonPage.objects.child_of(module).live().order_by("path"))


def test_a_completed_lesson_shows_on_the_module_page(client, learner, make_module):
    module = make_module("Komunikasi Efektif")
    client.force_login(learner)
    assert "Kemajuan Anda" not in _warm(client, module.url)
    services.lesson_complete(user=learner, lesson=_lessons(module)[0])
    assert "Kemajuan Anda: 33%" in _html(client, module.url)


def test_a_passed_quiz_shows_on_the_module_page(client, learner, make_module):
    module = make_module("Modul Kuis")
    first, quiz_lesson = _lessons(module)
    services.lesson_complete(user=learner, lesson=first)
    client.force_login(learner)
    assert "Kemajuan Anda: 33%" in _warm(client, module.url)
    result = services.quiz_submit(
        user=learner, lesson=quiz_lesson, answers={"q-single": ["a1"], "q-multi": ["b1", "b2"]}
    )
    assert result.passed
    assert "Kemajuan Anda: 100%" in _html(client, module.url)


def test_unpublish_move_and_delete_show_in_the_catalog(client, learner, make_module, catalog):
    a, b = make_module("Modul Alfa"), make_module("Modul Beta")
    c = make_module("Modul Gama")
    client.force_login(learner)
    html = _warm(client, catalog.url)
    assert "Modul Alfa" in html and "Modul Beta" in html and "Modul Gama" in html
    a.unpublish()
    assert "Modul Alfa" not in _html(client, catalog.url)
    b.move(catalog.get_parent(), pos="last-child")  # out of the catalog
    assert "Modul Beta" not in _html(client, catalog.url)
    c.delete()
    assert "Modul Gama" not in _html(client, catalog.url)


def test_a_title_saved_outside_a_publish_shows_at_once(client, learner, make_module, catalog):
    module = make_module("Judul Lama")
    client.force_login(learner)
    assert "Judul Lama" in _warm(client, catalog.url)
    module.title = "Judul Baru"
    module.save()  # code (a command, a migration) that saves the live page
    assert "Judul Baru" in _html(client, catalog.url)


def test_new_trainers_show_on_the_module_page(client, learner, make_module, make_user):
    module = make_module("Modul Berpelatih")
    trainer = make_user("pelatih-baru", "Pelatih", first_name="Budi", last_name="Santoso")
    client.force_login(learner)
    assert "Budi Santoso" not in _warm(client, module.url)
    module.trainers.add(trainer)  # the page editor's field (kept until the page is saved)
    module.save_revision().publish()
    assert "Budi Santoso" in _html(client, module.url)


def test_a_renamed_competency_shows_in_the_catalog_filter(
    client, learner, make_module, catalog, make_user
):
    from kompetensi import services as kompetensi_services
    from kompetensi.models import Competency

    make_module()
    client.force_login(learner)
    assert "Komunikasi Publik" not in _warm(client, catalog.url)
    competency = Competency.objects.get(code="M.3")
    competency.name = "Komunikasi Publik"
    hr = make_user("hr-kamus", "BKPSDM")  # city-wide: the dictionary's editors
    kompetensi_services.competency_save(actor=hr, competency=competency)
    assert "Komunikasi Publik" in _html(client, catalog.url)
