"""Fixtures shared by every app's tests: users per role, an API client with a token."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as migrated, less the competency dictionary (reference data that a
    migration loads, kompetensi 0008): a test builds the competencies it needs (its fixtures
    name them M.3, M.5 …), as it did before the dictionary became a migration.
    ``competency_dictionary`` loads the real one; the migration itself is tested in
    tests/kompetensi/test_reference.py."""
    from kompetensi.models import Competency
    from kompetensi.reference import dictionary_codes

    with django_db_blocker.unblock():
        Competency.objects.filter(code__in=dictionary_codes()).delete()


@pytest.fixture
def competency_dictionary(db):
    """The competency dictionary (PermenPANRB 38/2017) as a fresh install has it."""
    from kompetensi.reference import ensure_competency_dictionary

    ensure_competency_dictionary()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def groups(db):
    from core.roles import GROUPS, sync_group_permissions

    sync_group_permissions()
    return {name: Group.objects.get(name=name) for name in GROUPS}


def set_hr_scope(user, *units) -> None:
    """Test setup: make ``user`` administer exactly ``units`` (none given: the whole city)."""
    from kompetensi.models import HrScope
    from kompetensi.permissions import forget_hr_scope

    HrScope.objects.filter(user=user).delete()
    HrScope.objects.bulk_create(
        [HrScope(user=user, unit=unit) for unit in units] or [HrScope(user=user, unit=None)]
    )
    forget_hr_scope(user)


@pytest.fixture
def make_user(db, groups, django_user_model):
    """A user in ``group_names``. A BKPSDM member gets a city-wide HR scope row unless
    ``hr_units`` names the units they administer (``hr_units=()``: no scope at all)."""

    def _make(
        username: str,
        *group_names: str,
        password: str = "rahasia-123",
        hr_units=None,
        **extra,
    ):
        user = django_user_model.objects.create_user(
            username=username, password=password, email=f"{username}@example.go.id", **extra
        )
        user.groups.add(*(groups[g] for g in group_names))
        if "BKPSDM" in group_names:
            if hr_units is None:
                set_hr_scope(user)
            elif hr_units:
                set_hr_scope(user, *hr_units)
        return user

    return _make


@pytest.fixture
def api_token(db):
    from core.models import ApiToken

    def _token(user) -> str:
        return ApiToken.issue(user=user, name="test")[1]

    return _token


class ApiClient:
    """A thin JSON client for /api/v1 with a bearer token."""

    def __init__(self, client, token: str | None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path: str, data=None):
        return self.client.post(
            f"/api/v1{path}", data or {}, content_type="application/json", **self.headers
        )

    def patch(self, path: str, data=None):
        return self.client.patch(
            f"/api/v1{path}", data or {}, content_type="application/json", **self.headers
        )


@pytest.fixture
def api(client, api_token):
    def _api(user=None) -> ApiClient:
        return ApiClient(client, api_token(user) if user else None)

    return _api
