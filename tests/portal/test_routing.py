"""Wagtail's routing cached by content version (portal/routing.py) and view restrictions read
on every request in one query (portal/models.py ``_view_restrictions``): a cached route is
never served after the write that changed it (publication, rename, move, deletion, site
change), and a view restriction applies at the next request even when nothing bumped a
version (permission data is never cached)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _html(client, url, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response.content.decode()


def _h1(html: str) -> str:
    return html.split("<h1", 1)[1].split(">", 1)[1].split("</h1>", 1)[0].strip()


def _lessons(module):
    from portal.models import LessonPage

    return list(LessonPage.objects.child_of(module).live().order_by("path"))


def _routing_queries(client, url, **extra) -> list[str]:
    """The SQL run by one request that reads sites or pages (the restrictions excepted)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if ("wagtailcore_site" in q["sql"] or 'FROM "wagtailcore_page"' in q["sql"])
        and "wagtailcore_pageviewrestriction" not in q["sql"]
    ]


def test_a_warm_route_reads_no_site_and_no_page(client, learner, make_module):
    lesson = _lessons(make_module("Modul Rute"))[0]
    client.force_login(learner)
    assert _routing_queries(client, lesson.url)  # cold: Wagtail routes from the database
    assert _routing_queries(client, lesson.url) == []
    _html(client, "/")
    assert _routing_queries(client, "/") == []


def test_a_published_lesson_shows_its_new_title_and_body(client, learner, make_module):
    lesson = _lessons(make_module("Modul Terbit"))[0]
    client.force_login(learner)
    _html(client, lesson.url)
    assert "Materi 0" in _html(client, lesson.url)
    lesson.title = "Pelajaran Direvisi"
    lesson.body = [{"type": "text", "id": "t9", "value": "<p>Isi yang baru.</p>"}]
    lesson.save_revision().publish()
    html = _html(client, lesson.url)
    assert "Pelajaran Direvisi" in html and "Isi yang baru." in html and "Materi 0" not in html


def test_a_draft_changes_nothing_served(client, learner, make_module):
    lesson = _lessons(make_module("Modul Draf"))[0]
    client.force_login(learner)
    _html(client, lesson.url)
    lesson.title = "Judul Draf"
    lesson.save_revision()
    assert "Judul Draf" not in _html(client, lesson.url)


def test_a_renamed_module_moves_its_url(client, learner, make_module):
    module = make_module("Modul Lama")
    old_url, old_lesson_url = module.url, _lessons(module)[0].url
    client.force_login(learner)
    _html(client, old_url), _html(client, old_lesson_url)
    module.slug = "modul-nama-baru"
    module.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get(old_lesson_url).status_code == 404
    assert "Modul Lama" in _html(client, "/katalog/modul-nama-baru/")
    assert _html(client, "/katalog/modul-nama-baru/p1/")


def test_a_moved_module_and_a_deleted_lesson(client, learner, make_module, catalog):
    module = make_module("Modul Pindah")
    first, second = _lessons(module)
    client.force_login(learner)
    for url in (module.url, first.url, second.url):
        _html(client, url)
    old_url = first.url
    module.move(catalog.get_parent(), pos="last-child")  # out of the catalog
    response = client.get(old_url)  # not the cached route: Wagtail's redirect to the new URL
    assert (response.status_code, response["Location"]) == (301, f"/{module.slug}/{first.slug}/")
    assert "Modul Pindah" in _html(client, f"/{module.slug}/")
    second.delete()
    assert client.get(f"/{module.slug}/{second.slug}/").status_code == 404


def test_a_new_site_for_a_host_serves_its_own_root(client, learner, catalog):
    from wagtail.models import Site

    client.force_login(learner)
    host = {"HTTP_HOST": "katalog.example.go.id"}
    assert "Halo" in _h1(_html(client, "/", **host))  # the default site's home
    assert "Halo" in _h1(_html(client, "/", **host))  # warm: cached for this host
    Site.objects.create(hostname="katalog.example.go.id", root_page=catalog)
    assert _h1(_html(client, "/", **host)) == catalog.title
    assert "Halo" in _h1(_html(client, "/"))  # other hosts: the default site


def test_the_site_root_moved_to_another_page_is_served_at_once(client, learner, site):
    from wagtail.models import Site

    client.force_login(learner)
    _html(client, "/"), _html(client, "/")
    default = Site.objects.get(is_default_site=True)
    default.root_page = site["help"]
    default.save()
    assert _h1(_html(client, "/")) == site["help"].title


# ------------------------------------------------------------------------------------------
# View restrictions: per request, never from a cache
# ------------------------------------------------------------------------------------------


def test_a_restriction_written_without_signals_applies_at_once(client, make_module, catalog):
    """A restriction on an ancestor (the catalog) written by a bulk insert, which bumps no
    version: the cached route is served, the restriction is still read and enforced."""
    from wagtail.models import PageViewRestriction

    lesson = _lessons(make_module("Modul Publik"))[0]
    _html(client, lesson.url), _html(client, lesson.url)  # anonymous, warm
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=catalog, restriction_type=PageViewRestriction.LOGIN)]
    )
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "Materi 0" not in response.content.decode()
    PageViewRestriction.objects.filter(page=catalog).delete()  # a queryset delete: no signal
    assert "Materi 0" in _html(client, lesson.url)


def test_a_group_restriction_follows_the_users_groups(client, make_user, make_module):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    module = make_module("Modul Pelatih")
    restriction = PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.GROUPS
    )
    trainers = Group.objects.get(name="Pelatih")
    restriction.groups.add(trainers)
    user = make_user("asn-biasa", "ASN")
    client.force_login(user)
    lesson_url = _lessons(module)[0].url
    assert client.get(lesson_url).status_code == 302
    assert client.get(lesson_url).status_code == 302
    user.groups.add(trainers)  # bumps nothing
    assert _html(client, lesson_url)
    user.groups.remove(trainers)
    assert client.get(lesson_url).status_code == 302


def test_restrictions_are_wagtails_in_one_query(rf, make_module, catalog):
    """The same restrictions as Wagtail's own lookup, for a routed page (one query) and for
    an alias (whose source's restrictions apply: Wagtail's lookup)."""
    from wagtail.models import Page, PageViewRestriction, Site

    module = make_module("Modul Sumber")
    other = make_module("Modul Lain")
    lesson = _lessons(module)[0]
    alias = lesson.create_alias(parent=other, update_slug="alias-pelajaran")
    on_catalog = PageViewRestriction.objects.create(
        page=catalog, restriction_type=PageViewRestriction.LOGIN
    )
    on_lesson = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="rahasia"
    )
    PageViewRestriction.objects.create(
        page=make_module("Modul Samping"), restriction_type=PageViewRestriction.LOGIN
    )

    def routed(path):
        request = rf.get(path)
        request._wagtail_site = Site.objects.get(is_default_site=True)
        page, _args, _kwargs = Page.route_for_request(request, path)
        return page

    page = routed(lesson.url)
    with CaptureQueriesContext(connection) as ctx:
        found = set(page.get_view_restrictions())
    assert len(ctx.captured_queries) == 1
    assert found == set(Page.get_view_restrictions(page)) == {on_catalog, on_lesson}

    page = routed(f"{other.url}alias-pelajaran/")
    assert page.pk == alias.pk
    assert set(page.get_view_restrictions()) == {on_catalog, on_lesson}
    assert set(Page.get_view_restrictions(page)) == {on_catalog, on_lesson}

    # A page not reached by routing (no ancestors on it): Wagtail's lookup, same answer.
    from portal.models import LessonPage

    bare = LessonPage.objects.get(pk=lesson.pk)
    assert set(bare.get_view_restrictions()) == {on_catalog, on_lesson}


def test_an_alias_is_served_behind_its_sources_restriction(client, learner, make_module):
    from wagtail.models import PageViewRestriction

    module, other = make_module("Modul Asal"), make_module("Modul Tujuan")
    lesson = _lessons(module)[0]
    lesson.create_alias(parent=other, update_slug="salinan")
    client.force_login(learner)
    url = f"{other.url}salinan/"
    _html(client, url), _html(client, url)
    PageViewRestriction.objects.bulk_create(
        [
            PageViewRestriction(
                page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="x"
            )
        ]
    )
    assert b'name="password"' in client.get(url).content


def test_a_failing_cache_leaves_routing_to_wagtail(rf, make_module, monkeypatch):
    from django.core.cache import cache
    from wagtail.models import Page

    from portal import routing

    module = make_module("Modul Tanpa Cache")
    url = module.url

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    request = rf.get(url)
    routing.prime_route(request, url)
    assert not hasattr(request, "_wagtail_route_for_request")  # nothing primed
    page, _args, _kwargs = Page.route_for_request(request, url)  # Wagtail's routing
    assert page.pk == module.pk
