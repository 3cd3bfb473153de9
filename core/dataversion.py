"""Cache versions: cache keys that change whenever the data behind them changes, because the
code that writes the data says so.

A cached read (the HR dashboards' sections, a learner's part of the home page, a forum topic's
posts) is stored under a key that includes the current *version* of the data it reads. A
version is a counter in the shared cache; the service that writes names what it changed and
calls ``bump(...)`` with those names. Nothing watches the database: a write that does not call
``bump`` (raw SQL, ``psql``, a restore, a bulk load) is invisible until
``manage.py invalidate_caches`` (``invalidate_all()``) runs, which the restore script and the
demo loaders call.

Who bumps what:

- services: every bulk write (``bulk_create``, ``bulk_update``, a queryset's ``update()`` or
  ``delete()``, raw SQL) is followed by a ``bump`` of the names in ``NAMES`` that read it;
- model writes one row at a time (a service's ``save()``/``create()``, the Wagtail admin's
  viewsets): ``post_save``/``post_delete`` receivers per model family, in each app's
  ``receivers.py`` (they name the people and topics concerned);
- published content: Wagtail's signals (``portal/receivers.py``).

``bump`` moves a version at once (a reader in the same transaction, or a test inside one,
never sees a stale value) and again when the transaction commits (a reader in another process
that computed from the pre-commit data between the two stored it under a version that is
already gone). A version stored nowhere (fresh cache, eviction) starts at a random value, so a
cache that lost the counter cannot hand out an old entry again. Increments use ``cache.incr``,
atomic on Redis and on the per-process memory cache; production refuses a cache without atomic
increments shared by its processes (``sikap/settings/production.py``).

Permission data (HR scope, forum access, view restrictions) is never cached here: it is
computed per request and memoised on the request's user only.
"""

from __future__ import annotations

import logging
import random

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

log = logging.getLogger(__name__)

# Every version, with what it covers (the writers of these data bump it). Per-person and
# per-topic scopes are ``<name>@<scope>`` (``for_person``, ``for_topic``); their readers key by
# the global version too (``person_version``, ``topic_version``), so bumping the global one
# invalidates every scope.
NAMES: dict[str, str] = {
    "sdm": "HR aggregates (reports): units, positions, employees, profiles, competencies, "
    "periods, SKP, citizen feedback, needs, assignments, certificates, external learning",
    "content": "published content: Wagtail pages, sites, view restrictions, module "
    "competencies and trainers, the competency names shown in the catalog; the routes of "
    "Wagtail's pages (portal/routing.py)",
    "forums": "forums and categories (which forum belongs to a module)",
    "person": "pages about one person (home, Kinerja Saya, the HR employee view): that "
    "person's rows and the reference tables they show; scopes emp:<id>, user:<id>",
    "forum-topics": "lists of topics (home's recent activity): topics, forums, categories",
    "topic": "a topic's page: topic, posts, revisions, reactions; scope topic:<id>",
    "periods": "evaluation periods (the period pickers)",
}


def register(name: str, description: str) -> None:
    """Declare a version (an app with caches of its own): ``bump`` refuses unknown names, and
    ``invalidate_all`` bumps every declared one."""
    NAMES[name] = description


def _key(name: str) -> str:
    return f"sikap:dataversion:{name}"


def _check(name: str) -> str:
    if name.partition("@")[0] not in NAMES:
        raise ValueError(f"unknown cache version {name!r} (core/dataversion.py NAMES)")
    return name


def scoped(name: str, *scopes) -> tuple[str, ...]:
    """``<name>@<scope>`` for each scope that is not ``None``."""
    return tuple(dict.fromkeys(f"{name}@{s}" for s in scopes if s is not None))


def for_person(*, employee=None, user=None) -> tuple[str, ...]:
    """The names of one person's scopes (an employee and/or a user account; objects or ids):
    ``bump(*for_person(employee=e))`` after writing that person's rows."""
    employee_id = getattr(employee, "pk", employee)
    user_id = getattr(user, "pk", user)
    if user_id is None and employee is not None and hasattr(employee, "user_id"):
        user_id = employee.user_id
    return scoped(
        "person",
        f"emp:{employee_id}" if employee_id is not None else None,
        f"user:{user_id}" if user_id is not None else None,
    )


def for_people(employee_ids=(), user_ids=()) -> tuple[str, ...]:
    """The scopes of several people at once."""
    return scoped(
        "person",
        *(f"emp:{pk}" for pk in employee_ids if pk is not None),
        *(f"user:{pk}" for pk in user_ids if pk is not None),
    )


def for_topic(topic_id) -> tuple[str, ...]:
    """The name of one forum topic's scope."""
    return scoped("topic", f"topic:{getattr(topic_id, 'pk', topic_id)}")


def _incr(name: str) -> None:
    key = _key(name)
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (first use, eviction): any fresh value will do
        cache.add(key, random.randrange(1, 2**31), timeout=None)  # noqa: S311 - not a secret
    except Exception:  # the cache is down: the entries expire by their timeout
        log.warning("cache version %s not bumped (cache unavailable)", name, exc_info=True)


def bump(*names: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Invalidate everything cached under the current versions of ``names`` now and, inside a
    transaction, once more when it commits."""
    names = tuple(dict.fromkeys(_check(n) for n in names))
    for name in names:
        _incr(name)
    connection = connections[using]
    if connection.in_atomic_block:
        _bump_at_commit(connection, names)


def _bump_at_commit(connection, names) -> None:
    """One commit hook per transaction collects every name it bumped (a transaction that saves
    thousands of rows one by one adds names to a set, not thousands of hooks)."""
    state = connection.__dict__.setdefault(
        "_sikap_dataversion", {"names": set(), "callback": None, "index": -1}
    )
    state["names"].update(names)
    pending = connection.run_on_commit
    index, callback = state["index"], state["callback"]
    if callback is not None and index < len(pending) and pending[index][1] is callback:
        return

    # No hook of ours in this transaction (first bump, or it was dropped with a rolled-back
    # savepoint or transaction): register one. Names left from a rolled-back transaction are
    # bumped once more, which is harmless.
    def callback() -> None:
        names, state["names"], state["callback"] = state["names"], set(), None
        for name in sorted(names):
            _incr(name)

    callback.sikap_dataversion = True
    state["callback"], state["index"] = callback, len(pending)
    transaction.on_commit(callback, using=connection.alias)


def invalidate_all() -> list[str]:
    """Bump every declared version: nothing cached before stays reachable (every scoped key
    includes its global version). For writes no service saw: a restore, ``flush``, a bulk
    load, ``psql``. Returns the names bumped."""
    names = sorted(NAMES)
    for name in names:
        _incr(name)
    return names


def current(name: str) -> int:
    """The current version of ``name`` (created on first use)."""
    key = _key(_check(name))
    value = cache.get(key)
    if value is None:
        cache.add(key, random.randrange(1, 2**31), timeout=None)  # noqa: S311 - not a secret
        value = cache.get(key)
    return int(value or 0)


def versions(*names: str) -> str:
    """The current versions of ``names`` in one cache round trip, as one key part."""
    keys = [_key(_check(name)) for name in names]
    try:
        found = cache.get_many(keys)
    except Exception:  # the cache is down: a key nobody will find again
        return f"x{random.randrange(2**31)}"  # noqa: S311
    return ".".join(
        str(found[key]) if found.get(key) is not None else str(current(name))
        for name, key in zip(names, keys, strict=True)
    )


def person_version(*, employee_id=None, user_id=None, also: tuple[str, ...] = ()) -> str:
    """Key part for a page that shows one person's data: the global "person" version, the
    person's scopes and the versions of the names in ``also``, in one round trip."""
    return versions("person", *also, *for_people([employee_id], [user_id]))


def topic_version(topic_id) -> str:
    """Key part for a page that shows one topic: the global "topic" version and its scope."""
    return versions("topic", *for_topic(topic_id))


# ------------------------------------------------------------------------------------------
# Model-family receivers: one row saved or deleted (a service's save(), the Wagtail admin)
# ------------------------------------------------------------------------------------------


def track_loaded(model, *attnames: str) -> None:
    """Remember ``attnames`` of every ``model`` instance as loaded, so that a row moved from one
    person to another (an employee's new supervisor) bumps both (``person_of``)."""
    from django.db.models.signals import post_init

    def loaded(sender, instance, **kwargs) -> None:
        values = instance.__dict__
        values["_dataversion_loaded"] = {a: values.get(a) for a in attnames}

    post_init.connect(
        loaded, sender=model, weak=False, dispatch_uid=f"dataversion-loaded:{model._meta.label}"
    )


def person_of(instance, *, employee: tuple[str, ...] = (), user: tuple[str, ...] = ()):
    """The person scopes of one row: the employees and users named by the ``employee`` and
    ``user`` attributes (as saved, and as loaded when ``track_loaded``). A deferred attribute
    (we do not know whose row it is) gives the global "person" version."""
    values = instance.__dict__
    loaded = values.get("_dataversion_loaded") or {}
    ids: dict[str, list] = {"employee": [], "user": []}
    for kind, attnames in (("employee", employee), ("user", user)):
        for attname in attnames:
            if attname not in values:
                return ("person",)
            ids[kind] += [values[attname], loaded.get(attname)]
    if loaded:
        values["_dataversion_loaded"] = {a: values.get(a) for a in loaded}
    return for_people(ids["employee"], ids["user"])


def watch_model(model, *names: str, scopes=None, delete: bool = True) -> None:
    """One row of ``model`` saved (``post_save``) or deleted (``post_delete``, unless
    ``delete=False``: a model deleted in bulk, whose deleting services bump themselves, keeps
    Django's fast delete) bumps ``names`` and ``scopes(instance)``. Bulk writes send no
    signals: their services call ``bump``."""
    from django.db.models.signals import post_delete, post_save

    for name in names:
        _check(name)

    def changed(sender, instance, **kwargs) -> None:
        bump(*names, *(scopes(instance) if scopes else ()))

    uid = f"dataversion:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    if delete:
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


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
    cached under ``name``'s version (the queryset must read only data covered by ``name``).
    ``queryset`` may be a function returning it, so that building it costs nothing on a hit."""
    from django.core.paginator import Page, Paginator

    def compute():
        qs = queryset() if callable(queryset) else queryset
        page = Paginator(qs, per_page).get_page(number)
        return page.paginator.count, page.number, list(page.object_list)

    count, page_number, rows = cached(name, f"page:{key}:{per_page}:{number}", compute, timeout)
    return Page(rows, page_number, Paginator(_Counted(count), per_page))
