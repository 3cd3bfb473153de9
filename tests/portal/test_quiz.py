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


def test_feedback_only_after_an_attempt(client, learner, make_module):
    """Before an attempt: no explanation, no verdict. After any attempt (passed or not): right
    or wrong per question with the explanation, the learner's choices checked again, and
    still never which choice is right."""
    import re

    from workflow import services

    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert SECRET_EXPLANATION not in html
    assert "quiz-verdict" not in html and " checked" not in html

    services.quiz_submit(user=learner, lesson=lesson, answers={"q-single": ["a2"]})
    html = client.get(lesson.url).content.decode()
    assert SECRET_EXPLANATION in html
    assert html.count("quiz-wrong") == 2 and "quiz-right" not in html
    checked = re.findall(r'name="answer-([\w-]+)" value="([\w-]+)" checked', html)
    assert checked == [("q-single", "a2")]
    assert "correct" not in html.lower() and "True" not in html

    services.quiz_submit(
        user=learner, lesson=lesson, answers={"q-single": ["a1"], "q-multi": ["b1", "b2"]}
    )
    html = client.get(lesson.url).content.decode()
    assert SECRET_EXPLANATION in html
    assert "100%" in html
    assert html.count("quiz-right") == 2
    checked = re.findall(r'name="answer-([\w-]+)" value="([\w-]+)" checked', html)
    assert checked == [("q-single", "a1"), ("q-multi", "b1"), ("q-multi", "b2")]


def _partial(body):
    body[1]["value"]["partial_credit"] = True
    return body


@pytest.mark.parametrize(
    ("given", "partial", "credit"),
    [
        # The rule of the "nilai parsial" block help: (right chosen − wrong chosen) ÷ right,
        # floored at 0; off (the default): all or nothing.
        (["b1", "b2"], True, 100),
        (["b1"], True, 50),
        (["b1", "b3"], True, 0),
        (["b1", "b2", "b3"], True, 50),
        (["b3"], True, 0),
        ([], True, 0),
        (["b1", "zz"], True, 0),
        (["b1"], False, 0),
        (["b1", "b2", "b3"], False, 0),
        (["b1", "b2"], False, 100),
    ],
)
def test_partial_credit_rule(given, partial, credit):
    body = quiz_body()
    if partial:
        _partial(body)
    score, credits = quiz.grade_detail(_lesson(body), {"q-single": ["a1"], "q-multi": given})
    assert round(100 * credits["q-multi"]) == credit
    assert credits["q-single"] == 1
    assert score == round((100 + credit) / 2)


def test_partial_credit_never_applies_to_single_choice():
    body = _partial(quiz_body())
    _score, credits = quiz.grade_detail(_lesson(body), {"q-single": ["a1", "a2"]})
    assert credits["q-single"] == 0


def test_partial_credit_shown_as_partial(client, learner, make_module):
    from workflow import services

    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    lesson.body = _partial(quiz_body())
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    result = services.quiz_submit(
        user=learner, lesson=lesson, answers={"q-single": ["a1"], "q-multi": ["b1"]}
    )
    assert result.score_percent == 75
    assert result.questions["q-multi"]["status"] == "partial"
    assert result.questions["q-multi"]["credit_percent"] == 50
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "quiz-partial" in html and "50%" in html


def test_only_known_answers_are_kept(learner, make_module):
    from portal.models import LessonProgress
    from workflow import services

    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    services.quiz_submit(
        user=learner,
        lesson=lesson,
        answers={"q-single": ["a2", "<script>"], "nope": ["a1"], "q-multi": ["b3"]},
    )
    row = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert row.last_answers == {"q-single": ["a2"], "q-multi": ["b3"]}


def test_passing_the_last_requirement_celebrates(client, learner, make_module):
    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    client.force_login(learner)
    from django.urls import reverse

    url = reverse("workflow:quiz_submit", args=[lesson.pk])
    response = client.post(url, {"answer-q-single": "a2"}, follow=True)
    html = response.content.decode()
    assert "modul-selesai" not in html
    response = client.post(
        url, {"answer-q-single": "a1", "answer-q-multi": ["b1", "b2"]}, follow=True
    )
    html = response.content.decode()
    assert "menyelesaikan modul ini" in html  # the flash message
    assert 'id="modul-selesai"' in html
    assert reverse("workflow:my_training") + "#sertifikat" in html


def test_api_gives_results_after_submitting_only(client, learner, make_module):
    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    client.force_login(learner)
    before = client.get(f"/api/v1/lessons/{lesson.pk}").content.decode()
    assert SECRET_EXPLANATION not in before and "correct" not in before
    response = client.post(
        f"/api/v1/lessons/{lesson.pk}/quiz",
        {"answers": {"q-single": ["a2"], "q-multi": ["b1", "b2"]}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["module_completed"] is False
    by_id = {q["question_id"]: q for q in body["questions"]}
    assert by_id["q-single"]["status"] == "wrong"
    assert by_id["q-multi"]["status"] == "right"
    assert by_id["q-single"]["explanation"] == SECRET_EXPLANATION
    assert "correct" not in response.content.decode()
