"""URLs of the citizen satisfaction survey (SKM); included at the site root by
kompetensi/urls.py, so the names are ``kompetensi:skm_*``. The A6 poster PDF lives in
workflow (``workflow:skm_poster``, /umpan-balik/<code>/poster.pdf), beside the PDF renderer."""

from django.urls import path

from . import skm_views

urlpatterns = [
    path("umpan-balik/", skm_views.point_list, name="skm_points"),
    path("umpan-balik/<slug:code>/", skm_views.feedback_form, name="skm_form"),
    path("umpan-balik/<slug:code>/terima-kasih/", skm_views.thanks, name="skm_thanks"),
    path("sdm/umpan-balik/", skm_views.hr_ikm, name="skm_hr"),
    path("kinerja-saya/umpan-balik/", skm_views.my_feedback, name="skm_mine"),
]
