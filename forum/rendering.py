"""Markdown → safe HTML for posts (pure, no ORM). Run once when a post is saved; pages and the
API show only the stored result.

Raw HTML in the Markdown is never passed through: Python-Markdown's HTML block/inline handling
is switched off (so ``<script>`` stays text) and the output is then cleaned by nh3 to a fixed
allow-list. Links may only be http(s)/mailto/relative and always get ``rel="nofollow ugc
noopener"``; images are not allowed (their alt text is kept as text)."""

import re

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "del",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

MENTION_RE = re.compile(r"(?<![\w@/])@(\d{18}|[A-Za-z][\w.+-]{1,149})(?![\w@])")


class _NoRawHtml(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown API name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def _image_alt_only(html: str) -> str:
    # ![alt](url) → alt text only (nh3 would drop the whole <img>).
    return re.sub(r"<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>", r"\1", html)


def render_markdown(text: str) -> str:
    """Markdown in, sanitised HTML out."""
    html = markdown.markdown(
        text or "",
        extensions=[_NoRawHtml(), "markdown.extensions.fenced_code", "markdown.extensions.tables"],
        output_format="html",
    )
    html = _image_alt_only(html)
    # Headings inside posts start at h3 (the page has h1/h2).
    html = re.sub(r"<(/?)h[12]\b", r"<\1h3", html)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )


def find_mentions(text: str) -> list[str]:
    """``@NIP`` (18 digits) or ``@username`` handles, in order, without duplicates; handles
    inside code spans/blocks are ignored."""
    without_code = re.sub(r"```.*?```|`[^`]*`", " ", text or "", flags=re.S)
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(without_code):
        seen.setdefault(match.group(1).rstrip("."), None)
    return list(seen)


_TAG_RE = re.compile(r"(<[^>]*>)")
_SKIP_TAGS = ("a", "code", "pre")


def mentions_in_html(html: str) -> set[str]:
    """The ``@`` handles in the text of stored post HTML (not inside links or code)."""
    found: set[str] = set()
    for text in _text_outside(html):
        for match in MENTION_RE.finditer(text):
            found.add(match.group(1).rstrip("."))
    return found


def _text_outside(html: str):
    depth = 0
    for piece in _TAG_RE.split(html or ""):
        if piece.startswith("<"):
            depth += _tag_step(piece)
        elif depth <= 0 and piece:
            yield piece


def _tag_step(tag: str) -> int:
    m = re.match(r"<(/?)([a-zA-Z0-9]+)", tag)
    if not m or m.group(2).lower() not in _SKIP_TAGS or tag.endswith("/>"):
        return 0
    return -1 if m.group(1) else 1


def link_mentions(html: str, known: set[str], href) -> str:
    """Stored (sanitised) post HTML with each ``@handle`` of an existing user (``known``)
    turned into a highlighted link ``<a class="mention" href="…">@handle</a>``, at render time.
    Text inside links and code is left alone; ``href(handle)`` gives the link (escaped here).
    Handles are letters, digits and ``.+-_`` only, so they need no escaping themselves."""
    if not known or not html:
        return html
    from html import escape

    def replace(match: re.Match) -> str:
        handle = match.group(1).rstrip(".")
        if handle not in known:
            return match.group(0)
        rest = match.group(1)[len(handle) :]
        return f'<a class="mention" href="{escape(href(handle))}">@{handle}</a>{rest}'

    out = []
    depth = 0
    for piece in _TAG_RE.split(html):
        if piece.startswith("<"):
            depth += _tag_step(piece)
            out.append(piece)
        elif depth <= 0 and "@" in piece:
            out.append(MENTION_RE.sub(replace, piece))
        else:
            out.append(piece)
    return "".join(out)


def quote_markdown(author_label: str, body_markdown: str) -> str:
    """A reply's starting text that quotes another post."""
    lines = (body_markdown or "").strip().splitlines()[:30]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"> **{author_label}** menulis:\n>\n{quoted}\n\n"


def excerpt(html_or_text: str, length: int = 200) -> str:
    text = re.sub(r"<[^>]+>", " ", html_or_text or "")
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
