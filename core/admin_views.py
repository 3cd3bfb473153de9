"""Wagtail admin pages for account security (registered in ``portal/wagtail_hooks.py``):

- "Token API" (``/admin/token-api/``): every admin user sees and revokes their own tokens, a
  superuser everyone's (name, owner, created, last used — never the token or its hash); revoking
  asks for confirmation first and is audited.
- "Kode pendaftaran 2FA" (``/admin/kode-2fa/``): superusers and city-wide HR issue the
  one-time code a role account needs to enrol its first authenticator.

The views only list what ``core.permissions`` lets the user see; every change goes through
``core.accounts``."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.base import BasePermissionPolicy

from core.errors import ServiceError
from core.roles import GROUP_HR

from . import accounts
from .models import ApiToken, OtpEnrolmentCode
from .permissions import (
    api_tokens_visible_to,
    can_issue_otp_enrolment_code,
    can_revoke_api_token,
)

PER_PAGE = 50


# -- permission policies: what Wagtail's generic machinery asks about these models ----------


class ApiTokenPolicy(BasePermissionPolicy):
    """API tokens: their owner and superusers (``core.permissions``), never Django's model
    permissions. Nobody adds tokens in the admin (``manage.py create_api_token``)."""

    READ_WRITE = ("view", "change", "delete")

    def user_has_permission(self, user, action):
        return bool(user.is_authenticated and user.is_active and action in self.READ_WRITE)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action == "view":
            return api_tokens_visible_to(user).filter(pk=instance.pk).exists()
        return can_revoke_api_token(user, instance)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return ApiToken.objects.none()
        return api_tokens_visible_to(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return ApiToken.objects.none()
        return api_tokens_visible_to(user)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if not any(a in self.READ_WRITE for a in actions):
            return User.objects.none()
        return User.objects.filter(is_active=True)

    def users_with_any_permission_for_instance(self, actions, instance):
        User = get_user_model()
        if not any(a in self.READ_WRITE for a in actions):
            return User.objects.none()
        return User.objects.filter(is_active=True).filter(
            Q(pk=instance.user_id) | Q(is_superuser=True)
        )


class OtpEnrolmentCodePolicy(BasePermissionPolicy):
    """Enrolment codes: issued and listed by superusers and city-wide HR; never edited."""

    def user_has_permission(self, user, action):
        return action in ("add", "view") and can_issue_otp_enrolment_code(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        if action == "view" and self.user_has_permission(user, action):
            return OtpEnrolmentCode.objects.all()
        return OtpEnrolmentCode.objects.none()

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" in actions:
            return self.instances_user_has_permission_for(user, "view")
        return OtpEnrolmentCode.objects.none()

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if not any(a in ("add", "view") for a in actions):
            return User.objects.none()
        candidates = User.objects.filter(is_active=True).filter(
            Q(is_superuser=True) | Q(groups__name=GROUP_HR)
        )
        return User.objects.filter(
            pk__in=[u.pk for u in candidates.distinct() if can_issue_otp_enrolment_code(u)]
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        if "view" in actions:
            return self.users_with_any_permission(["view"])
        return get_user_model().objects.none()


class ApiTokenIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "core/admin/api_tokens.html"
    page_title = gettext_lazy("Token API")
    header_icon = "key"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        tokens = api_tokens_visible_to(user).select_related("user").order_by("-created_at")
        page = Paginator(tokens, PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(page=page, tokens=page.object_list, show_owner=user.is_superuser)
        return context


class ApiTokenRevokeView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the confirmation; POST: revoke through the service."""

    template_name = "core/admin/api_token_revoke.html"
    page_title = gettext_lazy("Cabut token API")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        self.token = get_object_or_404(
            api_tokens_visible_to(request.user).select_related("user"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["token"] = self.token
        return context

    def post(self, request, *args, **kwargs):
        try:
            accounts.api_token_revoke(actor=request.user, token=self.token)
        except ServiceError as error:
            if error.status == 404:
                raise Http404 from None
            raise PermissionDenied(str(error)) from None
        messages.success(
            request,
            _("Token “%(name)s” milik %(owner)s dicabut.")
            % {
                "name": self.token.name or self.token.prefix,
                "owner": self.token.user.get_username(),
            },
        )
        return HttpResponseRedirect(reverse("core_api_tokens"))


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class EnrolmentCodeIssueForm(forms.Form):
    user = AccountChoiceField(
        label=gettext_lazy("Akun"),
        queryset=None,
        empty_label=gettext_lazy("— pilih akun —"),
        help_text=gettext_lazy(
            "Akun superuser dan petugas BKPSDM yang belum memiliki aplikasi autentikator."
        ),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = accounts.enrolment_candidates()
        if getattr(actor, "pk", None):
            candidates = candidates.exclude(pk=actor.pk)
        self.fields["user"].queryset = candidates


class OtpEnrolmentCodeView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "core/admin/otp_enrolment_codes.html"
    page_title = gettext_lazy("Kode pendaftaran verifikasi dua langkah")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not can_issue_otp_enrolment_code(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", EnrolmentCodeIssueForm(actor=self.request.user))
        context["recent"] = OtpEnrolmentCode.objects.select_related("user", "issued_by")[:50]
        context["now"] = timezone.now()
        hours = accounts.enrolment_code_ttl().total_seconds() / 3600
        context["hours"] = int(hours) if hours == int(hours) else round(hours, 1)
        return context

    def post(self, request, *args, **kwargs):
        form = EnrolmentCodeIssueForm(request.POST, actor=request.user)
        issued = None
        if form.is_valid():
            try:
                row, code = accounts.otp_enrolment_code_issue(
                    actor=request.user, user=form.cleaned_data["user"]
                )
            except ServiceError as error:
                if error.status == 403:
                    raise PermissionDenied(str(error)) from None
                form.add_error("user", error.message)
            else:
                issued = {"row": row, "code": code}
                form = EnrolmentCodeIssueForm(actor=request.user)
        return self.render_to_response(self.get_context_data(form=form, issued=issued))


api_token_index = never_cache(ApiTokenIndexView.as_view())
api_token_revoke = never_cache(ApiTokenRevokeView.as_view())
otp_enrolment_codes = never_cache(OtpEnrolmentCodeView.as_view())
