from django.urls import include, path

app_name = "workflow"
urlpatterns: list = [
    path("", include("workflow.reports.urls")),
]
