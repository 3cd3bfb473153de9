"""The sanitiser against XSS payloads: nothing executable survives, text stays readable."""

import re
from html.parser import HTMLParser

import pytest

from forum.rendering import find_mentions, quote_markdown, render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](&#x6A;avascript&#x3A;alert(1))",
    "[klik]( javascript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![gambar](javascript:alert(1))",
    "![gambar](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![gambar" onerror="alert(1)](x.png)',
    '[klik](http://x.example "judul" onmouseover="alert(1)")',
    '<p style="background:url(javascript:alert(1))">teks</p>',
    '<div style="position:fixed;top:0">menutupi</div>',
    "<style>body{display:none}</style>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=javascript:alert(1)><button>kirim</button></form>",
    "<object data=javascript:alert(1)></object>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "[a]: javascript:alert(1)\n\n[klik][a]",
    "<!-- <img src=x onerror=alert(1)> -->",
    "`<script>` tetap kode",
    "```\n<script>alert(1)</script>\n```",
]

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


ALLOWED_ATTRS = {"href", "title", "rel", "align"}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_harmless(payload):
    html = render_markdown(payload)
    parser = _Collect()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, html
        assert set(attrs) <= ALLOWED_ATTRS, html
        href = (attrs.get("href") or "").strip().lower()
        if href:
            assert re.match(r"^(https?://|mailto:|/|#)", href) or ":" not in href, html
        if tag == "a":
            assert attrs.get("rel") == "nofollow ugc noopener", html


def test_script_payload_stays_visible_as_text():
    html = render_markdown("<script>alert('xss')</script> halo")
    assert "&lt;script&gt;" in html
    assert "halo" in html


def test_links_get_nofollow_ugc_noopener():
    html = render_markdown("[SIKAP](https://serangkota.go.id/) dan <https://example.org>")
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert 'href="https://serangkota.go.id/"' in html


def test_markdown_features_kept():
    html = render_markdown("# Judul\n\n**tebal** *miring*\n\n> kutipan\n\n- satu\n- dua\n")
    assert "<h3>Judul</h3>" in html  # page headings are h1/h2; posts start at h3
    assert "<strong>tebal</strong>" in html and "<em>miring</em>" in html
    assert "<blockquote>" in html and "<li>satu</li>" in html


def test_mentions_found_outside_code():
    text = "Halo @asn_a dan @199305122019031004, lihat `@bukan` serta email a@b.go.id."
    assert find_mentions(text) == ["asn_a", "199305122019031004"]


def test_quote_prefix():
    assert quote_markdown("@asn", "baris 1\n\nbaris 2").startswith("> **@asn** menulis:")
