"""Forum fixtures: a public and a private forum with the cast of the permission matrix."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db.models import Count, Max
from django.utils import timezone

from core.roles import SYSTEM
from forum import services
from forum.models import Forum, Post, Topic
from forum.rendering import render_markdown


@pytest.fixture
def forum_world(db, make_user):
    """public forum (general), private forum of unit A's staff; the cast:
    asn (unit A), other (unit B), moderator (explicit moderate_forum on both), trainer
    (Pelatih), hr (BKPSDM)."""
    category = services.category_ensure(slug="umum", name="Forum Umum")
    public = services.forum_create(category=category, name="Pelayanan Publik", slug="publik")
    private = services.forum_create(
        category=category, name="Ruang Unit A", slug="unit-a", is_public=False
    )
    staff = Group.objects.create(name="Forum Unit A")
    services.forum_grant(actor=SYSTEM, forum=private, codename="post_in_forum", group=staff)
    cast = SimpleNamespace(
        anonymous=None,
        asn=make_user("asn_a", "ASN"),
        other=make_user("asn_b", "ASN"),
        moderator=make_user("moderator", "ASN"),
        trainer=make_user("pelatih", "ASN", "Pelatih"),
        hr=make_user("hr", "ASN", "BKPSDM"),
    )
    staff.user_set.add(cast.asn)
    for forum in (public, private):
        services.forum_grant(
            actor=SYSTEM, forum=forum, codename="moderate_forum", user=cast.moderator
        )
    return SimpleNamespace(public=public, private=private, category=category, **vars(cast))


def bulk_topics(forum: Forum, author, count: int, posts_per_topic: int = 1) -> list[Topic]:
    """Many topics/posts fast (bulk), counters as the services would keep them."""
    now = timezone.now() - timedelta(days=1)
    topics = Topic.objects.bulk_create(
        [
            Topic(
                forum=forum,
                title=f"Topik nomor {i}",
                author=author,
                created_at=now + timedelta(seconds=i),
                last_post_at=now + timedelta(seconds=i),
                last_poster=author,
            )
            for i in range(count)
        ]
    )
    html = render_markdown("Isi pesan **contoh**.")
    Post.objects.bulk_create(
        [
            Post(
                topic=t,
                author=author,
                body_markdown="Isi pesan **contoh**.",
                body_html=html,
                created_at=t.created_at + timedelta(seconds=j),
            )
            for t in topics
            for j in range(posts_per_topic)
        ],
        batch_size=1000,
    )
    stats = {
        r["topic_id"]: r
        for r in Post.objects.filter(topic__forum=forum)
        .values("topic_id")
        .annotate(n=Count("id"), last=Max("created_at"))
    }
    for t in topics:
        t.post_count = stats[t.pk]["n"]
        t.last_post_at = stats[t.pk]["last"]
    Topic.objects.bulk_update(topics, ["post_count", "last_post_at"], batch_size=1000)
    Forum.objects.filter(pk=forum.pk).update(
        topic_count=Topic.objects.filter(forum=forum).count(),
        post_count=Post.objects.filter(topic__forum=forum).count(),
        last_post_at=timezone.now(),
    )
    forum.refresh_from_db()
    return topics


@pytest.fixture
def module_page(db):
    from portal.models import TrainingModulePage
    from portal.site import ensure_page_tree

    catalog = ensure_page_tree()["catalog"]

    def _make(title="Pelayanan Prima", slug="pelayanan-prima", trainers=()):
        page = TrainingModulePage(title=title, slug=slug, summary="Ringkasan modul.", jp=4)
        catalog.add_child(instance=page)
        page.trainers.set(trainers)
        page.save_revision().publish()
        return page

    return _make
