"""Who did what and who may: the audit log (read-only) and the HR scopes of officers in
the Wagtail admin."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.models import AccessLog
from kompetensi import services
from kompetensi.admin_views import ScopedViewSet
from kompetensi.models import HrScope


class AuditLogViewSet(ScopedViewSet):
    """Log audit data pribadi (read-only): search by actor, NIP or action. A scoped officer
    sees the rows about employees of their units."""

    model = AccessLog
    icon = "history"
    menu_label = _("Log audit")
    menu_order = 8
    list_display = ["created_at", "user", "action", "employee", "object_type", "detail"]
    list_filter = {"action": ["exact"], "created_at": ["gte", "lte"]}
    search_fields = ["user__username", "employee__nip", "employee__name", "action", "detail"]
    inspect_view_enabled = True
    form_fields = ["action"]
    ordering = ["-created_at"]
    list_select_related = ("user", "employee")


class HrScopeForm(forms.ModelForm):
    """Grant: an officer (by username) and a unit, or no unit for the whole city."""

    username = forms.CharField(
        label=_("Username petugas"),
        max_length=150,
        help_text=_("Bila belum anggota BKPSDM, petugas ditambahkan ke grup itu."),
    )

    class Meta:
        model = HrScope
        fields = ["username", "unit"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = False
        self.fields["unit"].empty_label = _("— seluruh kota —")
        self.grantee = None

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Pengguna tidak ditemukan atau tidak aktif."))
        self.grantee = user
        return username

    def clean(self):
        data = super().clean()
        if (
            self.grantee is not None
            and HrScope.objects.filter(user=self.grantee, unit=data.get("unit")).exists()
        ):
            raise forms.ValidationError(_("Petugas ini sudah memiliki cakupan tersebut."))
        return data


class HrScopeViewSet(ScopedViewSet):
    """Cakupan petugas SDM: which units each BKPSDM officer administers (a unit with all its
    sub-units, or the whole city). City-wide HR and superusers grant and revoke (audited); a
    row is never edited (revoke it and grant another)."""

    model = HrScope
    icon = "lock"
    menu_label = _("Cakupan petugas SDM")
    menu_order = 9
    list_display = ["__str__", "granted_by", "granted_at"]
    search_fields = ["user__username", "user__first_name", "unit__name", "unit__code"]
    list_select_related = ("user", "unit", "granted_by")
    ordering = ["user__username", "unit__path"]

    def get_form_class(self, for_update=False):
        return HrScopeForm

    def create_instance(self, request, form):
        return services.hr_scope_grant(
            actor=request.user, user=form.grantee, unit=form.cleaned_data.get("unit")
        )

    def delete_instance(self, request, instance):
        services.hr_scope_revoke(actor=request.user, scope=instance)
