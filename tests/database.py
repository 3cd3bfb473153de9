"""The session database: migrated once per test run and copied for every pytest-xdist worker.

``migrate`` runs once per run, not once per worker: the first worker that needs the database
builds a *template* under a file lock; the others wait for it and copy it. Templates:

- ``installed``: what a fresh installation holds after ``migrate`` and ``setup_site`` (content
  types, permissions, the role groups with their permissions, Wagtail's root, locale and
  collection; the home page, the catalog, the help pages, the trainers' and reviewers' page
  permissions and the review workflow), less the competency dictionary (reference data that
  kompetensi 0008 loads: a test builds the competencies it needs, ``competency_dictionary``
  loads the real one);
- ``demo``: ``installed`` plus ``seed_demo --with-demo-users`` (the demo of Kota Serang) as a
  test sees it when it seeds inside its own transaction: what waits for a commit (certificates
  of completed assignments, gap recomputation, e-mails) is never done (fixture ``demo_db``);
- ``demo_committed``: the same seed committed, its on-commit work done, as ``make run`` leaves
  it (fixture ``committed_demo_db``, for tests against a live server).

The demo templates are built the first time a test asks for them.

SQLite: a template is a file under ``.cache/test-db/``; each worker's database stays in memory
and is filled from the file with SQLite's backup API (milliseconds). PostgreSQL: a template is
a database ``test_<name>_<state>_<id>``; each worker's database (``test_<name>_gw0`` …) is
created from it with ``CREATE DATABASE … TEMPLATE``.

A worker's database is in one state at a time. Before each test that uses the database
(:meth:`SessionDatabase.prepare`) it is put in the state the test needs: ``demo`` when the test
uses ``demo_db``, ``demo_committed`` with ``committed_demo_db``, ``installed`` otherwise. Each test still runs in a transaction that is rolled
back, so a copy happens only when the state changes (where a module using the demo begins or
ends) or after a transactional test (``transaction=True``, ``transactional_db``,
``live_server``): such a test commits, and instead of Django's flush (which empties every
table, what migrations wrote included) the database is copied again from its template before
the next test that uses it.

Without ``--reuse-db`` the templates belong to the run (named with the run's id) and are removed
at its end. ``pytest --reuse-db`` keeps them, named with a digest of everything they are built
from (the product's code and migrations, the seeds, installed packages; the demo also expires
at midnight, its dates being relative to the day it was seeded), so a later run with the same
code copies them instead of migrating; ``--create-db`` builds them again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import io
import os
import shutil
import sqlite3
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import quote as quote_url
from urllib.parse import unquote as unquote_url

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = ROOT / ".cache" / "test-db"
INSTALLED = "installed"
DEMO = "demo"
DEMO_COMMITTED = "demo_committed"
STATES = (INSTALLED, DEMO, DEMO_COMMITTED)
# the fixture that asks for a state (tests/conftest.py)
FIXTURES = {DEMO_COMMITTED: "committed_demo_db", DEMO: "demo_db"}
COMPLETE = "sikap-test-template"
# What a template is built from besides installed packages: a change anywhere in the product
# (a migration, a seed, a service a seed calls) gives --reuse-db a new template.
SOURCE_DIRS = (
    "core",
    "kompetensi",
    "skm",
    "portal",
    "workflow",
    "forum",
    "reports",
    "sikap",
    "demo",
    "templates",
)
SOURCE_FILES = ("requirements.txt", "requirements-dev.txt")


def source_digest() -> str:
    """A digest of everything a template is built from."""
    digest = hashlib.sha256()
    for name in SOURCE_FILES:
        path = ROOT / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    for top in SOURCE_DIRS:
        for folder, dirs, files in os.walk(ROOT / top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".pyc"):
                    continue
                path = Path(folder, name)
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(packages).encode() + sys.version.encode())
    return digest.hexdigest()


@contextlib.contextmanager
def file_lock(name: str):
    """An exclusive lock shared by the processes on this machine (the xdist workers)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_installed() -> None:
    """After ``migrate``: ``setup_site``, and no competency dictionary."""
    from django.core.management import call_command

    from kompetensi.models import Competency
    from kompetensi.reference import dictionary_codes

    Competency.objects.filter(code__in=dictionary_codes()).delete()
    call_command("setup_site", stdout=io.StringIO())


def seed_demo() -> None:
    from django.core.management import call_command

    call_command("seed_demo", "--with-demo-users", stdout=io.StringIO(), stderr=io.StringIO())


def build_demo() -> None:
    """The seed in a transaction whose on-commit work is dropped before it commits: the rows
    a test has after seeding inside its own (rolled back) transaction."""
    from django.db import connection, transaction

    with transaction.atomic():
        seed_demo()
        connection.run_on_commit.clear()


BUILDERS = {DEMO: build_demo, DEMO_COMMITTED: seed_demo}


def forget_process_caches() -> None:
    """Per-process caches holding rows of the database that was just replaced."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    cache.clear()
    ContentType.objects.clear_cache()
    # filled again: tests without database access use it (Wagtail pages built in memory)
    ContentType.objects.get_for_models(*apps.get_models())


def uses_database(item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"db", "transactional_db", "live_server", "django_db_setup"})


def is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"transactional_db", "live_server", "django_db_reset_sequences"})


class SessionDatabase:
    """The test database of this process (one alias) and the templates it is copied from."""

    def __init__(self, connection, *, run_id: str, reuse: bool, rebuild: bool, verbosity: int):
        self.connection = connection
        self.run_id = run_id
        self.reuse = reuse  # keep the templates (and a file/PostgreSQL database) after the run
        self.rebuild = rebuild
        self.verbosity = verbosity
        self.state: str | None = None
        self.dirty = False
        self.built: set[str] = set()
        self.original_name = connection.settings_dict["NAME"]
        self.test_name = connection.creation._get_test_db_name()
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        base = self.test_name
        if worker and base.endswith(f"_{worker}"):
            base = base[: -len(worker) - 1]
        self.base_name = base
        self._digest: str | None = None

    @property
    def sqlite(self) -> bool:
        return self.connection.vendor == "sqlite"

    # -- names ---------------------------------------------------------------------------------

    def template_id(self, state: str) -> str:
        if not self.reuse:
            return self.run_id
        if self._digest is None:
            self._digest = source_digest()
        key = self._digest + state
        if state != INSTALLED:  # seeded dates are relative to the day of seeding
            key += dt.date.today().isoformat()
        return hashlib.sha256(key.encode()).hexdigest()[:12]

    def template_name(self, state: str) -> str:
        if self.sqlite:
            return f"{self.connection.alias}-{state}-{self.template_id(state)}"
        return f"{self.base_name}_{state}_{self.template_id(state)}"

    def template_path(self, state: str) -> Path:
        return CACHE_DIR / f"{self.template_name(state)}.sqlite3"

    # -- the worker's database -----------------------------------------------------------------

    def setup(self) -> None:
        """This process's test database, in the ``installed`` state."""
        self.ensure_template(INSTALLED)
        if self.state is None:  # built by another worker: copy it
            self._point_at_test_database()
            self.load(INSTALLED)

    def teardown(self) -> None:
        self.connection.creation.destroy_test_db(
            self.original_name, verbosity=0, keepdb=self.reuse and not self.sqlite
        )

    def use(self, state: str) -> None:
        """Put the database in ``state`` (never inside a transaction)."""
        if state == self.state and not self.dirty:
            return
        if self.connection.in_atomic_block:
            raise RuntimeError(
                f"the test database cannot become {state!r} inside a transaction: a fixture "
                "that needs the demo data must be requested before the database (`demo_db`)"
            )
        self.ensure_template(state)
        self.load(state)

    def prepare(self, item) -> None:
        """Before a test that uses the database: the state it needs, fresh after a commit.
        Inside a transaction a module keeps open for rows its tests share (a module-scoped
        fixture, tests/factories.shared_rows) every test of the module runs on those rows."""
        if not uses_database(item):
            return
        state = next(
            (state for state, fixture in FIXTURES.items() if fixture in item.fixturenames),
            INSTALLED,
        )
        if self.connection.in_atomic_block and not self.dirty:
            if state != INSTALLED and state != self.state:
                self.use(state)  # raises: cannot switch inside the module's transaction
            return
        self.use(state)

    def ensure_template(self, state: str) -> None:
        if state in self.built or (not self.rebuild and self.template_exists(state)):
            return
        with file_lock(self.template_name(state)):
            if state in self.built or (not self.rebuild and self.template_exists(state)):
                return
            if state == INSTALLED:
                self._migrate()
                build_installed()
            else:
                self.ensure_template(INSTALLED)
                self.load(INSTALLED)
                BUILDERS[state]()
            self.save(state)
            self.built.add(state)
            self.state, self.dirty = state, False

    def _point_at_test_database(self) -> None:
        from django.conf import settings

        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = self.test_name
        self.connection.settings_dict["NAME"] = self.test_name

    def _migrate(self) -> None:
        """Create and migrate this process's test database (as pytest-django would)."""
        from django.conf import settings

        if self.state is not None:  # back to the configured name: create_test_db derives from it
            self.connection.close()
            settings.DATABASES[self.connection.alias]["NAME"] = self.original_name
            self.connection.settings_dict["NAME"] = self.original_name
        self.connection.creation.create_test_db(
            verbosity=self.verbosity, autoclobber=True, serialize=False
        )

    # -- copies --------------------------------------------------------------------------------

    def template_exists(self, state: str) -> bool:
        if self.sqlite:
            return self.template_path(state).exists()
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [self.template_name(state)],
            )
            row = cursor.fetchone()
        return bool(row) and row[0] == COMPLETE

    def save(self, state: str) -> None:
        """This process's database becomes the ``state`` template."""
        if self.sqlite:
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            path = self.template_path(state)
            partial = path.with_suffix(f".{os.getpid()}.partial")
            self.connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                self.connection.connection.backup(target)
            finally:
                target.close()
            os.replace(partial, path)  # complete or absent, never half-written
            return
        quote = self.connection.ops.quote_name
        name = quote(self.template_name(state))
        self.connection.close()
        with self.connection._nodb_cursor() as cursor:
            # a template must have no other session (a live server's thread may keep one)
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.test_name],
            )
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {name} TEMPLATE {quote(self.test_name)}")
            cursor.execute(f"COMMENT ON DATABASE {name} IS '{COMPLETE}'")

    def load(self, state: str) -> None:
        """Replace this process's database by a copy of the ``state`` template."""
        if self.sqlite:
            self.connection.ensure_connection()
            source = sqlite3.connect(self.template_path(state))
            try:
                source.backup(self.connection.connection)
            finally:
                source.close()
        else:
            quote = self.connection.ops.quote_name
            self.connection.close()
            with self.connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(self.test_name)} WITH (FORCE)")
                cursor.execute(
                    f"CREATE DATABASE {quote(self.test_name)} "
                    f"TEMPLATE {quote(self.template_name(state))}"
                )
        self.state, self.dirty = state, False
        forget_process_caches()

    # -- copies for other processes -------------------------------------------------------------

    def clone(self, state: str, suffix: str) -> str:
        """A copy of the ``state`` template for a server in another process: its
        ``DATABASE_URL``. :meth:`drop_clone` removes it."""
        self.ensure_template(state)
        if self.sqlite:
            path = CACHE_DIR / f"{self.template_name(state)}-{suffix}-{os.getpid()}.sqlite3"
            shutil.copyfile(self.template_path(state), path)
            return f"sqlite:///{path}"
        name = f"{self.base_name}_{suffix}"
        quote = self.connection.ops.quote_name
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
            cursor.execute(
                f"CREATE DATABASE {quote(name)} TEMPLATE {quote(self.template_name(state))}"
            )
        settings = self.connection.settings_dict
        credentials = quote_url(settings["USER"] or "")
        if settings["PASSWORD"]:
            credentials += ":" + quote_url(settings["PASSWORD"])
        host = settings["HOST"] or "127.0.0.1"
        return f"postgres://{credentials}@{host}:{settings['PORT'] or 5432}/{quote_url(name)}"

    def drop_clone(self, url: str) -> None:
        if self.sqlite:
            path = Path(url.removeprefix("sqlite:///"))
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            return
        name = unquote_url(url.rsplit("/", 1)[1])
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(
                f"DROP DATABASE IF EXISTS {self.connection.ops.quote_name(name)} WITH (FORCE)"
            )

    def drop_templates(self) -> None:
        """Remove this run's templates (a run without --reuse-db leaves none behind)."""
        if self.reuse:
            return
        for state in STATES:
            (CACHE_DIR / f"{self.template_name(state)}.lock").unlink(missing_ok=True)
            if self.sqlite:
                self.template_path(state).unlink(missing_ok=True)
                continue
            name = self.connection.ops.quote_name(self.template_name(state))
            with self.connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
