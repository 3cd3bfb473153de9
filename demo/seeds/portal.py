"""The demo training modules (``run(ctx)``), on top of the site structure every installation
needs (``portal.site.ensure_site_structure``, also ``manage.py setup_site``). Idempotent and
deterministic."""

import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import (
    Page,
    Revision,
)

from kompetensi.models import Competency, Employee
from portal.models import (
    LessonPage,
    ModuleCompetency,
    TrainingModulePage,
)
from portal.site import ensure_site_structure

from .portal_content import MODULES, VARIANTS, variant_lessons

ID_NAMESPACE = uuid.UUID("5b1c0e52-6d0c-4f38-9a55-2a0b8e1f4c11")
CITY_MODULES = 40


# ------------------------------------------------------------------------------------------
# Demo modules
# ------------------------------------------------------------------------------------------


def _id(*parts) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(p) for p in parts)))


def _paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def lesson_body(key: str, lesson: tuple, quiz: list | None) -> list[dict]:
    """Raw StreamField data with stable ids (ListBlock items included)."""
    _title, _minutes, paragraphs, callout = lesson
    body = [{"type": "text", "id": _id(key, "t"), "value": _paragraphs(paragraphs[:2])}]
    if len(paragraphs) > 2:
        body.append({"type": "heading", "id": _id(key, "h"), "value": "Dalam praktik"})
        body.append({"type": "text", "id": _id(key, "t2"), "value": _paragraphs(paragraphs[2:])})
    if callout:
        kind, text = callout
        body.append(
            {
                "type": "callout",
                "id": _id(key, "c"),
                "value": {"kind": kind, "text": f"<p>{escape(text)}</p>"},
            }
        )
    if quiz:
        questions = []
        for qi, (text, kind, choices, explanation) in enumerate(quiz):
            questions.append(
                {
                    "type": "item",
                    "id": _id(key, "q", qi),
                    "value": {
                        "text": text,
                        "kind": kind,
                        "explanation": explanation,
                        "choices": [
                            {
                                "type": "item",
                                "id": _id(key, "q", qi, ci),
                                "value": {"text": choice, "correct": correct},
                            }
                            for ci, (choice, correct) in enumerate(choices)
                        ],
                    },
                }
            )
        body.append(
            {
                "type": "quiz",
                "id": _id(key, "quiz"),
                "value": {"title": "Kuis pemahaman", "questions": questions},
            }
        )
    return body


def _objectives_html(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def module_specs(scale: str) -> list[dict]:
    """The 12 base modules, plus deterministic variants up to 40 at city scale and above (each
    variant adds three practice lessons to its base's, so a city module has 5–6 lessons)."""
    specs = [dict(spec) for spec in MODULES]
    if scale == "small":
        return specs
    index = 0
    while len(specs) < CITY_MODULES:
        base = MODULES[index % len(MODULES)]
        suffix, slug_suffix, shift, jp = VARIANTS[(index // len(MODULES)) % len(VARIANTS)]
        spec = dict(base)
        spec["slug"] = f"{base['slug']}-{slug_suffix}"
        spec["title"] = f"{base['title']}: {suffix}"
        spec["competencies"] = [
            (code, min(5, level + shift)) for code, level in base["competencies"]
        ]
        spec["jp"] = jp or base["jp"]
        spec["lessons"] = list(base["lessons"]) + variant_lessons(base["title"])
        specs.append(spec)
        index += 1
    return specs


def _signatory() -> dict:
    head = (
        Employee.objects.filter(position__code="BKPSDM.KEPALA")
        .select_related("position")
        .order_by("pk")
        .first()
    )
    if head is None:
        return {
            "signatory_name": "Drs. H. Ahmad Syarifudin, M.Si.",
            "signatory_nip": "197003151990031005",
            "signatory_position": "Kepala BKPSDM Kota Serang",
        }
    return {
        "signatory_name": head.name,
        "signatory_nip": head.nip,
        "signatory_position": "Kepala BKPSDM Kota Serang",
    }


def _publish_quietly(page: Page, owner) -> None:
    """The page was added live; record its first revision as the live one without saving the
    page again (no second re-index, log entry or signal per page: keeps the city seed fast)."""
    now = timezone.now()
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=owner,
        content=page.serializable_data(),
        object_str=str(page),
    )
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        live_revision=revision,
        first_published_at=now,
        last_published_at=now,
        latest_revision_created_at=now,
    )


def ensure_modules(catalog: Page, specs: list[dict], *, owner=None) -> list[TrainingModulePage]:
    existing = {p.slug: p for p in TrainingModulePage.objects.child_of(catalog)}
    competencies = {c.code: c for c in Competency.objects.all()}
    signatory = _signatory()
    modules = []
    for spec in specs:
        module = existing.get(spec["slug"])
        if module is not None:
            modules.append(module)
            continue
        links = [
            ModuleCompetency(competency=competencies[code], target_level=level, sort_order=i)
            for i, (code, level) in enumerate(spec["competencies"])
            if code in competencies
        ]
        if not links:
            continue
        module = TrainingModulePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            objectives=_objectives_html(spec["objectives"]),
            jp=spec["jp"],
            modality=spec["modality"],
            pass_mark=70,
            owner=owner,
            certificate_valid_months=None,
            **signatory,
        )
        module.module_competencies = links
        # Parental many-to-many: written by add_child's save and kept in the revision below.
        module.trainers = [owner] if owner is not None else []
        catalog.add_child(instance=module)
        _publish_quietly(module, owner)
        lessons = spec["lessons"]
        for li, lesson in enumerate(lessons):
            key = f"{spec['slug']}/{li}"
            quiz = spec["quiz"] if li == len(lessons) - 1 else None
            page = LessonPage(
                title=lesson[0],
                slug=f"pelajaran-{li + 1}",
                estimated_minutes=lesson[1],
                body=lesson_body(key, lesson, quiz),
                owner=owner,
            )
            module.add_child(instance=page)
            _publish_quietly(page, owner)
        modules.append(module)
    return modules


def run(ctx) -> None:
    pages = ensure_site_structure()
    ctx.shared["pages"] = pages
    owner = get_user_model().objects.filter(username="pelatih").first()
    modules = ensure_modules(pages["catalog"], module_specs(ctx.scale), owner=owner)
    ctx.shared["modules"] = modules
    ctx.log(f"  portal: {len(modules)} modul pelatihan")
