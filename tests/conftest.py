"""Fixtures shared by every app's tests: users per role, an API client with a token."""

import sys
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from tests import factories

# -- the session database (tests/database.py) ---------------------------------------------------

SESSION_DB = pytest.StashKey()
RUN_ID = pytest.StashKey[str]()


def pytest_configure(config):
    workerinput = getattr(config, "workerinput", None)
    config.stash[RUN_ID] = (
        workerinput["sikap_run_id"]
        if workerinput and "sikap_run_id" in workerinput
        else uuid.uuid4().hex[:8]
    )


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist: every worker of a run shares the run's templates."""
    node.workerinput["sikap_run_id"] = node.config.stash[RUN_ID]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The slowest modules first (``@pytest.mark.slow(seconds=…)``; the API fuzzing runs for a
    minute and a half): with ``--dist worksteal`` the other worker meanwhile runs the rest,
    instead of everyone waiting for the slowest at the end. A module keeps its tests together
    (its module-scoped fixtures are built once); otherwise the order is pytest-django's, which
    the session database no longer depends on."""

    def seconds(item) -> int:
        marker = item.get_closest_marker("slow")
        return marker.kwargs.get("seconds", 1) if marker else 0

    weight = {}
    for item in items:
        weight[item.path] = max(weight.get(item.path, 0), seconds(item))
    items.sort(key=lambda item: (-weight[item.path], -seconds(item)))


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_modify_db_settings,
):
    """The test database as :class:`tests.database.SessionDatabase` sets it up: migrated once
    per run and copied for this worker, put back to the template a test needs before it."""
    from django.db import connection, connections
    from django.test import TransactionTestCase

    from tests.database import SessionDatabase

    assert list(connections) == ["default"], "the session database knows one alias"
    config = request.config
    session_db = SessionDatabase(
        connection,
        run_id=config.stash[RUN_ID],
        reuse=config.getoption("reuse_db"),
        rebuild=config.getoption("create_db"),
        verbosity=config.option.verbose,
    )
    with django_db_blocker.unblock():
        session_db.setup()

    # A transactional test commits: rather than flushing every table after it (which also
    # removes what migrations wrote), the next test copies the template again.
    def committed(test_case):
        session_db.dirty = True

    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = committed
    config.stash[SESSION_DB] = (session_db, django_db_blocker)
    yield session_db
    del config.stash[SESSION_DB]
    TransactionTestCase._fixture_teardown = flush
    with django_db_blocker.unblock():
        session_db.teardown()
        if not hasattr(config, "workerinput"):
            session_db.drop_templates()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: no browser left from an e2e test (tests/e2e/conftest.py),
    the database in the state this test needs."""
    e2e = sys.modules.get("tests.e2e.conftest")
    if e2e is not None:
        e2e.close_browser_before(item)
    if SESSION_DB in item.config.stash:
        session_db, blocker = item.config.stash[SESSION_DB]
        with blocker.unblock():
            session_db.prepare(item)


def pytest_sessionfinish(session):
    """pytest-xdist's controller removes the run's templates once every worker is done."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "tx", None):
        return
    if config.getoption("reuse_db"):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    from tests.database import SessionDatabase

    session_db = SessionDatabase(
        connection, run_id=config.stash[RUN_ID], reuse=False, rebuild=False, verbosity=0
    )
    with config.stash[blocking_manager_key].unblock():
        session_db.drop_templates()


@pytest.fixture(scope="session")
def demo_db(django_db_setup, django_db_blocker):
    """The demo of Kota Serang (``seed_demo --with-demo-users``) in the test database, as a test
    has it after seeding inside its transaction (what waits for a commit is not done): seeded
    once per run into a template; every test using this fixture starts from it and runs in a
    transaction rolled back as usual."""
    from tests.database import DEMO

    with django_db_blocker.unblock():
        django_db_setup.use(DEMO)
    return django_db_setup


@pytest.fixture(scope="session")
def committed_demo_db(django_db_setup, django_db_blocker):
    """The demo committed, its on-commit work done (certificates of completed assignments,
    recomputed gaps), as ``make run`` leaves it: for tests against a live server."""
    from tests.database import DEMO_COMMITTED

    with django_db_blocker.unblock():
        django_db_setup.use(DEMO_COMMITTED)
    return django_db_setup


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
    """The role groups, with the permissions ``migrate`` gave them (core.apps)."""
    from core.roles import GROUPS

    return Group.objects.in_bulk(GROUPS, field_name="name")


@pytest.fixture
def make_user(db, groups):
    """A user in ``group_names`` (:func:`tests.factories.user`)."""
    return factories.user


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
