"""@mentions of existing users are highlighted links (at render time); topics a reader never
opened are "Baru" only when recent, and never for the reader's own post."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import services
from forum.models import Topic
from forum.rendering import link_mentions, mentions_in_html

pytestmark = pytest.mark.django_db


def test_link_mentions_pure():
    html = (
        "<p>Halo @asn_b dan @siapa, lihat <a href='/x'>@asn_b</a> "
        "<code>@asn_b</code> email a@asn_b.</p>"
    )
    assert mentions_in_html(html) == {"asn_b", "siapa"}
    out = link_mentions(html, {"asn_b"}, lambda h: f"/forum/cari/?q={h}")
    assert out.count('class="mention"') == 1
    assert '<a class="mention" href="/forum/cari/?q=asn_b">@asn_b</a> dan @siapa' in out
    assert "<code>@asn_b</code>" in out and "<a href='/x'>@asn_b</a>" in out
    assert link_mentions(html, set(), str) == html


def test_topic_page_highlights_existing_users_only(forum_world, client):
    topic = services.topic_create(
        forum=forum_world.public,
        author=forum_world.asn,
        title="Tanya",
        body="Mohon bantuan @asn_b dan @tidak_ada, juga `@moderator`.",
    )
    stored = topic.first_post.body_html
    assert "mention" not in stored  # the stored, sanitised HTML is unchanged
    client.force_login(forum_world.other)
    html = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert '<a class="mention" href="/forum/cari/?q=asn_b">@asn_b</a>' in html
    assert "@tidak_ada" in html and "q=tidak_ada" not in html
    assert "q=moderator" not in html


def test_old_unopened_topics_are_not_new(forum_world, client):
    fresh = services.topic_create(
        forum=forum_world.public, author=forum_world.asn, title="Baru saja", body="Isi."
    )
    old = services.topic_create(
        forum=forum_world.public, author=forum_world.asn, title="Lama sekali", body="Isi."
    )
    Topic.objects.filter(pk=old.pk).update(last_post_at=timezone.now() - timedelta(days=40))
    mine = services.topic_create(
        forum=forum_world.public, author=forum_world.other, title="Punya saya", body="Isi."
    )
    client.force_login(forum_world.other)
    html = client.get("/forum/publik/").content.decode()
    rows = {
        t: html.split(t, 1)[0].rsplit("<tr", 1)[1]
        for t in ("Baru saja", "Lama sekali", "Punya saya")
    }
    assert "topic-unread" in rows["Baru saja"]
    assert "topic-unread" not in rows["Lama sekali"]
    assert "topic-unread" not in rows["Punya saya"]
    assert fresh and mine
