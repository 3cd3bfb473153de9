"""Learning progress: lessons completed, quizzes graded, module progress derived (not stored).

INTERFACE used by the portal pages (owned by the workflow module; bodies are filled in there):
- module_progress(*, user, module) -> ModuleProgress
- progress_for_modules(*, user, module_ids) -> dict[int, int]   (percent per module, 1 query)
- lesson_complete(*, user, lesson) -> LessonCompleteResult(assignment_status, progress_percent)
- quiz_submit(*, user, lesson, answers: dict[str, list[str]]) -> QuizResult
Web forms post to URL names ``workflow:lesson_complete`` and ``workflow:quiz_submit``
(args: lesson id) and ``workflow:enrol`` (args: module id); quiz inputs are named
``answer-<question_id>`` with the choice id as value (radio for single, checkbox for multiple).
"""

from dataclasses import dataclass, field


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


@dataclass
class LessonCompleteResult:
    assignment_status: str | None
    progress_percent: int


@dataclass
class QuizResult:
    score_percent: int
    passed: bool
    best_score_percent: int


def module_progress(*, user, module) -> ModuleProgress:
    return ModuleProgress()


def progress_for_modules(*, user, module_ids) -> dict[int, int]:
    return {}
