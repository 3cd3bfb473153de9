"""Factories shared by the tests: plain functions (no fixtures), so module-scoped fixtures can
use them as well as tests; the fixtures in the conftest files are thin wrappers around them.

``shared_rows`` is how a module shares rows that its tests only read: a module-scoped fixture
writes them once inside a transaction that is rolled back after the module's last test (each
test runs in a savepoint inside it, as usual)."""

from __future__ import annotations

import contextlib

PASSWORD = "rahasia-123"  # noqa: S105 - test accounts only


@contextlib.contextmanager
def shared_rows(django_db_blocker):
    """Write rows once for a whole module (use in a module-scoped fixture): they are rolled
    back after the module, like every test's own rows after the test."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            # content types cached meanwhile are committed rows: keep the cache full for tests
            # without database access (Wagtail pages built in memory)
            ContentType.objects.clear_cache()
            ContentType.objects.get_for_models(*apps.get_models())


def set_hr_scope(user, *units) -> None:
    """Make ``user`` administer exactly ``units`` (none given: the whole city)."""
    from kompetensi.models import HrScope
    from kompetensi.permissions import forget_hr_scope

    HrScope.objects.filter(user=user).delete()
    HrScope.objects.bulk_create(
        [HrScope(user=user, unit=unit) for unit in units] or [HrScope(user=user, unit=None)]
    )
    forget_hr_scope(user)


def user(username: str, *group_names: str, password: str = PASSWORD, hr_units=None, **extra):
    """A user in ``group_names``. A BKPSDM member gets a city-wide HR scope row unless
    ``hr_units`` names the units they administer (``hr_units=()``: no scope at all)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    account = get_user_model().objects.create_user(
        username=username, password=password, email=f"{username}@example.go.id", **extra
    )
    groups = list(Group.objects.filter(name__in=group_names))
    assert len(groups) == len(set(group_names)), f"unknown group among {group_names}"
    account.groups.add(*groups)
    if "BKPSDM" in group_names:
        if hr_units is None:
            set_hr_scope(account)
        elif hr_units:
            set_hr_scope(account, *hr_units)
    return account
