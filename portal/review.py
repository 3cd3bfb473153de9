"""A module and its lessons are reviewed and published together.

A lesson is never submitted on its own (``LessonPage.has_workflow`` is False, so Wagtail offers
no "Ajukan untuk moderasi" on a lesson; ``portal/wagtail_hooks.py`` removes it from the form of
a new lesson and refuses it): the trainer saves lesson drafts and submits the module.
While the module is in review its lessons are locked like the module (``ModuleReviewLock``),
so what the reviewer approves is what goes live. Publishing the module (the approval of its
workflow, or a direct publish by someone holding "publish" on it) publishes the latest
revision of every lesson with unpublished changes in the same transaction: a module is never
live with lessons that are unpublished or waiting for review. Who may publish stays with
Wagtail's page permissions (the Reviewer Konten group holds "publish" on the catalog)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.admin.panels import Panel
from wagtail.locks import BaseLock


class ModuleReviewLock(BaseLock):
    """A lesson whose module is in review: locked for whoever the module's current task locks
    out (everyone but its reviewers)."""

    def __init__(self, lesson, module, task):
        super().__init__(lesson)
        self.module = module
        self.task = task

    def for_user(self, user):
        return self.task.locked_for_user(self.module, user)

    def get_message(self, user):
        if self.for_user(user):
            return _(
                "Modul pelajaran ini sedang ditinjau. Hanya peninjau yang dapat mengubah "
                "pelajarannya sampai tinjauan selesai."
            )
        return None

    def get_locked_by(self, user):
        return _("Dikunci oleh tinjauan modul")

    def get_description(self, user):
        return _("Pelajaran ditinjau bersama modulnya; pengubahan menunggu tinjauan selesai.")


def module_review_lock(lesson):
    """The lock a lesson takes from its module's review in progress, or None."""
    module = lesson_module(lesson)
    if module is None:
        return None
    task = module.current_workflow_task
    if task is None:
        return None
    return ModuleReviewLock(lesson, module, task)


def lesson_module(lesson):
    from .models import TrainingModulePage

    parent = lesson.get_parent()
    if parent is None:
        return None
    parent = parent.specific
    return parent if isinstance(parent, TrainingModulePage) else None


def lessons_pending(module):
    """The module's lessons that are not live or have unpublished changes, in tree order."""
    from django.db.models import Q

    from .models import LessonPage

    pending = Q(live=False) | Q(has_unpublished_changes=True)
    return list(LessonPage.objects.child_of(module).filter(pending).order_by("path"))


def _publishing_user(module):
    """Who publishes: the signed-in user of the request (the reviewer approving, or the
    publisher), else the one who approved the module's last task; None from a command."""
    from core.audit import current_request

    request = current_request()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    state = module.workflow_states.filter(status="approved").order_by("-created_at").first()
    if state is not None:
        task_state = state.task_states.order_by("-finished_at").first()
        if task_state is not None:
            return task_state.finished_by
    return None


def publish_lessons_with_module(sender, instance, revision=None, **kwargs) -> None:
    """``page_published`` of a module: publish its lessons' latest revisions with it (a lesson
    still in a review of its own from before this rule has that review cancelled by Wagtail's
    publishing)."""
    from .models import TrainingModulePage

    if not isinstance(instance, TrainingModulePage) or not instance.live:
        return
    pending = lessons_pending(instance)
    if not pending:
        return
    user = _publishing_user(instance)
    for lesson in pending:
        latest = lesson.get_latest_revision()
        if latest is None:
            latest = lesson.save_revision(user=user)
        latest.publish(user=user, skip_permission_checks=True)


# --- The preview of a lesson (what the trainer and the reviewer check before publishing) ---


def answer_key(lesson) -> list[dict]:
    """Every quiz of the lesson with its right answers, for the preview only (never served to a
    learner: only ``LessonPage.get_preview_context`` calls it)."""
    from .quiz import QUIZ_BLOCK

    quizzes = []
    for block in lesson.body or []:
        if block.block_type != QUIZ_BLOCK:
            continue
        value = block.value
        questions = []
        for question in value["questions"]:
            questions.append(
                {
                    "text": question["text"],
                    "multiple": question["kind"] == "multiple",
                    "choices": [
                        {"text": choice["text"], "correct": bool(choice["correct"])}
                        for choice in question["choices"]
                    ],
                    "explanation": question.get("explanation") or "",
                }
            )
        quizzes.append({"title": value.get("title") or _("Kuis"), "questions": questions})
    return quizzes


def lesson_preview_context(lesson, *, with_answer_key: bool) -> dict:
    """The lesson's place among all its module's lessons, drafts included (the learner's
    context counts live lessons only, so a draft showed "Pelajaran 0 dari 0"), and the answer
    key in the "Kunci jawaban" mode."""
    from .models import LessonPage

    module = lesson_module(lesson) if lesson.path else None
    siblings = list(LessonPage.objects.child_of(module).order_by("path")) if module else []
    ids = [sibling.pk for sibling in siblings]
    if lesson.pk in ids:
        siblings[ids.index(lesson.pk)] = lesson
    else:
        siblings.append(lesson)  # a lesson being created comes last
    index = siblings.index(lesson)
    context = {
        "siblings": siblings,
        "position": index + 1,
        "previous_lesson": siblings[index - 1] if index > 0 else None,
        "next_lesson": siblings[index + 1] if index < len(siblings) - 1 else None,
        "is_preview": True,
    }
    if module is not None:
        context["module"] = module
    if with_answer_key:
        context["answer_key"] = answer_key(lesson)
    return context


# --- What goes live with the module, on the module's edit form (trainer and reviewer) ---


class ModuleLessonsPanel(Panel):
    """The module's lessons with what their review covers: a new lesson, changes not yet
    published, or nothing; links to the draft (with its answer key) and to the changes."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "portal/admin/module_lessons_panel.html"

        def get_context_data(self, parent_context=None):
            from django.urls import reverse

            from .models import LessonPage

            context = super().get_context_data(parent_context)
            module = self.instance
            rows = []
            if module is not None and module.pk:
                for lesson in LessonPage.objects.child_of(module).order_by("path"):
                    if not lesson.live:
                        status = _("Baru, ikut ditinjau")
                    elif lesson.has_unpublished_changes:
                        status = _("Ada perubahan, ikut ditinjau")
                    else:
                        status = _("Sudah terbit")
                    rows.append(
                        {
                            "title": lesson.get_admin_display_title(),
                            "status": status,
                            "pending": not lesson.live or lesson.has_unpublished_changes,
                            "edit_url": reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
                            "draft_url": reverse("wagtailadmin_pages:view_draft", args=[lesson.pk]),
                            "compare_url": reverse(
                                "wagtailadmin_pages:revisions_compare",
                                args=[lesson.pk, "live", "latest"],
                            )
                            if lesson.live and lesson.has_unpublished_changes
                            else None,
                        }
                    )
            context["lessons"] = rows
            return context
