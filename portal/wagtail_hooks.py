"""Wagtail admin hooks of the training portal.

Trainers (group Pelatih) hold Wagtail's "add" permission on the catalog: they create modules and
lessons there and edit the pages they own; publishing goes through the "Tinjauan Konten"
workflow (see ``portal.site.ensure_site_structure``). One extra rule is enforced here as well as
in ``TrainingModulePage.permissions_for_user``: a trainer adds lessons only to modules they own
or co-teach."""

from django.core.exceptions import PermissionDenied
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
