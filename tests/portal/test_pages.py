"""Page tree rules, page rendering, progress on pages, help pages."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from portal.models import (
    HelpIndexPage,
    HelpPage,
    HomePage,
    LessonPage,
    TrainingCatalogPage,
    TrainingModulePage,
)


class TestPageTreeRules(WagtailPageTestCase):
    def test_creation_rules(self):
        self.assertAllowedParentPageTypes(TrainingModulePage, {TrainingCatalogPage})
        self.assertAllowedParentPageTypes(LessonPage, {TrainingModulePage})
        self.assertAllowedSubpageTypes(TrainingCatalogPage, {TrainingModulePage})
        self.assertAllowedSubpageTypes(TrainingModulePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedSubpageTypes(HomePage, {TrainingCatalogPage, HelpIndexPage})
        self.assertAllowedSubpageTypes(HelpIndexPage, {HelpPage})
        self.assertCanCreateAt(TrainingCatalogPage, TrainingModulePage)
        self.assertCanCreateAt(TrainingModulePage, LessonPage)
        self.assertCanNotCreateAt(HomePage, TrainingModulePage)
        self.assertCanNotCreateAt(TrainingCatalogPage, LessonPage)
        self.assertCanNotCreateAt(LessonPage, LessonPage)
        self.assertCanNotCreateAt(HelpIndexPage, TrainingModulePage)
        self.assertCanNotCreateAt(Page, TrainingCatalogPage)


def test_single_catalog_and_home(site):
    assert not TrainingCatalogPage.can_create_at(site["home"])
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert TrainingModulePage.can_create_at(site["catalog"])


def test_pages_render(client, learner, make_module, site):
    module = make_module(lessons=2)
    lesson = LessonPage.objects.child_of(module).first()
    for user in (None, learner):
        if user:
            client.force_login(user)
        for url in ("/", "/katalog/", module.url, lesson.url, "/panduan/"):
            response = client.get(url)
            assert response.status_code == 200, url


def test_help_pages_for_each_role(client, site):
    pages = list(HelpPage.objects.live().order_by("path"))
    assert [p.role for p in pages] == ["ASN", "Atasan", "Pelatih", "Reviewer Konten", "BKPSDM"]
    html = client.get("/panduan/").content.decode()
    for page in pages:
        assert page.title in html
    body = client.get(pages[0].url).content.decode()
    assert "20 jam pelajaran" in body


def test_anonymous_home_explains_and_links(client, site):
    html = client.get("/").content.decode()
    assert "/verifikasi/" in html and "/umpan-balik/" in html and "/masuk/" in html
    assert "Kenali kesenjangan kompetensi" in html


def test_module_page_progress_next_lesson_and_enrol(client, learner, make_module):
    from workflow import services

    module = make_module(lessons=3, quiz=False)
    lessons = list(LessonPage.objects.child_of(module).order_by("path"))
    client.force_login(learner)
    html = client.get(module.url).content.decode()
    assert "Ikuti modul ini" in html
    assert f"/modul/{module.pk}/ikuti/" in html
    services.lesson_complete(user=learner, lesson=lessons[0])
    html = client.get(module.url).content.decode()
    assert 'value="33"' in html  # progress bar
    assert f"Lanjutkan: {lessons[1].title}" in html
    assert lessons[1].url in html


def test_lesson_page_navigation_and_complete_button(client, learner, make_module):
    from workflow import services

    module = make_module(lessons=3, quiz=False)
    first, second, third = LessonPage.objects.child_of(module).order_by("path")
    client.force_login(learner)
    html = client.get(second.url).content.decode()
    assert f'href="{first.url}" rel="prev"' in html
    assert f'href="{third.url}" rel="next"' in html
    assert "Tandai selesai" in html
    assert f"/pelajaran/{second.pk}/selesai/" in html
    services.lesson_complete(user=learner, lesson=second)
    html = client.get(second.url).content.decode()
    assert "Tandai selesai" not in html
    assert "sudah Anda tandai selesai" in html


def test_progress_survives_lesson_edit(client, learner, make_module):
    from portal.progress import module_progress
    from workflow import services

    module = make_module(lessons=2, quiz=False)
    first, _second = LessonPage.objects.child_of(module).order_by("path")
    services.lesson_complete(user=learner, lesson=first)
    first.title = "Pelajaran 1 (revisi)"
    first.save_revision().publish()
    progress = module_progress(user=learner, module=module)
    assert progress.lessons_done == 1
    assert first.revisions.count() >= 1


@pytest.mark.parametrize("has_forum", [True, False])
def test_forum_link_on_lesson(client, learner, make_module, monkeypatch, has_forum):
    module = make_module(lessons=1, quiz=False)
    lesson = LessonPage.objects.child_of(module).get()
    monkeypatch.setattr(
        "forum.selectors.forum_url_for_module",
        lambda module_id: "/forum/modul-x/" if has_forum else None,
    )
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert ("Diskusi modul ini" in html) is has_forum


def test_trainer_home_lists_own_modules_with_review_state(client, make_user, make_module):
    trainer = make_user("pelatih-x", "Pelatih")
    live = make_module("Modul Terbit Saya", owner=trainer, lessons=0)
    draft = make_module("Modul Konsep Saya", owner=trainer, lessons=0, live=False)
    draft.save_revision(user=trainer)
    in_review = make_module("Modul Ditinjau Saya", owner=trainer, lessons=0, live=False)
    in_review.save_revision(user=trainer)
    in_review.get_workflow().start(in_review, trainer)
    make_module("Modul Orang Lain", lessons=0)
    client.force_login(trainer)
    html = client.get("/").content.decode()
    assert "Modul yang Anda tulis" in html
    assert "Modul Orang Lain" not in html
    for module, label in ((live, "Terbit"), (draft, "Konsep"), (in_review, "Menunggu tinjauan")):
        start = html.index(module.title)
        assert label in html[start : start + 400], module.title
