"""Forums, topics, posts, moderation, subscriptions.

Counters (``topic_count``, ``post_count``, ``last_post_at``, ``thanks_count``) are denormalised
and kept by ``forum.services``; the indexes back the two long lists: topics of a forum ordered by
(pinned, last_post_at) and posts of a topic ordered by (created_at, id)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class Category(models.Model):
    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("kategori forum")
        verbose_name_plural = _("kategori forum")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Forum(models.Model):
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="forums"
    )
    name = models.CharField(_("nama"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    module = models.OneToOneField(
        "portal.TrainingModulePage",
        verbose_name=_("modul pelatihan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum",
    )
    is_public = models.BooleanField(
        _("terbuka untuk semua ASN"),
        default=True,
        help_text=_("Forum tertutup hanya terlihat oleh yang diberi izin."),
    )
    is_qa = models.BooleanField(_("forum tanya jawab"), default=False)
    premoderation = models.BooleanField(_("pra-moderasi"), default=False)
    premoderation_threshold = models.PositiveSmallIntegerField(
        _("ambang pra-moderasi"),
        default=3,
        help_text=_(
            "Pesan anggota dengan pesan disetujui kurang dari angka ini menunggu moderator."
        ),
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forum")
        ordering = ["category__position", "position", "name"]
        default_permissions = ("add", "change", "delete")
        permissions = [
            ("view_forum", _("Dapat melihat forum")),
            ("post_in_forum", _("Dapat menulis di forum")),
            ("moderate_forum", _("Dapat memoderasi forum")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:forum_detail", args=[self.slug])


class ForumUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign key for guardian, so visibility is an indexed subquery."""

    content_object = models.ForeignKey(Forum, on_delete=models.CASCADE)


class ForumGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Forum, on_delete=models.CASCADE)


class Topic(models.Model):
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="topics"
    )
    title = models.CharField(_("judul"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penulis"),
        on_delete=models.PROTECT,
        related_name="forum_topics",
    )
    created_at = models.DateTimeField(_("dibuat"), db_index=True)
    last_post_at = models.DateTimeField(_("pesan terakhir"))
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_approved = models.BooleanField(_("disetujui"), default=True)
    is_pinned = models.BooleanField(_("disematkan"), default=False)
    is_locked = models.BooleanField(_("dikunci"), default=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    answer = models.ForeignKey(
        "Post",
        verbose_name=_("jawaban"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("topik")
        verbose_name_plural = _("topik")
        indexes = [
            models.Index(
                fields=["forum", "-is_pinned", "-last_post_at", "-id"],
                name="forum_topic_order_idx",
            ),
            models.Index(fields=["-last_post_at"], name="forum_topic_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:topic_detail", args=[self.pk])


class Post(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Tayang")
        PENDING = "pending", _("Menunggu moderasi")
        REJECTED = "rejected", _("Ditolak")

    topic = models.ForeignKey(
        Topic, verbose_name=_("topik"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penulis"),
        on_delete=models.PROTECT,
        related_name="forum_posts",
    )
    body_markdown = models.TextField(_("isi (Markdown)"))
    body_html = models.TextField(_("isi (HTML tersanitasi)"), editable=False)
    created_at = models.DateTimeField(_("dibuat"))
    edited_at = models.DateTimeField(_("diedit"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED
    )
    is_hidden = models.BooleanField(_("disembunyikan"), default=False)
    hidden_reason = models.CharField(_("alasan disembunyikan"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    thanks_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        indexes = [
            models.Index(
                fields=["topic", "status", "created_at", "id"], name="forum_post_list_idx"
            ),
            models.Index(
                fields=["status", "created_at"],
                name="forum_post_pending_idx",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["author", "status"], name="forum_post_author_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post_goto", args=[self.pk])

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None


class PostRevision(models.Model):
    """The text of a post before an edit (the current text is on the post)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body_markdown = models.TextField()
    body_html = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pesan")
        verbose_name_plural = _("riwayat pesan")
        ordering = ["-created_at", "-id"]


class PostReport(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reports"
    )
    reason = models.CharField(_("alasan"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(_("tindak lanjut"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("laporan pesan")
        verbose_name_plural = _("laporan pesan")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="forum_one_open_report_per_user",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="forum_report_open_idx",
                condition=Q(resolved_at__isnull=True),
            )
        ]


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("langganan topik")
        verbose_name_plural = _("langganan topik")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="forum_uniq_subscription")
        ]
        indexes = [models.Index(fields=["topic", "user"], name="forum_sub_topic_idx")]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        THANKS = "thanks", _("Terima kasih")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reactions"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.THANKS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="forum_uniq_reaction")
        ]


class ReadMarker(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_read_markers"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_markers")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="forum_uniq_read_marker")
        ]


class ForumPreference(models.Model):
    class EmailMode(models.TextChoices):
        INSTANT = "instant", _("E-mail untuk setiap balasan")
        DAILY = "daily", _("Ringkasan harian (satu e-mail per hari)")
        NONE = "none", _("Tanpa e-mail (hanya notifikasi di SIKAP)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_preference"
    )
    email_mode = models.CharField(
        _("e-mail forum"), max_length=10, choices=EmailMode.choices, default=EmailMode.INSTANT
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("preferensi forum")
        verbose_name_plural = _("preferensi forum")
