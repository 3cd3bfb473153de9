"""The hook registry: how a lower app shows or asks something of a higher one without importing
it (ARCHITECTURE.md, "the layout to reach").

A higher app registers a provider under a hook name in its ``AppConfig.ready()`` (as Wagtail's
admin home takes ``construct_homepage_panels``); the lower app's page or service asks for what
is registered and works (with a neutral answer) when nothing is. The names below are the
contract: who registers, who asks, what a provider takes and returns. A provider runs a fixed
number of queries (it may run once per page).

    from core import hooks

    class WorkflowConfig(AppConfig):
        def ready(self):
            hooks.register(hooks.HOME_LEARNER, learner_home)

    # portal (lower): the learner's part of the home page
    learner = hooks.first(hooks.HOME_LEARNER, user=user, default=None)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: ``provider(user) -> dict`` with ``assignments`` (open assignments, each with ``module``,
#: ``due_date``, ``status``, ``progress_percent``, ``overdue``), ``jp_this_year``,
#: ``jp_target``, ``certificates_count``, ``done_module_ids`` (modules completed or certified:
#: never suggested again): the learner's part of the home page (portal asks, workflow provides).
HOME_LEARNER = "home_learner"
#: ``provider(user) -> list[dict]``: panels of things to do on the home page, one per role a
#: higher app serves (workflow: HR's pending recommendations and external-learning approvals).
#: A panel is ``{"id": str, "title": str, "items": [{"text": str, "count": int, "url": str}],
#: "links": [{"text": str, "url": str}]}``; ``[]`` for a user with nothing there. Every
#: provider answers (portal asks, higher apps provide).
HOME_PANELS = "home_panels"
#: ``provider(user, limit) -> list`` of the latest forum topics ``user`` may read (portal's
#: home page asks, forum provides).
HOME_RECENT_TOPICS = "home_recent_topics"
#: ``provider(module_id) -> str | None``: the URL of a training module's discussion forum
#: (portal's module and lesson pages ask, forum provides).
MODULE_FORUM_URL = "module_forum_url"
#: ``provider(user, module) -> str | None``: the status of ``user``'s assignment to ``module``
#: (portal's module progress asks, workflow provides).
MODULE_ASSIGNMENT_STATUS = "module_assignment_status"
#: ``provider(employee) -> dict`` merged into the employee summary (``GET
#: /api/v1/employees/{nip}/summary`` and "Kinerja Saya"): keys ``jp_this_year`` (int) and
#: ``open_needs`` (int), 0 until a provider answers (kompetensi asks, workflow provides).
EMPLOYEE_SUMMARY = "employee_summary"
#: ``provider(employee_ids) -> dict[int, dict]``: per employee id, this year's training:
#: ``jp_this_year``, ``jp_target``, ``active`` (assignments being followed), ``overdue`` (of
#: those, past their due date), ``done`` (completed this year). One query whatever the number
#: of employees; a missing id means nothing there (kompetensi's "Tim saya" asks, workflow
#: provides).
TEAM_TRAINING = "team_training"
#: ``provider(user) -> QuerySet`` of ``(kind, value, path)`` text triples loaded in the same
#: query as the user's group names and kept on the user object of the request
#: (``core.roles.role_rows(user, kind)``): kompetensi provides the HR scope rows.
ROLE_ROWS = "role_rows"
#: ``provider(user) -> bool``: whether ``user`` acts for the whole city (city-wide HR);
#: core's account rules ask (enrolment codes), kompetensi provides. Without one: superusers.
CITY_WIDE_AUTHORITY = "city_wide_authority"
#: ``provider(user_id) -> object | None``: the person record of an account (kompetensi's
#: ``Employee``: ``.email`` is the address waiting for confirmation, the record is the data
#: subject of the audit rows about the account); core's accounts ask.
ACCOUNT_PERSON = "account_person"
#: ``provider(nip) -> str | None``: the username of the account of the employee with this
#: 18-digit NIP (sign-in by NIP, core's auth backend asks, kompetensi provides).
LOGIN_NAME_FOR_NIP = "login_name_for_nip"

_registry: dict[str, list[Callable[..., Any]]] = {}


def register(name: str, provider: Callable[..., Any] | None = None):
    """Register ``provider`` under ``name`` (once: registering it again changes nothing).
    Usable as a decorator: ``@hooks.register(hooks.HOME_LEARNER)``."""

    def add(fn: Callable[..., Any]) -> Callable[..., Any]:
        providers = _registry.setdefault(name, [])
        if fn not in providers:
            providers.append(fn)
        return fn

    return add(provider) if provider is not None else add


def unregister(name: str, provider: Callable[..., Any]) -> None:
    """Remove ``provider`` from ``name`` (a no-op when it is not registered); for tests that
    register a provider of their own and must leave the registry as they found it."""
    providers = _registry.get(name)
    if providers and provider in providers:
        providers.remove(provider)


def get_hooks(name: str) -> list[Callable[..., Any]]:
    """The providers registered under ``name``, in the order they were registered."""
    return list(_registry.get(name, ()))


def first(name: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    """The answer of the first provider of ``name``, or ``default`` when none is registered."""
    providers = _registry.get(name)
    if not providers:
        return default
    return providers[0](*args, **kwargs)
