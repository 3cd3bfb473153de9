"""The topic page, built for a topic of thousands of posts read by many people.

A page of posts is split into what every reader sees the same (author, time, "edited" link,
answer badge, body, thanks count: templates/forum/_post_list.html) and what depends on the
reader (the thanks button, quote/edit/delete/answer/report/moderation controls and their
CSRF tokens). The shared part is rendered once and cached under the topic's data version
(``core.dataversion``: the global "topic" version and the topic's scope "topic:<id>", which
the forum services move for every write of that topic, and any other write to the forum's
tables moves globally): one cached entry per topic, page, language, time zone and
"moderator view" (hidden posts show their text and reason to moderators only). The reader's
part is added on each request from one query (``reader_state``) and never cached.

The topic row is cached the same way; the permission check runs on it before anything else
(the cached topic carries no one's access). Authors' display names are cached with the page:
a renamed user shows under the new name once the entry expires (``TIMEOUT``) or the topic
changes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import dataversion

from . import permissions as perms
from .models import Post, Reaction, ReadMarker, Subscription, Topic
from .selectors import POSTS_PER_PAGE

TIMEOUT = 600
_KEY = "sikap:forum-topic"
_MISSING = object()


def topic_version(topic_id: int) -> str:
    """Key part that changes with any write of the topic (one cache round trip)."""
    return dataversion.versions("topic", f"topic@topic:{topic_id}")


def cached_topic(pk: int) -> tuple[Topic | None, str]:
    """The topic with its forum, cached under its version (a missing topic is not cached), and
    that version."""
    version = topic_version(pk)
    key = f"{_KEY}:{version}:row:{pk}"
    topic = cache.get(key, _MISSING)
    if topic is _MISSING:
        topic = Topic.objects.select_related("forum").filter(pk=pk).first()
        if topic is not None:
            _set(key, topic)
    return topic, version


def _set(key: str, value) -> None:
    try:
        cache.set(key, value, TIMEOUT)
    except Exception:  # noqa: BLE001 - cache down: served uncached
        pass


@dataclass
class SharedPage:
    """A page of posts as every reader sees it: ``parts`` are the HTML between the places of
    the reader's controls (one more than ``rows``); ``rows`` (pk, author id, hidden, created
    at) decide those controls."""

    parts: list[str]
    rows: list[tuple[int, int, bool, datetime]]


def shared_page(topic: Topic, version: str, number: int, *, moderator: bool) -> SharedPage:
    key = (
        f"{_KEY}:{version}:page:{topic.pk}:{number}:{get_language()}:"
        f"{timezone.get_current_timezone_name()}:{'m' if moderator else 'r'}"
    )
    value = cache.get(key)
    if value is None:
        value = _render_shared(topic, number, moderator=moderator)
        _set(key, value)
    return value


def _render_shared(topic: Topic, number: int, *, moderator: bool) -> SharedPage:
    offset = (number - 1) * POSTS_PER_PAGE
    posts = list(
        Post.objects.filter(topic_id=topic.pk, status=Post.Status.PUBLISHED)
        .select_related("author")
        .only(
            "id",
            "topic_id",
            "author_id",
            "body_html",
            "created_at",
            "edited_at",
            "is_hidden",
            "hidden_reason",
            "thanks_count",
            "author__username",
            "author__first_name",
            "author__last_name",
        )
        .order_by("created_at", "id")[offset : offset + POSTS_PER_PAGE]
    )
    _link_mentions(posts)
    # A mark no post can contain (bodies are sanitised without comments, names are escaped).
    mark = f"<!--controls-{secrets.token_hex(8)}-->"
    html = render_to_string(
        "forum/_post_list.html",
        {"posts": posts, "topic": topic, "moderator": moderator, "controls_mark": mark_safe(mark)},  # noqa: S308
    )
    parts = html.split(mark)
    if len(parts) != len(posts) + 1:  # pragma: no cover - the template lost its mark
        raise RuntimeError("forum/_post_list.html: one controls mark per post expected")
    return SharedPage(
        parts=parts, rows=[(p.pk, p.author_id, p.is_hidden, p.created_at) for p in posts]
    )


def _link_mentions(posts) -> None:
    """``@username`` / ``@NIP`` of existing users in the page's posts become highlighted links
    (to the forum search for that handle), at render time: the stored HTML stays as it was
    sanitised. One query for the whole page, none when no post mentions anyone."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.urls import reverse
    from django.utils.http import urlencode

    from .rendering import link_mentions, mentions_in_html

    handles: set[str] = set()
    for post in posts:
        handles |= mentions_in_html(post.body_html)
    if not handles:
        return
    nips = {h for h in handles if h.isdigit() and len(h) == 18}
    known: set[str] = set()
    for username, nip in (
        get_user_model()
        .objects.filter(Q(username__in=handles) | Q(employee__nip__in=nips), is_active=True)
        .values_list("username", "employee__nip")
    ):
        known.add(username)
        if nip:
            known.add(nip)
    known &= handles
    search = reverse("forum:search")

    def href(handle: str) -> str:
        return f"{search}?{urlencode({'q': handle})}"

    for post in posts:
        post.body_html = link_mentions(post.body_html, known, href)


# --- the reader's part ---------------------------------------------------------------------


@dataclass
class ReaderState:
    thanked: set[int] = field(default_factory=set)
    subscribed: bool = False
    pending: list[SafePost] = field(default_factory=list)
    has_marker: bool = False
    read_at: datetime | None = None


@dataclass
class SafePost:
    """One of the reader's own posts waiting for a moderator (shown to them only)."""

    pk: int
    body_html: str
    created_at: datetime


def _datetime(value):
    convert = getattr(connection.ops, "convert_datetimefield_value", None)  # SQLite: text
    return convert(value, None, connection) if convert and value is not None else value


def reader_state(user, topic: Topic, post_ids: list[int]) -> ReaderState:
    """The reader's thanks on the page's posts, their subscription, their posts waiting for
    a moderator and their read marker of the topic, in one query."""
    state = ReaderState()
    if not (user and user.is_authenticated):
        return state
    qn = connection.ops.quote_name
    post = qn(Post._meta.db_table)
    selects = [
        f"SELECT 's' AS k, topic_id AS i, NULL AS h, NULL AS t FROM {qn(Subscription._meta.db_table)}"
        " WHERE user_id = %s AND topic_id = %s",
        f"SELECT 'm', topic_id, NULL, last_read_at FROM {qn(ReadMarker._meta.db_table)}"
        " WHERE user_id = %s AND topic_id = %s",
        f"SELECT 'p', id, body_html, created_at FROM {post}"
        " WHERE topic_id = %s AND author_id = %s AND status = %s",
    ]
    params: list = [user.pk, topic.pk, user.pk, topic.pk, topic.pk, user.pk, Post.Status.PENDING]
    if post_ids:
        selects.append(
            f"SELECT 'r', post_id, NULL, NULL FROM {qn(Reaction._meta.db_table)}"
            f" WHERE user_id = %s AND post_id IN ({', '.join(['%s'] * len(post_ids))})"
        )
        params += [user.pk, *post_ids]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    for kind, pk, html, at in rows:
        if kind == "r":
            state.thanked.add(pk)
        elif kind == "s":
            state.subscribed = True
        elif kind == "m":
            state.has_marker, state.read_at = True, _datetime(at)
        else:
            state.pending.append(SafePost(pk, mark_safe(html), _datetime(at)))  # noqa: S308 - sanitised on save
    state.pending.sort(key=lambda p: (p.created_at, p.pk))
    return state


_POST_URLS = {
    "thanks": "forum:post_thanks",
    "edit": "forum:post_edit",
    "delete": "forum:post_delete",
    "answer": "forum:post_answer",
    "report": "forum:post_report",
    "hide": "forum:post_hide",
    "unhide": "forum:post_unhide",
}
_PK_MARK = "987654321"


@lru_cache(maxsize=16)
def _url_patterns(prefix: str) -> dict[str, tuple[str, str]]:
    """Each per-post URL reversed once (per script prefix) around a marker for the post id."""
    out = {}
    for key, name in _POST_URLS.items():
        head, _mark, tail = reverse(name, args=[int(_PK_MARK)]).partition(_PK_MARK)
        out[key] = (head, tail)
    return out


class _Row:
    """What the permission rules read of a post (``perms.can_edit_post`` and friends)."""

    __slots__ = ("pk", "author_id", "is_hidden", "created_at", "topic")

    def __init__(self, row, topic) -> None:
        self.pk, self.author_id, self.is_hidden, self.created_at = row
        self.topic = topic


def render_posts(
    request,
    topic: Topic,
    access: perms.ForumAccess,
    number: int,
    shared: SharedPage,
    state: ReaderState,
    *,
    can_reply: bool,
    can_mark_answer: bool,
    first_post_id: int | None,
) -> SafeString:
    """The page's posts with the reader's controls (same markup as the template had)."""
    user = request.user
    now = timezone.now()
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    urls = _url_patterns(get_script_prefix())

    def form(key: str, pk: int, label: str) -> str:
        head, tail = urls[key]
        return (
            f'\n          <form method="post" action="{head}{pk}{tail}">{csrf}\n'
            f'            <button type="submit" class="link-button">{label}</button>\n'
            "          </form>"
        )

    def link(key: str, pk: int, label: str) -> str:
        head, tail = urls[key]
        return f'<a href="{head}{pk}{tail}">{label}</a>'

    thanks, unthanks = escape(_("Terima kasih")), escape(_("Batal terima kasih"))
    quote, edit, delete = escape(_("Kutip")), escape(_("Ubah")), escape(_("Hapus"))
    mark, unmark = escape(_("Tandai sebagai jawaban")), escape(_("Lepas tanda jawaban"))
    report, hide, unhide = (
        escape(_("Laporkan")),
        escape(_("Sembunyikan")),
        escape(_("Tampilkan lagi")),
    )

    out = [shared.parts[0]]
    for raw, after in zip(shared.rows, shared.parts[1:], strict=True):
        post = _Row(raw, topic)
        pk, own, hidden = post.pk, post.author_id == user.pk, post.is_hidden
        controls = []
        if not own and not hidden:
            controls.append(form("thanks", pk, unthanks if pk in state.thanked else thanks))
        if can_reply and not hidden:
            controls.append(f'<a href="?halaman={number}&amp;kutip={pk}#balas">{quote}</a>')
        if perms.can_edit_post(user, access, post):
            controls.append(link("edit", pk, edit))
        if perms.can_delete_post(user, access, post, now):
            controls.append(form("delete", pk, delete))
        if can_mark_answer and pk != first_post_id and post.author_id != topic.author_id:
            controls.append(form("answer", pk, unmark if pk == topic.answer_id else mark))
        if not own:
            controls.append(link("report", pk, report))
        if access.moderate:
            controls.append(form("unhide", pk, unhide) if hidden else link("hide", pk, hide))
        out.append("\n        ".join(controls))
        out.append(after)
    return mark_safe("".join(out))  # noqa: S308 - escaped parts and the cached template output
