"""Forum pages under /forum/."""

from django.urls import path

from . import views

app_name = "forum"
urlpatterns = [
    path("forum/", views.forum_index, name="index"),
    path("forum/cari/", views.search, name="search"),
    path("forum/moderasi/", views.moderation_queue, name="moderation"),
    path("forum/preferensi/", views.preferences, name="preferences"),
    path("forum/laporan/<int:pk>/selesai/", views.report_resolve, name="report_resolve"),
    path("forum/topik/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("forum/topik/<int:pk>/balas/", views.topic_reply, name="topic_reply"),
    path("forum/topik/<int:pk>/pindahkan/", views.topic_move, name="topic_move"),
    path(
        "forum/topik/<int:pk>/<str:action>/",
        views.topic_toggle,
        name="topic_toggle",
    ),
    path("forum/pesan/<int:pk>/", views.post_goto, name="post_goto"),
    path("forum/pesan/<int:pk>/ubah/", views.post_edit, name="post_edit"),
    path("forum/pesan/<int:pk>/riwayat/", views.post_history, name="post_history"),
    path("forum/pesan/<int:pk>/hapus/", views.post_delete, name="post_delete"),
    path("forum/pesan/<int:pk>/terima-kasih/", views.post_thanks, name="post_thanks"),
    path("forum/pesan/<int:pk>/jawaban/", views.post_mark_answer, name="post_answer"),
    path("forum/pesan/<int:pk>/laporkan/", views.post_report, name="post_report"),
    path("forum/pesan/<int:pk>/sembunyikan/", views.post_hide, name="post_hide"),
    path("forum/pesan/<int:pk>/tampilkan/", views.post_unhide, name="post_unhide"),
    path("forum/pesan/<int:pk>/moderasi/", views.post_moderate, name="post_moderate"),
    path("forum/<slug:slug>/", views.forum_detail, name="forum_detail"),
    path("forum/<slug:slug>/topik-baru/", views.topic_create, name="topic_create"),
    path("forum/<slug:slug>/akses/", views.forum_access, name="forum_access"),
]
