"""Quiz grading on the server; the answers are never sent to the browser or the API."""

import copy
import json

import pytest

from portal import quiz
from portal.models import LessonPage

from .conftest import QUESTIONS, SECRET_EXPLANATION, quiz_body

# Building a page looks up its content type, which needs the database when the cache is cold.
pytestmark = pytest.mark.django_db


def _lesson(body=None):
    return LessonPage(title="Pelajaran", slug="p", body=body or quiz_body())


def test_public_questions_have_no_correct_flag():
    questions = quiz.public_questions(_lesson())
    assert [q["question_id"] for q in questions] == ["q-single", "q-multi"]
    assert questions[1]["kind"] == "multiple"
    assert [c["id"] for c in questions[0]["choices"]] == ["a1", "a2", "a3"]
    dumped = json.dumps(questions)
    assert "correct" not in dumped
    assert SECRET_EXPLANATION not in dumped
    assert set(questions[0]) == {"question_id", "text", "kind", "choices"}
    assert set(questions[0]["choices"][0]) == {"id", "text"}


@pytest.mark.parametrize(
    ("answers", "score", "per_question"),
    [
        ({"q-single": ["a1"], "q-multi": ["b1", "b2"]}, 100, {"q-single": True, "q-multi": True}),
        ({"q-single": ["a1"], "q-multi": ["b1"]}, 50, {"q-single": True, "q-multi": False}),
        ({"q-single": ["a1"], "q-multi": ["b1", "b2", "b3"]}, 50, None),
        (
            {"q-single": ["a1", "a2"], "q-multi": ["b2", "b1"]},
            50,
            {"q-single": False, "q-multi": True},
        ),
        ({"q-single": ["a2"]}, 0, {"q-single": False, "q-multi": False}),
        ({}, 0, None),
        ({"q-unknown": ["a1"], "q-single": ["zz"]}, 0, None),
        ({"q-single": "a1", "q-multi": ["b1", "b2"]}, 100, None),
    ],
)
def test_grading_all_or_nothing(answers, score, per_question):
    got_score, got = quiz.grade_quiz(_lesson(), answers)
    assert got_score == score
    if per_question is not None:
        assert got == per_question


def test_rounding_and_no_quiz():
    three = QUESTIONS + [("q-3", "single", [("c1", True), ("c2", False)])]
    score, _ = quiz.grade_quiz(_lesson(quiz_body(three)), {"q-single": ["a1"]})
    assert score == 33
    plain = _lesson(quiz_body([]))
    assert not quiz.lesson_has_quiz(plain)
    assert quiz.grade_quiz(plain, {}) == (0, {})
    assert quiz.lesson_has_quiz(_lesson())


def test_ids_survive_an_edit(make_module):
    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    before = quiz.public_questions(lesson)
    # The trainer adds a question in front and saves a new revision through the stream value.
    raw = list(lesson.body.raw_data)
    raw[1]["value"]["questions"].insert(
        0,
        {
            "type": "item",
            "value": {
                "text": "Baru?",
                "kind": "single",
                "explanation": "",
                "choices": [
                    {"type": "item", "value": {"text": "Ya", "correct": True}},
                    {"type": "item", "value": {"text": "Tidak", "correct": False}},
                ],
            },
        },
    )
    lesson.body = raw
    list(lesson.body)  # as the editor does: the value is built from blocks, ids are assigned
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    after = quiz.public_questions(lesson)
    assert len(after) == 3
    assert after[1:] == before
    new_id = after[0]["question_id"]
    assert new_id and new_id not in {"q-single", "q-multi"}
    # The generated id is stored: reloading gives the same one.
    assert quiz.public_questions(LessonPage.objects.get(pk=lesson.pk))[0]["question_id"] == new_id


def test_items_saved_without_ids_get_positional_ids(db):
    # The older list format (plain values, no item ids), as code may write it.
    raw = quiz_body()
    raw[1]["value"]["questions"] = [
        {
            **q["value"],
            "choices": [c["value"] for c in q["value"]["choices"]],
        }
        for q in raw[1]["value"]["questions"]
    ]
    first = quiz.public_questions(_lesson(copy.deepcopy(raw)))
    assert first == quiz.public_questions(_lesson(copy.deepcopy(raw)))
    assert first[0]["question_id"] == "k0-q0"
    assert (
        quiz.grade_quiz(
            _lesson(copy.deepcopy(raw)), {"k0-q0": ["k0-q0-c0"], "k0-q1": ["k0-q1-c0", "k0-q1-c1"]}
        )[0]
        == 100
    )


def test_module_lessons_live_in_tree_order(make_module):
    module = make_module(lessons=3)
    third = LessonPage.objects.child_of(module).get(slug="p3")
    third.unpublish()
    assert [le.slug for le in quiz.module_lessons(module)] == ["p1", "p2"]


def test_lesson_html_has_no_answers(client, learner, make_module):
    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert 'name="answer-q-single"' in html
    assert 'type="radio"' in html and 'type="checkbox"' in html
    assert "correct" not in html.lower()
    assert SECRET_EXPLANATION not in html
    assert "True" not in html


def test_explanations_only_after_passing(client, learner, make_module):
    from workflow import services

    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    client.force_login(learner)
    services.quiz_submit(user=learner, lesson=lesson, answers={"q-single": ["a2"]})
    assert SECRET_EXPLANATION not in client.get(lesson.url).content.decode()
    services.quiz_submit(
        user=learner, lesson=lesson, answers={"q-single": ["a1"], "q-multi": ["b1", "b2"]}
    )
    html = client.get(lesson.url).content.decode()
    assert SECRET_EXPLANATION in html
    assert "100%" in html
