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


def grade_quiz(lesson, answers: dict[str, list[str]]) -> tuple[int, dict[str, bool]]:
    """Score in percent (rounded) and correctness per question id.

    All or nothing per question: a single-choice question needs its one right choice, a
    multiple-choice question the exact set of right choices. Unknown ids are ignored (they
    make the answer wrong only when they are part of the given set)."""
    answers = answers or {}
    per_question: dict[str, bool] = {}
    for question in _questions(lesson):
        qid = str(question.id)
        right = correct_choice_ids(question)
        raw = answers.get(qid) or []
        if isinstance(raw, str):
            raw = [raw]
        given = {str(c) for c in raw}
        if question.value["kind"] != "multiple" and len(given) > 1:
            per_question[qid] = False
            continue
        per_question[qid] = bool(right) and given == right
    total = len(per_question)
    score = round(100 * sum(per_question.values()) / total) if total else 0
    return score, per_question


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
