"""What the trainer and the reviewer see in the admin: the lesson preview with the answer key
("Kunci jawaban") and its place in the module, new quiz questions with two empty choices,
capitalised block labels, and no "Promosikan" (SEO) tab for trainers."""

import pytest
from django.test import RequestFactory

from portal.blocks import LessonStreamBlock, QuestionBlock, QuizBlock
from portal.models import LessonPage

from .conftest import SECRET_EXPLANATION, quiz_body


@pytest.fixture
def trainer(make_user):
    return make_user("pelatih-pv", "Pelatih")


@pytest.fixture
def reviewer(make_user):
    return make_user("peninjau-pv", "Reviewer Konten")


def _preview(lesson, user, mode):
    request = RequestFactory().get("/")
    request.user = user
    response = lesson.make_preview_request(request, mode)
    response.render()
    return response.content.decode()


def test_lesson_preview_modes():
    assert [mode for mode, _label in LessonPage().preview_modes] == ["answer_key", "learner"]
    assert LessonPage().default_preview_mode == "answer_key"


def test_answer_key_preview_shows_the_right_answers(make_module, reviewer):
    module = make_module(lessons=2)
    lesson = LessonPage.objects.child_of(module).last()
    body = _preview(lesson, reviewer, "answer_key")
    assert "Kunci jawaban" in body
    assert "✓ Pilihan a1" in body and "✓ Pilihan b1" in body and "✓ Pilihan b2" in body
    assert "✓ Pilihan a2" not in body and "✓ Pilihan b3" not in body
    assert SECRET_EXPLANATION in body
    learner_view = _preview(lesson, reviewer, "learner")
    assert "Kunci jawaban" not in learner_view and "✓ Pilihan a1" not in learner_view


def test_the_answer_key_never_reaches_a_learner(client, make_module, learner):
    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    client.force_login(learner)
    body = client.get(lesson.url).content.decode()
    assert "Kunci jawaban" not in body and SECRET_EXPLANATION not in body


def test_preview_of_a_draft_lesson_counts_the_module_lessons(make_module, trainer):
    """A draft lesson of a draft module: "Pelajaran 2 dari 2", never "0 dari 0"."""
    module = make_module(owner=trainer, lessons=1, live=False)
    draft = LessonPage(title="Draf", slug="draf", body=quiz_body([]), owner=trainer, live=False)
    module.add_child(instance=draft)
    body = _preview(LessonPage.objects.get(pk=draft.pk), trainer, "answer_key")
    assert "Pelajaran 2 dari 2" in body
    assert "Pelajaran 0 dari 0" not in body


def test_a_new_question_starts_with_two_empty_choices():
    question = QuestionBlock().get_default()
    assert [dict(choice) for choice in question["choices"]] == [
        {"text": "", "correct": False},
        {"text": "", "correct": False},
    ]
    quiz = QuizBlock().get_default()
    assert len(quiz["questions"]) == 1
    assert len(quiz["questions"][0]["choices"]) == 2


def test_block_labels_are_capitalised():
    def labels(block):
        yield str(block.label)
        for child in getattr(block, "child_blocks", {}).values():
            yield from labels(child)
        if getattr(block, "child_block", None) is not None:
            yield from labels(block.child_block)

    for label in labels(LessonStreamBlock()):
        assert label[:1] == label[:1].upper(), label


def test_promote_tab_hidden_from_trainers_shown_to_admins(client, make_module, trainer, make_user):
    module = make_module(owner=trainer, lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    client.force_login(trainer)
    for page in (module, lesson):
        body = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
        assert 'id="tab-label-promote"' not in body and 'name="slug"' not in body
        assert 'name="seo_title"' not in body
    admin = make_user("admin-pv", "ASN", is_superuser=True, is_staff=True)
    client.force_login(admin)
    body = client.get(f"/admin/pages/{module.pk}/edit/").content.decode()
    assert 'name="slug"' in body and 'name="seo_title"' in body
