"""Small helpers shared by the browser tests."""

import os
from pathlib import Path


def shot(page, name: str) -> None:
    """A full-page screenshot into ``$SIKAP_E2E_SCREENSHOTS`` (when set) as ``<name>.png``."""
    folder = os.environ.get("SIKAP_E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def assert_no_overflow(page, where: str = "") -> None:
    """The page does not scroll sideways at the window's width."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where or page.url}: halaman melebar ke samping {widths}"
