"""Roles: the four groups, the role checks every app asks, SIKAP acting as itself (``SYSTEM``),
and the model permissions each group needs.

Groups are created by a data migration (portal 0002); their permissions are (re)synchronised
after every ``migrate`` by ``sync_group_permissions`` so that permissions of models added later
are granted too. Extend ``GROUP_PERMISSIONS`` when a module adds a model a group must manage.

A user's group names are read once per request (memoised on the user object of that request,
never cached across requests), in one query together with the rows other apps register under
``core.hooks.ROLE_ROWS`` (kompetensi: the HR scope rows), read back with :func:`role_rows`."""

GROUP_ASN = "ASN"
GROUP_TRAINER = "Pelatih"
GROUP_REVIEWER = "Reviewer Konten"
GROUP_HR = "BKPSDM"


class SystemActor:
    """SIKAP itself acting (scheduled tasks, seeds, migrations, management commands run by the
    operator): every permission check passes and the audit log records no user. Only trusted
    code passes ``SYSTEM`` as a service's ``actor``; a request's user is never it."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    pk = None
    id = None
    username = "sistem"
    _sikap_groups = frozenset()
    _sikap_role_rows: dict = {}  # noqa: RUF012 - never written

    def get_username(self) -> str:
        return self.username

    def __str__(self) -> str:
        return self.username


SYSTEM = SystemActor()


def _load_roles(user) -> None:
    """One query for the request: the user's group names and the rows registered under
    ``hooks.ROLE_ROWS`` (``(kind, value, path)`` text triples). Memoised on the user object of
    this request only."""
    from django.contrib.auth.models import Group
    from django.db.models import CharField, Value

    from . import hooks

    text = CharField()
    query = (
        Group.objects.filter(user=user)
        .order_by()
        .values_list(Value("g", output_field=text), "name", Value("", output_field=text))
    )
    extra = [provider(user) for provider in hooks.get_hooks(hooks.ROLE_ROWS)]
    if extra:
        query = query.union(*extra, all=True)
    names, rows = set(), {}
    for kind, value, path in query:
        if kind == "g":
            names.add(value)
        else:
            rows.setdefault(kind, []).append((value, path))
    user._sikap_groups = frozenset(names)
    user._sikap_role_rows = rows


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_sikap_groups", None)
    if cached is None:
        _load_roles(user)
        cached = user._sikap_groups
    return cached


def role_rows(user, kind: str) -> list[tuple[str | None, str | None]]:
    """The ``(value, path)`` rows of ``kind`` registered under ``hooks.ROLE_ROWS``, loaded with
    the group names in one query."""
    rows = getattr(user, "_sikap_role_rows", None)
    if rows is None:
        _load_roles(user)
        rows = user._sikap_role_rows
    return rows.get(kind, [])


def forget_roles(user) -> None:
    """Drop the memos on ``user`` (after a change of its groups in the same request)."""
    for name in ("_sikap_groups", "_sikap_role_rows"):
        if user is not None and name in getattr(user, "__dict__", {}):
            delattr(user, name)


def in_group(user, name: str) -> bool:
    return bool(user and user.is_authenticated and name in _group_names(user))


def is_hr(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or in_group(user, GROUP_HR)))


def is_trainer(user) -> bool:
    return in_group(user, GROUP_TRAINER)


def is_reviewer(user) -> bool:
    return in_group(user, GROUP_REVIEWER)


GROUPS = (GROUP_ASN, GROUP_TRAINER, GROUP_REVIEWER, GROUP_HR)

_HR_MODELS = {
    "kompetensi": [
        "organizationunit",
        "competency",
        "competencylevel",
        "position",
        "positionrequirement",
        "employee",
        "evaluationperiod",
        "evaluation",
        "competencyscore",
        "skpresult",
        "employeecompetency",
    ],
    "skm": ["servicepoint", "servicefeedback"],
    "core": ["notification"],
    "workflow": [
        "trainingneed",
        "assignment",
        "certificate",
        "certificatetemplate",
    ],
    "forum": ["category", "forum"],
}

GROUP_PERMISSIONS: dict[str, set[str]] = {
    GROUP_ASN: set(),
    GROUP_TRAINER: {
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
    },
    GROUP_REVIEWER: {
        "wagtailadmin.access_admin",
        "wagtailimages.choose_image",
        "wagtaildocs.choose_document",
    },
    GROUP_HR: {
        "wagtailadmin.access_admin",
        *(
            f"{app}.{action}_{model}"
            for app, models in _HR_MODELS.items()
            for model in models
            for action in ("add", "change", "delete", "view")
        ),
        "core.view_apitoken",
        "core.change_apitoken",
        # the certificate template's background image (workflow.CertificateTemplate)
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "core.view_accesslog",  # audit log: read-only (security)
    },
}


def sync_group_permissions(**_kwargs) -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for group_name, perms in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        if not perms:
            continue
        query = Q()
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(query))
