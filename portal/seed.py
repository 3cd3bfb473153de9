"""The page tree (Beranda → Katalog Pelatihan, Panduan), the trainers' page permissions and the
"Tinjauan Konten" moderation workflow, the help pages and the demo training modules.

``ensure_site_structure()`` is the part every installation needs (also run it on a fresh
install: ``manage.py seed_demo`` or ``manage.py shell -c "from portal.seed import
ensure_site_structure; ensure_site_structure()"``); ``run(ctx)`` adds the demo modules.
Everything is idempotent and deterministic."""

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Revision,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from kompetensi.models import Competency, Employee
from kompetensi.roles import GROUP_HR, GROUP_REVIEWER, GROUP_TRAINER

from .models import (
    HelpIndexPage,
    HelpPage,
    HomePage,
    LessonPage,
    ModuleCompetency,
    TrainingCatalogPage,
    TrainingModulePage,
)
from .seed_content import HELP_PAGES, MODULES, VARIANTS, variant_lessons

WORKFLOW_NAME = "Tinjauan Konten"
TASK_NAME = "Persetujuan Reviewer Konten"
ID_NAMESPACE = uuid.UUID("5b1c0e52-6d0c-4f38-9a55-2a0b8e1f4c11")
CITY_MODULES = 40

HOME_INTRO = (
    "<p>SIKAP menghubungkan penilaian kompetensi, pelatihan, forum diskusi dan sertifikat dalam "
    "satu alur: kesenjangan kompetensi yang ditemukan dalam penilaian menjadi pelatihan yang "
    "ditugaskan, dan penilaian berikutnya menunjukkan apakah kesenjangan itu telah tertutup.</p>"
)


def ensure_page_tree() -> dict[str, Page]:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Remove Wagtail's default welcome page, if any, so our home takes the slug "home".
        for child in root.get_children():
            if child.specific_class is Page:
                child.delete()
        home = HomePage(title="Beranda", slug="home", intro=HOME_INTRO)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="SIKAP Kota Serang",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "SIKAP Kota Serang"
        site.save()
    catalog = TrainingCatalogPage.objects.first()
    if catalog is None:
        catalog = TrainingCatalogPage(
            title="Katalog Pelatihan",
            slug="katalog",
            intro="<p>Semua modul pengembangan kompetensi yang tersedia bagi ASN Kota Serang.</p>",
        )
        home.add_child(instance=catalog)
        catalog.save_revision().publish()
    help_index = HelpIndexPage.objects.first()
    if help_index is None:
        help_index = HelpIndexPage(
            title="Panduan",
            slug="panduan",
            intro="<p>Panduan singkat memakai SIKAP untuk setiap peran.</p>",
        )
        home.add_child(instance=help_index)
        help_index.save_revision().publish()
    return {"home": home, "catalog": catalog, "help": help_index}


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Page), codename=codename
    )


def ensure_page_permissions(pages: dict[str, Page]) -> None:
    """Pelatih: "add" on the catalog (= create modules/lessons there and edit their own; no
    publish). Reviewer Konten: "change" and "publish" on the catalog (Wagtail publishes an
    approved submission as the approving user, so the approver needs "publish").
    BKPSDM: add/change/publish on the help pages."""
    grants = [
        (GROUP_TRAINER, pages["catalog"], ["add_page"]),
        (GROUP_REVIEWER, pages["catalog"], ["change_page", "publish_page"]),
        (GROUP_HR, pages["help"], ["add_page", "change_page", "publish_page"]),
    ]
    for group_name, page, codenames in grants:
        group, _created = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=_page_permission(codename)
            )


def ensure_review_workflow(catalog: Page) -> Workflow:
    """Workflow "Tinjauan Konten" with one group approval task for Reviewer Konten, assigned
    to the catalog (so to every module and lesson below it)."""
    reviewers, _created = Group.objects.get_or_create(name=GROUP_REVIEWER)
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([reviewers])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalog, defaults={"workflow": workflow})
    return workflow


def ensure_help_pages(help_index: Page) -> list[HelpPage]:
    existing = {p.slug: p for p in HelpPage.objects.child_of(help_index)}
    result = []
    for slug, title, role, body in HELP_PAGES:
        page = existing.get(slug)
        if page is None:
            page = HelpPage(title=title, slug=slug, role=role, body=body)
            help_index.add_child(instance=page)
            page.save_revision().publish()
        result.append(page)
    return result


def ensure_site_structure() -> dict[str, Page]:
    """What every installation needs: pages, trainer permissions, review workflow, help."""
    pages = ensure_page_tree()
    ensure_page_permissions(pages)
    ensure_review_workflow(pages["catalog"])
    ensure_help_pages(pages["help"])
    return pages


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
