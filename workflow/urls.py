from django.urls import path

from . import certificate_views, external_views, views

app_name = "workflow"
urlpatterns: list = [
    path("pelatihan-saya/", views.my_training, name="my_training"),
    path("pelajaran/<int:lesson_id>/selesai/", views.lesson_complete, name="lesson_complete"),
    path("pelajaran/<int:lesson_id>/kuis/", views.quiz_submit, name="quiz_submit"),
    path("modul/<int:module_id>/ikuti/", views.enrol, name="enrol"),
    path("verifikasi/", views.verify_form, name="verify"),
    path("verifikasi/<str:code>/", views.verify_code, name="verify_code"),
    path("sertifikat/<str:code>/unduh/", views.certificate_download, name="certificate_download"),
    path("sertifikat/<str:code>/cabut/", views.certificate_revoke, name="certificate_revoke"),
    path("sdm/kebutuhan/", views.needs_list, name="needs"),
    path("sdm/rekomendasi/", views.recommendations, name="recommendations"),
    path("sdm/rekomendasi/<int:pk>/", views.assignment_edit, name="assignment_edit"),
    path("sdm/kebutuhan-tanpa-modul/", views.needs_without_module, name="needs_without_module"),
    # External learning (workflow/external.py) and the HR certificate ZIP
    path("pelatihan-saya/eksternal/", external_views.external_mine, name="external_mine"),
    path("pelatihan-saya/eksternal/baru/", external_views.external_new, name="external_new"),
    path(
        "pelatihan-saya/eksternal/<int:pk>/bukti/",
        external_views.external_proof,
        name="external_proof",
    ),
    path(
        "sdm/pembelajaran-eksternal/",
        external_views.external_review_list,
        name="external_review",
    ),
    path(
        "sdm/pembelajaran-eksternal/<int:pk>/setujui/",
        external_views.external_approve,
        name="external_approve",
    ),
    path(
        "sdm/pembelajaran-eksternal/<int:pk>/tolak/",
        external_views.external_reject,
        name="external_reject",
    ),
    path("sdm/sertifikat/unduh.zip", external_views.certificates_zip, name="certificates_zip"),
    # HR's certificate list with search, reissue and revoke (workflow/certificate_views.py)
    path("sdm/sertifikat/", certificate_views.certificate_list, name="certificate_list"),
    path(
        "sdm/sertifikat/<str:code>/terbitkan-ulang/",
        certificate_views.certificate_reissue,
        name="certificate_reissue",
    ),
]
