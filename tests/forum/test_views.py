"""Page behaviour not covered elsewhere: quoting, jumping to a post on a later page,
pagination links, preferences, the search form."""

from forum import services
from forum.models import ForumPreference

from .conftest import bulk_topics


def test_quote_prefills_the_reply(forum_world, client):
    topic = services.topic_create(
        forum=forum_world.public,
        author=forum_world.asn,
        title="Antrean KTP-el",
        body="Baris **satu**",
    )
    client.force_login(forum_world.other)
    page = client.get(f"/forum/topik/{topic.pk}/", {"kutip": topic.first_post.pk}).content.decode()
    assert "&gt; **@asn_a** menulis:" in page
    assert "&gt; Baris **satu**" in page


def test_post_link_jumps_to_its_page(forum_world, client):
    (topic,) = bulk_topics(forum_world.public, forum_world.hr, 1, posts_per_topic=45)
    last = topic.posts.order_by("-created_at", "-id").first()
    client.force_login(forum_world.asn)
    response = client.get(f"/forum/pesan/{last.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/forum/topik/{topic.pk}/?halaman=3#p{last.pk}"
    page = client.get(f"/forum/topik/{topic.pk}/", {"halaman": 3}).content.decode()
    assert f'id="p{last.pk}"' in page
    assert 'aria-current="page">3<' in page
    # Out-of-range and junk page numbers fall back to a real page.
    assert client.get(f"/forum/topik/{topic.pk}/", {"halaman": "999"}).status_code == 200
    assert client.get(f"/forum/topik/{topic.pk}/", {"halaman": "x"}).status_code == 200


def test_preferences_page_saves_the_daily_digest(forum_world, client):
    client.force_login(forum_world.asn)
    assert client.get("/forum/preferensi/").status_code == 200
    client.post("/forum/preferensi/", {"email_mode": "daily"})
    assert ForumPreference.objects.get(user=forum_world.asn).email_mode == "daily"
    response = client.post("/forum/preferensi/", {"email_mode": "setiap-detik"})
    assert response.status_code == 200
    assert ForumPreference.objects.get(user=forum_world.asn).email_mode == "daily"


def test_anonymous_is_sent_to_login(db, client):
    response = client.get("/forum/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_new_topic_form_errors_are_indonesian_and_write_nothing(forum_world, client):
    client.force_login(forum_world.asn)
    response = client.post("/forum/publik/topik-baru/", {"title": "abc", "body": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Pastikan nilai ini" in text or "minimal" in text or "wajib" in text.lower()
    assert not forum_world.public.topics.exists()
