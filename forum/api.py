"""REST endpoints of the forum app (see ../shared/design/API.md): Markdown in, sanitised
``body_html`` out; the same permissions as the pages (a private forum is 404)."""

from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api import example_page, openapi_examples
from core.api_schemas import (
    EXAMPLE_NIP,
    MAX_INT64,
    JakartaDateTime,
    Pagination,
    id_or_404,
    with_errors,
)

from . import permissions as perms
from . import selectors, services
from .models import Post

router = Router(tags=["forum"])

ForumSlugPath = Annotated[
    str, Path(..., description="Slug forum.", example="tanya-jawab-kepegawaian")
]
TopicIdPath = Annotated[int, Path(..., description="Id topik.", example=4)]
FORUM_NOT_FOUND = "Forum tidak ditemukan."
TOPIC_NOT_FOUND = "Topik tidak ditemukan."
WRITE_FORBIDDEN = "Anda tidak berhak menulis di forum ini."
TOO_FAST = (
    "Anda terlalu cepat mengirim pesan (batas 10 pesan per menit). Tunggu sebentar lalu coba lagi."
)
ACCESS = (
    "Dengan izin yang sama seperti halaman forum: forum privat yang tidak boleh Anda baca → 404."
)


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
    last_post_at: JakartaDateTime | None


class PostIn(Schema):
    """Markdown in: ``body_markdown`` (``body`` is accepted as an alias)."""

    body_markdown: str | None = Field(
        None, max_length=20000, description="Isi pesan dalam Markdown (wajib, maks. 20.000)."
    )
    body: str | None = Field(None, max_length=20000, description="Nama lain `body_markdown`.")

    def markdown(self) -> str:
        text = self.body_markdown if self.body_markdown is not None else self.body
        if not (text or "").strip():
            raise HttpError(422, "Kolom 'body_markdown' wajib diisi (isi pesan dalam Markdown).")
        return text


class TopicIn(PostIn):
    # At least 5 characters after spaces are joined: the service says so in words (422).
    title: str = Field(..., max_length=200, description="Judul, 5–200 karakter.")


class PostOut(Schema):
    id: int
    topic_id: int
    author: str
    body_html: str
    created_at: JakartaDateTime
    edited: bool
    status: Literal["published", "pending", "rejected"] = Field(
        ..., description="`pending` = menunggu moderasi (belum tampil bagi orang lain)."
    )
    is_hidden: bool
    thanks_count: int
    is_answer: bool = False


class TopicOut(Schema):
    id: int
    forum_slug: str
    title: str
    author: str
    created_at: JakartaDateTime
    last_post_at: JakartaDateTime
    is_pinned: bool
    is_locked: bool
    is_approved: bool
    answer_post_id: int | None
    post_count: int
    posts: list[PostOut]


class PostsQuery(Schema):
    limit: int = Field(50, ge=1, le=500, description="Jumlah pesan (1–500, bawaan 50).")
    offset: int = Field(0, ge=0, le=MAX_INT64, description="Jumlah pesan yang dilewati.")


FORUM_EXAMPLE = {
    "slug": "tanya-jawab-kepegawaian",
    "name": "Tanya Jawab Kepegawaian",
    "description": "Pertanyaan seputar SKP, pangkat, cuti dan pengembangan kompetensi.",
    "category": "Forum Umum",
    "is_public": True,
    "is_qa": True,
    "module_id": None,
    "topic_count": 9,
    "post_count": 31,
    "last_post_at": "2026-03-04T10:12:00+07:00",
}
POST_EXAMPLE = {
    "id": 13,
    "topic_id": 4,
    "author": "197105041999032027",
    "body_html": "<p>Mohon info, modul e-learning di SIKAP apakah sudah diakui sebagai JP "
    "pengembangan kompetensi? Saya baru mengumpulkan 12 JP tahun ini.</p>",
    "created_at": "2026-11-03T05:00:00+07:00",
    "edited": False,
    "status": "published",
    "is_hidden": False,
    "thanks_count": 0,
    "is_answer": False,
}
TOPIC_EXAMPLE = {
    "id": 4,
    "forum_slug": "tanya-jawab-kepegawaian",
    "title": "Apakah pelatihan daring di SIKAP dihitung ke 20 JP per tahun?",
    "author": "197105041999032027",
    "created_at": "2026-11-03T05:00:00+07:00",
    "last_post_at": "2026-11-03T05:52:00+07:00",
    "is_pinned": False,
    "is_locked": False,
    "is_approved": True,
    "answer_post_id": 14,
    "post_count": 2,
    "posts": [
        POST_EXAMPLE,
        {
            **POST_EXAMPLE,
            "id": 14,
            "author": "pelatih",
            "body_html": "<p>Sudah, Bu. Setiap modul mencantumkan JP-nya, dan setelah lulus Anda "
            "mendapat sertifikat dengan nomor yang bisa diverifikasi.</p>",
            "created_at": "2026-11-03T05:52:00+07:00",
            "thanks_count": 1,
            "is_answer": True,
        },
    ],
}
NEW_TOPIC_EXAMPLE = {
    "title": "Pengajuan ulang SKP periodik setelah dikembalikan atasan",
    "body_markdown": "Apakah SKP periodik bisa **diajukan ulang** setelah dikembalikan atasan?",
}


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
    description=(
        "Forum yang boleh dibaca pemanggil (publik untuk semua ASN, dan forum privat yang "
        "membuka akses baginya), urut kategori lalu posisi, dengan jumlah topik dan pesan, "
        "berhalaman (`limit`/`offset`). `is_qa` = forum tanya jawab (topik dapat punya "
        "jawaban terpilih); `module_id` = modul pelatihan yang diskusinya di forum ini."
    ),
    openapi_extra=openapi_examples({200: example_page(FORUM_EXAMPLE)}),
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
    description=(
        f"{ACCESS} `{{title, body_markdown}}` (`body` diterima sebagai nama lain): Markdown "
        "masuk, `body_html` yang sudah dibersihkan keluar. → 201 dengan topik dan pesan "
        "pertamanya; di forum berpramoderasi pesan penulis baru berstatus `pending` sampai "
        "disetujui moderator. Tidak berhak menulis di forum itu → 403; judul kurang dari 5 "
        "karakter atau isi kosong → 422; lebih dari 10 pesan per menit → 429."
    ),
    openapi_extra=openapi_examples(
        {
            201: {
                **TOPIC_EXAMPLE,
                "id": 31,
                "title": NEW_TOPIC_EXAMPLE["title"],
                "author": EXAMPLE_NIP,
                "created_at": "2026-12-08T09:41:00+07:00",
                "last_post_at": "2026-12-08T09:41:00+07:00",
                "answer_post_id": None,
                "post_count": 1,
                "posts": [
                    {
                        **POST_EXAMPLE,
                        "id": 96,
                        "topic_id": 31,
                        "author": EXAMPLE_NIP,
                        "body_html": "<p>Apakah SKP periodik bisa <strong>diajukan ulang</strong> "
                        "setelah dikembalikan atasan?</p>",
                        "created_at": "2026-12-08T09:41:00+07:00",
                    }
                ],
            },
            403: {"detail": WRITE_FORBIDDEN},
            404: {"detail": FORUM_NOT_FOUND},
            422: {"detail": "Kolom 'body_markdown' wajib diisi (isi pesan dalam Markdown)."},
            429: {"detail": TOO_FAST},
        },
        request=NEW_TOPIC_EXAMPLE,
    ),
)
def create_topic(request, slug: ForumSlugPath, payload: TopicIn):
    try:
        forum = selectors.forum_get_visible(request.user, slug)
    except Http404:
        raise HttpError(404, FORUM_NOT_FOUND) from None
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
    description=(
        f"{ACCESS} Topik beserta pesan-pesannya yang tayang, urut waktu; `limit` (1–500, "
        "bawaan 50) dan `offset` memilih pesan. Pesan yang disembunyikan moderator tampil "
        "sebagai catatan (isinya hanya untuk moderator). Topik yang tidak ada atau tidak "
        "terlihat → 404."
    ),
    openapi_extra=openapi_examples({200: TOPIC_EXAMPLE, 404: {"detail": TOPIC_NOT_FOUND}}),
)
def get_topic(request, topic_id: TopicIdPath, query: Query[PostsQuery]):
    id_or_404(topic_id, message=TOPIC_NOT_FOUND)
    try:
        topic, access = selectors.topic_get_visible(request.user, topic_id)
    except Http404:
        raise HttpError(404, TOPIC_NOT_FOUND) from None
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
    description=(
        f"{ACCESS} `{{body_markdown}}` (`body` diterima sebagai nama lain): Markdown masuk, "
        "`body_html` yang sudah dibersihkan keluar. → 201 dengan pesan baru (`pending` di "
        "forum berpramoderasi sampai disetujui). Tidak berhak menulis → 403; topik dikunci → "
        "409; isi kosong atau lebih dari 20.000 karakter → 422; lebih dari 10 pesan per menit "
        "→ 429."
    ),
    openapi_extra=openapi_examples(
        {
            201: {
                **POST_EXAMPLE,
                "id": 97,
                "author": EXAMPLE_NIP,
                "body_html": "<p>Terima kasih, penjelasannya sangat membantu.</p>",
                "created_at": "2026-12-08T10:30:00+07:00",
            },
            403: {"detail": WRITE_FORBIDDEN},
            404: {"detail": TOPIC_NOT_FOUND},
            409: {"detail": "Topik ini dikunci; balasan baru tidak diterima."},
            429: {"detail": TOO_FAST},
        },
        request={"body_markdown": "Terima kasih, penjelasannya sangat membantu."},
    ),
)
def create_post(request, topic_id: TopicIdPath, payload: PostIn):
    id_or_404(topic_id, message=TOPIC_NOT_FOUND)
    try:
        topic, _access = selectors.topic_get_visible(request.user, topic_id)
    except Http404:
        raise HttpError(404, TOPIC_NOT_FOUND) from None
    try:
        post = services.post_create(topic=topic, author=request.user, body=payload.markdown())
    except services.ForumError as error:
        _raise(error)
    return Status(201, _post_out(post, topic, moderator=False))
