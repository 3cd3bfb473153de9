"""Learner pages read published content from caches keyed by the content version: what an
editor publishes, changes or unpublishes shows at the next request, and a route that no longer
exists is a 404 at once."""

import pytest

pytestmark = pytest.mark.django_db


def test_lesson_list_and_route_follow_publishing(client, learner, make_module):
    from portal.models import LessonPage

    module = make_module("Komunikasi Publik", lessons=2)
    client.force_login(learner)
    response = client.get(module.url)
    assert response.status_code == 200
    assert "Pelajaran 3" not in response.content.decode()

    # A new lesson published by an editor appears on the module and lesson pages.
    module.add_child(instance=LessonPage(title="Pelajaran 3", slug="p3", body=[]))
    assert "Pelajaran 3" in client.get(module.url).content.decode()
    first = LessonPage.objects.child_of(module).order_by("path").first()
    assert "Pelajaran 3" in client.get(first.url).content.decode()

    # A title change is shown at once.
    module.title = "Komunikasi Publik Lanjutan"
    module.save_revision().publish()
    assert "Komunikasi Publik Lanjutan" in client.get(module.url).content.decode()

    # Unpublished: its cached route is gone, the page is a 404.
    url = first.url
    first.unpublish()
    assert client.get(url).status_code == 404


def test_catalog_shows_a_newly_published_module(client, learner, make_module, catalog):
    make_module("Modul Pertama")
    client.force_login(learner)
    assert "Modul Pertama" in client.get(catalog.url).content.decode()
    make_module("Modul Kedua")
    body = client.get(catalog.url).content.decode()
    assert "Modul Kedua" in body and "Modul Pertama" in body


def test_view_restriction_added_later_is_enforced(client, learner, make_module):
    from wagtail.models import PageViewRestriction

    module = make_module("Modul Terbatas")
    client.force_login(learner)
    assert client.get(module.url).status_code == 200
    PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.PASSWORD, password="rahasia"
    )
    response = client.get(module.url)
    assert b'name="password"' in response.content  # the password form, not the module
