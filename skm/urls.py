"""URLs of the citizen satisfaction survey (SKM), included at the site root by sikap/urls.py:
the public survey (reached by the QR code at the counter), the HR IKM page, the employee's own
feedback and the A6 poster PDF of a service point."""

from django.urls import path

from . import poster, views

app_name = "skm"
urlpatterns = [
    path("umpan-balik/", views.point_list, name="points"),
    path("umpan-balik/<slug:code>/", views.feedback_form, name="form"),
    path("umpan-balik/<slug:code>/terima-kasih/", views.thanks, name="thanks"),
    path("umpan-balik/<slug:code>/poster.pdf", poster.poster_pdf, name="poster"),
    path("sdm/umpan-balik/", views.hr_ikm, name="hr"),
    path("kinerja-saya/umpan-balik/", views.my_feedback, name="mine"),
]
