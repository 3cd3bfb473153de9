from django.urls import include, path

app_name = "kompetensi"
urlpatterns: list = [
    path("", include("kompetensi.skm_urls")),
]
