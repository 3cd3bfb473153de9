"""Forums and categories in the Wagtail admin (HR). Who may read/write/moderate a private
forum is managed on the site at /forum/<slug>/akses/ (object permissions)."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup

from core.admin_exports import ModelViewSet

from .models import Category, Forum


class CategoryDeleteView(generic.DeleteView):
    """A category that still holds forums is not deleted: say so instead of failing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _(
                    "Kategori ini masih berisi forum. Pindahkan atau hapus forumnya terlebih dahulu."
                ),
            )
            return HttpResponseRedirect(self.get_success_url())


class CategoryViewSet(ModelViewSet):
    model = Category
    delete_view_class = CategoryDeleteView
    icon = "folder-open-inverse"
    menu_label = _("Kategori forum")
    form_fields = ["name", "slug", "description", "position"]
    list_display = ["name", "slug", "position"]
    add_to_reference_index = False


class ForumViewSet(ModelViewSet):
    model = Forum
    icon = "group"
    menu_label = _("Forum")
    form_fields = [
        "category",
        "name",
        "slug",
        "description",
        "module",
        "is_public",
        "is_qa",
        "premoderation",
        "premoderation_threshold",
        "position",
    ]
    list_display = ["name", "category", "is_public", "is_qa", "topic_count", "post_count"]
    list_filter = ["category", "is_public", "is_qa"]
    search_fields = ["name", "slug"]
    add_to_reference_index = False


class ForumViewSetGroup(ModelViewSetGroup):
    menu_label = _("Forum diskusi")
    menu_icon = "group"
    menu_order = 400
    items = (ForumViewSet("forum_forums"), CategoryViewSet("forum_categories"))


@hooks.register("register_admin_viewset")
def register_forum_viewsets():
    return ForumViewSetGroup()
