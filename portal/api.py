"""REST endpoints for training modules and lessons (pages): /modules, /lessons/{id}.

Any authenticated caller may read live modules and lessons; anything not live is 404. Quiz
questions come from ``portal.quiz.public_questions``: which choice is right is never sent."""

from __future__ import annotations

from typing import Annotated, Literal

from django.conf import settings
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api import example_page, openapi_examples
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


ModuleIdPath = Annotated[int, Path(..., description="Id halaman modul.", example=15)]
LessonIdPath = Annotated[int, Path(..., description="Id halaman pelajaran.", example=18)]
MODULE_NOT_FOUND = "Modul tidak ditemukan."
LESSON_NOT_FOUND = "Pelajaran tidak ditemukan."


class ModuleCompetencyOut(Schema):  # unique name: OpenAPI components are global
    code: str = Field(..., description="Kode kompetensi yang dikembangkan.")
    target_level: int = Field(..., description="Level yang dituju modul ini.")


class LessonRefOut(Schema):
    id: int
    title: str


class ModuleOut(Schema):
    id: int
    title: str
    url: str = Field(..., description="Alamat halaman modul di portal.")
    jp: int = Field(..., description="Jam pelajaran yang diakui saat modul selesai.")
    competencies: list[ModuleCompetencyOut]


class ModuleDetailOut(ModuleOut):
    lessons: list[LessonRefOut]


class ChoiceOut(Schema):
    id: str
    text: str


class QuestionOut(Schema):
    question_id: str
    text: str
    kind: Literal["single", "multiple"] = Field(
        ..., description="`single` = satu jawaban; `multiple` = semua pilihan yang benar."
    )
    choices: list[ChoiceOut]


class LessonOut(Schema):
    id: int
    title: str
    module_id: int
    quiz: list[QuestionOut]


MODULE_EXAMPLE = {
    "id": 15,
    "title": "Pelayanan Prima bagi ASN",
    "url": "https://sikap.serangkota.go.id/katalog/pelayanan-prima-bagi-asn/",
    "jp": 12,
    "competencies": [{"code": "M.5", "target_level": 3}],
}
LESSON_EXAMPLE = {
    "id": 18,
    "title": "Belajar dari survei kepuasan",
    "module_id": 15,
    "quiz": [
        {
            "question_id": "9058526b-7f46-556f-87bc-79c42063347d",
            "text": "Maklumat pelayanan adalah...",
            "kind": "single",
            "choices": [
                {
                    "id": "3a03c2d2-ac3b-59ca-be7b-83388bb40f94",
                    "text": "Janji tertulis penyelenggara untuk memenuhi standar pelayanan",
                },
                {"id": "e25792e5-796e-5503-b838-75e7a14a22ea", "text": "Daftar nama petugas"},
                {"id": "a0351ce7-ef61-53a2-a69e-1d46c68559d1", "text": "Laporan keuangan unit"},
            ],
        }
    ],
}


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
    description=(
        "Untuk setiap pengguna yang masuk: modul pelatihan yang sedang terbit, urut judul, "
        "dengan kompetensi dan level sasarannya serta JP-nya, berhalaman (`limit`/`offset`)."
    ),
    openapi_extra=openapi_examples({200: example_page(MODULE_EXAMPLE)}),
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
    description=(
        "Untuk setiap pengguna yang masuk: modul yang terbit beserta daftar pelajarannya "
        "(urut seperti di portal). Modul yang tidak terbit atau tidak ada → 404."
    ),
    openapi_extra=openapi_examples(
        {
            200: {
                **MODULE_EXAMPLE,
                "lessons": [
                    {"id": 16, "title": "Standar pelayanan dan maklumat"},
                    {"id": 17, "title": "Pelayanan inklusif"},
                    {"id": 18, "title": "Belajar dari survei kepuasan"},
                ],
            },
            404: {"detail": MODULE_NOT_FOUND},
        }
    ),
)
def module_detail(request, module_id: ModuleIdPath):
    _page_id_or_404(module_id, MODULE_NOT_FOUND)
    module = modules_live().filter(pk=module_id).first()
    if module is None:
        raise HttpError(404, MODULE_NOT_FOUND)
    data = _module_out(module)
    data["lessons"] = [{"id": le.pk, "title": le.title} for le in module_lessons(module)]
    return data


@router.get(
    "/lessons/{lesson_id}",
    response=with_errors({200: LessonOut}, 401, 404, 422),
    summary="Pelajaran dan pertanyaan kuisnya",
    description=(
        "Untuk setiap pengguna yang masuk: pelajaran yang terbit, modulnya, dan pertanyaan "
        "kuisnya (`quiz`, kosong bila tanpa kuis) — tanpa kunci jawaban: pilihan mana yang "
        "benar tidak pernah dikirim. Jawaban dikirim ke `POST /api/v1/lessons/{id}/quiz`. "
        "Pelajaran yang tidak terbit atau tidak ada → 404."
    ),
    openapi_extra=openapi_examples({200: LESSON_EXAMPLE, 404: {"detail": LESSON_NOT_FOUND}}),
)
def lesson_detail(request, lesson_id: LessonIdPath):
    _page_id_or_404(lesson_id, LESSON_NOT_FOUND)
    lesson = lesson_for_api(lesson_id)
    module = (
        TrainingModulePage.objects.live().ancestor_of(lesson).only("pk").first()
        if lesson is not None
        else None
    )
    if lesson is None or module is None:
        raise HttpError(404, LESSON_NOT_FOUND)
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "module_id": module.pk,
        "quiz": public_questions(lesson),
    }
