"""Pages and API lists run a fixed number of queries whatever the data size."""

import pytest

from forum import services
from forum.models import Forum

from .conftest import bulk_topics

MAX_INDEX = 12
MAX_TOPIC_LIST = 14
# The topic page (measured + 1): "cold" is the first view after a write of the topic (the
# page's posts, the topic row and the reader's forum access are read again, a first read marker
# written), "warm" every view after it (forum/topic_page.py).
MAX_TOPIC_PAGE = 12
MAX_TOPIC_PAGE_WARM = 8


def _forums(world, n):
    for i in range(n):
        services.forum_create(category=world.category, name=f"Forum {i}", slug=f"forum-{i}")


@pytest.mark.parametrize("size", [2, 40])
def test_forum_index_queries(forum_world, client, django_assert_max_num_queries, size):
    _forums(forum_world, size)
    client.force_login(forum_world.asn)
    with django_assert_max_num_queries(MAX_INDEX):
        response = client.get("/forum/")
    assert response.status_code == 200
    assert response.content.decode().count("/forum/forum-") == size


@pytest.mark.parametrize("size", [3, 150])
def test_topic_list_queries(forum_world, client, django_assert_max_num_queries, size):
    bulk_topics(forum_world.public, forum_world.hr, size)
    client.force_login(forum_world.asn)
    with django_assert_max_num_queries(MAX_TOPIC_LIST):
        response = client.get("/forum/publik/", {"halaman": 2 if size > 30 else 1})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 120])
def test_topic_page_queries(forum_world, client, django_assert_max_num_queries, size):
    (topic,) = bulk_topics(forum_world.public, forum_world.hr, 1, posts_per_topic=size)
    last = {"halaman": 6 if size > 60 else 1}
    for user in (forum_world.asn, forum_world.hr):  # a moderator sees more, not more queries
        client.force_login(user)
        for params in ({}, {"halaman": 3 if size > 60 else 1}, last):
            with django_assert_max_num_queries(MAX_TOPIC_PAGE):
                response = client.get(f"/forum/topik/{topic.pk}/", params)
            assert response.status_code == 200
            with django_assert_max_num_queries(MAX_TOPIC_PAGE_WARM):
                response = client.get(f"/forum/topik/{topic.pk}/", params)
            assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 40])
def test_api_forum_list_queries(forum_world, api, django_assert_max_num_queries, size):
    _forums(forum_world, size)
    client = api(forum_world.other)
    with django_assert_max_num_queries(8):
        response = client.get("/forums")
    assert response.json()["count"] == size + 1  # + the public forum; the private one hidden


def test_big_topic_and_forum_pages_use_the_indexes(forum_world, client):
    """10,000 posts in a topic / many topics: the last page is as cheap as the first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    (topic,) = bulk_topics(forum_world.public, forum_world.hr, 1, posts_per_topic=10_000)
    client.force_login(forum_world.asn)
    with CaptureQueriesContext(connection) as ctx:  # cold: the page's posts are read
        response = client.get(f"/forum/topik/{topic.pk}/", {"halaman": 500})
    assert response.status_code == 200
    assert "Isi pesan" in response.content.decode()
    post_query = next(
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "forum_post"')
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {post_query}")
            plan = " ".join(str(r) for r in cursor.fetchall())
        assert "forum_post_list_idx" in plan
        assert "TEMP B-TREE" not in plan.upper()
    assert Forum.objects.get(pk=forum_world.public.pk).post_count == 10_000


def test_topic_list_of_a_big_forum_uses_the_index(forum_world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bulk_topics(forum_world.public, forum_world.hr, 3000)
    client.force_login(forum_world.asn)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/forum/publik/", {"halaman": 100})
    assert response.status_code == 200 and "Topik nomor 29" in response.content.decode()
    topic_query = next(
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "forum_topic"')
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {topic_query}")
            plan = " ".join(str(r) for r in cursor.fetchall())
        assert "forum_topic_order_idx" in plan
        assert "TEMP B-TREE" not in plan.upper()
