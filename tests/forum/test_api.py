"""The forum endpoints of API.md: Markdown in, sanitised body_html out, same permissions."""

from forum import services
from forum.models import Post, Topic


def test_list_forums_hides_private_ones(forum_world, api):
    body = api(forum_world.other).get("/forums").json()
    assert [f["slug"] for f in body["items"]] == ["publik"]
    body = api(forum_world.asn).get("/forums").json()
    assert {f["slug"] for f in body["items"]} == {"publik", "unit-a"}
    assert api().get("/forums").status_code == 401


def test_create_topic_sanitises_and_returns_201(forum_world, api):
    response = api(forum_world.asn).post(
        "/forums/publik/topics",
        {"title": "Perekaman KTP-el", "body_markdown": "**Penting** <script>alert(1)</script>"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    html = data["posts"][0]["body_html"]
    assert "<strong>Penting</strong>" in html and "<script" not in html
    assert "&lt;script&gt;" in html
    assert data["forum_slug"] == "publik" and data["post_count"] == 1


def test_private_forum_and_topic_are_404_for_outsiders(forum_world, api):
    topic = services.topic_create(
        forum=forum_world.private, author=forum_world.asn, title="Rapat unit", body="Isi"
    )
    outsider = api(forum_world.other)
    assert (
        outsider.post("/forums/unit-a/topics", {"title": "Halo semua", "body": "x"}).status_code
        == 404
    )
    assert outsider.get(f"/topics/{topic.pk}").status_code == 404
    response = outsider.post(f"/topics/{topic.pk}/posts", {"body": "x"})
    assert response.status_code == 404 and response.json()["detail"]
    assert api(forum_world.asn).get(f"/topics/{topic.pk}").status_code == 200
    assert (
        outsider.post("/forums/tidak-ada/topics", {"title": "Halo", "body": "x"}).status_code == 404
    )


def test_reply_and_read_topic(forum_world, api):
    topic = services.topic_create(
        forum=forum_world.public, author=forum_world.asn, title="SKP setelah mutasi", body="Tanya"
    )
    response = api(forum_world.other).post(
        f"/topics/{topic.pk}/posts",
        {"body": "[tautan](javascript:alert(1)) dan [resmi](https://bkn.go.id)"},
    )
    assert response.status_code == 201
    html = response.json()["body_html"]
    assert "javascript" not in html and 'rel="nofollow ugc noopener"' in html
    data = api(forum_world.asn).get(f"/topics/{topic.pk}", limit=1, offset=1).json()
    assert data["post_count"] == 2 and len(data["posts"]) == 1
    assert data["posts"][0]["author"] == "asn_b"


def test_bad_input_writes_nothing(forum_world, api):
    client = api(forum_world.asn)
    response = client.post("/forums/publik/topics", {"title": "abc", "body": "isi"})
    assert response.status_code == 422 and "Judul" in response.json()["detail"]
    response = client.post("/forums/publik/topics", {"title": "Judul yang cukup"})
    assert response.status_code == 422 and "body_markdown" in response.json()["detail"]
    assert not Topic.objects.exists() and not Post.objects.exists()


def test_rate_limit_through_api_is_429(forum_world, api):
    client = api(forum_world.asn)
    topic_id = client.post("/forums/publik/topics", {"title": "Uji batas", "body": "1"}).json()[
        "id"
    ]
    for i in range(9):
        assert client.post(f"/topics/{topic_id}/posts", {"body": str(i)}).status_code == 201
    response = client.post(f"/topics/{topic_id}/posts", {"body": "kesebelas"})
    assert response.status_code == 429 and "per menit" in response.json()["detail"]
