"""Data versions: cache keys that change whenever the data behind them changes.

A cached aggregate (the HR dashboards' sections) is stored under a key that includes the
current *version* of the tables it reads. The version is a counter in the shared cache,
incremented whenever a write statement reaches one of those tables — whatever wrote it:
a model ``save()``, a ``bulk_create``/``bulk_update``/``update()``, an importer, the admin, a
seed or a Celery task. It is detected at the database layer (a connection ``execute_wrapper``
that reads the first words of each statement), not with model signals, because the bulk paths
that matter most here (profile recompute, recommendation, imports) send no signals.

The counter is incremented when the statement runs (so a reader in the same transaction, or
a test inside one, never sees a stale value) and again when the transaction commits (so a
reader that computed from the pre-commit data between the two stored it under a version that
is already gone). A version stored nowhere (fresh cache, eviction) starts at a random value,
so a cache that lost the counter cannot hand out an old entry again.

With several app servers or a separate Celery worker the cache must be shared
(``REDIS_CACHE_URL``); the cached entries also expire (``timeout`` of the caller), which bounds
staleness if a writer ever bypasses Django's connection (raw ``psql``).
"""

from __future__ import annotations

import logging
import random
import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

# name → database tables whose writes change that name's version: exact table names, and
# table-name prefixes (minus exceptions) for families of tables such as Wagtail's.
WATCHED: dict[str, frozenset[str]] = {
    # The HR dashboards' aggregates (reports/selectors.py dashboard_sections).
    "sdm": frozenset(
        {
            "kompetensi_organizationunit",
            "kompetensi_position",
            "kompetensi_employee",
            "kompetensi_employeecompetency",
            "kompetensi_competency",
            "kompetensi_evaluationperiod",
            "kompetensi_skpresult",
            "kompetensi_servicefeedback",
            "workflow_assignment",
            "workflow_certificate",
            "workflow_trainingneed",
            "workflow_externallearning",
        }
    ),
    # Published content: Wagtail's page tree, sites, view restrictions and our page types
    # (portal/serving.py caches routing; portal/quiz.py the lesson lists of a module).
    "content": frozenset({"kompetensi_competency"}),
    # Forums and categories (which forum belongs to a module).
    "forums": frozenset({"forum_forum", "forum_category"}),
    # Object permissions and group membership (kompetensi/permissions.py hr_scope_paths).
    "access": frozenset(
        {
            "guardian_userobjectpermission",
            "guardian_groupobjectpermission",
            "auth_group",
            "auth_user_groups",
            "auth_permission",
            "auth_group_permissions",
            "auth_user_user_permissions",
            "kompetensi_organizationunit",
        }
    ),
    # Who may see which forum (forum/permissions.py visible_forum_ids).
    "forum-access": frozenset(
        {
            "forum_forum",
            "forum_forumuserobjectpermission",
            "forum_forumgroupobjectpermission",
            "auth_group",
            "auth_user_groups",
            "auth_permission",
            "portal_trainingmodulepage_trainers",
            "portal_trainingmodulepage",
            "wagtailcore_page",
        }
    ),
}
# Per-person pages (home, Kinerja Saya, the HR employee view) read the rows of one person and
# some shared reference tables. Their cache key is ``person_version(...)``: the global version
# of "person" plus the versions of that person's scopes ("emp:<employee id>", "user:<user id>").
# A write to a person table that is *attributed* (``attributed()`` below, or a single-row save
# of a ``ScopedWrites`` model) moves only the scopes it concerns; every other write to these
# tables (bulk updates, raw SQL, imports, recompute, deletes) moves the global version, which
# invalidates every person's entries — never stale, just less cached.
PERSON_TABLES = frozenset(
    {
        "kompetensi_employee",
        "kompetensi_evaluation",
        "kompetensi_competencyscore",
        "kompetensi_skpresult",
        "kompetensi_employeecompetency",
        "kompetensi_servicefeedback",
        "workflow_trainingneed",
        "workflow_assignment",
        "workflow_lessonprogress",
        "workflow_certificate",
        "workflow_externallearning",
    }
)
PERSON_REFERENCE_TABLES = frozenset(
    {
        "kompetensi_competency",
        "kompetensi_competencylevel",
        "kompetensi_evaluationperiod",
        "kompetensi_organizationunit",
        "kompetensi_position",
        "kompetensi_positionrequirement",
        "kompetensi_servicepoint",
    }
)
WATCHED["person"] = PERSON_TABLES | PERSON_REFERENCE_TABLES
# Forum topics: lists of topics (home's "recent activity") read topics and forum names; a
# topic page reads its posts, reactions and revisions, attributed to "topic:<id>".
WATCHED["forum-topics"] = frozenset({"forum_topic", "forum_forum", "forum_category"})
WATCHED["topic"] = frozenset(
    {
        "forum_topic",
        "forum_post",
        "forum_postrevision",
        "forum_reaction",
        "forum_forum",
        "forum_category",
    }
)
# Evaluation periods (the period pickers of the HR reports).
WATCHED["periods"] = frozenset({"kompetensi_evaluationperiod"})
# Names whose writes may be attributed to scopes.
SCOPED = frozenset({"person", "topic"})

WATCHED_PREFIXES: dict[str, tuple[str, ...]] = {"content": ("wagtailcore_", "portal_")}
# High-churn tables under a watched prefix that no cached content reads.
UNWATCHED = frozenset(
    {
        "portal_apitoken",
        "portal_workerheartbeat",
        "wagtailcore_modellogentry",
        "wagtailcore_pagelogentry",
        "wagtailcore_pagesubscription",
        "wagtailcore_referenceindex",
        "wagtailcore_taskstate",
        "wagtailcore_workflowstate",
        "wagtailcore_comment",
        "wagtailcore_commentreply",
        "wagtailcore_uploadedfile",
    }
)


def _names_for_table(table: str) -> tuple[str, ...]:
    if table in UNWATCHED:
        return ()
    names = [name for name, tables in WATCHED.items() if table in tables]
    names += [
        name
        for name, prefixes in WATCHED_PREFIXES.items()
        if name not in names and table.startswith(prefixes)
    ]
    return tuple(names)


_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[`"]?(\w+)',
    re.IGNORECASE,
)
_WRITE_ANYWHERE = re.compile(
    r'(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE
)
_WRITE_STARTS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "insert", "update", "delete")
_TABLE_NAMES: dict[str, tuple[str, ...]] = {}


def _key(name: str) -> str:
    return f"sikap:dataversion:{name}"


# Stack of (name, scopes, tables or None) set by ``attributed()``; the innermost entry for a
# name that covers the written table wins.
_attribution: ContextVar[tuple] = ContextVar("sikap_dataversion_attribution", default=())


@contextmanager
def attributed(name: str, *scopes, tables: frozenset[str] | None = None):
    """Within the block, writes to ``name``'s tables (or only to ``tables``) move the
    versions of ``scopes`` instead of ``name``'s global version.

    Only for code that writes rows of exactly these scopes (a service acting for one person):
    a write attributed to the wrong scope would leave another person's page stale. ``None``
    scopes are dropped; with none left, nothing is attributed."""
    scopes = tuple(dict.fromkeys(str(s) for s in scopes if s is not None))
    if not scopes:
        yield
        return
    token = _attribution.set((*_attribution.get(), (name, scopes, tables)))
    try:
        yield
    finally:
        _attribution.reset(token)


def for_person(*, employee=None, user=None):
    """``attributed("person", ...)`` for the writes of a service that acts for one person."""
    employee_id = getattr(employee, "pk", employee)
    user_id = getattr(user, "pk", user)
    if user_id is None and employee is not None and hasattr(employee, "user_id"):
        user_id = employee.user_id
    return attributed(
        "person",
        f"emp:{employee_id}" if employee_id is not None else None,
        f"user:{user_id}" if user_id is not None else None,
    )


def versions(*names: str) -> str:
    """The current versions of ``names`` in one cache round trip, as one key part."""
    keys = [_key(name) for name in names]
    try:
        found = cache.get_many(keys)
    except Exception:  # the cache is down: a key nobody will find again
        return f"x{random.randrange(2**31)}"  # noqa: S311
    return ".".join(
        str(found[key]) if found.get(key) is not None else str(current(name))
        for name, key in zip(names, keys, strict=True)
    )


def person_version(*, employee_id=None, user_id=None, also: tuple[str, ...] = ()) -> str:
    """Key part for a page that shows one person's data (see PERSON_TABLES), with the
    versions of the names in ``also`` read in the same round trip."""
    names = ["person", *also]
    if employee_id is not None:
        names.append(f"person@emp:{employee_id}")
    if user_id is not None:
        names.append(f"person@user:{user_id}")
    return versions(*names)


class ScopedWrites:
    """Model mixin: a single-row ``save()`` moves only the person versions of the row's
    people (``dataversion_scopes``: (scope prefix, attribute) pairs, e.g.
    ``(("emp", "employee_id"),)``), both as loaded and as saved, so a row moved from one
    person to another invalidates both. A deferred person field, or no person at all, falls
    back to the global version."""

    dataversion_scopes: tuple[tuple[str, str], ...] = ()
    dataversion_name = "person"  # a name in SCOPED
    # A row without any person: by default its save moves the global version (someone's page
    # might read it). A model whose person-less rows no per-person page reads names a scope
    # of their own here instead (ServiceFeedback: unit-level citizen feedback).
    dataversion_ownerless: str | None = None

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._dataversion_loaded = tuple(
            obj.__dict__.get(attname) for _prefix, attname in cls.dataversion_scopes
        )
        return obj

    def _dataversion_scope_names(self) -> tuple[str, ...] | None:
        loaded = getattr(self, "_dataversion_loaded", None)
        scopes: list[str] = []
        for i, (prefix, attname) in enumerate(self.dataversion_scopes):
            if attname not in self.__dict__:
                return None  # deferred: we do not know whose row this is
            for value in (self.__dict__[attname], loaded[i] if loaded else None):
                if value is not None:
                    scopes.append(f"{prefix}:{value}")
        if not scopes and self.dataversion_ownerless:
            return (self.dataversion_ownerless,)
        return tuple(dict.fromkeys(scopes)) or None

    def save(self, *args, **kwargs):
        scopes = self._dataversion_scope_names()
        if not scopes:
            return super().save(*args, **kwargs)
        with attributed(self.dataversion_name, *scopes, tables=frozenset({self._meta.db_table})):
            result = super().save(*args, **kwargs)
        self._dataversion_loaded = tuple(
            self.__dict__.get(attname) for _prefix, attname in self.dataversion_scopes
        )
        return result


def current(name: str) -> int:
    """The current version of ``name`` (created on first use)."""
    key = _key(name)
    value = cache.get(key)
    if value is None:
        cache.add(key, random.randrange(1, 2**31), timeout=None)  # noqa: S311 - not a secret
        value = cache.get(key)
    return int(value or 0)


def bump(name: str) -> None:
    """Invalidate everything cached under ``name``'s current version."""
    key = _key(name)
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (first use, eviction): any fresh value will do
        cache.add(key, random.randrange(1, 2**31), timeout=None)  # noqa: S311
    except Exception:  # the cache is down: the entries expire by their timeout
        log.warning("data version %s not bumped (cache unavailable)", name, exc_info=True)


def _names_of(table: str) -> tuple[str, ...]:
    table = table.lower()
    names = _TABLE_NAMES.get(table)
    if names is None:
        names = _TABLE_NAMES[table] = _names_for_table(table)
    return names


def names_written_by(sql: str) -> tuple[str, ...]:
    """The watched names a statement writes to (``()`` for reads and other tables)."""
    names: list[str] = []
    for _table, written in _writes(sql):
        names += [n for n in written if n not in names]
    return tuple(names)


def _flush_pending(state: dict) -> None:
    keys, state["keys"], state["callback"] = state["keys"], set(), None
    for key in sorted(keys):
        bump(key)


def _bump_at_commit(connection, keys) -> None:
    """Bump ``keys`` again when the current transaction commits: one commit hook per
    transaction that collects every key the transaction wrote (a transaction that saves
    thousands of rows one by one adds keys to a set, not thousands of hooks)."""
    state = connection.__dict__.setdefault(
        "_sikap_dataversion", {"keys": set(), "callback": None, "index": -1}
    )
    state["keys"].update(keys)
    pending = connection.run_on_commit
    index, callback = state["index"], state["callback"]
    if callback is not None and index < len(pending) and pending[index][1] is callback:
        return

    # No hook of ours in this transaction (first write, or it was dropped with a rolled-back
    # savepoint or transaction): register one. Keys left from a rolled-back transaction are
    # bumped once more, which is harmless.
    def callback() -> None:
        _flush_pending(state)

    callback.sikap_dataversion = True
    state["callback"], state["index"] = callback, len(pending)
    transaction.on_commit(callback, using=connection.alias)


def _writes(sql: str) -> tuple[tuple[str | None, tuple[str, ...]], ...]:
    """(table, watched names) for each table a statement writes to; table is ``None`` when
    the statement writes to several tables (a CTE) and cannot be attributed to a person."""
    head = sql.lstrip()
    if head[:4].upper() == "WITH":  # a CTE ahead of the write: look at every write in it
        names: list[str] = []
        for table in _WRITE_ANYWHERE.findall(head):
            names += [n for n in _names_of(table) if n not in names]
        return ((None, tuple(names)),) if names else ()
    if not head.startswith(_WRITE_STARTS):
        return ()
    match = _WRITE.match(head)
    if not match:
        return ()
    table = match.group(1).lower()
    names = _names_of(table)
    return ((table, names),) if names else ()


def _scopes_for(name: str, table: str | None) -> tuple[str, ...] | None:
    if table is None:
        return None
    for attributed_name, scopes, tables in reversed(_attribution.get()):
        if attributed_name == name and (tables is None or table in tables):
            return scopes
    return None


def execute_wrapper(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    written = _writes(sql)
    if written:
        keys: list[str] = []
        for table, names in written:
            for name in names:
                scopes = _scopes_for(name, table) if name in SCOPED else None
                if scopes:
                    keys += [f"{name}@{scope}" for scope in scopes]
                else:
                    keys.append(name)
        for key in dict.fromkeys(keys):
            bump(key)
        connection = context["connection"]
        if connection.in_atomic_block:
            _bump_at_commit(connection, keys)
    return result


def install(connection) -> None:
    """Watch ``connection`` (idempotent); connected to ``connection_created``."""
    if execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(execute_wrapper)


def on_connection_created(sender, connection, **kwargs) -> None:
    install(connection)


_MISSING = object()


def cached(name: str, key: str, compute, timeout: int = 600):
    """``compute()``, cached under ``name``'s current version and ``key`` (any text that
    identifies the inputs besides the data, e.g. a page id or a scope)."""
    return cached_under(f"{name}:{current(name)}", key, compute, timeout)


def cached_under(version: str, key: str, compute, timeout: int = 600):
    """``compute()``, cached under a version string (``versions()``, ``person_version()``)."""
    full_key = f"sikap:cached:{version}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        try:
            cache.set(full_key, value, timeout)
        except Exception:  # unpicklable value or cache down: serve it uncached
            log.warning("value for %s not cached", full_key, exc_info=True)
    return value


class _Counted:
    """Stands in for a list of ``n`` items so a Paginator can be rebuilt from a cached count."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n


def cached_page(name: str, key: str, queryset, per_page: int, number, timeout: int = 600):
    """``Paginator(queryset, per_page).get_page(number)`` with the count and the page's rows
    cached under ``name``'s version (the queryset must read only tables watched by ``name``).
    ``queryset`` may be a function returning it, so that building it costs nothing on a hit."""
    from django.core.paginator import Page, Paginator

    def compute():
        qs = queryset() if callable(queryset) else queryset
        page = Paginator(qs, per_page).get_page(number)
        return page.paginator.count, page.number, list(page.object_list)

    count, page_number, rows = cached(name, f"page:{key}:{per_page}:{number}", compute, timeout)
    return Page(rows, page_number, Paginator(_Counted(count), per_page))
