"""A module and its lessons go to review together and are published together
(portal/review.py): a lesson is never submitted on its own, is locked while its module is in
review, and goes live when its module does."""

import pytest
from wagtail.models import WorkflowState

from portal.models import LessonPage, TrainingModulePage

from .conftest import quiz_body


@pytest.fixture
def trainer(make_user):
    return make_user("pelatih-rv", "Pelatih")


@pytest.fixture
def reviewer(make_user):
    return make_user("peninjau-rv", "Reviewer Konten")


def _draft_lesson(module, trainer, title, slug):
    lesson = LessonPage(title=title, slug=slug, body=quiz_body(), owner=trainer, live=False)
    module.add_child(instance=lesson)
    lesson.save_revision(user=trainer)
    return LessonPage.objects.get(pk=lesson.pk)


@pytest.fixture
def draft_module(make_module, trainer):
    """A new module written by the trainer: the module and two lessons, all drafts."""
    module = make_module(owner=trainer, lessons=0, live=False)
    module.save_revision(user=trainer)
    lessons = [
        _draft_lesson(module, trainer, "Pengantar", "pengantar"),
        _draft_lesson(module, trainer, "Praktik", "praktik"),
    ]
    return TrainingModulePage.objects.get(pk=module.pk), lessons


def _create_form(client, url) -> dict:
    """The new-page form's fields as a browser sends them (the edit form's helper)."""
    from bs4 import BeautifulSoup

    response = client.get(url)
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find("form", id="page-edit-form")
    assert form is not None
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "button", "file"}:
            continue
        if field.get("type") in {"checkbox", "radio"} and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            value = field.text
        elif field.name == "select":
            chosen = field.find_all("option", selected=True)
            value = chosen[0].get("value", "") if chosen else ""
        else:
            value = field.get("value", "")
        data.setdefault(name, []).append(value)
    data.setdefault("body-count", ["0"])  # the StreamField's inputs are drawn by JavaScript
    return data


def _approve(module, reviewer, comment=""):
    module.refresh_from_db()
    state = module.current_workflow_task_state
    state.task.specific.on_action(state, reviewer, "approve", comment=comment)


def test_a_lesson_is_never_submitted_on_its_own(draft_module, trainer):
    module, lessons = draft_module
    assert module.permissions_for_user(trainer).can_submit_for_moderation()
    for lesson in lessons:
        assert not lesson.permissions_for_user(trainer).can_submit_for_moderation()


def test_approving_the_module_publishes_its_lessons(draft_module, trainer, reviewer):
    module, lessons = draft_module
    module.get_workflow().start(module, trainer)
    _approve(module, reviewer, "Modul dan pelajaran sudah baik.")
    module.refresh_from_db()
    assert module.live
    assert module.workflow_states.get().status == WorkflowState.STATUS_APPROVED
    for lesson in lessons:
        lesson.refresh_from_db()
        assert lesson.live and not lesson.has_unpublished_changes
        assert lesson.live_revision_id == lesson.latest_revision_id


def test_requesting_changes_keeps_everything_unpublished(draft_module, trainer, reviewer):
    module, lessons = draft_module
    module.get_workflow().start(module, trainer)
    module.refresh_from_db()
    state = module.current_workflow_task_state
    state.task.specific.on_action(state, reviewer, "reject", comment="Perbaiki kuisnya.")
    module.refresh_from_db()
    assert not module.live
    assert not LessonPage.objects.child_of(module).filter(live=True).exists()


def test_lessons_are_locked_while_their_module_is_in_review(draft_module, trainer, reviewer):
    module, lessons = draft_module
    lesson = lessons[0]
    assert lesson.get_lock() is None
    module.get_workflow().start(module, trainer)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lock = lesson.get_lock()
    assert lock is not None
    assert lock.for_user(trainer)  # the trainer waits for the review
    assert not lock.for_user(reviewer)  # the reviewer may correct a lesson
    assert not lesson.permissions_for_user(trainer).can_submit_for_moderation()
    _approve(module, reviewer)
    assert LessonPage.objects.get(pk=lesson.pk).get_lock() is None


def test_a_lesson_edited_on_a_live_module_goes_live_with_the_next_review(
    make_module, trainer, reviewer
):
    module = make_module(owner=trainer, lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    lesson.save_revision(user=trainer)
    lesson.publish(lesson.latest_revision)
    lesson.title = "Judul yang diperbaiki"
    lesson.save_revision(user=trainer)
    lesson.refresh_from_db()
    assert lesson.has_unpublished_changes
    assert LessonPage.objects.get(pk=lesson.pk).title != "Judul yang diperbaiki"

    module.save_revision(user=trainer)
    module.get_workflow().start(module, trainer)
    _approve(module, reviewer)
    lesson.refresh_from_db()
    assert lesson.title == "Judul yang diperbaiki"
    assert not lesson.has_unpublished_changes


def test_publishing_a_module_directly_publishes_its_lessons(draft_module, reviewer):
    """Someone holding "publish" (the reviewer) publishing the module takes its lessons along:
    a module is never live with unpublished lessons."""
    module, lessons = draft_module
    assert module.permissions_for_user(reviewer).can_publish()
    module.get_latest_revision().publish(user=reviewer)
    assert not LessonPage.objects.child_of(module).filter(live=False).exists()
    assert not LessonPage.objects.child_of(module).filter(has_unpublished_changes=True).exists()


def test_admin_new_lesson_form_offers_no_separate_submission(client, draft_module, trainer):
    module, _lessons = draft_module
    client.force_login(trainer)
    url = f"/admin/pages/add/portal/lessonpage/{module.pk}/"
    body = client.get(url).content.decode()
    assert 'name="action-submit"' not in body
    module_body = client.get(f"/admin/pages/{module.pk}/edit/").content.decode()
    assert 'name="action-submit"' in module_body
    data = _create_form(client, url)
    data.update(title=["Pelajaran Tambahan"], **{"action-submit": ["1"]})
    response = client.post(url, data)
    assert response.status_code in (302, 403)  # Wagtail turns the refusal into a redirect
    assert not LessonPage.objects.filter(title="Pelajaran Tambahan").exists()


def test_a_draft_left_behind_never_blocks_creating_the_lesson_again(client, draft_module, trainer):
    """Trainers have no slug field (the "Promosikan" tab is hidden): Wagtail derives a unique
    slug from the title, so an (auto)saved draft with the same title does not block."""
    module, _lessons = draft_module
    client.force_login(trainer)
    url = f"/admin/pages/add/portal/lessonpage/{module.pk}/"
    data = _create_form(client, url)
    data["title"] = ["Pengantar"]
    for _ in range(2):
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    slugs = sorted(
        LessonPage.objects.child_of(module).filter(title="Pengantar").values_list("slug", flat=True)
    )
    assert len(slugs) == 3 and len(set(slugs)) == 3


def test_module_form_lists_what_goes_live_with_it(client, make_module, trainer):
    module = make_module(owner=trainer, lessons=2)
    changed, unchanged = LessonPage.objects.child_of(module).order_by("path")
    changed.save_revision(user=trainer)
    changed.publish(changed.latest_revision)
    changed.title = "Pelajaran yang diubah"
    changed.save_revision(user=trainer)
    client.force_login(trainer)
    body = client.get(f"/admin/pages/{module.pk}/edit/").content.decode()
    assert "Pelajaran yang ditinjau dan terbit bersama modul ini" in body
    assert "Pelajaran yang diubah</a> —" in body and "Ada perubahan, ikut ditinjau" in body
    assert f"/admin/pages/{changed.pk}/revisions/compare/live...latest/" in body
    assert f"/admin/pages/{unchanged.pk}/view_draft/" in body and "Sudah terbit" in body
