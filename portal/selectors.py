"""Reads that feed the training pages (catalog, module, lesson, home) and the API.

Every function runs a fixed number of queries whatever the number of modules."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core import dataversion, hooks
from kompetensi import rules
from kompetensi.models import Competency, EmployeeCompetency
from kompetensi.selectors import employee_id_of_user, person_page_key

from .models import LessonPage, ModuleCompetency, TrainingModulePage
from .quiz import module_lessons

CATALOG_PAGE_SIZE = 12
JP_RANGES = {
    "pendek": (_("Hingga 8 JP"), Q(jp__lte=8)),
    "sedang": (_("9–20 JP"), Q(jp__gte=9, jp__lte=20)),
    "panjang": (_("Lebih dari 20 JP"), Q(jp__gt=20)),
}
LEVELS = [1, 2, 3, 4, 5]


def modules_live() -> QuerySet[TrainingModulePage]:
    """Live modules with their competencies prefetched (1 + 1 queries)."""
    return (
        TrainingModulePage.objects.live()
        .only(
            "id",
            "title",
            "slug",
            "url_path",
            "path",
            "depth",
            "summary",
            "jp",
            "modality",
            "live",
            "content_type_id",
        )
        .prefetch_related(
            Prefetch(
                "module_competencies",
                queryset=ModuleCompetency.objects.select_related("competency").order_by(
                    "sort_order", "pk"
                ),
            )
        )
        .order_by("title", "pk")
    )


def gap_competencies(user) -> dict[int, EmployeeCompetency]:
    """The learner's open gaps (gap > 0) by competency id; {} for users without an employee."""
    if not (user and user.is_authenticated):
        return {}
    return {
        row.competency_id: row
        for row in EmployeeCompetency.objects.filter(employee__user=user, gap__gt=0).select_related(
            "competency"
        )
    }


@dataclass
class CatalogFilters:
    q: str = ""
    competency: str = ""
    kind: str = ""
    level: int | None = None
    modality: str = ""
    jp: str = ""
    for_me: bool = False

    @classmethod
    def from_params(cls, params) -> CatalogFilters:
        level = params.get("level") or ""
        return cls(
            q=(params.get("q") or "").strip()[:100],
            competency=(params.get("kompetensi") or "").strip()[:20],
            kind=params.get("jenis") or "" if params.get("jenis") in Competency.Kind.values else "",
            level=int(level) if level.isdigit() and int(level) in LEVELS else None,
            modality=params.get("modalitas") or ""
            if params.get("modalitas") in TrainingModulePage.Modality.values
            else "",
            jp=params.get("jp") if params.get("jp") in JP_RANGES else "",
            for_me=params.get("untuk_saya") == "1",
        )

    @property
    def active(self) -> bool:
        return any(
            [self.q, self.competency, self.kind, self.level, self.modality, self.jp, self.for_me]
        )


def filter_modules(qs, filters: CatalogFilters, gaps: dict | None = None):
    comp_q = Q()
    if filters.competency:
        comp_q &= Q(module_competencies__competency__code=filters.competency)
    if filters.kind:
        comp_q &= Q(module_competencies__competency__kind=filters.kind)
    if filters.level:
        comp_q &= Q(module_competencies__target_level=filters.level)
    if comp_q:
        qs = qs.filter(pk__in=TrainingModulePage.objects.filter(comp_q).values("pk"))
    if filters.modality:
        qs = qs.filter(modality=filters.modality)
    if filters.jp:
        qs = qs.filter(JP_RANGES[filters.jp][1])
    if filters.for_me:
        qs = qs.filter(
            pk__in=ModuleCompetency.objects.filter(competency_id__in=list(gaps or {})).values(
                "page_id"
            )
        )
    if filters.q:
        hits = TrainingModulePage.objects.live().search(filters.q, fields=None)
        ids = [page.pk for page in hits[:500]]
        qs = qs.filter(pk__in=ids)
    return qs


def catalog_context(*, request, catalog) -> dict:
    from django.utils.functional import SimpleLazyObject
    from django.utils.translation import get_language

    filters = CatalogFilters.from_params(request.GET)
    user = request.user
    query = request.GET.copy()
    query.pop("halaman", None)
    querystring = query.urlencode()
    requested = request.GET.get("halaman")
    if user.is_authenticated:
        # The learner's gaps and progress: cached under their person versions.
        person_key = _request_person_key(request)
        gaps = learner_gaps(request)
        has_employee = bool(gaps) or employee_id_of_user(user) is not None
    else:
        person_key = f"anon:{dataversion.current('content')}:{get_language()}"
        gaps, has_employee = {}, False
    # The page of modules depends on published content, the filters and the learner's gap
    # competencies only: cached by content version under exactly those inputs.
    key = hashlib.sha1(repr((catalog.pk, filters, sorted(gaps), requested)).encode()).hexdigest()

    def modules_qs():
        qs = filter_modules(modules_live().descendant_of(catalog), filters, gaps)
        if gaps:
            # The learner's own gaps first, then by title.
            qs = qs.annotate(
                for_gap=Exists(
                    ModuleCompetency.objects.filter(
                        page=OuterRef("pk"), competency_id__in=list(gaps)
                    )
                )
            ).order_by("-for_gap", "title", "pk")
        return qs

    def results() -> dict:
        page_obj = dataversion.cached_page(
            "content", f"catalog:{key}", modules_qs, CATALOG_PAGE_SIZE, requested
        )
        modules = page_obj.object_list
        progress = {}
        if user.is_authenticated and modules:
            from .progress import progress_for_modules

            progress = progress_for_modules(user=user, module_ids=[m.pk for m in modules])
        for module in modules:
            comps = list(module.module_competencies.all())
            module.comps = comps
            module.gap_match = [mc for mc in comps if mc.competency_id in gaps]
            module.progress_percent = progress.get(module.pk)
        return {"modules": modules, "page_obj": page_obj, "paginator": page_obj.paginator}

    return {
        "filters": filters,
        "content_version": dataversion.current("content"),
        # The result cards (templates/portal/training_catalog_page.html) are a fragment cached
        # per person and query; ``results`` is computed only when it is missing.
        "results_key": hashlib.sha1(f"{person_key}|{key}|{querystring}".encode()).hexdigest(),
        "results": SimpleLazyObject(results),
        "querystring": querystring,
        "competency_options": dataversion.cached(
            "content",
            "competency-options",
            lambda: list(Competency.objects.only("code", "name", "kind")),
        ),
        "kind_options": Competency.Kind.choices,
        "modality_options": TrainingModulePage.Modality.choices,
        "jp_options": [(key, label) for key, (label, _q) in JP_RANGES.items()],
        "level_options": LEVELS,
        "gaps": sorted(gaps.values(), key=lambda r: (-(r.gap or 0), r.competency.code)),
        "has_employee": has_employee,
    }


def _forum_url(module_id: int) -> str | None:
    """The module's discussion forum, when the forum app provides one (``hooks.MODULE_FORUM_URL``)."""
    try:
        return hooks.first(hooks.MODULE_FORUM_URL, module_id)
    except Exception:  # noqa: BLE001 - the forum is optional here
        return None


def module_context(*, request, module) -> dict:

    lessons = module_lessons(module)
    comps, trainers = dataversion.cached(
        "content",
        f"module-meta:{module.pk}",
        lambda: (
            list(module.module_competencies.select_related("competency").order_by("sort_order")),
            list(module.trainers.all().order_by("first_name", "username")),
        ),
    )
    gaps = learner_gaps(request)
    progress = None
    if request.user.is_authenticated:
        progress = learner_module_progress(request, module)
    next_lesson = None
    if progress and progress.next_lesson_id:
        next_lesson = next((le for le in lessons if le.pk == progress.next_lesson_id), None)
    for lesson in lessons:
        lesson.is_done = bool(progress and lesson.pk in progress.done_lesson_ids)
    return {
        "lessons": lessons,
        "comps": comps,
        "gap_match": [mc for mc in comps if mc.competency_id in gaps],
        "trainers": trainers,
        "progress": progress,
        "next_lesson": next_lesson or (lessons[0] if lessons and not progress else None),
        "total_minutes": sum(le.estimated_minutes for le in lessons),
        "forum_url": _forum_url(module.pk) if request.user.is_authenticated else None,
    }


def _lesson_module(lesson):
    """The module a lesson belongs to (cached by content version)."""

    def find():
        module = TrainingModulePage.objects.ancestor_of(lesson).live().first()
        return module or TrainingModulePage.objects.ancestor_of(lesson).first()

    return dataversion.cached("content", f"lesson-module:{lesson.pk}:{lesson.path}", find)


def lesson_context(*, request, lesson) -> dict:

    from .quiz import attempt_feedback, lesson_has_quiz

    module = _lesson_module(lesson)
    siblings = module_lessons(module) if module else []
    ids = [le.pk for le in siblings]
    index = ids.index(lesson.pk) if lesson.pk in ids else -1
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if 0 <= index < len(siblings) - 1 else None
    progress = None
    if request.user.is_authenticated and module is not None:
        progress = learner_module_progress(request, module)
    has_quiz = lesson_has_quiz(lesson)
    best = progress.best_scores.get(lesson.pk) if progress else None
    passed = best is not None and module is not None and best >= module.pass_mark
    last = progress.last_answers.get(lesson.pk) if progress else None
    return {
        "module": module,
        "siblings": siblings,
        "position": index + 1,
        "previous_lesson": previous,
        "next_lesson": following,
        "progress": progress,
        "is_done": bool(progress and lesson.pk in progress.done_lesson_ids),
        "has_quiz": has_quiz,
        "best_score": best,
        "quiz_passed": passed,
        # After an attempt: right or wrong per question with the explanation, the learner's
        # choices filled in again (from the progress row already read: no extra query).
        "quiz_feedback": attempt_feedback(lesson, last) if has_quiz and last else {},
        "module_completed": bool(progress and progress.completed),
        "forum_url": _forum_url(module.pk) if module and request.user.is_authenticated else None,
    }


def _request_person_key(request) -> str:
    """``person_page_key`` of the request's user, computed once per request."""
    key = getattr(request, "_sikap_person_key", None)
    if key is None:
        key = request._sikap_person_key = person_page_key(request.user)
    return key


def learner_gaps(request) -> dict[int, EmployeeCompetency]:
    """``gap_competencies`` of the request's user, cached under their person versions."""
    if not request.user.is_authenticated:
        return {}
    return dataversion.cached_under(
        _request_person_key(request),
        f"gaps:{request.user.pk}",
        lambda: gap_competencies(request.user),
    )


def learner_module_progress(request, module):
    """``portal.progress.module_progress`` of the request's user, cached under their person
    versions (progress rows, assignments) and the content version (the module's lessons)."""
    from .progress import module_progress

    return dataversion.cached_under(
        _request_person_key(request),
        f"module-progress:{request.user.pk}:{module.pk}",
        lambda: module_progress(user=request.user, module=module),
    )


def home_context(*, request) -> dict:
    from django.utils.functional import SimpleLazyObject

    user = request.user
    ctx: dict = {
        "modules_count": dataversion.cached(
            "content", "modules-count", lambda: TrainingModulePage.objects.live().count()
        )
    }
    if not user.is_authenticated:
        ctx["featured"] = list(modules_live()[:3])
        for module in ctx["featured"]:
            module.comps = list(module.module_competencies.all())
        return ctx
    # The learner's part (tasks, JP, gaps, suggested modules) is a fragment cached per person
    # (templates/portal/home_page.html); its data is computed only when the fragment is not.
    ctx["learner_key"] = _request_person_key(request)
    ctx["me"] = SimpleLazyObject(lambda: learner_context(user))
    # The forum's latest topics, when the forum app provides them (hooks.HOME_RECENT_TOPICS).
    ctx["recent_topics"] = hooks.first(hooks.HOME_RECENT_TOPICS, user, limit=5, default=[])
    ctx["my_modules"] = trainer_modules(user=user)
    ctx.update(home_todo(user))
    return ctx


def home_todo(user) -> dict:
    """The things to do of each role above the learner's part of the home page, each count from
    the selector of the page it links to: the self-evaluations still open ("Isi penilaian
    diri"), the supervisor's reports not yet evaluated per open period ("N bawahan belum
    dinilai", Tim saya), the modules waiting for a content reviewer, and the panels higher apps
    register (``hooks.HOME_PANELS``: HR's recommendations and external learning, a forum
    moderator's queue). A fixed number of queries whatever the data size."""
    from core.roles import is_reviewer
    from kompetensi.selectors import reports_not_evaluated, self_evaluation_due

    panels: list[dict] = []
    for provider in hooks.get_hooks(hooks.HOME_PANELS):
        panels.extend(provider(user))
    return {
        "self_due": self_evaluation_due(employee_id_of_user(user)),
        "team_todo": reports_not_evaluated(user),
        "review_queue": modules_awaiting_review() if is_reviewer(user) else None,
        "panels": panels,
    }


def _in_review():
    from django.db.models import CharField
    from django.db.models.functions import Cast
    from wagtail.models import WorkflowState

    return WorkflowState.objects.filter(
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )


def modules_awaiting_review() -> int:
    """Training modules with a moderation workflow in progress (a content reviewer's queue in
    the admin). One query."""
    return TrainingModulePage.objects.filter(Exists(_in_review())).count()


def learner_context(user) -> dict:
    """Tasks, this year's JP, gaps and suggested modules of ``user`` (home page)."""
    # Assignments, JP and certificates come from the workflow app (hooks.HOME_LEARNER).
    learner = hooks.first(hooks.HOME_LEARNER, user=user, default=None) or {
        "assignments": [],
        "jp_this_year": 0,
        "jp_target": rules.JP_TARGET,
    }
    ctx = dict(learner)
    target = learner.get("jp_target") or rules.JP_TARGET
    ctx["jp_percent"] = min(100, round(100 * (learner.get("jp_this_year") or 0) / target))
    ctx["jp_missing"] = max(0, target - (learner.get("jp_this_year") or 0))
    gaps = gap_competencies(user)
    ctx["gaps"] = sorted(gaps.values(), key=lambda r: (-(r.gap or 0), r.competency.code))[:5]
    ctx["suggested"] = []
    if gaps:
        # Neither the modules assigned now nor those already done (completed, certified).
        assigned = sorted(
            {a.module_id for a in learner.get("assignments", [])}
            | set(learner.get("done_module_ids", ()))
        )
        key = hashlib.sha1(repr((sorted(gaps), assigned)).encode()).hexdigest()
        suggested = dataversion.cached(
            "content",
            f"suggested:{key}",
            lambda: list(
                modules_live()
                .filter(
                    pk__in=ModuleCompetency.objects.filter(competency_id__in=list(gaps)).values(
                        "page_id"
                    )
                )
                .exclude(pk__in=assigned)[:24]
            ),
        )
        # One module per gap competency first, so three variants of one topic don't crowd out.
        seen: set[int] = set()
        first, rest = [], []
        for module in suggested:
            comp_ids = {mc.competency_id for mc in module.module_competencies.all()} & set(gaps)
            (rest if comp_ids <= seen else first).append(module)
            seen |= comp_ids
        ctx["suggested"] = (first + rest)[:3]
        for module in ctx["suggested"]:
            module.comps = list(module.module_competencies.all())
            module.gap_match = [mc for mc in module.comps if mc.competency_id in gaps]
    return ctx


def trainer_modules(*, user, limit: int = 6) -> list[TrainingModulePage]:
    """Modules the user wrote (owner), newest first, with their review state (1 query)."""
    from core.roles import is_trainer

    if not is_trainer(user):
        return []
    return list(
        TrainingModulePage.objects.filter(owner=user)
        .annotate(in_review=Exists(_in_review()))
        .only("title", "live", "has_unpublished_changes", "url_path", "path", "depth", "jp")
        .order_by("-latest_revision_created_at", "-pk")[:limit]
    )


def lesson_for_api(lesson_id: int) -> LessonPage | None:
    return LessonPage.objects.live().filter(pk=lesson_id).first()
