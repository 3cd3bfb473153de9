"""Forum rules through the services: notifications, mentions, rate limit, locking, editing,
deleting, answers, pre-moderation, hiding, reports, moving, digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification
from forum import services
from forum.models import Forum, ForumPreference, Post, PostRevision, Subscription, Topic
from forum.services import ForumError


@pytest.fixture
def eager_on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def _topic(world, forum=None, author=None, title="Pertanyaan tentang SKP", body="Mohon info."):
    return services.topic_create(
        forum=forum or world.public, author=author or world.asn, title=title, body=body
    )


def test_replies_notify_followers_who_can_read_and_email_them(forum_world, eager_on_commit):
    topic = _topic(forum_world)
    services.post_create(topic=topic, author=forum_world.other, body="Jawaban pertama")
    with eager_on_commit(execute=True):
        services.post_create(topic=topic, author=forum_world.hr, body="Jawaban kedua")
    notes = Notification.objects.filter(kind="forum_reply")
    # The author and the first replier follow the topic; the one who wrote gets nothing.
    assert set(notes.values_list("user__username", flat=True)) == {"asn_a", "asn_b"}
    assert Subscription.objects.filter(topic=topic).count() == 3
    assert any("Balasan baru" in m.subject or "Balasan baru" in m.body for m in mail.outbox)


def test_daily_digest_users_get_no_instant_email_but_one_digest(forum_world, eager_on_commit):
    services.preference_set(user=forum_world.asn, email_mode=ForumPreference.EmailMode.DAILY)
    topic = _topic(forum_world)
    mail.outbox.clear()
    with eager_on_commit(execute=True):
        services.post_create(topic=topic, author=forum_world.other, body="Balasan siang")
    assert Notification.objects.filter(user=forum_world.asn, kind="forum_reply").exists()
    assert not [m for m in mail.outbox if forum_world.asn.email in m.to]
    later = timezone.now() + timedelta(hours=12)
    assert services.digest_send(user_id=forum_world.asn.pk, now=later) == 1
    digest = [m for m in mail.outbox if forum_world.asn.email in m.to]
    assert len(digest) == 1 and "Balasan siang" in digest[0].body
    # Running it again the same day sends nothing (idempotent).
    assert services.digest_send(user_id=forum_world.asn.pk, now=later) == 0


def test_send_daily_digests_task_is_registered(forum_world):
    from forum.tasks import send_daily_digests

    services.preference_set(user=forum_world.asn, email_mode="daily")
    assert send_daily_digests.name == "forum.tasks.send_daily_digests"
    # EagerResult.get() refuses while Celery's process-global "join will block" flag is set,
    # which happens whenever another thread (a live server's) runs an eager task: read it.
    outcome = send_daily_digests.apply()
    assert outcome.successful()
    assert outcome.result == 1


def test_mentions_notify_only_people_who_can_read_the_forum(forum_world, make_user):
    from kompetensi.models import Employee, OrganizationUnit

    unit = OrganizationUnit.objects.create(code="U-A", name="Unit A")
    Employee.objects.create(nip="199305122019031004", name="Rizki", unit=unit, user=forum_world.asn)
    body = "Mohon dibantu @199305122019031004, @asn_b dan @pelatih, juga @tidakada."
    # In the private forum only asn (a member) may read: asn_b and pelatih are not told.
    topic = _topic(forum_world, forum=forum_world.private, author=forum_world.moderator)
    services.post_create(topic=topic, author=forum_world.moderator, body=body)
    mentioned = set(
        Notification.objects.filter(kind="mention").values_list("user__username", flat=True)
    )
    assert mentioned == {"asn_a"}
    # In the public forum everyone mentioned hears about it, but the author is never told.
    topic = _topic(forum_world, author=forum_world.moderator, title="Topik terbuka")
    services.post_create(topic=topic, author=forum_world.asn, body=body)
    mentioned = set(
        Notification.objects.filter(kind="mention", url__contains="/forum/").values_list(
            "user__username", flat=True
        )
    )
    assert mentioned == {"asn_a", "asn_b", "pelatih"}
    newest = Notification.objects.filter(kind="mention").order_by("-id")[:2]
    assert "asn_a" not in {n.user.username for n in newest}


def test_private_forum_reply_never_notifies_someone_who_lost_access(forum_world):
    topic = _topic(forum_world, forum=forum_world.private)
    Subscription.objects.create(user=forum_world.other, topic=topic)  # stale follower
    services.post_create(topic=topic, author=forum_world.moderator, body="Rahasia unit")
    assert not Notification.objects.filter(user=forum_world.other).exists()
    assert Notification.objects.filter(user=forum_world.asn, kind="forum_reply").exists()


def test_rate_limit_ten_posts_a_minute(forum_world):
    topic = _topic(forum_world)  # 1
    now = timezone.now()
    for i in range(9):  # 2..10
        services.post_create(topic=topic, author=forum_world.asn, body=f"pesan {i}", now=now)
    with pytest.raises(ForumError) as error:
        services.post_create(topic=topic, author=forum_world.asn, body="kesebelas", now=now)
    assert error.value.status == 429
    assert "terlalu cepat" in error.value.message and "10 pesan per menit" in error.value.message
    assert Post.objects.filter(topic=topic).count() == 10
    # Another user is not affected; a minute later the user may post again.
    services.post_create(topic=topic, author=forum_world.other, body="saya boleh", now=now)
    services.post_create(
        topic=topic, author=forum_world.asn, body="lagi", now=now + timedelta(seconds=61)
    )


def test_rate_limited_reply_page_shows_indonesian_message(forum_world, client):
    topic = _topic(forum_world)
    client.force_login(forum_world.asn)
    for i in range(9):
        client.post(f"/forum/topik/{topic.pk}/balas/", {"body": f"balasan {i}"})
    response = client.post(f"/forum/topik/{topic.pk}/balas/", {"body": "satu lagi"})
    assert response.status_code == 400
    assert "terlalu cepat mengirim pesan" in response.content.decode()
    assert Post.objects.filter(topic=topic).count() == 10


def test_locked_topic_refuses_replies_in_service_page_and_api(forum_world, client, api):
    topic = _topic(forum_world)
    services.topic_set_locked(topic=topic, moderator=forum_world.hr, locked=True)
    with pytest.raises(ForumError) as error:
        services.post_create(topic=topic, author=forum_world.other, body="boleh?")
    assert error.value.status == 409
    client.force_login(forum_world.other)
    page = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert "dikunci" in page and "Kirim balasan" not in page
    response = client.post(f"/forum/topik/{topic.pk}/balas/", {"body": "tetap mencoba"})
    assert "dikunci" in response.content.decode()
    response = api(forum_world.other).post(f"/topics/{topic.pk}/posts", {"body": "lewat API"})
    assert response.status_code == 409
    assert "dikunci" in response.json()["detail"]
    assert Post.objects.filter(topic=topic).count() == 1


def test_only_moderators_lock_pin_move_hide(forum_world):
    topic = _topic(forum_world)
    for action in (
        lambda u: services.topic_set_locked(topic=topic, moderator=u, locked=True),
        lambda u: services.topic_set_pinned(topic=topic, moderator=u, pinned=True),
        lambda u: services.post_hide(post=topic.first_post, moderator=u, reason="spam iklan"),
    ):
        with pytest.raises(ForumError) as error:
            action(forum_world.other)
        assert error.value.status == 403
        action(forum_world.moderator)


def test_edit_keeps_history_and_marks_edited(forum_world, client):
    topic = _topic(forum_world, body="Versi pertama")
    post = topic.first_post
    services.post_edit(post=post, editor=forum_world.asn, body="Versi **kedua**")
    post.refresh_from_db()
    assert post.is_edited and "<strong>kedua</strong>" in post.body_html
    assert PostRevision.objects.get(post=post).body_markdown == "Versi pertama"
    with pytest.raises(ForumError):
        services.post_edit(post=post, editor=forum_world.other, body="bukan milik saya")
    client.force_login(forum_world.other)
    assert "diedit" in client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert "Versi pertama" in client.get(f"/forum/pesan/{post.pk}/riwayat/").content.decode()


def test_delete_own_post_only_within_15_minutes(forum_world):
    topic = _topic(forum_world)
    start = timezone.now()
    reply = services.post_create(
        topic=topic, author=forum_world.other, body="salah ketik", now=start
    )
    with pytest.raises(ForumError):
        services.post_delete(post=reply, user=forum_world.asn, now=start)  # not the author
    with pytest.raises(ForumError):
        services.post_delete(post=reply, user=forum_world.other, now=start + timedelta(minutes=16))
    services.post_delete(post=reply, user=forum_world.other, now=start + timedelta(minutes=14))
    topic.refresh_from_db()
    assert topic.post_count == 1
    assert Forum.objects.get(pk=forum_world.public.pk).post_count == 1


def test_mark_answer_in_qa_forum_by_asker_or_moderator(forum_world):
    qa = services.forum_create(
        category=forum_world.category, name="Tanya Jawab", slug="tanya-jawab", is_qa=True
    )
    topic = _topic(forum_world, forum=qa)
    reply = services.post_create(topic=topic, author=forum_world.other, body="Jawabannya…")
    with pytest.raises(ForumError):
        services.topic_mark_answer(topic=topic, post=reply, user=forum_world.other)
    services.topic_mark_answer(topic=topic, post=reply, user=forum_world.asn)
    assert Topic.objects.get(pk=topic.pk).answer_id == reply.pk
    services.topic_mark_answer(topic=topic, post=None, user=forum_world.hr)
    assert Topic.objects.get(pk=topic.pk).answer_id is None
    plain = _topic(forum_world, title="Bukan tanya jawab")
    with pytest.raises(ForumError):
        services.topic_mark_answer(topic=plain, post=plain.first_post, user=forum_world.asn)


def test_premoderation_queues_new_members_until_approved(forum_world, client):
    forum = forum_world.public
    Forum.objects.filter(pk=forum.pk).update(premoderation=True, premoderation_threshold=1)
    forum.refresh_from_db()
    topic = _topic(forum_world, forum=forum, author=forum_world.moderator)  # moderators skip
    assert topic.is_approved
    pending = services.post_create(topic=topic, author=forum_world.asn, body="Pesan pertama saya")
    assert pending.status == Post.Status.PENDING
    client.force_login(forum_world.other)
    assert "Pesan pertama saya" not in client.get(f"/forum/topik/{topic.pk}/").content.decode()
    client.force_login(forum_world.hr)
    queue = client.get("/forum/moderasi/").content.decode()
    assert "Pesan pertama saya" in queue
    client.post(f"/forum/pesan/{pending.pk}/moderasi/", {"keputusan": "setujui"})
    assert Post.objects.get(pk=pending.pk).status == Post.Status.PUBLISHED
    assert Topic.objects.get(pk=topic.pk).post_count == 2
    # After one approved post the member posts directly.
    second = services.post_create(topic=topic, author=forum_world.asn, body="Pesan kedua")
    assert second.status == Post.Status.PUBLISHED


def test_hidden_post_stays_and_is_visible_to_moderators_only(forum_world, client):
    topic = _topic(forum_world, body="Iklan pinjaman online")
    services.post_hide(post=topic.first_post, moderator=forum_world.hr, reason="Spam iklan")
    assert Post.objects.filter(pk=topic.first_post.pk, is_hidden=True).exists()
    client.force_login(forum_world.other)
    page = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert "disembunyikan oleh moderator" in page and "pinjaman online" not in page
    client.force_login(forum_world.hr)
    page = client.get(f"/forum/topik/{topic.pk}/").content.decode()
    assert "pinjaman online" in page and "Spam iklan" in page
    services.post_unhide(post=topic.first_post, moderator=forum_world.hr)
    client.force_login(forum_world.other)
    assert "pinjaman online" in client.get(f"/forum/topik/{topic.pk}/").content.decode()


def test_reports_queue_and_resolve(forum_world, client):
    topic = _topic(forum_world, body="Kata-kata kasar")
    client.force_login(forum_world.other)
    client.post(f"/forum/pesan/{topic.first_post.pk}/laporkan/", {"reason": "Bahasa kasar"})
    with pytest.raises(ForumError) as error:
        services.post_report(post=topic.first_post, reporter=forum_world.other, reason="lagi ya")
    assert error.value.status == 409
    client.force_login(forum_world.hr)
    assert "Bahasa kasar" in client.get("/forum/moderasi/").content.decode()
    report = topic.first_post.reports.get()
    client.post(f"/forum/laporan/{report.pk}/selesai/", {"tindakan": "Ditinjau"})
    report.refresh_from_db()
    assert report.resolved_at is not None


def test_move_topic_updates_counters(forum_world):
    topic = _topic(forum_world, forum=forum_world.public, author=forum_world.moderator)
    services.post_create(topic=topic, author=forum_world.moderator, body="balasan")
    services.topic_move(topic=topic, moderator=forum_world.moderator, target=forum_world.private)
    public = Forum.objects.get(pk=forum_world.public.pk)
    private = Forum.objects.get(pk=forum_world.private.pk)
    assert (public.topic_count, public.post_count) == (0, 0)
    assert (private.topic_count, private.post_count) == (1, 2)
    with pytest.raises(ForumError):  # hr moderates the public forum but not the private one
        services.topic_move(topic=topic, moderator=forum_world.hr, target=forum_world.public)


def test_thanks_toggle(forum_world):
    topic = _topic(forum_world)
    assert services.reaction_toggle(post=topic.first_post, user=forum_world.other) is True
    assert Post.objects.get(pk=topic.first_post.pk).thanks_count == 1
    assert services.reaction_toggle(post=topic.first_post, user=forum_world.other) is False
    assert Post.objects.get(pk=topic.first_post.pk).thanks_count == 0
    with pytest.raises(ForumError):
        services.reaction_toggle(post=topic.first_post, user=forum_world.asn)


def test_unread_markers(forum_world, client):
    topic = _topic(forum_world)
    client.force_login(forum_world.other)
    assert "Baru" in client.get("/forum/publik/").content.decode()
    client.get(f"/forum/topik/{topic.pk}/")
    assert ">Baru<" not in client.get("/forum/publik/").content.decode()
    services.post_create(
        topic=topic, author=forum_world.asn, body="baru lagi", now=timezone.now() + timedelta(1)
    )
    assert ">Baru<" in client.get("/forum/publik/").content.decode()


def test_module_gets_forum_on_publish_and_selectors(forum_world, module_page):
    from forum.selectors import forum_url_for_module, recent_topics_visible_to

    page = module_page()
    forum = Forum.objects.get(module=page)
    assert forum_url_for_module(page.pk) == f"/forum/{forum.slug}/"
    assert forum_url_for_module(999999) is None
    page.save_revision().publish()  # publishing again creates no second forum
    assert Forum.objects.filter(module=page).count() == 1
    _topic(forum_world, forum=forum_world.private, title="Topik rahasia unit")
    _topic(forum_world, forum=forum, title="Topik modul terbuka")
    titles = [t.title for t in recent_topics_visible_to(forum_world.other)]
    assert titles == ["Topik modul terbuka"]
    assert recent_topics_visible_to(None) == []


def test_deleting_a_category_that_holds_forums_says_so(client, forum_world, make_user):
    """The admin refuses with a message (it answered 500 before)."""
    from django.urls import reverse

    from forum.models import Category

    category = forum_world.public.category
    client.force_login(make_user("sdm-kategori", "BKPSDM"))
    url = reverse("forum_categories:delete", args=[category.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert Category.objects.filter(pk=category.pk).exists()
    assert "masih berisi forum" in response.content.decode()


def test_granting_forum_access_is_decided_by_the_service(forum_world, make_user):
    from forum import services
    from forum.services import ForumError

    outsider = make_user("bukan-sdm", "ASN")
    with pytest.raises(ForumError) as error:
        services.forum_grant(
            actor=outsider, forum=forum_world.private, codename="view_forum", user=outsider
        )
    assert error.value.status == 404
    unscoped = make_user("sdm-tanpa-cakupan", "BKPSDM", hr_units=())
    with pytest.raises(ForumError):
        services.forum_revoke(
            actor=unscoped, forum=forum_world.private, codename="post_in_forum", user=outsider
        )
