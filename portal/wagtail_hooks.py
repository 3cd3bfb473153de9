"""Wagtail admin hooks of the training portal.

Trainers (group Pelatih) hold Wagtail's "add" permission on the catalog: they create modules and
lessons there and edit the pages they own; publishing goes through the "Tinjauan Konten"
workflow (see ``portal.site.ensure_site_structure``). One extra rule is enforced here as well as
in ``TrainingModulePage.permissions_for_user``: a trainer adds lessons only to modules they own
or co-teach."""

from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import TrainingModulePage


@hooks.register("before_create_page")
def only_own_module_gets_lessons(request, parent_page, page_class):
    parent = parent_page.specific
    if not isinstance(parent, TrainingModulePage):
        return None
    if not parent.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied(_("Anda hanya dapat menambah pelajaran pada modul milik Anda."))
    return None


@hooks.register("insert_global_admin_css")
def sikap_admin_colours():
    """SIKAP's colours in the admin: a stylesheet of ours, no inline style (CSP)."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("construct_page_action_menu")
def lessons_go_to_review_with_their_module(menu_items, request, context):
    """No "Ajukan untuk moderasi" on a new lesson: lessons are submitted with their module
    (portal/review.py; on an existing lesson Wagtail hides it since it has no workflow)."""
    parent = context.get("parent_page")
    if context.get("view") == "create" and isinstance(
        parent and parent.specific, TrainingModulePage
    ):
        menu_items[:] = [item for item in menu_items if item.name != "action-submit"]


@hooks.register("before_create_page")
def no_separate_lesson_submission(request, parent_page, page_class):
    if request.method == "POST" and request.POST.get("action-submit"):
        if isinstance(parent_page.specific, TrainingModulePage):
            raise PermissionDenied(_("Pelajaran diajukan untuk ditinjau bersama modulnya."))
    return None
