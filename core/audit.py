"""Append-only audit log of who viewed or changed personal data (UU 27/2022): evaluations,
employee data, certificates (issue/revoke), object permissions and personal-data exports.

``audit(actor=..., action=..., obj=..., employee=..., summary=...)`` writes one
``AccessLog`` row (and a line on the ``sikap.audit`` logger). Rows can't be updated or deleted
through the ORM (``AccessLog.save``/``delete`` and its queryset refuse). The client's IP is
stored only as a salted HMAC (the same salt as the citizen survey), never raw.

``AuditRequestMiddleware`` remembers the current request so that audits written deep in a
service (e.g. object permission grants, caught by the guardian signal receivers below) know
who acted and from where."""

from __future__ import annotations

import contextvars
import logging

from django.db.models.signals import post_delete, post_save

logger = logging.getLogger("sikap.audit")

ACTIONS = (
    "view",
    "create",
    "update",
    "delete",
    "issue",
    "revoke",
    "reissue",
    "grant",
    "revoke_permission",
    "export",
)

_current_request: contextvars.ContextVar = contextvars.ContextVar("sikap_audit_request")


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request():
    return _current_request.get(None)


def _ip_hash(request) -> str:
    if request is None:
        return ""
    from .client_ip import client_ip, salted_hash

    ip = client_ip(request)
    return salted_hash("audit-ip", ip)[:64] if ip else ""


def _actor_from_request(request):
    user = getattr(request, "user", None) if request is not None else None
    return user if getattr(user, "is_authenticated", False) else None


def audit(*, actor=None, action: str, obj=None, employee=None, summary: str = ""):
    """Record ``action`` by ``actor`` (default: the current request's user) on ``obj`` about
    ``employee`` (the data subject). Returns the row."""
    from .models import AccessLog

    request = current_request()
    if actor is None:
        actor = _actor_from_request(request)
    # The data subject's model (kompetensi's Employee) as the log's foreign key names it: an
    # action on an employee record is about that employee.
    subject_model = AccessLog._meta.get_field("employee").related_model
    if employee is None and isinstance(obj, subject_model):
        employee = obj
    object_type = object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    logger.info(
        "%s actor=%s employee=%s %s#%s %s",
        action,
        getattr(actor, "username", "-"),
        getattr(employee, "nip", employee.pk) if employee is not None else "-",
        object_type,
        object_id,
        summary,
    )
    return AccessLog.objects.create(
        user=actor if getattr(actor, "pk", None) else None,
        employee=employee,
        action=action[:60],
        detail=(summary or "")[:300],
        object_type=object_type[:60],
        object_id=object_id[:64],
        ip_hash=_ip_hash(request),
    )


# ---------------------------------------------------------------------------------------------
# Object permissions (django-guardian): every grant and removal, whoever calls assign_perm
# ---------------------------------------------------------------------------------------------


def _permission_summary(instance) -> str:
    who = (
        f"user={instance.user.get_username()}"
        if hasattr(instance, "user_id")
        else f"group={instance.group.name}"
    )
    perm = instance.permission
    return f"{perm.content_type.app_label}.{perm.codename} {who} on {instance.content_type.model}#{instance.object_pk}"


def _on_perm_saved(sender, instance, created, **kwargs):
    if created:
        audit(action="grant", obj=instance, summary=_permission_summary(instance))


def _on_perm_deleted(sender, instance, **kwargs):
    try:
        summary = _permission_summary(instance)
    except Exception:  # noqa: BLE001 - the grantee may be being deleted too
        summary = f"permission#{instance.permission_id} on #{instance.object_pk}"
    audit(action="revoke_permission", obj=instance, summary=summary)


def connect() -> None:
    from guardian.models import GroupObjectPermission, UserObjectPermission

    for model in (UserObjectPermission, GroupObjectPermission):
        post_save.connect(_on_perm_saved, sender=model, dispatch_uid=f"audit-save-{model}")
        post_delete.connect(_on_perm_deleted, sender=model, dispatch_uid=f"audit-del-{model}")
