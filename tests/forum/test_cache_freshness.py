"""Forum writes name the cache versions they changed (core/dataversion.py); forum access is
computed per request, never cached across requests. The topic page's own services are in
test_topic_cache.py; here: the lists of topics (home's recent activity), the module page's
forum link, an admin edit of a forum, and access that changes between two requests."""

import pytest

from core.roles import SYSTEM
from forum import services
from forum.models import Forum
from forum.selectors import forum_url_for_module_cached, recent_topics_visible_to

pytestmark = pytest.mark.django_db


def _titles(user):
    return [t.title for t in recent_topics_visible_to(user)]


def test_a_new_topic_and_a_reply_show_in_recent_topics(forum_world):
    world = forum_world
    first = services.topic_create(forum=world.public, author=world.asn, title="Pertama", body="A")
    assert _titles(world.other) == ["Pertama"]
    assert _titles(world.other) == ["Pertama"]  # cached
    services.topic_create(forum=world.public, author=world.asn, title="Kedua", body="B")
    assert _titles(world.other) == ["Kedua", "Pertama"]
    services.post_create(topic=first, author=world.hr, body="Balasan yang menaikkan")
    assert _titles(world.other) == ["Pertama", "Kedua"]


def test_a_deleted_topic_leaves_recent_topics_and_its_page(forum_world, client):
    world = forum_world
    topic = services.topic_create(forum=world.public, author=world.asn, title="Salah", body="X")
    assert _titles(world.other) == ["Salah"]
    services.post_delete(post=topic.first_post, user=world.asn)  # the first post: the topic
    assert _titles(world.other) == []
    client.force_login(world.other)
    assert client.get(f"/forum/topik/{topic.pk}/").status_code == 404


def test_a_grant_shows_a_private_forum_at_the_next_request(forum_world, client):
    """Access is computed per request (memoised on the request's user only): a grant made
    between two requests shows at the second, whatever was cached."""
    world = forum_world
    services.topic_create(forum=world.private, author=world.asn, title="Rahasia unit", body="A")
    client.force_login(world.other)
    assert client.get("/forum/unit-a/").status_code == 404
    assert _titles(world.other) == []
    services.forum_grant(actor=SYSTEM, forum=world.private, codename="view_forum", user=world.other)
    assert client.get("/forum/unit-a/").status_code == 200
    assert _titles(world.other) == ["Rahasia unit"]
    services.forum_revoke(
        actor=SYSTEM, forum=world.private, codename="view_forum", user=world.other
    )
    assert client.get("/forum/unit-a/").status_code == 404
    assert _titles(world.other) == []


def test_an_admin_rename_of_a_forum_shows_on_its_topic_pages(forum_world, client):
    world = forum_world
    topic = services.topic_create(forum=world.public, author=world.asn, title="Judul", body="A")
    client.force_login(world.other)
    url = f"/forum/topik/{topic.pk}/"
    client.get(url)
    assert "Pelayanan Publik" in client.get(url).content.decode()
    forum = world.public
    forum.name = "Layanan Warga"
    forum.save()  # what the Wagtail admin's edit view does
    assert "Layanan Warga" in client.get(url).content.decode()


def test_a_published_module_gets_its_forum_link(forum_world, module_page):
    page = module_page()  # publishing creates the module's forum (forum.signals)
    assert forum_url_for_module_cached(page.pk) is not None
    forum = Forum.objects.get(module=page)
    forum.slug = "forum-modul-baru"
    forum.save()
    assert forum_url_for_module_cached(page.pk) == "/forum/forum-modul-baru/"
    forum.delete()
    assert forum_url_for_module_cached(page.pk) is None
