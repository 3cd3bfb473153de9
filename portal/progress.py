"""Learning progress: the learner's progress rows per lesson (``LessonProgress``), quizzes
graded (``portal/quiz.py``), module progress derived (never stored).

Reads:
- module_progress(*, user, module) -> ModuleProgress (with the "mengapa belum selesai?"
  checklist and the status of the learner's assignment, which the workflow app provides
  through ``core.hooks.MODULE_ASSIGNMENT_STATUS``)
- progress_for_modules(*, user, module_ids) -> dict[int, int]   (percent per module, 1 query)
- progress_many(*, user, modules) -> dict[int, ModuleProgress]
Writes of the rows: :func:`record_lesson_done` and :func:`record_quiz_attempt`, called by the
learning events of ``workflow.services`` (``lesson_complete``, ``quiz_submit``), which also
advance the assignment the event counts for. Web forms post to URL names
``workflow:lesson_complete`` and ``workflow:quiz_submit`` (args: lesson id) and
``workflow:enrol`` (args: module id); quiz inputs are named ``answer-<question_id>`` with the
choice id as value (radio for single, checkbox for multiple).

Completion rule: a module is complete for a learner when every live lesson is completed and
every lesson holding a quiz is passed (best score ≥ the module's pass mark). A quiz lesson
counts as completed when it is passed.

Progress percent — ONE definition, computed by :func:`module_percent` everywhere (module and
lesson pages, home, catalog, Pelatihan Saya, the API's ``progress_percent``): items done /
items, where the items are the live lessons plus one item per quiz (the checklist "mengapa
belum selesai?" lists exactly these items), rounded to a whole percent. A module of three
lessons, one with a quiz, has four items: one plain lesson done is 25 %, everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core import dataversion, hooks

from .quiz import lesson_has_quiz, module_lessons


@dataclass
class ChecklistItem:
    label: str
    done: bool
    url: str = ""


@dataclass
class ModuleProgress:
    lessons_total: int = 0
    lessons_done: int = 0
    percent: int = 0
    next_lesson_id: int | None = None
    completed: bool = False
    assignment_status: str | None = None
    checklist: list[ChecklistItem] = field(default_factory=list)
    done_lesson_ids: set[int] = field(default_factory=set)
    best_scores: dict[int, int] = field(default_factory=dict)
    # The learner's latest quiz answers per lesson id (question id → choice ids).
    last_answers: dict[int, dict[str, list[str]]] = field(default_factory=dict)


@dataclass
class LessonCompleteResult:
    assignment_status: str | None
    progress_percent: int


@dataclass
class QuizResult:
    score_percent: int
    passed: bool
    best_score_percent: int
    # Per question id: "status" (right/partial/wrong), "credit_percent", "explanation",
    # "chosen" (portal.quiz.attempt_feedback); never which choices are right.
    questions: dict[str, dict] = field(default_factory=dict)
    # The attempt completed the module (its last requirement).
    module_completed: bool = False


# ------------------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------------------

_STEPLEN = 4  # Wagtail's (treebeard) page path step


def _progress_rows(user, module_ids) -> dict[int, object]:
    from .models import LessonProgress

    if not (user and user.is_authenticated):
        return {}
    return {
        row.lesson_id: row
        for row in LessonProgress.objects.filter(user=user, module_id__in=list(module_ids))
    }


def lesson_items(*, has_quiz: bool, completed: bool, passed: bool) -> tuple[int, int]:
    """(items done, items) of one lesson: the lesson, plus its quiz when it has one. A quiz
    lesson is done only when its quiz is passed."""
    done = completed and (passed or not has_quiz)
    if has_quiz:
        return int(done) + int(passed), 2
    return int(done), 1


def module_items(shape, states) -> tuple[int, int]:
    """(items done, items) of a module. ``shape``: its live lessons as ``(lesson id, has
    quiz)`` pairs; ``states``: ``{lesson id: (completed, passed)}`` of the learner."""
    done = total = 0
    for lesson_id, has_quiz in shape:
        completed, passed = states.get(lesson_id, (False, False))
        d, t = lesson_items(has_quiz=has_quiz, completed=completed, passed=passed)
        done += d
        total += t
    return done, total


def module_percent(shape, states) -> int:
    """THE module progress percent (see the module docstring), from :func:`module_items`."""
    done, total = module_items(shape, states)
    return round(100 * done / total) if total else 0


def _state(row) -> tuple[bool, bool]:
    return bool(row and row.completed_at), bool(row and row.passed)


def build_progress(module, lessons, rows: dict, pass_mark: int | None = None) -> ModuleProgress:
    """Pure: the progress of one module from its lessons and the learner's progress rows."""
    pass_mark = module.pass_mark if pass_mark is None else pass_mark
    result = ModuleProgress(lessons_total=len(lessons))
    shape: list[tuple[int, bool]] = []
    states: dict[int, tuple[bool, bool]] = {}
    for lesson in lessons:
        row = rows.get(lesson.pk)
        has_quiz = lesson_has_quiz(lesson)
        completed, passed = states[lesson.pk] = _state(row)
        shape.append((lesson.pk, has_quiz))
        done = completed and (passed or not has_quiz)
        url = lesson.url or ""
        result.checklist.append(
            ChecklistItem(label=_("Selesaikan pelajaran “%s”") % lesson.title, done=done, url=url)
        )
        if has_quiz:
            best = row.best_score if row and row.best_score is not None else None
            if best is None:
                label = _("Lulus kuis “%(t)s” (nilai minimal %(p)s%%)") % {
                    "t": lesson.title,
                    "p": pass_mark,
                }
            else:
                label = _("Lulus kuis “%(t)s” (nilai terbaik %(b)s%%, minimal %(p)s%%)") % {
                    "t": lesson.title,
                    "b": best,
                    "p": pass_mark,
                }
            result.checklist.append(ChecklistItem(label=label, done=passed, url=url))
        if row and row.best_score is not None:
            result.best_scores[lesson.pk] = row.best_score
        if row and row.last_answers:
            result.last_answers[lesson.pk] = row.last_answers
        if done:
            result.done_lesson_ids.add(lesson.pk)
            result.lessons_done += 1
        elif result.next_lesson_id is None:
            result.next_lesson_id = lesson.pk
    result.percent = module_percent(shape, states)
    done, total = module_items(shape, states)
    result.completed = bool(total) and done == total
    return result


def module_progress(*, user, module) -> ModuleProgress:
    """The learner's progress in ``module`` with the "mengapa belum selesai?" checklist."""
    lessons = module_lessons(module)
    result = build_progress(module, lessons, _progress_rows(user, [module.pk]))
    if user and user.is_authenticated:
        # The learner's assignment to the module is the workflow app's.
        result.assignment_status = hooks.first(
            hooks.MODULE_ASSIGNMENT_STATUS, user, module, default=None
        )
    return result


def live_lesson_shapes() -> dict[int, tuple[tuple[int, bool], ...]]:
    """Per module id, its live lessons in tree order as ``(lesson id, has quiz)`` (2 queries,
    cached by content version: it changes only when an editor publishes, moves or
    unpublishes a page, which also moves that version)."""

    def compute() -> dict[int, tuple[tuple[int, bool], ...]]:
        from .models import LessonPage, TrainingModulePage

        by_path = dict(TrainingModulePage.objects.values_list("path", "pk"))
        shapes: dict[int, list[tuple[int, bool]]] = {}
        for lesson in LessonPage.objects.live().order_by("path").iterator(chunk_size=200):
            parent = by_path.get(lesson.path[:-_STEPLEN])
            if parent is not None:
                shapes.setdefault(parent, []).append((lesson.pk, lesson_has_quiz(lesson)))
        return {pk: tuple(items) for pk, items in shapes.items()}

    return dataversion.cached("content", "live-lesson-shapes", compute)


def progress_for_modules(*, user, module_ids) -> dict[int, int]:
    """Percent per module for lists (1 query: the user's progress; the modules' lessons and
    which hold a quiz are cached): the same :func:`module_percent` as the module page."""

    module_ids = list(module_ids)
    if not module_ids or not (user and user.is_authenticated):
        return {}
    shapes = live_lesson_shapes()
    from .models import LessonProgress

    states = {
        lesson_id: (completed_at is not None, passed)
        for lesson_id, completed_at, passed in LessonProgress.objects.filter(
            user=user, module_id__in=module_ids
        ).values_list("lesson_id", "completed_at", "passed")
    }
    return {pk: module_percent(shapes.get(pk, ()), states) for pk in module_ids}


def progress_many(*, user, modules) -> dict[int, ModuleProgress]:
    """Exact progress with checklists for several modules in 3 queries (module pages are
    given; their live lessons in one query; the learner's progress rows in one)."""
    from django.db.models import Q

    from .models import LessonPage

    modules = list(modules)
    if not modules:
        return {}
    query = Q()
    for module in modules:
        query |= Q(path__startswith=module.path, depth=module.depth + 1)
    by_parent: dict[str, list] = {}
    for lesson in LessonPage.objects.live().filter(query).order_by("path"):
        by_parent.setdefault(lesson.path[:-_STEPLEN], []).append(lesson)
    rows = _progress_rows(user, [m.pk for m in modules])
    return {
        module.pk: build_progress(module, by_parent.get(module.path, []), rows)
        for module in modules
    }


# ------------------------------------------------------------------------------------------
# Writes of the progress rows (called by the learning events of workflow.services)
# ------------------------------------------------------------------------------------------


def record_lesson_done(*, user, lesson, module):
    """The learner's row of ``lesson`` (created when missing), marked completed now unless the
    lesson holds a quiz (a quiz lesson is completed by passing its quiz)."""
    from .models import LessonProgress

    progress, _created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"module": module}
    )
    if progress.completed_at is None and not lesson_has_quiz(lesson):
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at", "updated_at"])
    return progress


def record_quiz_attempt(*, user, lesson, module, score: int, passed: bool, answers=None):
    """One more attempt at the quiz of ``lesson`` with ``score``: the best score kept, the
    attempt's ``answers`` kept as the latest, the lesson completed when it is first passed
    (the row locked for the update)."""
    from .models import LessonProgress

    progress, _created = LessonProgress.objects.select_for_update(of=("self",)).get_or_create(
        user=user, lesson=lesson, defaults={"module": module}
    )
    progress.attempts += 1
    if answers is not None:
        progress.last_answers = answers
    progress.best_score = max(progress.best_score or 0, score)
    if passed and not progress.passed:
        progress.passed = True
        progress.completed_at = progress.completed_at or timezone.now()
    progress.save()
    return progress


def module_percent_of(*, user, module) -> int:
    """The learner's progress percent in ``module``, read afresh (after a write)."""
    from .models import LessonProgress

    rows = {r.lesson_id: r for r in LessonProgress.objects.filter(user=user, module=module)}
    return build_progress(module, module_lessons(module), rows).percent
