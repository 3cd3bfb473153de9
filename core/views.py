"""Sign-in, password and notification pages (core/urls.py)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notifications
from .forms import ActivationPasswordResetForm, LoginForm
from .models import Notification


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    return render(request, "registration/locked_out.html", status=429)


password_change = auth_views.PasswordChangeView.as_view(
    template_name="registration/password_change_form.html",
    success_url=reverse_lazy("password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="registration/password_change_done.html"
)
password_reset = auth_views.PasswordResetView.as_view(
    form_class=ActivationPasswordResetForm,
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    success_url=reverse_lazy("password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html",
    success_url=reverse_lazy("password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)


# ------------------------------------------------------------------------------------------
# Notifications
# ------------------------------------------------------------------------------------------


@login_required
def notification_list(request):
    query = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(query, 30).get_page(request.GET.get("halaman"))
    response = render(request, "core/notification_list.html", {"page_obj": page})
    # A notification without a link has nothing more to open: seen in the list (still marked
    # "Baru" this once) is read. One with a link is read when opened (notification_open).
    unseen = [n.pk for n in page.object_list if not n.read_at and not n.url]
    if unseen:
        notifications.notifications_mark_read(user=request.user, ids=unseen)
    return response


@login_required
def notification_open(request, pk: int):
    """Open a notification (its link in the list and in the e-mail): marked read, then on to
    its page. Another user's notification is 404."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notifications.notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications")


@login_required
@require_POST
def notification_read(request):
    ids = request.POST.getlist("id")
    if ids:
        clean = [int(i) for i in ids if i.isdigit()]
        notifications.notifications_mark_read(user=request.user, ids=clean)
    else:
        notifications.notifications_mark_read(user=request.user)
    target = request.POST.get("go")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    messages.success(request, _("Notifikasi ditandai sudah dibaca."))
    return redirect("notifications")
