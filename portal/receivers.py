"""Cache versions (core/dataversion.py) of published content and learning progress (connected
in ``PortalConfig.ready``).

Published content changes through Wagtail: a page published, unpublished, moved, renamed
(slug) or deleted, a live page created or saved outside a publish (``add_child``, code that
calls ``save()``), a view restriction or a site saved or deleted bumps "content" (the catalog,
module and lesson lists, everything keyed by ``person_page_key``, the page routes of
``portal/routing.py``). Drafts change nothing
published and bump nothing. A learner's progress row bumps that learner's pages."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core import dataversion as dv

from .models import LessonProgress, ModuleCompetency, TrainingModulePage


def content_changed(sender=None, **kwargs) -> None:
    dv.bump("content")


# Fields a draft save of a live page writes (``save_revision``, locking): nothing published.
DRAFT_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def page_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    if not instance.live:
        return  # a draft (unpublishing sends page_unpublished)
    if created or update_fields is None or not set(update_fields) <= DRAFT_FIELDS:
        dv.bump("content")


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(content_changed, weak=False, dispatch_uid=f"dataversion-content:{signal}")
    for model in (PageViewRestriction, Site, ModuleCompetency):
        dv.watch_model(model, "content")
    # Page deletion and live saves, for Page and every page type (one receiver per model: a
    # receiver for every sender would cost every other model Django's fast delete).
    for model in {Page, *get_page_models()}:
        post_delete.connect(
            content_changed,
            sender=model,
            weak=False,
            dispatch_uid=f"dataversion-content-delete:{model._meta.label}",
        )
        post_save.connect(
            page_saved,
            sender=model,
            weak=False,
            dispatch_uid=f"dataversion-content-save:{model._meta.label}",
        )
    # Trainers of a module (shown on it) set outside a publish.
    m2m_changed.connect(
        _trainers_changed,
        sender=TrainingModulePage.trainers.through,
        weak=False,
        dispatch_uid="dataversion-content-trainers",
    )
    # Progress rows are deleted in bulk with their lesson or user (content bumps then, and every
    # person page keys by content): keep Django's fast delete.
    dv.track_loaded(LessonProgress, "user_id")
    dv.watch_model(
        LessonProgress, scopes=lambda p: dv.person_of(p, user=("user_id",)), delete=False
    )


def _trainers_changed(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        dv.bump("content")
