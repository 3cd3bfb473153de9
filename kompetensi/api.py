"""REST endpoints of the kompetensi app (see ../shared/design/API.md)."""

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from .models import Competency

router = Router(tags=["kompetensi"])


class LevelOut(Schema):
    level: int
    description: str


class CompetencyOut(Schema):
    code: str
    name: str
    kind: str
    description: str
    levels: list[LevelOut]


@router.get("/competencies", response=list[CompetencyOut], summary="Daftar kompetensi")
@paginate(LimitOffsetPagination)
def competency_list(request):
    return Competency.objects.prefetch_related("levels").order_by("code")
