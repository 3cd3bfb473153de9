from django.urls import path

from . import views

app_name = "kompetensi"
urlpatterns: list = [
    path("kinerja-saya/", views.my_performance, name="my_performance"),
    path(
        "kinerja-saya/penilaian-diri/<str:period>/",
        views.self_evaluation,
        name="self_evaluation",
    ),
    path("tim-saya/", views.my_team, name="my_team"),
    path(
        "tim-saya/<str:nip>/penilaian/<str:period>/",
        views.supervisor_evaluation,
        name="supervisor_evaluation",
    ),
    path("sdm/impor-pegawai/", views.employee_import, name="employee_import"),
    path("sdm/impor-skp/", views.skp_import, name="skp_import"),
    path(
        "sdm/impor-<str:kind>/templat.<str:fmt>",
        views.import_template,
        name="import_template",
    ),
    path("sdm/penilaian-rekan/<str:nip>/", views.peer_ratings, name="peer_ratings"),
    path("sdm/periode/", views.periods, name="periods"),
    path("sdm/periode/<str:code>/status/", views.period_toggle, name="period_toggle"),
]
