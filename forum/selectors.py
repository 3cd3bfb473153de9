"""Reads of the forum app for pages, the API and other apps (portal pages call
``forum_url_for_module`` and ``recent_topics_visible_to``).

Long lists page by an indexed offset on denormalised counts: topics of a forum on
(forum, -is_pinned, -last_post_at, -id), posts of a topic on
(topic, status, created_at, id). No list runs a COUNT(*) over a big table."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from core import dataversion

from . import permissions as perms
from .models import Category, Forum, Post, PostReport, ReadMarker, Subscription, Topic

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 20
SEARCH_LIMIT = 50


@dataclass
class Page:
    number: int
    num_pages: int
    items: list

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link: first, last and two around the current one (None = gap)."""
        wanted = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        out: list[int | None] = []
        last = 0
        for n in sorted(x for x in wanted if 1 <= x <= self.num_pages):
            if n - last > 1:
                out.append(None)
            out.append(n)
            last = n
        return out


def page_number(raw, num_pages: int) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), max(num_pages, 1))


# --- forums --------------------------------------------------------------------------------


def forum_index(user) -> list[tuple[Category, list[Forum]]]:
    """Visible forums grouped by category (one query)."""
    forums = (
        perms.forums_visible_to(user)
        .select_related("category")
        .order_by("category__position", "category__name", "position", "name")
    )
    groups: dict[int, tuple[Category, list[Forum]]] = {}
    for forum in forums:
        groups.setdefault(forum.category_id, (forum.category, []))[1].append(forum)
    return list(groups.values())


def forum_get_visible(user, slug: str) -> Forum:
    forum = perms.forums_visible_to(user).select_related("category").filter(slug=slug).first()
    if forum is None:
        raise Http404("Forum tidak ditemukan.")
    return forum


def topic_page(user, forum: Forum, number) -> Page:
    num_pages = max(math.ceil(forum.topic_count / TOPICS_PER_PAGE), 1)
    number = page_number(number, num_pages)
    offset = (number - 1) * TOPICS_PER_PAGE
    qs = (
        Topic.objects.filter(forum=forum, is_approved=True)
        .select_related("author", "last_poster")
        .order_by("-is_pinned", "-last_post_at", "-id")
    )
    qs = _with_read_marker(qs, user)
    items = list(qs[offset : offset + TOPICS_PER_PAGE])
    _set_unread(items, user)
    return Page(number, num_pages, items)


def _with_read_marker(qs: QuerySet[Topic], user) -> QuerySet[Topic]:
    if not (user and user.is_authenticated):
        return qs
    return qs.annotate(
        read_at=Subquery(
            ReadMarker.objects.filter(topic=OuterRef("pk"), user_id=user.pk).values("last_read_at")[
                :1
            ]
        )
    )


# A topic the reader has never opened is "Baru" only when its last post is recent (and came
# after they joined): without this every older topic was marked new for every reader.
UNREAD_WINDOW = timedelta(days=14)


def _set_unread(topics, user=None) -> None:
    """``topic.is_unread``: a post the reader has not seen. Opened before: a later post than
    their read marker. Never opened: the last post within :data:`UNREAD_WINDOW` and after the
    reader joined. The reader's own last post is never new to them."""
    since = timezone.now() - UNREAD_WINDOW
    joined = getattr(user, "date_joined", None)
    if joined is not None and joined > since:
        since = joined
    user_id = getattr(user, "pk", None)
    for topic in topics:
        read_at = getattr(topic, "read_at", None)
        if user_id is not None and topic.last_poster_id == user_id:
            topic.is_unread = False
        elif read_at is None:
            topic.is_unread = topic.last_post_at is not None and topic.last_post_at > since
        else:
            topic.is_unread = read_at < topic.last_post_at


# --- topics --------------------------------------------------------------------------------


def topic_get_visible(user, pk: int) -> tuple[Topic, perms.ForumAccess]:
    """The topic and the user's access to its forum; 404 if the user may not read it."""
    topic = (
        Topic.objects.select_related("forum__category", "author")
        .filter(pk=pk, forum__in=perms.forums_visible_to(user))
        .first()
    )
    return topic, _topic_access(user, topic)


def _topic_access(user, topic: Topic | None) -> perms.ForumAccess:
    if topic is None:
        raise Http404("Topik tidak ditemukan.")
    access = perms.forum_access(user, topic.forum)
    if not access.view or (not topic.is_approved and not access.moderate):
        is_author = topic.author_id == getattr(user, "pk", None)
        if not (access.view and is_author):
            raise Http404("Topik tidak ditemukan.")
    return access


def topic_get_visible_cached(user, pk: int) -> tuple[Topic, perms.ForumAccess, str]:
    """``topic_get_visible`` from the cached topic row (forum.topic_page; same rules, checked
    on each request), plus the topic's data version for the page's other cached parts. The
    topic's forum carries no counters one may rely on (they move with other topics' posts)."""
    from .topic_page import cached_topic

    topic, version = cached_topic(pk)
    return topic, _topic_access(user, topic), version


def post_to_quote(topic: Topic, pk: int) -> Post | None:
    """A published, visible post of the topic with its author's user name (quoting)."""
    return (
        Post.objects.select_related("author")
        .filter(pk=pk, topic_id=topic.pk, status=Post.Status.PUBLISHED, is_hidden=False)
        .only("body_markdown", "author__username")
        .first()
    )


def is_subscribed(user, topic: Topic) -> bool:
    return Subscription.objects.filter(user_id=user.pk, topic_id=topic.pk).exists()


def post_get_visible(user, pk: int) -> tuple[Post, perms.ForumAccess]:
    post = (
        Post.objects.select_related("topic__forum", "author")
        .filter(pk=pk, topic__forum__in=perms.forums_visible_to(user))
        .first()
    )
    if post is None:
        raise Http404("Pesan tidak ditemukan.")
    access = perms.forum_access(user, post.topic.forum)
    if post.status != Post.Status.PUBLISHED and not (access.moderate or post.author_id == user.pk):
        raise Http404("Pesan tidak ditemukan.")
    return post, access


def post_page_number(post: Post) -> int:
    before = Post.objects.filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, id__lt=post.pk),
        topic_id=post.topic_id,
        status=Post.Status.PUBLISHED,
    ).count()
    return before // POSTS_PER_PAGE + 1


# --- search, moderation, other apps --------------------------------------------------------


def search_posts(user, query: str) -> list[Post]:
    words = [w for w in (query or "").split() if len(w) >= 2][:6]
    if not words:
        return []
    match = Q()
    for word in words:
        match &= Q(body_markdown__icontains=word) | Q(topic__title__icontains=word)
    return list(
        Post.objects.filter(
            match,
            status=Post.Status.PUBLISHED,
            is_hidden=False,
            topic__is_approved=True,
            topic__forum__in=perms.forums_visible_to(user),
        )
        .select_related("topic__forum", "author")
        .order_by("-created_at", "-id")[:SEARCH_LIMIT]
    )


def _pending_posts(moderated) -> QuerySet[Post]:
    """Posts waiting for a moderator of ``moderated`` (the queue and its count on the home)."""
    return Post.objects.filter(status=Post.Status.PENDING, topic__forum__in=moderated)


def _open_reports(moderated) -> QuerySet[PostReport]:
    return PostReport.objects.filter(resolved_at__isnull=True, post__topic__forum__in=moderated)


def moderation_queue(user) -> dict:
    moderated = perms.forums_moderated_by(user)
    pending = list(
        _pending_posts(moderated)
        .select_related("topic__forum", "author")
        .order_by("created_at", "id")[:100]
    )
    reports = list(
        _open_reports(moderated)
        .select_related("post__topic__forum", "post__author", "reporter")
        .order_by("created_at", "id")[:100]
    )
    return {"pending": pending, "reports": reports}


def moderator_home_panels(user) -> list[dict]:
    """``hooks.HOME_PANELS``: a moderator's queue on the home page (pending posts, open
    reports). One query for a user who moderates nothing, three for a moderator."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if not is_moderator_anywhere(user):
        return []
    moderated = perms.forums_moderated_by(user)
    pending = _pending_posts(moderated).count()
    reports = _open_reports(moderated).count()
    url = reverse("forum:moderation")
    return [
        {
            "id": "moderasi-forum",
            "title": _("Moderasi forum"),
            "items": [
                {
                    "text": ngettext(
                        "%(n)d pesan menunggu persetujuan",
                        "%(n)d pesan menunggu persetujuan",
                        pending,
                    )
                    % {"n": pending},
                    "count": pending,
                    "url": url,
                },
                {
                    "text": ngettext(
                        "%(n)d laporan belum ditangani", "%(n)d laporan belum ditangani", reports
                    )
                    % {"n": reports},
                    "count": reports,
                    "url": url,
                },
            ],
            "links": [{"text": _("Antrean moderasi"), "url": url}],
        }
    ]


def is_moderator_anywhere(user) -> bool:
    return perms.forums_moderated_by(user).exists()


def forum_url_for_module(module_id: int) -> str | None:
    slug = Forum.objects.filter(module_id=module_id).values_list("slug", flat=True).first()
    return f"/forum/{slug}/" if slug else None


def forum_url_for_module_cached(module_id: int) -> str | None:
    """``hooks.MODULE_FORUM_URL`` (the module and lesson pages): :func:`forum_url_for_module`
    cached under the "forums" data version."""
    return dataversion.cached(
        "forums", f"module-forum:{module_id}", lambda: forum_url_for_module(module_id)
    )


def recent_topics_visible_to(user, limit: int = 5) -> list[Topic]:
    """The latest active topics of the forums ``user`` may read (home page), cached under the
    "forum-topics" data version (topics, forums, categories) and the set of visible forums:
    readers who see the same forums share one entry."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    if user.is_superuser:
        forum_ids, scope = None, "all"
    else:
        forum_ids = perms.visible_forum_ids(user)
        if not forum_ids:
            return []
        scope = hashlib.sha256(",".join(map(str, forum_ids)).encode()).hexdigest()[:24]

    def compute() -> list[Topic]:
        qs = Topic.objects.filter(is_approved=True)
        if forum_ids is not None:
            qs = qs.filter(forum_id__in=forum_ids)
        # The ids first, on the recent-activity index without a join, then their rows: with the
        # forum joined, SQLite read every topic of the visible forums and sorted them (5 ms).
        ids = list(qs.order_by("-last_post_at", "-id").values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        rows = Topic.objects.select_related("forum", "last_poster").in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    return dataversion.cached("forum-topics", f"recent-topics:{scope}:{limit}", compute)


def move_targets(user, topic: Topic) -> QuerySet[Forum]:
    return perms.forums_moderated_by(user).exclude(pk=topic.forum_id).order_by("name")


def forum_grants(forum: Forum) -> dict:
    """Who holds which object permission on the forum (two queries)."""
    from .models import ForumGroupObjectPermission, ForumUserObjectPermission

    groups = (
        ForumGroupObjectPermission.objects.filter(content_object=forum)
        .select_related("group", "permission")
        .order_by("group__name", "permission__codename")
    )
    users = (
        ForumUserObjectPermission.objects.filter(content_object=forum)
        .select_related("user", "permission")
        .order_by("user__username", "permission__codename")
    )
    return {"groups": list(groups), "users": list(users)}
