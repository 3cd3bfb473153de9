"""The scoped admin machinery of the HR apps (kompetensi, skm): permission policies that ask
``permissions.py``, generic views that show only what the user may see (404 outside) and save
through a service (a refusal is 403, bad input is shown on the form), and the viewset that ties
them together. The viewsets of kompetensi (``kompetensi/admin/``) and skm subclass them; each
app's ``wagtail_hooks.py`` registers them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from core.admin_exports import ModelViewSet
from core.errors import NotAllowed, NotFound, ServiceError

from .permissions import has_hr_authority, hr_scope

# The "Kompetensi & SDM" admin menu (kompetensi/wagtail_hooks.py). Other apps add their HR
# viewsets to it through Wagtail's own submenu hook (``menu_hook = HR_MENU_HOOK`` and a
# ``menu_order``): skm's service points sit at 7, after the SKP results.
HR_MENU_HOOK = "register_kompetensi_sdm_menu_item"

# ---------------------------------------------------------------------------------------------
# Permission policies: every answer comes from permissions.py
# ---------------------------------------------------------------------------------------------


class ScopePolicy(ModelPermissionPolicy):
    """Model level (menus, buttons, which views open): :meth:`may`; one object:
    :meth:`may_instance`; the objects listed and reachable at all: :meth:`visible` (the generic
    views below answer 404 for any other). By default: HR officers with at least one unit in
    scope (an officer without a scope row sees nothing)."""

    #: The unit-path lookup (``"unit__path"``, ``"employee__unit__path"``…) of a model whose
    #: rows an officer sees only inside their HR scope; None: every row.
    scope_path: str | None = None

    def may(self, user, action: str) -> bool:
        return has_hr_authority(user)

    def may_instance(self, user, action: str, instance) -> bool:
        return True

    def visible(self, user):
        manager = self.model._default_manager
        if not has_hr_authority(user):
            return manager.none()
        if self.scope_path is not None:
            return manager.filter(hr_scope(user).q(self.scope_path))
        return manager.all()

    def editable(self, user):
        return self.visible(user)

    # -- Wagtail's interface --------------------------------------------------------------------

    def user_has_permission(self, user, action):
        if not (user and user.is_authenticated and user.is_active):
            return False
        return self.may(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.may_instance(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = [a for a in actions if self.user_has_permission(user, a)]
        if not allowed:
            return self.model._default_manager.none()
        if "view" in allowed:
            return self.visible(user)
        return self.editable(user)


# ---------------------------------------------------------------------------------------------
# Generic views: scoped objects (404 outside), writes through the viewset's service calls
# ---------------------------------------------------------------------------------------------

# A service names the API's field; the admin form's field may be called differently.
FORM_FIELD = {"unit_code": "unit", "parent_code": "parent", "supervisor_nip": "supervisor"}


def _refuse(error: ServiceError) -> None:
    """A service's refusal as Django's answer: 403 (``NotAllowed``) or 404 (``NotFound``);
    any other error is the caller's to show."""
    if isinstance(error, NotAllowed):
        raise PermissionDenied(str(error)) from None
    if isinstance(error, NotFound):
        raise Http404 from None


def _service_error_on_form(form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else FORM_FIELD.get(error.field)
    if field not in form.fields or form.fields[field].disabled:
        field = None
    form.add_error(field, error.message)


class ScopedMixin:
    """The viewset (for its service calls and form rules) and the objects the user sees."""

    viewset = None

    def visible_queryset(self):
        qs = self.permission_policy.visible(self.request.user)
        related = getattr(self.viewset, "list_select_related", None)
        return qs.select_related(*related) if related else qs


class ScopedIndexView(ScopedMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.visible_queryset()


class ScopedHistoryView(ScopedMixin, HistoryView):
    def get_base_object_queryset(self):
        return self.visible_queryset()


class ScopedUsageView(ScopedMixin, UsageView):
    def get_base_object_queryset(self):
        return self.visible_queryset()


class ScopedInspectView(ScopedMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.visible_queryset(), pk=unquote(str(self.pk)))


class ServiceFormMixin(ScopedMixin):
    """The form's choices are limited by the viewset (``prepare_form``) and the save is the
    viewset's service call: a refusal (403), a hidden object (404) or bad input (the message
    on the form) writes nothing."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        self.viewset.prepare_form(self.request, form, getattr(self, "object", None))
        return form

    def save_instance(self):
        request, form = self.request, self.form
        current = getattr(self, "object", None)
        if current is None or current.pk is None:
            instance = self.viewset.create_instance(request, form)
            log(instance=instance, action="wagtail.create", user=request.user)
        else:
            # The form has already copied its values onto ``current``; the service gets the
            # stored row and the new values.
            stored = self.model._default_manager.get(pk=current.pk)
            instance = self.viewset.update_instance(request, form, stored)
            log(instance=instance, action="wagtail.edit", user=request.user)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as error:
            _refuse(error)
            _service_error_on_form(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ServiceCreateView(ServiceFormMixin, generic.CreateView):
    pass


class ServiceEditView(ServiceFormMixin, generic.EditView):
    def get_object(self, queryset=None):
        obj = super().get_object(self.visible_queryset())
        if not self.user_has_permission_for_instance("change", obj):
            raise PermissionDenied
        return obj


class ServiceDeleteView(ScopedMixin, generic.DeleteView):
    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        obj = super().get_object(self.visible_queryset())
        if not self.user_has_permission_for_instance("delete", obj):
            raise PermissionDenied
        return obj

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user)
            self.viewset.delete_instance(self.request, self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as error:
            _refuse(error)
            messages.error(self.request, error.message)
            return redirect(self.request.path)


class ScopedViewSet(ModelViewSet):
    """A model viewset whose views follow the model's permission policy and save through
    services. Subclasses implement :meth:`create_instance`, :meth:`update_instance`,
    :meth:`delete_instance` and may limit the form in :meth:`prepare_form`."""

    index_view_class = ScopedIndexView
    add_view_class = ServiceCreateView
    edit_view_class = ServiceEditView
    delete_view_class = ServiceDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_class = ScopedInspectView
    copy_view_enabled = False
    search_backend_name = None
    list_select_related: tuple[str, ...] = ()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(viewset=self, **kwargs)

    def prepare_form(self, request, form, instance) -> None:
        """Limit choices / fix fields for ``request.user`` (``instance`` None: a new one)."""

    def create_instance(self, request, form):
        raise PermissionDenied

    def update_instance(self, request, form, stored):
        raise PermissionDenied

    def delete_instance(self, request, instance) -> None:
        raise PermissionDenied


def limit_choices(form, name: str, queryset, *, keep=None, required: bool | None = None) -> None:
    """Limit the choices of ``form.fields[name]`` to ``queryset`` (plus the current ``keep``
    value, so an unchanged form stays valid)."""
    field = form.fields.get(name)
    if field is None:
        return
    if keep is not None:
        queryset = queryset | type(keep)._default_manager.filter(pk=keep.pk)
    field.queryset = queryset.distinct()
    if required is not None:
        field.required = required


def fix_fields(form, *names: str) -> None:
    for name in names:
        if name in form.fields:
            form.fields[name].disabled = True


def is_new(instance) -> bool:
    return instance is None or instance.pk is None
