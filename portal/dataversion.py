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

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

# name → database tables whose writes change that name's version: exact table names, and
# table-name prefixes (minus exceptions) for families of tables such as Wagtail's.
WATCHED: dict[str, frozenset[str]] = {
    # The HR dashboards' aggregates (workflow/reports/selectors.py dashboard_sections).
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


def _after_commit_bumper(names: tuple[str, ...]):
    def after_commit() -> None:
        for name in names:
            bump(name)

    after_commit.sikap_names = names
    return after_commit


def _names_of(table: str) -> tuple[str, ...]:
    table = table.lower()
    names = _TABLE_NAMES.get(table)
    if names is None:
        names = _TABLE_NAMES[table] = _names_for_table(table)
    return names


def names_written_by(sql: str) -> tuple[str, ...]:
    """The watched names a statement writes to (``()`` for reads and other tables)."""
    head = sql.lstrip()
    if head[:4].upper() == "WITH":  # a CTE ahead of the write: look at every write in it
        names: list[str] = []
        for table in _WRITE_ANYWHERE.findall(head):
            names += [n for n in _names_of(table) if n not in names]
        return tuple(names)
    if not head.startswith(_WRITE_STARTS):
        return ()
    match = _WRITE.match(head)
    if not match:
        return ()
    return _names_of(match.group(1))


def execute_wrapper(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    names = names_written_by(sql)
    if names:
        for name in names:
            bump(name)
        connection = context["connection"]
        if connection.in_atomic_block:
            pending = any(
                getattr(func, "sikap_names", None) == names
                for _sids, func, _robust in connection.run_on_commit
            )
            if not pending:
                transaction.on_commit(_after_commit_bumper(names), using=connection.alias)
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
    full_key = f"sikap:cached:{name}:{current(name)}:{key}"
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
