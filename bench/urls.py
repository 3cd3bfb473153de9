"""The product's URLs plus the floor: a bare Django view rendering a plain template, on the same
middleware, settings and database, to show what any page on this stack costs at least."""

from django.shortcuts import render
from django.urls import include, path


def floor(request):
    return render(request, "bench/floor.html", {"title": "Floor"})


urlpatterns = [
    path("__bench__/floor/", floor, name="bench_floor"),
    path("", include("sikap.urls")),
]
