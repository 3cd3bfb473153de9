"""Writes of the forum app. Every service is keyword-only and atomic; it checks permission and
state itself and raises ``ForumError`` (message in Bahasa Indonesia, HTTP-ish status) so pages
and the API give the same answer. Only this module grants guardian permissions."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from guardian.shortcuts import assign_perm, remove_perm

from core import dataversion, ratelimit

from . import permissions as perms
from .models import (
    Category,
    Forum,
    ForumPreference,
    Post,
    PostReport,
    PostRevision,
    Reaction,
    ReadMarker,
    Subscription,
    Topic,
)
from .rendering import excerpt, find_mentions, render_markdown

RATE_LIMIT_POSTS = 10
RATE_LIMIT_WINDOW_SECONDS = 60
TITLE_MAX = 200
BODY_MAX = 20000
MODULE_CATEGORY_SLUG = "modul-pelatihan"


class ForumError(Exception):
    """A refused forum action. ``status``: 403 not allowed, 404 not visible, 409 state
    conflict (locked topic), 422 bad input, 429 rate limited."""

    def __init__(self, message: str, status: int = 422, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


# --- forums and grants -------------------------------------------------------------------


def _require_access_manager(actor, forum: Forum) -> None:
    if not perms.can_manage_forum_access(actor, forum):
        raise ForumError("Forum tidak ditemukan.", status=404)


@transaction.atomic
def category_ensure(*, slug: str, name: str, description: str = "", position: int = 0) -> Category:
    category, _ = Category.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": description, "position": position}
    )
    return category


@transaction.atomic
def forum_create(
    *,
    category: Category,
    name: str,
    slug: str,
    description: str = "",
    is_public: bool = True,
    is_qa: bool = False,
    premoderation: bool = False,
    premoderation_threshold: int = 3,
    module=None,
    position: int = 0,
) -> Forum:
    forum, created = Forum.objects.get_or_create(
        slug=slug,
        defaults={
            "category": category,
            "name": name,
            "description": description,
            "is_public": is_public,
            "is_qa": is_qa,
            "premoderation": premoderation,
            "premoderation_threshold": premoderation_threshold,
            "module": module,
            "position": position,
        },
    )
    return forum


@transaction.atomic
def forum_grant(*, actor, forum: Forum, codename: str, group=None, user=None) -> None:
    """Grant ``codename`` on ``forum`` to a group or user: HR with authority and superusers
    (``permissions.can_manage_forum_access``); others get "not found"."""
    _require_access_manager(actor, forum)
    if codename not in perms.VIEW_CODES:
        raise ForumError(f"Izin forum tidak dikenal: {codename}.")
    target = group if group is not None else user
    if target is None:
        raise ForumError("Pilih grup atau pengguna yang diberi izin.")
    assign_perm(f"forum.{codename}", target, forum)


@transaction.atomic
def forum_revoke(*, actor, forum: Forum, codename: str, group=None, user=None) -> None:
    _require_access_manager(actor, forum)
    if codename not in perms.VIEW_CODES:
        raise ForumError(f"Izin forum tidak dikenal: {codename}.")
    remove_perm(f"forum.{codename}", group if group is not None else user, forum)


@transaction.atomic
def forum_ensure_for_module(*, module) -> Forum:
    """The discussion forum of a training module (one per module, public, Q&A)."""
    existing = Forum.objects.filter(module_id=module.pk).first()
    if existing is not None:
        if existing.name != module.title:
            existing.name = module.title
            existing.save(update_fields=["name"])
        return existing
    category = category_ensure(
        slug=MODULE_CATEGORY_SLUG,
        name="Diskusi Modul Pelatihan",
        description="Setiap modul pelatihan punya ruang tanya jawab sendiri.",
        position=20,
    )
    base = f"modul-{slugify(module.slug or module.title)[:90] or module.pk}"
    slug = base if not Forum.objects.filter(slug=base).exists() else f"{base}-{module.pk}"
    return forum_create(
        category=category,
        name=module.title,
        slug=slug,
        description=f"Tanya jawab dan berbagi pengalaman seputar modul “{module.title}”.",
        is_public=True,
        is_qa=True,
        module=module,
    )


# --- helpers -------------------------------------------------------------------------------


def _topic_changed(topic_id) -> None:
    """Cache versions (core/dataversion.py) after a service changed one topic, its posts,
    revisions, reactions or counters: that topic's page and every list of topics (whose order
    and counters follow its last post). Other topics' pages stay cached."""
    dataversion.bump("forum-topics", *dataversion.for_topic(topic_id))


def _writes_one_topic(topic_id_of):
    """Decorator: after the service (keyword-only) has written, the versions of the topic
    ``topic_id_of(kwargs)`` move (``_topic_changed``), at once and again at the commit of an
    enclosing transaction."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(**kwargs):
            topic_id = topic_id_of(kwargs)
            result = func(**kwargs)
            _topic_changed(topic_id)
            return result

        return wrapper

    return decorator


def _of_post(kwargs):
    return kwargs["post"].topic_id


def _of_topic(kwargs):
    return kwargs["topic"].pk


def _check_rate(user, now) -> None:
    """Count this post in the user's minute (the minute of ``now``); 429 beyond the limit."""
    if ratelimit.exceeded(
        "forum-rate",
        str(user.pk),
        limit=RATE_LIMIT_POSTS,
        window=RATE_LIMIT_WINDOW_SECONDS,
        at=now,
    ):
        raise ForumError(
            f"Anda terlalu cepat mengirim pesan (batas {RATE_LIMIT_POSTS} pesan per menit). "
            "Tunggu sebentar lalu coba lagi.",
            status=429,
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ForumError("Isi pesan wajib diisi.", field="body")
    if len(body) > BODY_MAX:
        raise ForumError(f"Isi pesan terlalu panjang (maksimal {BODY_MAX} karakter).", field="body")
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < 5:
        raise ForumError("Judul topik wajib diisi (minimal 5 karakter).", field="title")
    if len(title) > TITLE_MAX:
        raise ForumError(f"Judul topik maksimal {TITLE_MAX} karakter.", field="title")
    return title


def _needs_premoderation(forum: Forum, user, access: perms.ForumAccess) -> bool:
    if not forum.premoderation or access.moderate:
        return False
    approved = Post.objects.filter(
        author_id=user.pk, topic__forum_id=forum.pk, status=Post.Status.PUBLISHED
    ).count()
    return approved < forum.premoderation_threshold


def _require_post_access(user, forum: Forum) -> perms.ForumAccess:
    access = perms.forum_access(user, forum)
    if not access.view:
        raise ForumError("Forum tidak ditemukan.", status=404)
    if not access.post:
        raise ForumError("Anda tidak berhak menulis di forum ini.", status=403)
    return access


def _subscribe(user_id: int, topic_id: int) -> None:
    Subscription.objects.get_or_create(user_id=user_id, topic_id=topic_id)


def _user_label(user) -> str:
    return user.get_full_name() or user.username


def _on_published(post: Post, *, is_new_topic: bool) -> None:
    """Counters are done by the caller; here: subscriptions and notifications."""
    from core.notifications import notify

    topic = post.topic
    forum = topic.forum
    _subscribe(post.author_id, topic.pk)
    url = post.get_absolute_url()
    author_label = _user_label(post.author)
    notified: set[int] = set()
    if not is_new_topic:
        subscriber_ids = set(
            Subscription.objects.filter(topic_id=topic.pk)
            .exclude(user_id=post.author_id)
            .values_list("user_id", flat=True)
        )
        readers = perms.user_ids_who_can_view(forum, subscriber_ids)
        if readers:
            quiet = set(
                ForumPreference.objects.filter(user_id__in=readers)
                .exclude(email_mode=ForumPreference.EmailMode.INSTANT)
                .values_list("user_id", flat=True)
            )
            title = f"Balasan baru di “{topic.title}”"
            body = f"{author_label}: {excerpt(post.body_html, 300)}"
            key = f"forum-reply:{post.pk}"
            for ids, email in ((readers - quiet, True), (readers & quiet, False)):
                if ids:
                    notify(
                        user_ids=ids,
                        kind="forum_reply",
                        title=title,
                        body=body,
                        url=url,
                        dedupe_key=key,
                        email=email,
                    )
            notified |= readers
    handles = find_mentions(post.body_markdown)
    if handles:
        User = get_user_model()
        nips = [h for h in handles if h.isdigit() and len(h) == 18]
        names = [h for h in handles if h not in nips]
        candidates = set(
            User.objects.filter(
                Q(username__in=names) | Q(employee__nip__in=nips) | Q(username__in=nips)
            )
            .exclude(pk=post.author_id)
            .values_list("pk", flat=True)
        )
        readers = perms.user_ids_who_can_view(forum, candidates)
        if readers:
            quiet = set(
                ForumPreference.objects.filter(user_id__in=readers)
                .exclude(email_mode=ForumPreference.EmailMode.INSTANT)
                .values_list("user_id", flat=True)
            )
            for ids, email in ((readers - quiet, True), (readers & quiet, False)):
                if ids:
                    notify(
                        user_ids=ids,
                        kind="mention",
                        title=f"{author_label} menyebut Anda di “{topic.title}”",
                        body=excerpt(post.body_html, 300),
                        url=url,
                        dedupe_key=f"forum-mention:{post.pk}",
                        email=email,
                    )


def _count_published(post: Post, *, new_topic: bool) -> None:
    topic = post.topic
    Topic.objects.filter(pk=topic.pk).update(
        post_count=F("post_count") + 1,
        last_post_at=post.created_at,
        last_poster_id=post.author_id,
    )
    Forum.objects.filter(pk=topic.forum_id).update(
        post_count=F("post_count") + 1,
        topic_count=F("topic_count") + (1 if new_topic else 0),
        last_post_at=post.created_at,
    )


# --- topics and posts ----------------------------------------------------------------------


def _publish_post(topic: Topic, author, body: str, now, *, pending: bool, new_topic: bool) -> Post:
    """Store a cleaned post (sanitised HTML); the author of a new topic follows it; unless
    held for moderation, count the post and notify."""
    post = Post.objects.create(
        topic=topic,
        author=author,
        body_markdown=body,
        body_html=render_markdown(body),
        created_at=now,
        status=Post.Status.PENDING if pending else Post.Status.PUBLISHED,
    )
    if new_topic:
        _subscribe(author.pk, topic.pk)
    if not pending:
        _count_published(post, new_topic=new_topic)
        _on_published(post, is_new_topic=new_topic)
    return post


@transaction.atomic
def topic_create(*, forum: Forum, author, title: str, body: str, now=None) -> Topic:
    now = now or timezone.now()
    access = _require_post_access(author, forum)
    title = _clean_title(title)
    body = _clean_body(body)
    _check_rate(author, now)
    pending = _needs_premoderation(forum, author, access)
    topic = Topic.objects.create(
        forum=forum,
        title=title,
        author=author,
        created_at=now,
        last_post_at=now,
        last_poster=author,
        is_approved=not pending,
    )
    post = _publish_post(topic, author, body, now, pending=pending, new_topic=True)
    _topic_changed(topic.pk)  # the counters written by queryset updates
    topic.refresh_from_db()
    topic.first_post = post
    return topic


@_writes_one_topic(_of_topic)
@transaction.atomic
def post_create(*, topic: Topic, author, body: str, now=None) -> Post:
    now = now or timezone.now()
    topic = Topic.objects.select_for_update(of=("self",)).select_related("forum").get(pk=topic.pk)
    access = _require_post_access(author, topic.forum)
    if not topic.is_approved and not access.moderate:
        raise ForumError("Topik tidak ditemukan.", status=404)
    if topic.is_locked:
        raise ForumError("Topik ini dikunci; balasan baru tidak diterima.", status=409)
    body = _clean_body(body)
    _check_rate(author, now)
    pending = _needs_premoderation(topic.forum, author, access)
    return _publish_post(topic, author, body, now, pending=pending, new_topic=False)


def _locked_post(post: Post) -> Post:
    """The post again, locked for the rest of the transaction, with its topic and forum."""
    return (
        Post.objects.select_for_update(of=("self",)).select_related("topic__forum").get(pk=post.pk)
    )


@_writes_one_topic(_of_post)
@transaction.atomic
def post_edit(*, post: Post, editor, body: str, now=None) -> Post:
    now = now or timezone.now()
    post = _locked_post(post)
    access = perms.forum_access(editor, post.topic.forum)
    if not access.view:
        raise ForumError("Pesan tidak ditemukan.", status=404)
    if not perms.can_edit_post(editor, access, post):
        raise ForumError("Anda tidak dapat mengubah pesan ini.", status=403)
    body = _clean_body(body)
    if body == post.body_markdown:
        return post
    PostRevision.objects.create(
        post=post, body_markdown=post.body_markdown, body_html=post.body_html, edited_by=editor
    )
    post.body_markdown = body
    post.body_html = render_markdown(body)
    post.edited_at = now
    post.save(update_fields=["body_markdown", "body_html", "edited_at"])
    return post


@_writes_one_topic(_of_post)
@transaction.atomic
def post_delete(*, post: Post, user, now=None) -> Topic | None:
    """Delete one's own post within 15 minutes. Deleting the first post deletes the topic
    when nobody has replied yet. Returns the topic if it still exists."""
    now = now or timezone.now()
    post = _locked_post(post)
    topic = post.topic
    access = perms.forum_access(user, topic.forum)
    if not perms.can_delete_post(user, access, post, now):
        raise ForumError(
            "Pesan hanya dapat dihapus penulisnya dalam 15 menit setelah dikirim.", status=403
        )
    first_id = Post.objects.filter(topic=topic).order_by("created_at", "id").values("pk")[:1]
    is_first = Post.objects.filter(pk__in=first_id, pk=post.pk).exists()
    published = post.status == Post.Status.PUBLISHED
    if is_first:
        if Post.objects.filter(topic=topic).exclude(pk=post.pk).exists():
            raise ForumError(
                "Pesan pertama tidak dapat dihapus karena topik sudah dibalas.", status=409
            )
        forum_id = topic.forum_id
        topic.delete()
        if published:
            Forum.objects.filter(pk=forum_id).update(
                topic_count=F("topic_count") - 1, post_count=F("post_count") - 1
            )
        return None
    post.delete()
    if published:
        last = (
            Post.objects.filter(topic=topic, status=Post.Status.PUBLISHED)
            .order_by("-created_at", "-id")
            .values("created_at", "author_id")
            .first()
        )
        Topic.objects.filter(pk=topic.pk).update(
            post_count=F("post_count") - 1,
            last_post_at=last["created_at"],
            last_poster_id=last["author_id"],
        )
        Forum.objects.filter(pk=topic.forum_id).update(post_count=F("post_count") - 1)
    if topic.answer_id == post.pk:
        Topic.objects.filter(pk=topic.pk).update(answer=None)
    return topic


# --- moderation ----------------------------------------------------------------------------


def _require_moderator(user, forum: Forum) -> None:
    access = perms.forum_access(user, forum)
    if not access.view:
        raise ForumError("Forum tidak ditemukan.", status=404)
    if not access.moderate:
        raise ForumError("Hanya moderator forum ini yang dapat melakukannya.", status=403)


def _pending_post(post: Post, moderator) -> Post:
    """The post locked, for a moderator of its forum to approve or reject: 409 unless it is
    waiting for moderation."""
    post = _locked_post(post)
    _require_moderator(moderator, post.topic.forum)
    if post.status != Post.Status.PENDING:
        raise ForumError("Pesan ini tidak sedang menunggu moderasi.", status=409)
    return post


@_writes_one_topic(_of_post)
@transaction.atomic
def post_hide(*, post: Post, moderator, reason: str, now=None) -> Post:
    _require_moderator(moderator, post.topic.forum)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ForumError("Alasan menyembunyikan pesan wajib diisi.", field="reason")
    post.is_hidden = True
    post.hidden_reason = reason[:300]
    post.hidden_by = moderator
    post.hidden_at = now or timezone.now()
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    return post


@_writes_one_topic(_of_post)
@transaction.atomic
def post_unhide(*, post: Post, moderator) -> Post:
    _require_moderator(moderator, post.topic.forum)
    post.is_hidden = False
    post.save(update_fields=["is_hidden"])
    return post


@_writes_one_topic(_of_post)
@transaction.atomic
def post_approve(*, post: Post, moderator) -> Post:
    post = _pending_post(post, moderator)
    topic = post.topic
    new_topic = not topic.is_approved
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["status"])
    if new_topic:
        Topic.objects.filter(pk=topic.pk).update(is_approved=True)
    _count_published(post, new_topic=new_topic)
    post.topic.refresh_from_db()
    _on_published(post, is_new_topic=new_topic)
    return post


@_writes_one_topic(_of_post)
@transaction.atomic
def post_reject(*, post: Post, moderator) -> None:
    post = _pending_post(post, moderator)
    post.status = Post.Status.REJECTED
    post.save(update_fields=["status"])
    topic = post.topic
    if not topic.is_approved and not topic.posts.exclude(status=Post.Status.REJECTED).exists():
        topic.delete()


@transaction.atomic
def post_report(*, post: Post, reporter, reason: str) -> PostReport:
    access = perms.forum_access(reporter, post.topic.forum)
    if not access.view:
        raise ForumError("Pesan tidak ditemukan.", status=404)
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise ForumError("Tuliskan alasan laporan (minimal 5 karakter).", field="reason")
    try:
        with transaction.atomic():
            return PostReport.objects.create(post=post, reporter=reporter, reason=reason[:500])
    except IntegrityError:
        raise ForumError(
            "Anda sudah melaporkan pesan ini; moderator akan menindaklanjutinya.", status=409
        ) from None


@transaction.atomic
def report_resolve(*, report: PostReport, moderator, resolution: str = "", now=None) -> None:
    _require_moderator(moderator, report.post.topic.forum)
    PostReport.objects.filter(post_id=report.post_id, resolved_at__isnull=True).update(
        resolved_at=now or timezone.now(),
        resolved_by=moderator,
        resolution=(resolution or "Ditindaklanjuti")[:300],
    )


@_writes_one_topic(_of_topic)
@transaction.atomic
def topic_set_locked(*, topic: Topic, moderator, locked: bool) -> None:
    _topic_set_flag(topic, moderator, "is_locked", locked)


@_writes_one_topic(_of_topic)
@transaction.atomic
def topic_set_pinned(*, topic: Topic, moderator, pinned: bool) -> None:
    _topic_set_flag(topic, moderator, "is_pinned", pinned)


def _topic_set_flag(topic: Topic, moderator, field: str, value: bool) -> None:
    """A moderator of the topic's forum sets ``is_locked``/``is_pinned``."""
    _require_moderator(moderator, topic.forum)
    Topic.objects.filter(pk=topic.pk).update(**{field: value})
    setattr(topic, field, value)


@_writes_one_topic(_of_topic)
@transaction.atomic
def topic_move(*, topic: Topic, moderator, target: Forum) -> Topic:
    topic = Topic.objects.select_for_update(of=("self",)).select_related("forum").get(pk=topic.pk)
    _require_moderator(moderator, topic.forum)
    _require_moderator(moderator, target)
    if target.pk == topic.forum_id:
        raise ForumError("Topik sudah berada di forum itu.", status=409)
    source_id = topic.forum_id
    if topic.is_approved:
        Forum.objects.filter(pk=source_id).update(
            topic_count=F("topic_count") - 1, post_count=F("post_count") - topic.post_count
        )
        Forum.objects.filter(pk=target.pk).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + topic.post_count
        )
    topic.forum = target
    if not target.is_qa:
        topic.answer = None
    topic.save(update_fields=["forum", "answer"])
    return topic


@_writes_one_topic(_of_topic)
@transaction.atomic
def topic_mark_answer(*, topic: Topic, post: Post | None, user) -> Topic:
    access = perms.forum_access(user, topic.forum)
    if not access.view:
        raise ForumError("Topik tidak ditemukan.", status=404)
    if not perms.can_mark_answer(user, access, topic):
        raise ForumError(
            "Hanya penanya atau moderator yang dapat menandai jawaban di forum tanya jawab.",
            status=403,
        )
    if post is not None and (post.topic_id != topic.pk or post.status != Post.Status.PUBLISHED):
        raise ForumError("Pesan itu bukan balasan di topik ini.", status=422)
    topic.answer = post
    topic.save(update_fields=["answer"])
    return topic


# --- personal ------------------------------------------------------------------------------


@_writes_one_topic(_of_post)
@transaction.atomic
def reaction_toggle(*, post: Post, user) -> bool:
    """Give or take back a "terima kasih"; returns whether it is now given."""
    access = perms.forum_access(user, post.topic.forum)
    if not access.view or post.status != Post.Status.PUBLISHED:
        raise ForumError("Pesan tidak ditemukan.", status=404)
    if post.author_id == user.pk:
        raise ForumError("Anda tidak dapat berterima kasih pada pesan sendiri.", status=409)
    deleted, _ = Reaction.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(thanks_count=F("thanks_count") - 1)
        return False
    Reaction.objects.create(post=post, user=user)
    Post.objects.filter(pk=post.pk).update(thanks_count=F("thanks_count") + 1)
    return True


@transaction.atomic
def subscription_set(*, user, topic: Topic, subscribed: bool) -> None:
    if not perms.forum_access(user, topic.forum).view:
        raise ForumError("Topik tidak ditemukan.", status=404)
    if subscribed:
        _subscribe(user.pk, topic.pk)
    else:
        Subscription.objects.filter(user=user, topic=topic).delete()


_UNKNOWN = object()


def topic_mark_read(*, user, topic: Topic, at=None, read_at=_UNKNOWN) -> None:
    """Mark the topic read up to ``at`` (default: its last post). ``read_at``: the user's
    marker if the caller has already read it (``None``: no marker), which saves the queries
    when it is up to date."""
    if not (user and user.is_authenticated):
        return
    at = at or topic.last_post_at
    if read_at is not _UNKNOWN:
        if read_at is not None and read_at >= at:
            return
        if read_at is None:  # one INSERT (a marker written meanwhile is kept)
            ReadMarker.objects.bulk_create(
                [ReadMarker(user=user, topic=topic, last_read_at=at)], ignore_conflicts=True
            )
            return
    updated = ReadMarker.objects.filter(user=user, topic=topic, last_read_at__lt=at).update(
        last_read_at=at
    )
    if not updated:
        ReadMarker.objects.get_or_create(user=user, topic=topic, defaults={"last_read_at": at})


@transaction.atomic
def preference_set(*, user, email_mode: str) -> ForumPreference:
    if email_mode not in ForumPreference.EmailMode.values:
        raise ForumError("Pilihan e-mail forum tidak dikenal.", field="email_mode")
    pref, _ = ForumPreference.objects.update_or_create(
        user=user, defaults={"email_mode": email_mode}
    )
    return pref


@transaction.atomic
def digest_send(*, user_id: int, now=None) -> int:
    """Send one user's daily digest of new replies in followed topics. Returns the number of
    posts listed (0: nothing sent). Idempotent: the window starts at the last digest."""
    from datetime import timedelta

    from django.conf import settings
    from django.core.mail import send_mail

    now = now or timezone.now()
    pref = (
        ForumPreference.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(user_id=user_id, email_mode=ForumPreference.EmailMode.DAILY)
        .first()
    )
    if pref is None or not pref.user.is_active or not pref.user.email:
        return 0
    if pref.last_digest_at and now - pref.last_digest_at < timedelta(hours=20):
        return 0
    since = pref.last_digest_at or now - timedelta(days=1)
    posts = list(
        Post.objects.filter(
            status=Post.Status.PUBLISHED,
            is_hidden=False,
            created_at__gt=since,
            created_at__lte=now,
            topic__subscriptions__user_id=user_id,
            topic__forum__in=perms.forums_visible_to(pref.user),
        )
        .exclude(author_id=user_id)
        .select_related("topic", "author")
        .order_by("topic_id", "created_at")[:200]
    )
    pref.last_digest_at = now
    pref.save(update_fields=["last_digest_at"])
    if not posts:
        return 0
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = ["Balasan baru di topik forum SIKAP yang Anda ikuti:", ""]
    current = None
    for post in posts:
        if post.topic_id != current:
            current = post.topic_id
            lines += ["", f"== {post.topic.title} ==", f"{base}{post.topic.get_absolute_url()}"]
        lines.append(f"- {_user_label(post.author)}: {excerpt(post.body_html, 160)}")
    lines += ["", "Ubah pilihan e-mail forum di /forum/preferensi/."]
    send_mail(
        subject=f"Ringkasan forum SIKAP: {len(posts)} balasan baru",
        message="\n".join(lines),
        from_email=None,
        recipient_list=[pref.user.email],
    )
    return len(posts)
