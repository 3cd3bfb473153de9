"""Browser tests: Playwright (sync API) drives Debian Chromium against pytest-django's live_server.

Fixtures and helpers for every ``tests/e2e/test_*.py``:

- ``page``: a fresh browser context and page per test (one Chromium per session), locale
  ``id-ID``, ``base_url`` = the live server, so ``page.goto("/masuk/")`` works. The page
  records console errors, uncaught page errors, sub-resources (CSS, images, scripts) that
  failed to load, and every request to a host that is not this
  machine (such requests are aborted); the test FAILS on any of them at teardown. Mark a test
  ``@pytest.mark.allow_console_errors`` when console errors are expected (e.g. a 404 page).
- ``demo_data``: the demo of Kota Serang (``seed_demo --with-demo-users``, committed, seeded
  once per run: ``committed_demo_db``) in the live server's database; returns
  ``DEMO_PASSWORD``. What a test commits is gone before the next test (the database is copied
  again from its template, tests/database.py).
- ``login(page, username, password="sikap-demo")``: log in through /masuk/.
- ``axe_check(page)``: run axe-core on the current page, return serious/critical violations.

Chromium: ``CHROMIUM_PATH`` or /usr/bin/chromium, one per test process, started by the first
e2e test and closed after the last one of a run of e2e tests (DJANGO_ALLOW_ASYNC_UNSAFE is set
only meanwhile: Playwright's sync API keeps an event loop running in the test thread). Playwright, Chromium or axe-core missing:
the test is skipped with the reason, or fails when SIKAP_REQUIRE_SERVICES=1 (as in .ci/run).

Our CSP stays enforced in the browser (no ``bypass_csp``): an inline script or style on our
pages shows up as a console error and fails the test. axe-core is injected with
``page.evaluate`` (DevTools evaluation is not subject to the page's CSP).
"""

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.services import chromium_path, require_service

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "sikap-demo"  # noqa: S105 - the documented demo password
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "allow_console_errors: the page may log console errors (e.g. a 404 page)"
    )


def pytest_collection_modifyitems(items):
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)


def is_local_url(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https", "ws", "wss"}:
        return True  # data:, blob:, about:, chrome-error:
    return (parsed.hostname or "") in LOCAL_HOSTS


def _chromium_executable() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or chromium_path()
    return path if path and os.path.exists(path) else None


class _Chromium:
    """One Playwright + Chromium per process, alive only while e2e tests run.

    Playwright's sync API keeps an asyncio loop running in this thread, so Django's ORM needs
    DJANGO_ALLOW_ASYNC_UNSAFE meanwhile. The variable is set only while the browser lives and
    the browser is closed as soon as the next test is not an e2e test, so no other test (nor a
    subprocess it starts, e.g. ``manage.py check --deploy``) runs with it.
    """

    playwright = None
    browser = None
    saved_env: str | None = None

    @classmethod
    def get(cls):
        if cls.browser is not None and cls.browser.is_connected():
            return cls.browser
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            require_service("Playwright", False, "paket python 'playwright' belum terpasang")
        executable = _chromium_executable()
        require_service(
            "Chromium",
            executable is not None,
            "tidak ada /usr/bin/chromium (atur CHROMIUM_PATH atau: apt-get install -y chromium)",
        )
        cls.close()
        cls.saved_env = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        return cls.browser

    @classmethod
    def close(cls) -> None:
        if cls.browser is not None:
            with contextlib.suppress(Exception):
                cls.browser.close()
        if cls.playwright is not None:
            with contextlib.suppress(Exception):
                cls.playwright.stop()
            if cls.saved_env is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls.saved_env
        cls.browser = cls.playwright = cls.saved_env = None


def _is_e2e(item) -> bool:
    return item is not None and Path(__file__).parent in Path(str(item.fspath)).parents


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    if _is_e2e(item) and not _is_e2e(nextitem):
        _Chromium.close()


def close_browser_before(item) -> None:
    """Called by tests/conftest.py before every test: the ``nextitem`` seen at teardown is a
    guess under ``--dist worksteal`` (the other worker may steal it), so a test outside
    tests/e2e never starts with the browser (and DJANGO_ALLOW_ASYNC_UNSAFE) alive."""
    if not _is_e2e(item) and _Chromium.playwright is not None:
        _Chromium.close()


def pytest_sessionfinish(session):
    _Chromium.close()


@pytest.fixture
def browser():
    """The process's Chromium (started on first use)."""
    return _Chromium.get()


@dataclass
class PageLog:
    """What a page did that a test must not ignore."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_resources: list[str] = field(default_factory=list)

    def problems(self, *, console: bool = True) -> list[str]:
        found = [f"permintaan ke host luar: {url}" for url in self.foreign_requests]
        found += [f"galat JavaScript: {text}" for text in self.page_errors]
        found += [f"sumber daya gagal dimuat: {text}" for text in self.failed_resources]
        if console:
            found += [f"galat konsol: {text}" for text in self.console_errors]
        return found


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(context, page_log, request):
    def _on_request(req):
        if not is_local_url(req.url):
            page_log.foreign_requests.append(req.url)

    def _abort_foreign(route):
        page_log.foreign_requests.append(route.request.url)
        route.abort()

    context.route(lambda url: not is_local_url(url), _abort_foreign)
    page = context.new_page()
    page.on("request", _on_request)

    def _on_console(msg):
        # A page answered 4xx on purpose (404, 429 …) makes Chromium log "Failed to load
        # resource"; failed sub-resources (CSS, images, scripts) are caught by _on_response.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            page_log.console_errors.append(msg.text)

    def _on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            page_log.failed_resources.append(f"{response.status} {response.url}")

    page.on("console", _on_console)
    page.on("response", _on_response)
    page.on("pageerror", lambda exc: page_log.page_errors.append(str(exc)))
    yield page
    allow_console = request.node.get_closest_marker("allow_console_errors") is not None
    problems = sorted(set(page_log.problems(console=not allow_console)))
    if problems:
        pytest.fail("Halaman bermasalah:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def demo_data(committed_demo_db, transactional_db, live_server) -> str:
    """The demo data in the live server's database (the session's demo template, copied again
    after the test: tests/database.py); returns the demo password."""
    return DEMO_PASSWORD


def login(page, username: str, password: str = DEMO_PASSWORD, *, expect_success: bool = True):
    """Log in through the /masuk/ form; with expect_success, wait until we left the form."""
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    if expect_success:
        assert "/masuk/" not in page.url, f"masuk sebagai {username!r} gagal: {page.url}"
    return page


@pytest.fixture(name="login")
def login_fixture():
    return login


class AxeViolations(list):
    """Serious/critical axe violations; prints readably in an assertion message."""

    def __repr__(self) -> str:
        if not self:
            return "[]"
        lines = []
        for v in self:
            targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} → {targets}")
        return "\n" + "\n".join(lines)


def axe_check(page, *, impacts=("serious", "critical"), options: dict | None = None):
    """Run axe-core on the page; return violations whose impact is in ``impacts``."""
    require_service(
        "axe-core",
        AXE_PATH.exists(),
        f"{AXE_PATH.relative_to(ROOT)} tidak ada (jalankan: make axe)",
    )
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (options) => { const r = await axe.run(document, options);"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " helpUrl: v.helpUrl, nodes: v.nodes.map(n => ({target: n.target, html: n.html,"
        " summary: n.failureSummary}))})); }",
        {"resultTypes": ["violations"], **(options or {})},
    )
    return AxeViolations(v for v in results if v["impact"] in impacts)


@pytest.fixture(name="axe_check")
def axe_check_fixture():
    return axe_check
