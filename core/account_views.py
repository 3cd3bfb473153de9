"""Account pages of the site: the user's own API tokens (``/akun/token/``, for every signed-in
user — an ASN has no admin access but may hold a token) and the link that confirms a new
e-mail address (``/akun/email/<token>/``). Authority is decided by ``core.accounts``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import ServiceError

from . import accounts
from .models import ApiToken


@never_cache
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user_id=request.user.pk).order_by("-created_at")
    return render(request, "registration/api_tokens.html", {"tokens": tokens})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes. Only the user's own tokens here (a superuser
    revokes other people's in the admin)."""
    token = ApiToken.objects.filter(pk=pk, user_id=request.user.pk).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        try:
            accounts.api_token_revoke(actor=request.user, token=token)
        except ServiceError as error:
            if error.status == 404:
                raise Http404 from None
            raise
        messages.success(
            request,
            _("Token “%(name)s” dicabut: aplikasi yang memakainya langsung ditolak.")
            % {"name": token.name or token.prefix},
        )
        return redirect("api_tokens")
    return render(request, "registration/api_token_revoke.html", {"token": token})


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Opened from the link sent to the new address. GET shows what will change (a link
    scanner's GET changes nothing); POST confirms."""
    try:
        account, new = accounts.email_change_preview(token=token)
    except accounts.EmailLinkInvalid as error:
        return render(request, "registration/email_confirm.html", {"error": str(error)}, status=400)
    if request.method == "POST":
        try:
            accounts.account_email_confirm(token=token)
        except accounts.EmailLinkInvalid as error:
            return render(
                request, "registration/email_confirm.html", {"error": str(error)}, status=400
            )
        return render(
            request,
            "registration/email_confirm.html",
            {"done": True, "username": account.get_username(), "email": new},
        )
    return render(
        request,
        "registration/email_confirm.html",
        {"username": account.get_username(), "email": new},
    )
