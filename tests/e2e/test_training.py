"""Training in a real browser: the demo trainer writes a module in the Wagtail admin and submits
it to "Tinjauan Konten", the reviewer approves it, an ASN finds it in the catalog, follows it,
completes the lessons and the quiz, and sees 100 %."""

import re

from playwright.sync_api import expect

from .conftest import axe_check, login

TITLE = "Etika Digital bagi ASN"


def _add_lessons(module_id: int) -> None:
    """Two lessons (the second with a quiz) written by the trainer as drafts: a lesson is not
    submitted on its own, it is reviewed with its module (portal/review.py); their content is
    built server-side (the StreamField editor is Wagtail's own, tested there)."""
    from django.contrib.auth import get_user_model

    from portal.models import LessonPage, TrainingModulePage
    from tests.portal.conftest import quiz_body

    trainer = get_user_model().objects.get(username="pelatih")
    module = TrainingModulePage.objects.get(pk=module_id)
    for i, body in enumerate([quiz_body([], "Materi etika digital."), quiz_body()], start=1):
        lesson = LessonPage(
            title=f"Etika digital {i}", slug=f"etika-{i}", body=body, owner=trainer, live=False
        )
        module.add_child(instance=lesson)
        lesson.save_revision(user=trainer)


def _path(module_id: int) -> str:
    from wagtail.models import Page

    return Page.objects.get(pk=module_id).path


def test_trainer_reviewer_learner(page, demo_data):
    from portal.models import TrainingCatalogPage, TrainingModulePage

    catalog = TrainingCatalogPage.objects.get()

    # 1. The trainer writes the module in the admin and submits it for review.
    login(page, "pelatih", demo_data)
    page.goto(f"/admin/pages/add/portal/trainingmodulepage/{catalog.pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Menggunakan media sosial dan data pribadi secara bertanggung jawab.")
    page.fill("#id_jp", "4")
    page.select_option("#id_module_competencies-0-competency", label="M.1 Integritas")
    page.fill("#id_module_competencies-0-target_level", "2")
    # trainers have no slug field (the Promosikan tab is for site administrators): Wagtail
    # derives the slug from the title
    assert page.locator("#id_slug").count() == 0
    with page.expect_navigation():
        page.evaluate("document.querySelector('button[name=action-submit]').click()")
    module = TrainingModulePage.objects.get(title=TITLE)
    assert not module.live
    assert module.owner.username == "pelatih"
    assert module.workflow_in_progress
    _add_lessons(module.pk)

    # 2. The reviewer approves it in the admin.
    page.context.clear_cookies()
    login(page, "reviewer", demo_data)
    page.goto(f"/admin/pages/{module.pk}/edit/")
    page.evaluate(
        "document.querySelector('[data-workflow-action-name=approve]"
        ":not([data-workflow-action-modal-url])').click()"
    )
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("body")).to_be_visible()
    module.refresh_from_db()
    for _ in range(20):
        module.refresh_from_db()
        if module.live:
            break
        page.wait_for_timeout(250)
    assert module.live
    # approving the module published its lessons with it
    from portal.models import LessonPage

    lessons = LessonPage.objects.filter(path__startswith=_path(module.pk))
    assert lessons.count() == 2 and all(lesson.live for lesson in lessons)

    # 3. An ASN finds it in the catalog, follows it and completes it.
    page.context.clear_cookies()
    login(page, "asn", demo_data)
    page.goto("/katalog/?q=etika")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Ikuti modul ini").click()
    page.get_by_role("link", name="Etika digital 1").first.click()
    page.get_by_role("button", name="Tandai selesai").click()
    expect(page.get_by_text("sudah Anda tandai selesai")).to_be_visible()
    page.get_by_role("link", name=re.compile("Etika digital 2")).first.click()
    page.locator("input[name=answer-q-single][value=a1]").check()
    page.locator("input[name=answer-q-multi][value=b1]").check()
    page.locator("input[name=answer-q-multi][value=b2]").check()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text(re.compile("lulus kuis dengan nilai 100"))).to_be_visible()
    page.goto(module.url)
    expect(page.get_by_text("Kemajuan Anda: 100%")).to_be_visible()

    # 4. The pages pass axe (serious/critical) on a phone and on a desktop.
    lesson_url = page.locator("ol.lesson-list a").last.get_attribute("href")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for url in ("/", "/katalog/", module.url, lesson_url):
            page.goto(url)
            assert not axe_check(page), (url, width)
