"""REST endpoints for training modules and lessons (pages): /modules, /lessons/{id}.

Any authenticated caller may read live modules and lessons; anything not live is 404. Quiz
questions come from ``portal.quiz.public_questions``: which choice is right is never sent."""

from __future__ import annotations

from django.conf import settings
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api_schemas import Pagination, with_errors

from .models import TrainingModulePage
from .quiz import module_lessons, public_questions
from .selectors import lesson_for_api, modules_live

router = Router(tags=["pelatihan"])
MAX_PAGE_ID = 2**31 - 1  # wagtailcore_page.id is a 32-bit integer column


def _page_id_or_404(value: int, message: str) -> int:
    """Ids outside the column's range are simply not found (never a database error)."""
    if not 1 <= value <= MAX_PAGE_ID:
        raise HttpError(404, message)
    return value


class ModuleCompetencyOut(Schema):  # unique name: OpenAPI components are global
    code: str
    target_level: int


class LessonRefOut(Schema):
    id: int
    title: str


class ModuleOut(Schema):
    id: int
    title: str
    url: str
    jp: int
    competencies: list[ModuleCompetencyOut]


class ModuleDetailOut(ModuleOut):
    lessons: list[LessonRefOut]


class ChoiceOut(Schema):
    id: str
    text: str


class QuestionOut(Schema):
    question_id: str
    text: str
    kind: str
    choices: list[ChoiceOut]


class LessonOut(Schema):
    id: int
    title: str
    module_id: int
    quiz: list[QuestionOut]


def _absolute(path: str | None) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path or ''}"


def _module_out(module: TrainingModulePage) -> dict:
    return {
        "id": module.pk,
        "title": module.title,
        "url": _absolute(module.url),
        "jp": module.jp,
        "competencies": [
            {"code": mc.competency.code, "target_level": mc.target_level}
            for mc in module.module_competencies.all()
        ],
    }


@router.get(
    "/modules",
    response=with_errors({200: list[ModuleOut]}, 401, 422),
    summary="Daftar modul pelatihan yang terbit",
    description="Modul yang sedang terbit (live), urut judul, dengan kompetensi dan level sasaran.",
)
@paginate(Pagination)
def module_list(request):
    return _ModuleList(modules_live())


class _ModuleList:
    """A sliceable wrapper so the paginator counts and slices the queryset (2 queries + 1
    prefetch) and each item is turned into the API shape."""

    def __init__(self, queryset) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        return [_module_out(m) for m in self.queryset[item]]


@router.get(
    "/modules/{module_id}",
    response=with_errors({200: ModuleDetailOut}, 401, 404, 422),
    summary="Rincian modul pelatihan",
    description="Modul yang terbit beserta daftar pelajarannya; modul yang tidak terbit → 404.",
)
def module_detail(request, module_id: int):
    _page_id_or_404(module_id, "Modul tidak ditemukan.")
    module = modules_live().filter(pk=module_id).first()
    if module is None:
        raise HttpError(404, "Modul tidak ditemukan.")
    data = _module_out(module)
    data["lessons"] = [{"id": le.pk, "title": le.title} for le in module_lessons(module)]
    return data


@router.get(
    "/lessons/{lesson_id}",
    response=with_errors({200: LessonOut}, 401, 404, 422),
    summary="Pelajaran dan pertanyaan kuisnya",
    description="Pertanyaan kuis tanpa kunci jawaban; pelajaran yang tidak terbit → 404.",
)
def lesson_detail(request, lesson_id: int):
    _page_id_or_404(lesson_id, "Pelajaran tidak ditemukan.")
    lesson = lesson_for_api(lesson_id)
    module = (
        TrainingModulePage.objects.live().ancestor_of(lesson).only("pk").first()
        if lesson is not None
        else None
    )
    if lesson is None or module is None:
        raise HttpError(404, "Pelajaran tidak ditemukan.")
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "module_id": module.pk,
        "quiz": public_questions(lesson),
    }
