"""Group names and role checks. Lives in kompetensi (which imports no other app of ours);
``portal.permissions`` re-exports these for the site."""

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

    def get_username(self) -> str:
        return self.username

    def __str__(self) -> str:
        return self.username


SYSTEM = SystemActor()


def _load_roles(user) -> None:
    """One query for the request: the user's group names and their HR scope rows
    (``kompetensi.permissions.hr_scope`` reads the rows). Memoised on the user object of this
    request only."""
    from django.contrib.auth.models import Group
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast

    from .models import HrScope

    text = CharField()
    groups = (
        Group.objects.filter(user=user)
        .order_by()
        .values_list(Value("g", output_field=text), "name", Value("", output_field=text))
    )
    scopes = (
        HrScope.objects.filter(user_id=user.pk)
        .order_by()
        .values_list(
            Value("s", output_field=text), Cast("unit_id", output_field=text), "unit__path"
        )
    )
    names, rows = set(), []
    for kind, value, path in groups.union(scopes, all=True):
        if kind == "g":
            names.add(value)
        else:
            rows.append((int(value) if value is not None else None, path))
    user._sikap_groups = frozenset(names)
    user._sikap_scope_rows = rows


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_sikap_groups", None)
    if cached is None:
        _load_roles(user)
        cached = user._sikap_groups
    return cached


def hr_scope_rows(user) -> list[tuple[int | None, str | None]]:
    """``(unit_id, unit_path)`` of each HR scope row of ``user`` (``unit_id`` None: city-wide),
    loaded with the group names in one query."""
    rows = getattr(user, "_sikap_scope_rows", None)
    if rows is None:
        _load_roles(user)
        rows = user._sikap_scope_rows
    return rows


def in_group(user, name: str) -> bool:
    return bool(user and user.is_authenticated and name in _group_names(user))


def is_hr(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or in_group(user, GROUP_HR)))


def is_trainer(user) -> bool:
    return in_group(user, GROUP_TRAINER)


def is_reviewer(user) -> bool:
    return in_group(user, GROUP_REVIEWER)
