"""Quizzes of lessons: the public view of the questions and server-side grading.

Question and choice ids are the ids Wagtail gives ``ListBlock`` items (UUIDs stored with the
StreamField value), so they survive edits of the lesson: adding a question does not renumber
the others. Which choice is correct never leaves this module except as a grade.
"""

from __future__ import annotations

from collections.abc import Iterable

QUIZ_BLOCK = "quiz"


def _quiz_values(lesson) -> Iterable:
    body = getattr(lesson, "body", None)
    if not body:
        return []
    return [block.value for block in body if block.block_type == QUIZ_BLOCK]


def _item_id(item, fallback: str) -> str:
    """The stored ListBlock item id. Items saved without one (raw data written by code, not by
    the editor) get a new random id on every load, so use a positional id for those."""
    original = getattr(item, "original_id", None)
    return str(original) if original else fallback


def _questions(lesson) -> Iterable:
    """Bound question blocks (each with ``.id`` and ``.value``) of every quiz of the lesson."""
    for qi, quiz in enumerate(_quiz_values(lesson)):
        for index, question in enumerate(quiz["questions"].bound_blocks):
            question.id = _item_id(question, f"k{qi}-q{index}")
            for ci, choice in enumerate(question.value["choices"].bound_blocks):
                choice.id = _item_id(choice, f"{question.id}-c{ci}")
            yield question


def _questions_with_rule(lesson) -> Iterable:
    """``(bound question, partial credit allowed)`` for every question of the lesson."""
    quizzes = list(_quiz_values(lesson))
    seen = 0
    questions = list(_questions(lesson))
    for quiz in quizzes:
        count = len(quiz["questions"])
        partial = bool(quiz.get("partial_credit"))
        for question in questions[seen : seen + count]:
            yield question, partial
        seen += count


def lesson_has_quiz(lesson) -> bool:
    return any(len(quiz["questions"]) for quiz in _quiz_values(lesson))


def public_question(question) -> dict:
    value = question.value
    return {
        "question_id": str(question.id),
        "text": value["text"],
        "kind": "multiple" if value["kind"] == "multiple" else "single",
        "choices": [
            {"id": str(choice.id), "text": choice.value["text"]}
            for choice in value["choices"].bound_blocks
        ],
    }


def public_quiz(quiz_value, quiz_index: int = 0) -> list[dict]:
    """Public questions of one quiz block value (used by the quiz block template)."""
    result = []
    for index, question in enumerate(quiz_value["questions"].bound_blocks):
        question.id = _item_id(question, f"k{quiz_index}-q{index}")
        for ci, choice in enumerate(question.value["choices"].bound_blocks):
            choice.id = _item_id(choice, f"{question.id}-c{ci}")
        result.append(public_question(question))
    return result


def public_questions(lesson) -> list[dict]:
    """All questions of the lesson, without the correct flags or explanations."""
    return [public_question(q) for q in _questions(lesson)]


def correct_choice_ids(question) -> set[str]:
    return {
        str(choice.id)
        for choice in question.value["choices"].bound_blocks
        if choice.value["correct"]
    }


def _given(raw) -> set[str]:
    if isinstance(raw, str):
        raw = [raw]
    return {str(c) for c in (raw or [])}


def question_credit(*, kind: str, right: set[str], given: set[str], partial: bool) -> float:
    """The credit (0 to 1) of one answered question.

    - A single-choice question: 1 for its one right choice, else 0 (two choices given: 0).
    - A multiple-choice question, all or nothing (the default): 1 for exactly the set of right
      choices, else 0.
    - A multiple-choice question of a quiz with "nilai parsial" on: (right choices chosen −
      wrong choices chosen) ÷ right choices, floored at 0. With right choices {A, B}:
      {A} → 0.5, {A, B} → 1, {A, C} → 0, {A, B, C} → 0.5.
    Unknown choice ids count as wrong choices."""
    if not right:
        return 0.0
    if kind != "multiple":
        return 1.0 if given == right else 0.0
    if not partial:
        return 1.0 if given == right else 0.0
    hits = len(given & right)
    misses = len(given - right)
    return max(0.0, (hits - misses) / len(right))


def grade_detail(lesson, answers: dict[str, list[str]]) -> tuple[int, dict[str, float]]:
    """Score in percent (rounded) and credit (0 to 1) per question id; see
    :func:`question_credit`. The score is the mean credit of the lesson's questions."""
    answers = answers or {}
    credits: dict[str, float] = {}
    for question, partial in _questions_with_rule(lesson):
        qid = str(question.id)
        credits[qid] = question_credit(
            kind=question.value["kind"],
            right=correct_choice_ids(question),
            given=_given(answers.get(qid)),
            partial=partial,
        )
    total = len(credits)
    score = round(100 * sum(credits.values()) / total) if total else 0
    return score, credits


def grade_quiz(lesson, answers: dict[str, list[str]]) -> tuple[int, dict[str, bool]]:
    """Score in percent (rounded) and whether each question (by id) is fully right.

    All or nothing per question unless the quiz allows partial credit ("nilai parsial", see
    :func:`question_credit`): a single-choice question needs its one right choice, a
    multiple-choice question the exact set of right choices. Unknown ids are ignored (they
    make the answer wrong only when they are part of the given set)."""
    score, credits = grade_detail(lesson, answers)
    return score, {qid: credit >= 1 for qid, credit in credits.items()}


def clean_answers(lesson, answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """The answers restricted to the lesson's question and choice ids (what is stored as the
    learner's last attempt, to fill the form in again)."""
    answers = answers or {}
    result: dict[str, list[str]] = {}
    for question in _questions(lesson):
        qid = str(question.id)
        known = [str(c.id) for c in question.value["choices"].bound_blocks]
        given = _given(answers.get(qid))
        chosen = [cid for cid in known if cid in given]
        if chosen:
            result[qid] = chosen
    return result


def attempt_feedback(lesson, answers: dict[str, list[str]]) -> dict[str, dict]:
    """Per question id, what the learner sees after an attempt: the choices they gave,
    ``status`` ("right", "partial" or "wrong"), the credit in percent and the explanation.
    Never which choices are right."""
    _score, credits = grade_detail(lesson, answers)
    notes = explanations(lesson)
    feedback: dict[str, dict] = {}
    for qid, credit in credits.items():
        status = "right" if credit >= 1 else ("partial" if credit > 0 else "wrong")
        feedback[qid] = {
            "chosen": sorted(_given((answers or {}).get(qid))),
            "status": status,
            "credit_percent": round(100 * credit),
            "explanation": notes.get(qid, ""),
        }
    return feedback


def explanations(lesson) -> dict[str, str]:
    """Explanations per question id, shown only after the learner has submitted."""
    return {str(q.id): q.value.get("explanation") or "" for q in _questions(lesson)}


def module_lessons(module) -> list:
    """Live lessons of the module in tree order (cached by content version: the list
    changes only when an editor publishes, moves or unpublishes a page)."""
    from core import dataversion

    from .models import LessonPage

    return dataversion.cached(
        "content",
        f"module-lessons:{module.pk}:{module.path}",
        lambda: list(LessonPage.objects.child_of(module).live().order_by("path")),
    )
