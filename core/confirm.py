"""The confirmation step of irreversible acts (issue #17): finalising an evaluation, approving
or cancelling assignments, revoking a certificate, closing a period, committing an import.

The act's form posts as before; a POST without ``confirmed=1`` shows a confirmation page
(``includes/confirm_page.html``) saying what will happen and what cannot be undone, with a
"Ya, …" button that re-posts the same fields with ``confirmed=1`` and a "Batal" way back. The
act happens only on the confirmed POST. It works without JavaScript.

A view asks for confirmation only after the same checks that would refuse the act itself
(404/403), so the confirmation page is never shown to someone who may not act; who may act is
still decided by the services."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render

CONFIRM_FIELD = "confirmed"
# Fields never carried over to the confirming form.
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


@dataclass
class Confirmation:
    """What the confirmation page says and where its buttons go.

    ``title``: the question ("Tutup periode 2026?"); ``effects``: what will happen, one
    sentence each; ``details``: optional rows ``(label, value)`` naming what is concerned;
    ``irreversible``: what cannot be undone; ``confirm_label``: the "Ya, …" button;
    ``cancel_url``: where "Batal" goes, or ``cancel_name`` to make "Batal" a button that posts
    the same fields back under that name (a form keeps what was filled in)."""

    title: str
    irreversible: str
    confirm_label: str
    effects: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)
    cancel_url: str = ""
    cancel_name: str = ""
    action: str = ""
    danger: bool = True
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)


def carried_fields(request) -> list[tuple[str, str]]:
    """The posted fields, every value of each, to post again (files are not carried)."""
    return [
        (name, value)
        for name in request.POST
        if name not in _NOT_CARRIED
        for value in request.POST.getlist(name)
    ]


def confirmation_page(
    request,
    confirmation: Confirmation,
    *,
    status: int = 200,
    template: str = "includes/confirm_page.html",
    context: dict | None = None,
):
    """The confirmation page; ``template`` another page around ``includes/confirm.html``
    (the Wagtail admin's: ``core/admin/confirm_page.html``)."""
    return render(
        request,
        template,
        {
            **(context or {}),
            "confirm": confirmation,
            "carried": carried_fields(request),
            "confirm_field": CONFIRM_FIELD,
        },
        status=status,
    )
