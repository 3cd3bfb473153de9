"""The topic page's cached post list (forum/topic_page.py): fresh after every kind of write of
its topic, untouched by writes of another topic, never carrying one reader's controls, CSRF
token or moderator view to another, and never served before the permission check."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import SYSTEM
from forum import services, topic_page
from forum.models import Post, ReadMarker, Topic


def _get(client, topic, **params):
    """(page HTML, whether the page's posts were read from the database)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/forum/topik/{topic.pk}/", params)
    assert response.status_code == 200
    read = any(q["sql"].startswith('SELECT "forum_post"') for q in ctx.captured_queries)
    return response.content.decode(), read


@pytest.fixture
def topics(forum_world):
    """Two topics in a general Q&A forum (moderated by HR), asked by asn, answered by other;
    read by the trainer (no moderator here)."""
    world = forum_world
    qa = services.forum_create(
        category=world.category, name="Tanya Jawab", slug="tanya-jawab", is_qa=True
    )
    a = services.topic_create(
        forum=qa, author=world.asn, title="Topik A tentang antrean", body="Pertanyaan A"
    )
    b = services.topic_create(
        forum=qa, author=world.asn, title="Topik B tentang arsip", body="Pertanyaan B"
    )
    reply_a = services.post_create(topic=a, author=world.other, body="Jawaban untuk A")
    reply_b = services.post_create(topic=b, author=world.other, body="Jawaban untuk B")
    return SimpleNamespace(qa=qa, a=a, b=b, reply_a=reply_a, reply_b=reply_b)


def test_second_view_is_served_from_the_cache(forum_world, topics, client):
    client.force_login(forum_world.trainer)
    html, read = _get(client, topics.a)
    assert read and "Jawaban untuk A" in html
    html, read = _get(client, topics.a)
    assert not read and "Jawaban untuk A" in html


def _warm(client, *topic_list):
    for t in topic_list:
        _get(client, t)
        assert not _get(client, t)[1]


def test_new_reply_is_shown_and_other_topics_stay_cached(forum_world, topics, client):
    client.force_login(forum_world.trainer)
    _warm(client, topics.a, topics.b)
    services.post_create(topic=topics.a, author=forum_world.hr, body="Balasan baru di A")
    html, read = _get(client, topics.a)
    assert read and "Balasan baru di A" in html and "3 pesan" in html
    html, read = _get(client, topics.b)
    assert not read and "Balasan baru di A" not in html


def test_edit_is_shown_with_its_history_link(forum_world, topics, client):
    client.force_login(forum_world.trainer)
    _warm(client, topics.a, topics.b)
    services.post_edit(post=topics.reply_a, editor=forum_world.other, body="Jawaban A diperbaiki")
    html, _read = _get(client, topics.a)
    assert "Jawaban A diperbaiki" in html and "Jawaban untuk A" not in html
    assert f"/forum/pesan/{topics.reply_a.pk}/riwayat/" in html
    assert topics.reply_a.revisions.count() == 1
    assert not _get(client, topics.b)[1]


def test_hide_and_unhide_by_a_moderator(forum_world, topics, client):
    reader, moderator = forum_world.trainer, forum_world.hr  # HR moderates general forums
    client.force_login(reader)
    _warm(client, topics.a, topics.b)
    services.post_hide(post=topics.reply_a, moderator=moderator, reason="Iklan terselubung")
    html, _read = _get(client, topics.a)
    assert "disembunyikan oleh moderator" in html
    assert "Jawaban untuk A" not in html and "Iklan terselubung" not in html
    assert not _get(client, topics.b)[1]
    # The moderator's view (reason and text) is a separate entry, never shown to readers.
    client.force_login(moderator)
    html, _read = _get(client, topics.a)
    assert "Iklan terselubung" in html and "Jawaban untuk A" in html and "Tampilkan lagi" in html
    client.force_login(reader)
    html, read = _get(client, topics.a)
    assert not read and "Iklan terselubung" not in html and "Jawaban untuk A" not in html
    services.post_unhide(post=Post.objects.get(pk=topics.reply_a.pk), moderator=moderator)
    html, _read = _get(client, topics.a)
    assert "Jawaban untuk A" in html and "disembunyikan oleh moderator" not in html


def test_reaction_counts_for_everyone_and_the_button_for_its_giver(forum_world, topics, client):
    client.force_login(forum_world.trainer)
    _warm(client, topics.a, topics.b)
    services.reaction_toggle(post=topics.reply_a, user=forum_world.asn)
    html, _read = _get(client, topics.a)
    assert "1 terima kasih" in html and "Batal terima kasih" not in html
    assert not _get(client, topics.b)[1]
    client.force_login(forum_world.asn)
    html, read = _get(client, topics.a)
    assert not read  # the shared part from the cache, the giver's button from their query
    assert "1 terima kasih" in html and "Batal terima kasih" in html
    services.reaction_toggle(post=topics.reply_a, user=forum_world.asn)
    html, _read = _get(client, topics.a)
    assert "terima kasih</span>" not in html and "Batal terima kasih" not in html


def test_answer_marking(forum_world, topics, client):
    client.force_login(forum_world.trainer)
    _warm(client, topics.a, topics.b)
    services.topic_mark_answer(topic=topics.a, post=topics.reply_a, user=forum_world.asn)
    html, _read = _get(client, topics.a)
    assert "post-answer" in html and "Terjawab — lihat jawaban" in html
    assert not _get(client, topics.b)[1]
    client.force_login(forum_world.asn)  # the asker: the button now takes the mark back
    assert "Lepas tanda jawaban" in _get(client, topics.a)[0]
    services.topic_mark_answer(topic=topics.a, post=None, user=forum_world.asn)
    html, _read = _get(client, topics.a)
    assert "post-answer" not in html and "Tandai sebagai jawaban" in html


def test_lock_pin_and_move(forum_world, topics, client):
    moderator = forum_world.moderator
    services.forum_grant(actor=SYSTEM, forum=topics.qa, codename="moderate_forum", user=moderator)
    client.force_login(forum_world.trainer)
    _warm(client, topics.a, topics.b)
    services.topic_set_locked(topic=topics.a, moderator=moderator, locked=True)
    html, _read = _get(client, topics.a)
    assert "Topik ini dikunci" in html and "Kirim balasan" not in html and "Kutip" not in html
    services.topic_set_pinned(topic=topics.a, moderator=moderator, pinned=True)
    assert "Disematkan" in _get(client, topics.a)[0]
    assert not _get(client, topics.b)[1]
    services.topic_move(topic=topics.a, moderator=moderator, target=forum_world.public)
    html, _read = _get(client, topics.a)
    assert f'href="{forum_world.public.get_absolute_url()}"' in html
    assert not _get(client, topics.b)[1]


def test_writes_outside_the_services_show_after_invalidate_caches(forum_world, topics, client):
    """A queryset update or delete outside the services names no cache version (nothing reads
    the SQL): ``manage.py invalidate_caches``, which the restore script and the loaders run
    after such writes, makes every topic's page read again (never stale, just less cached)."""
    client.force_login(forum_world.trainer)
    _warm(client, topics.a, topics.b)
    Post.objects.filter(pk=topics.reply_a.pk).update(is_hidden=True, hidden_reason="Bulk")
    call_command("invalidate_caches", stdout=StringIO())
    html, read = _get(client, topics.a)
    assert read and "disembunyikan oleh moderator" in html and "Jawaban untuk A" not in html
    assert _get(client, topics.b)[1]
    Post.objects.filter(pk=topics.reply_b.pk).delete()
    call_command("invalidate_caches", stdout=StringIO())
    html, read = _get(client, topics.b)
    assert read and "Jawaban untuk B" not in html
    Topic.objects.filter(pk=topics.a.pk).update(title="Judul diganti massal")
    call_command("invalidate_caches", stdout=StringIO())
    assert "Judul diganti massal" in _get(client, topics.a)[0]


def test_a_pending_reply_and_its_approval(forum_world, client):
    world = forum_world
    forum = services.forum_create(
        category=world.category, name="Dimoderasi", slug="dimoderasi", premoderation=True
    )
    services.forum_grant(actor=SYSTEM, forum=forum, codename="moderate_forum", user=world.moderator)
    topic = services.topic_create(forum=forum, author=world.moderator, title="Aturan", body="Isi")
    client.force_login(world.trainer)
    _warm(client, topic)
    post = services.post_create(topic=topic, author=world.other, body="Balasan menunggu")
    html, _read = _get(client, topic)
    assert "Balasan menunggu" not in html
    client.force_login(world.other)  # the author sees their pending post
    assert "menunggu persetujuan moderator" in _get(client, topic)[0]
    services.post_approve(post=post, moderator=world.moderator)
    client.force_login(world.trainer)
    html, read = _get(client, topic)
    assert read and "Balasan menunggu" in html


def test_the_cached_part_has_no_reader_controls_or_csrf_token(forum_world, topics, client):
    client.force_login(forum_world.moderator)
    html, _read = _get(client, topics.a)
    assert "csrfmiddlewaretoken" in html  # the page has its forms …
    for moderator in (False, True):
        shared = topic_page.shared_page(
            Topic.objects.select_related("forum").get(pk=topics.a.pk),
            topic_page.topic_version(topics.a.pk),
            1,
            moderator=moderator,
        )
        cached = "".join(shared.parts)
        assert "Jawaban untuk A" in cached
        for reader_only in ("csrfmiddlewaretoken", "<form", "Laporkan", "Sembunyikan", "Ubah"):
            assert reader_only not in cached  # … the cached part none


def test_each_reader_gets_their_own_controls(forum_world, topics, client):
    client.force_login(forum_world.other)  # author of the reply: may edit and delete it
    html, _read = _get(client, topics.a)
    edit = f"/forum/pesan/{topics.reply_a.pk}/ubah/"
    delete = f"/forum/pesan/{topics.reply_a.pk}/hapus/"
    assert edit in html and delete in html
    client.force_login(forum_world.trainer)
    html, read = _get(client, topics.a)
    assert not read and edit not in html and delete not in html
    assert f"/forum/pesan/{topics.reply_a.pk}/laporkan/" in html
    assert f"/forum/pesan/{topics.reply_a.pk}/terima-kasih/" in html


def test_a_cached_private_topic_is_still_404_for_outsiders(forum_world, client):
    topic = services.topic_create(
        forum=forum_world.private, author=forum_world.asn, title="Rapat unit", body="Rahasia"
    )
    client.force_login(forum_world.asn)
    _warm(client, topic)
    client.force_login(forum_world.other)
    response = client.get(f"/forum/topik/{topic.pk}/")
    assert response.status_code == 404 and "Rahasia" not in response.content.decode()


def test_last_page_marks_read_only_when_needed(forum_world, topics, client):
    client.force_login(forum_world.trainer)
    _get(client, topics.a)
    marker = ReadMarker.objects.get(user=forum_world.trainer, topic=topics.a)
    assert marker.last_read_at == Topic.objects.get(pk=topics.a.pk).last_post_at
    with CaptureQueriesContext(connection) as ctx:
        _get(client, topics.a)
    assert not any(
        "forum_readmarker" in q["sql"] and "UPDATE" in q["sql"] for q in ctx.captured_queries
    )
    assert not any(q["sql"].startswith("INSERT") for q in ctx.captured_queries)
    reply = services.post_create(topic=topics.a, author=forum_world.hr, body="Balasan lagi")
    _get(client, topics.a)
    marker.refresh_from_db()
    assert marker.last_read_at == reply.created_at


def test_recent_topics_are_cached_fresh_and_per_visible_forums(forum_world, topics):
    from forum.selectors import recent_topics_visible_to

    world = forum_world
    assert [t.title for t in recent_topics_visible_to(world.other)][:2] == [
        "Topik B tentang arsip",
        "Topik A tentang antrean",
    ]
    services.topic_create(
        forum=world.private, author=world.asn, title="Rapat internal unit", body="Isi"
    )
    recent_other = [t.title for t in recent_topics_visible_to(world.other)]
    recent_asn = [t.title for t in recent_topics_visible_to(world.asn)]
    assert "Rapat internal unit" not in recent_other
    assert recent_asn[0] == "Rapat internal unit"
    services.post_create(topic=topics.a, author=world.hr, body="Balasan yang menaikkan A")
    assert recent_topics_visible_to(world.other)[0].title == "Topik A tentang antrean"


def test_recent_topics_cost_no_query_when_cached(forum_world, topics, django_assert_num_queries):
    from forum.selectors import recent_topics_visible_to

    first = recent_topics_visible_to(forum_world.other)
    with django_assert_num_queries(0):
        again = recent_topics_visible_to(forum_world.other)
    assert [t.pk for t in again] == [t.pk for t in first]
    assert again[0].forum.name == "Tanya Jawab"


def test_quote_reads_the_post_but_never_a_hidden_one(forum_world, topics, client):
    client.force_login(forum_world.trainer)
    _warm(client, topics.a)
    html, _read = _get(client, topics.a, kutip=topics.reply_a.pk)
    assert "&gt; **@asn_b** menulis:" in html and "&gt; Jawaban untuk A" in html
    services.post_hide(post=topics.reply_a, moderator=forum_world.hr, reason="Tidak pantas")
    html, _read = _get(client, topics.a, kutip=topics.reply_a.pk)
    assert "menulis:" not in html and "Jawaban untuk A" not in html
