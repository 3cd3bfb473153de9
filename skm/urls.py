"""URLs of the citizen satisfaction survey (SKM), included at the site root by sikap/urls.py:
the public survey (reached by the QR code at the counter), addressed by unit code and service
point code (a code is unique per unit only), the survey's first URLs by point code alone (on
posters already printed), the pairing link of a counter tablet, the HR IKM page, the
employee's own feedback and the A6 poster PDF of a service point."""

from django.urls import path

from . import poster, views

app_name = "skm"
urlpatterns = [
    path("umpan-balik/", views.point_list, name="points"),
    path("umpan-balik/<slug:code>/", views.feedback_form_by_code, name="form_by_code"),
    path("umpan-balik/<str:unit>/<slug:code>/", views.feedback_form, name="form"),
    path("umpan-balik/<str:unit>/<slug:code>/terima-kasih/", views.thanks, name="thanks"),
    path("umpan-balik/<str:unit>/<slug:code>/poster.pdf", poster.poster_pdf, name="poster"),
    path("loket/pasang/<str:token>/", views.kiosk_pair, name="kiosk_pair"),
    path("sdm/umpan-balik/", views.hr_ikm, name="hr"),
    path("kinerja-saya/umpan-balik/", views.my_feedback, name="mine"),
]
