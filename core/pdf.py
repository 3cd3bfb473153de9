"""HTML → PDF (and PDF/A), the rendering primitive: the only module of the project that imports
WeasyPrint (lazily, so importing it in a web process costs nothing until a PDF is rendered).

What a document says is its app's business: the certificate (``workflow/certificates/pdf.py``),
the SKM poster (``skm/poster.py``), the HR reports and the personal-data export (``reports``)
each build their HTML and register their stylesheet here (:func:`register_stylesheet`, at import
of their module, from their ``AppConfig.ready()``); "report" (A4 portrait) is this module's own.

One renderer per process: the WeasyPrint ``FontConfiguration`` (Fontconfig + Pango font map,
by far the most expensive thing to build) and the parsed stylesheets are created once, on first
use, under a lock. Rendering itself is serialised by the same renderer lock: the shared Pango
font map is not meant to be used from several threads at once, and WeasyPrint is CPU-bound
Python anyway, so the lock costs nothing in a Celery prefork worker (one thread per process).

Resources: only ``data:`` URLs are fetched (a QR code, a background image). No network, ever,
and no local files, except files below a local ``base_url`` given to :func:`render_html_pdf`
(e.g. the static folder, for a logo in an HR report).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

if TYPE_CHECKING:  # pragma: no cover
    import weasyprint

__all__ = [
    "EXTRA_STYLESHEETS_CACHED",
    "STYLESHEETS",
    "harfbuzz_subset_available",
    "pdf_sha256",
    "register_stylesheet",
    "render_html_pdf",
    "warm_up",
]

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
# Stylesheet name -> CSS file, parsed once per process (registered by the apps).
STYLESHEETS: dict[str, Path] = {}
# Stylesheets rendered with a small user-agent stylesheet of their own instead of WeasyPrint's
# HTML5 one (the certificate uses a handful of elements; see certificate_ua.css).
LEAN_UA_STYLESHEETS: dict[str, Path] = {}
# Parsed extra stylesheets (certificate backgrounds) kept per process.
EXTRA_STYLESHEETS_CACHED = 4


def register_stylesheet(name: str, path: Path, *, lean_ua: Path | None = None) -> None:
    """Make ``name`` a stylesheet of :func:`render_html_pdf` (``path``: its CSS file; with
    ``lean_ua``, the user-agent stylesheet that replaces WeasyPrint's own for it)."""
    STYLESHEETS[name] = Path(path)
    if lean_ua is not None:
        LEAN_UA_STYLESHEETS[name] = Path(lean_ua)


register_stylesheet("report", TEMPLATES_DIR / "core" / "pdf" / "report.css")


# --------------------------------------------------------------------------------------------
# Renderer (per-process singleton)
# --------------------------------------------------------------------------------------------


class _Renderer:
    """FontConfiguration + parsed stylesheets, built once per process."""

    def __init__(self) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        class LocalFetcher(weasyprint.URLFetcher):
            """``data:`` always; ``file:`` only below ``root``; never the network."""

            def __init__(self, root: Path | None) -> None:
                protocols = {"data"} if root is None else {"data", "file"}
                super().__init__(allowed_protocols=protocols, fail_on_errors=False)
                self._root = root

            def fetch(self, url: str, headers: Any = None) -> Any:
                if self._root is not None and url[:5].lower() == "file:":
                    path = Path(url2pathname(urlsplit(url).path)).resolve()
                    if not path.is_relative_to(self._root):
                        raise ValueError(f"not below base_url: {url}")
                return super().fetch(url, headers)

        self.weasyprint = weasyprint
        self.fetcher_class = LocalFetcher
        self.font_config = FontConfiguration()
        self.stylesheets: dict[str, weasyprint.CSS] = {}
        # Our own user-agent stylesheets (WeasyPrint 70 asks the document for it through
        # ``HTML._ua_stylesheets``; without that hook the default one is used).
        self.lean_html_class = None
        if hasattr(weasyprint.HTML, "_ua_stylesheets"):

            class LeanHTML(weasyprint.HTML):
                lean_ua: weasyprint.CSS | None = None

                def _ua_stylesheets(self, forms: bool = False) -> list:
                    if self.lean_ua is None:  # pragma: no cover - set by write_pdf
                        return super()._ua_stylesheets(forms=forms)
                    return [self.lean_ua]

            self.lean_html_class = LeanHTML
        self.lean_ua: dict[str, weasyprint.CSS] = {}
        self.extra_stylesheets: dict[str, weasyprint.CSS] = {}
        self.fetchers: dict[Path | None, Any] = {}
        self.lock = threading.Lock()
        for name in list(STYLESHEETS):
            self._stylesheet(name)

    def _stylesheet(self, name: str) -> weasyprint.CSS:
        """The parsed stylesheet ``name`` (and its lean user-agent stylesheet), parsed on first
        use: every one registered when the renderer is built, a later one when first asked."""
        css = self.stylesheets.get(name)
        if css is not None:
            return css
        try:
            path = STYLESHEETS[name]
        except KeyError:
            raise ValueError(
                f"unknown stylesheet {name!r}; expected one of {sorted(STYLESHEETS)}"
            ) from None
        css = self.weasyprint.CSS(
            string=path.read_text(encoding="utf-8"),
            base_url=path.parent.as_uri() + "/",
            font_config=self.font_config,
            url_fetcher=self.fetcher_class(None),
        )
        ua_path = LEAN_UA_STYLESHEETS.get(name)
        if ua_path is not None:
            self.lean_ua[name] = self.weasyprint.CSS(
                string=ua_path.read_text(encoding="utf-8"),
                font_config=self.font_config,
                url_fetcher=self.fetcher_class(None),
            )
        self.stylesheets[name] = css
        return css

    def _extra_stylesheet(self, extra_css: str) -> weasyprint.CSS:
        """Parsed once per distinct text: the certificate's background is a data: URL of a few
        hundred KB, which tinycss2 takes about 30 ms to tokenise; every certificate of a
        template has the same one. A handful of entries (one per template in use)."""
        css = self.extra_stylesheets.get(extra_css)
        if css is None:
            css = self.weasyprint.CSS(
                string=extra_css,
                font_config=self.font_config,
                url_fetcher=self.fetcher_class(None),
            )
            if len(self.extra_stylesheets) >= EXTRA_STYLESHEETS_CACHED:
                self.extra_stylesheets.clear()
            self.extra_stylesheets[extra_css] = css
        return css

    def write_pdf(
        self,
        html: str,
        *,
        stylesheet: str,
        base_url: str | None,
        extra_css: str = "",
        pdf_variant: str | None = None,
    ) -> bytes:
        root = _local_root(base_url)
        with self.lock:
            stylesheets = [self._stylesheet(stylesheet)]
            if extra_css:
                stylesheets.append(self._extra_stylesheet(extra_css))
            lean_ua = self.lean_ua.get(stylesheet) if self.lean_html_class else None
            # One fetcher per root, reused under the lock (a fetcher keeps per-request state;
            # building one costs ~0.2 ms: urllib handlers and an SSL context).
            fetcher = self.fetchers.get(root)
            if fetcher is None:
                if len(self.fetchers) >= 8:
                    self.fetchers.clear()
                fetcher = self.fetchers[root] = self.fetcher_class(root)
            if lean_ua is not None:
                document = self.lean_html_class(string=html, base_url=base_url, url_fetcher=fetcher)
                document.lean_ua = lean_ua
            else:
                document = self.weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            return document.write_pdf(
                stylesheets=stylesheets,
                font_config=self.font_config,
                pdf_variant=pdf_variant,
            )


def _local_root(base_url: str | None) -> Path | None:
    """The local directory ``base_url`` points at (a path or a ``file:`` URL), else None."""
    if not base_url:
        return None
    if base_url[:5].lower() == "file:":
        path = Path(url2pathname(urlsplit(base_url).path))
    elif "://" in base_url:
        return None
    else:
        path = Path(base_url)
    path = path.resolve()
    return path if path.is_dir() else path.parent


_renderer: _Renderer | None = None
_renderer_lock = threading.Lock()


def _get_renderer() -> _Renderer:
    global _renderer
    if _renderer is None:
        with _renderer_lock:
            if _renderer is None:
                _renderer = _Renderer()
    return _renderer


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def render_html_pdf(
    html: str,
    *,
    base_url: str | None = None,
    stylesheet: str = "report",
    extra_css: str = "",
    pdf_variant: str | None = None,
) -> bytes:
    """Render already-rendered HTML to PDF with one of the registered stylesheets.

    ``stylesheet`` is a key of ``STYLESHEETS`` ("report": A4 portrait, for HR reports).
    ``extra_css`` is added after it (parsed once per distinct text); ``pdf_variant`` is
    WeasyPrint's (e.g. ``"pdf/a-3b"``). ``base_url`` resolves relative URLs; when it is local
    (a directory path or ``file:`` URL) files below that directory may be loaded, nothing else
    on disk. HTTP(S) is never fetched.
    """
    return _get_renderer().write_pdf(
        html,
        stylesheet=stylesheet,
        base_url=base_url,
        extra_css=extra_css,
        pdf_variant=pdf_variant,
    )


def pdf_sha256(data: bytes) -> str:
    """Hex SHA-256 of a PDF (a certificate stores it to prove a file is the one issued)."""
    return hashlib.sha256(data).hexdigest()


def harfbuzz_subset_available() -> bool:
    """Whether ``libharfbuzz-subset.so.0`` loads.

    Without it WeasyPrint falls back to fontTools for font subsetting, which is several times
    slower per PDF; the worker logs an error at start-up when this returns False.
    """
    names = [ctypes.util.find_library("harfbuzz-subset"), "libharfbuzz-subset.so.0"]
    for name in names:
        if not name:
            continue
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


def warm_up() -> None:
    """Build the per-process renderer now (e.g. from a worker's ``worker_process_init``): the
    font configuration and every registered stylesheet."""
    _get_renderer()
