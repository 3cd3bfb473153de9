"""Wagtail pages of the site and the learners' lesson progress.

Page tree: HomePage → TrainingCatalogPage → TrainingModulePage → LessonPage;
HomePage → HelpIndexPage → HelpPage."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PagePermissionTester, PageViewRestriction
from wagtail.search import index

from .blocks import LessonStreamBlock
from .page_forms import TrainingModulePageForm
from .review import ModuleLessonsPanel


def _route_to_child(page, request, path_components, *child_models):
    """``Page.route`` for a page whose children are of ``child_models`` (its
    ``subpage_types``, most visited first): the child is read with its specific fields in one
    query per type tried instead of two (the base row, then ``.specific``). Wagtail's own
    ``route`` handles anything else (another type, a 404)."""
    if path_components:
        for model in child_models:
            child = model.objects.child_of(page).filter(slug=path_components[0]).first()
            if child is not None:
                child._cached_parent_obj = page
                return child.route(request, path_components[1:])
    return Page.route(page, request, path_components)


def _view_restrictions(page):
    """``Page.get_view_restrictions`` in one query instead of two (the ancestors, then their
    restrictions): the restrictions of the page and of its ancestors, whose tree paths are the
    prefixes of the page's. Read on every request, never cached (permission data).

    An alias reads its source page's restrictions (Wagtail's rule). When routing left the
    page's ancestors on it (``_cached_parent_obj``, up to the site's root page at depth 2) and
    none of them is an alias, the path prefixes are exactly Wagtail's set; otherwise (an alias
    on the way, a page not reached by routing) Wagtail's own lookup runs. Wagtail's tree root
    (depth 1, made by its migration) is never an alias."""
    node = page
    while True:
        if node.alias_of_id is not None:
            return Page.get_view_restrictions(page)
        if node.depth <= 2:
            break
        node = node.__dict__.get("_cached_parent_obj")
        if node is None:
            return Page.get_view_restrictions(page)
    steplen = Page.steplen
    prefixes = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return PageViewRestriction.objects.filter(page__path__in=prefixes)


# The "Promosikan" tab (slug, SEO title, search description, menus) of modules and lessons is
# shown to site administrators only (the permission to manage sites): trainers and reviewers
# never see it, and without a slug field Wagtail derives a unique slug from the title, so a
# draft left behind (an autosave) never blocks creating the page again under the same title.
PROMOTE_PERMISSION = "wagtailcore.change_site"


class TitlePanel(TitleFieldPanel):
    """The page title, synced to the slug field only when the form has one: Wagtail's panel
    otherwise renders an empty ``data-w-sync-target-value`` and its script fails on every
    keystroke ("The provided selector is empty") for users without the Promosikan tab."""

    class BoundPanel(TitleFieldPanel.BoundPanel):
        def get_attrs(self):
            attrs = super().get_attrs()
            if not attrs.get("data-w-sync-target-value"):
                attrs.pop("data-w-sync-target-value", None)
                widget_attrs = self.bound_field.field.widget.attrs
                attrs["data-controller"] = widget_attrs.get("data-controller") or ""
                attrs["data-action"] = widget_attrs.get("data-action") or ""
                attrs = {key: value for key, value in attrs.items() if value != ""}
            return attrs


def _admin_only_promote_panels():
    return [
        MultiFieldPanel(
            [
                FieldPanel("slug", permission=PROMOTE_PERMISSION),
                FieldPanel("seo_title", permission=PROMOTE_PERMISSION),
                FieldPanel("search_description", permission=PROMOTE_PERMISSION),
            ],
            heading=_("Untuk mesin pencari"),
        ),
        MultiFieldPanel(
            [FieldPanel("show_in_menus", permission=PROMOTE_PERMISSION)],
            heading=_("Untuk menu situs"),
        ),
    ]


class HomePage(Page):
    intro = RichTextField(_("pengantar untuk pengunjung"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.TrainingCatalogPage", "portal.HelpIndexPage"]
    get_view_restrictions = _view_restrictions

    def route(self, request, path_components):
        return _route_to_child(self, request, path_components, TrainingCatalogPage, HelpIndexPage)

    max_count = 1

    class Meta:
        verbose_name = _("beranda")

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(request=request))
        return context


class TrainingCatalogPage(Page):
    intro = RichTextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.TrainingModulePage"]
    get_view_restrictions = _view_restrictions

    def route(self, request, path_components):
        return _route_to_child(self, request, path_components, TrainingModulePage)

    max_count = 1

    class Meta:
        verbose_name = _("katalog pelatihan")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalog_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_context(request=request, catalog=self))
        return context


def _is_module_trainer(user, module) -> bool:
    """The owner of the module (the trainer who wrote it) or a trainer listed on it."""
    if module.owner_id == user.pk:
        return True
    return module.trainers.filter(pk=user.pk).exists()


class ModulePermissionTester(PagePermissionTester):
    """Wagtail's tester plus one rule: a trainer (not a superuser, not holding "change" on the
    module) adds lessons only to modules they own or co-teach."""

    def can_add_subpage(self):
        if not super().can_add_subpage():
            return False
        if self.user.is_superuser or "change" in self.permissions:
            return True
        return _is_module_trainer(self.user, self.page)


class TrainingModulePage(Page):
    class Modality(models.TextChoices):
        E_LEARNING = "e_learning", _("E-learning")
        KLASIKAL = "klasikal", _("Klasikal")
        BLENDED = "blended", _("Blended")

    summary = models.TextField(_("ringkasan"))
    objectives = RichTextField(_("tujuan pembelajaran"), blank=True)
    jp = models.PositiveSmallIntegerField(
        _("jam pelajaran (JP)"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    modality = models.CharField(
        _("modalitas"), max_length=12, choices=Modality.choices, default=Modality.E_LEARNING
    )
    # Parental: the choice is part of the page's revisions (drafts, moderation, publishing
    # keep it) and is written when the page is saved, like the inline competencies.
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelatih"),
        blank=True,
        related_name="+",
        help_text=_("Anggota kelompok Pelatih yang mengajar modul ini."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("nilai lulus kuis (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    signatory_name = models.CharField(_("nama penandatangan"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("NIP penandatangan"), max_length=18, blank=True)
    signatory_position = models.CharField(_("jabatan penandatangan"), max_length=200, blank=True)
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("masa berlaku sertifikat (bulan)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila sertifikat berlaku selamanya."),
    )

    content_panels = [
        TitlePanel("title"),
        FieldPanel("summary"),
        FieldPanel("objectives"),
        InlinePanel("module_competencies", label=_("Kompetensi yang dikembangkan"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("jp"),
                FieldPanel("modality"),
                FieldPanel("pass_mark"),
                FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Pelaksanaan"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_nip"),
                FieldPanel("signatory_position"),
                FieldPanel("certificate_valid_months"),
            ],
            heading=_("Sertifikat"),
        ),
        ModuleLessonsPanel(heading=_("Pelajaran yang ditinjau dan terbit bersama modul ini")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.FilterField("jp"),
        index.FilterField("modality"),
    ]
    promote_panels = _admin_only_promote_panels()
    parent_page_types = ["portal.TrainingCatalogPage"]
    subpage_types = ["portal.LessonPage"]
    get_view_restrictions = _view_restrictions

    def route(self, request, path_components):
        return _route_to_child(self, request, path_components, LessonPage)

    base_form_class = TrainingModulePageForm

    class Meta:
        verbose_name = _("modul pelatihan")
        verbose_name_plural = _("modul pelatihan")

    def permissions_for_user(self, user):
        return ModulePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from .selectors import module_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_context(request=request, module=self))
        return context


class ModuleCompetency(Orderable):
    page = ParentalKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="module_competencies"
    )
    competency = models.ForeignKey(
        "kompetensi.Competency",
        on_delete=models.PROTECT,
        related_name="module_links",
        verbose_name=_("kompetensi"),
    )
    target_level = models.PositiveSmallIntegerField(
        _("level sasaran"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    panels = [FieldPanel("competency"), FieldPanel("target_level")]

    class Meta(Orderable.Meta):
        verbose_name = _("kompetensi modul")
        constraints = [
            models.UniqueConstraint(fields=["page", "competency"], name="uniq_module_competency")
        ]
        indexes = [models.Index(fields=["competency", "target_level"])]


class LessonPage(Page):
    body = StreamField(LessonStreamBlock(), verbose_name=_("isi"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("perkiraan menit"), default=15)

    content_panels = [TitlePanel("title"), FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    promote_panels = _admin_only_promote_panels()
    parent_page_types = ["portal.TrainingModulePage"]
    subpage_types: list[str] = []
    get_view_restrictions = _view_restrictions

    class Meta:
        verbose_name = _("pelajaran")
        verbose_name_plural = _("pelajaran")

    # The preview shows the answer key of the quizzes by default (the reviewer checks it);
    # "Tampilan peserta" shows the lesson exactly as a learner sees it.
    preview_modes = [("answer_key", _("Kunci jawaban")), ("learner", _("Tampilan peserta"))]
    default_preview_mode = "answer_key"

    def get_preview_context(self, request, mode_name):
        from .review import lesson_preview_context

        context = super().get_preview_context(request, mode_name)
        context.update(lesson_preview_context(self, with_answer_key=mode_name == "answer_key"))
        return context

    # Reviewed and published with its module (portal/review.py): never submitted on its own
    # (Wagtail offers "submit" only where ``has_workflow``), and locked like the module while
    # the module is in review.
    @property
    def has_workflow(self):
        return False

    def get_lock(self):
        from .review import module_review_lock

        return super().get_lock() or module_review_lock(self)

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request=request, lesson=self))
        return context


class HelpIndexPage(Page):
    intro = RichTextField(_("pengantar"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.HelpPage"]
    get_view_restrictions = _view_restrictions

    def route(self, request, path_components):
        return _route_to_child(self, request, path_components, HelpPage)

    max_count = 1

    class Meta:
        verbose_name = _("panduan")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["help_pages"] = list(
            HelpPage.objects.child_of(self).live().only("title", "url_path", "role", "path")
        )
        return context


class HelpPage(Page):
    role = models.CharField(_("untuk peran"), max_length=40, blank=True)
    body = RichTextField(_("isi"))
    content_panels = Page.content_panels + [FieldPanel("role"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.HelpIndexPage"]
    subpage_types: list[str] = []
    get_view_restrictions = _view_restrictions

    class Meta:
        verbose_name = _("halaman panduan")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["help_pages"] = list(
            HelpPage.objects.sibling_of(self).live().only("title", "url_path", "role", "path")
        )
        return context


class LessonProgress(models.Model):
    """A learner's progress in one lesson (completed, best quiz score). Module progress is
    derived from these rows (``portal/progress.py``), never stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    # The choices of the latest quiz attempt (question id → choice ids), to show the learner
    # their answers with right or wrong per question after submitting.
    # The database default too: the seeds' bulk inserts (COPY, multi-row INSERT) leave it out.
    last_answers = models.JSONField(
        default=dict, db_default=models.Value({}, output_field=models.JSONField()), blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "workflow_lessonprogress"
        verbose_name = _("kemajuan pelajaran")
        verbose_name_plural = _("kemajuan pelajaran")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="uniq_progress_per_lesson")
        ]
        indexes = [models.Index(fields=["user", "module"])]
