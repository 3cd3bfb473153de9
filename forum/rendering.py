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


def quote_markdown(author_label: str, body_markdown: str) -> str:
    """A reply's starting text that quotes another post."""
    lines = (body_markdown or "").strip().splitlines()[:30]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"> **{author_label}** menulis:\n>\n{quoted}\n\n"


def excerpt(html_or_text: str, length: int = 200) -> str:
    text = re.sub(r"<[^>]+>", " ", html_or_text or "")
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
