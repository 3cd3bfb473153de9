"""REST endpoints of the forum app (see ../shared/design/API.md): Markdown in, sanitised
``body_html`` out; the same permissions as the pages (a private forum is 404)."""

from datetime import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api_schemas import MAX_INT64, Pagination, id_or_404, with_errors

from . import permissions as perms
from . import selectors, services
from .models import Post

router = Router(tags=["forum"])


class ForumOut(Schema):
    slug: str
    name: str
    description: str
    category: str
    is_public: bool
    is_qa: bool
    module_id: int | None
    topic_count: int
    post_count: int
    last_post_at: datetime | None


class PostIn(Schema):
    """Markdown in: ``body_markdown`` (``body`` is accepted as an alias)."""

    body_markdown: str | None = Field(None, max_length=20000)
    body: str | None = Field(None, max_length=20000)

    def markdown(self) -> str:
        text = self.body_markdown if self.body_markdown is not None else self.body
        if not (text or "").strip():
            raise HttpError(422, "Kolom 'body_markdown' wajib diisi (isi pesan dalam Markdown).")
        return text


class TopicIn(PostIn):
    title: str = Field(..., max_length=200)


class PostOut(Schema):
    id: int
    topic_id: int
    author: str
    body_html: str
    created_at: datetime
    edited: bool
    status: str
    is_hidden: bool
    thanks_count: int
    is_answer: bool = False


class TopicOut(Schema):
    id: int
    forum_slug: str
    title: str
    author: str
    created_at: datetime
    last_post_at: datetime
    is_pinned: bool
    is_locked: bool
    is_approved: bool
    answer_post_id: int | None
    post_count: int
    posts: list[PostOut]


class PostsQuery(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT64)


def _post_out(post: Post, topic, moderator: bool) -> dict:
    hidden_body = '<p class="hidden-note">Pesan ini disembunyikan oleh moderator.</p>'
    return {
        "id": post.pk,
        "topic_id": post.topic_id,
        "author": post.author.username,
        "body_html": post.body_html if (moderator or not post.is_hidden) else hidden_body,
        "created_at": post.created_at,
        "edited": post.edited_at is not None,
        "status": post.status,
        "is_hidden": post.is_hidden,
        "thanks_count": post.thanks_count,
        "is_answer": topic.answer_id == post.pk,
    }


def _topic_out(topic, posts: list[Post], moderator: bool) -> dict:
    return {
        "id": topic.pk,
        "forum_slug": topic.forum.slug,
        "title": topic.title,
        "author": topic.author.username,
        "created_at": topic.created_at,
        "last_post_at": topic.last_post_at,
        "is_pinned": topic.is_pinned,
        "is_locked": topic.is_locked,
        "is_approved": topic.is_approved,
        "answer_post_id": topic.answer_id,
        "post_count": topic.post_count,
        "posts": [_post_out(p, topic, moderator) for p in posts],
    }


def _raise(error: services.ForumError):
    raise HttpError(error.status, error.message)


@router.get(
    "/forums",
    response=with_errors({200: list[ForumOut]}, 401, 422),
    summary="Forum yang dapat dibaca",
)
@paginate(Pagination)
def list_forums(request):
    return [
        {
            "slug": f.slug,
            "name": f.name,
            "description": f.description,
            "category": f.category.name,
            "is_public": f.is_public,
            "is_qa": f.is_qa,
            "module_id": f.module_id,
            "topic_count": f.topic_count,
            "post_count": f.post_count,
            "last_post_at": f.last_post_at,
        }
        for f in perms.forums_visible_to(request.user)
        .select_related("category")
        .order_by("category__position", "position", "name")
    ]


@router.post(
    "/forums/{slug}/topics",
    response=with_errors({201: TopicOut}, 401, 403, 404, 409, 422, 429),
    summary="Buat topik (Markdown)",
)
def create_topic(request, slug: str, payload: TopicIn):
    try:
        forum = selectors.forum_get_visible(request.user, slug)
    except Http404:
        raise HttpError(404, "Forum tidak ditemukan.") from None
    try:
        topic = services.topic_create(
            forum=forum, author=request.user, title=payload.title, body=payload.markdown()
        )
    except services.ForumError as error:
        _raise(error)
    topic.forum = forum
    return Status(201, _topic_out(topic, [topic.first_post], moderator=False))


@router.get(
    "/topics/{topic_id}",
    response=with_errors({200: TopicOut}, 401, 403, 404, 422),
    summary="Topik dengan pesannya",
)
def get_topic(request, topic_id: int, query: Query[PostsQuery]):
    id_or_404(topic_id, message="Topik tidak ditemukan.")
    try:
        topic, access = selectors.topic_get_visible(request.user, topic_id)
    except Http404:
        raise HttpError(404, "Topik tidak ditemukan.") from None
    posts = list(
        Post.objects.filter(topic=topic, status=Post.Status.PUBLISHED)
        .select_related("author")
        .order_by("created_at", "id")[query.offset : query.offset + query.limit]
    )
    return _topic_out(topic, posts, moderator=access.moderate)


@router.post(
    "/topics/{topic_id}/posts",
    response=with_errors({201: PostOut}, 401, 403, 404, 409, 422, 429),
    summary="Balas topik",
)
def create_post(request, topic_id: int, payload: PostIn):
    id_or_404(topic_id, message="Topik tidak ditemukan.")
    try:
        topic, _access = selectors.topic_get_visible(request.user, topic_id)
    except Http404:
        raise HttpError(404, "Topik tidak ditemukan.") from None
    try:
        post = services.post_create(topic=topic, author=request.user, body=payload.markdown())
    except services.ForumError as error:
        _raise(error)
    return Status(201, _post_out(post, topic, moderator=False))
