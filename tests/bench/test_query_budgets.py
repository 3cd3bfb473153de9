"""Query budgets of the key pages not guarded elsewhere: home (ASN), catalog, module, lesson and
the public verification page. Each page runs at most the same number of queries with a small
and a larger dataset (bench/RESULTS.md measures them at city scale).

Already guarded in their own apps (not repeated here): Kinerja Saya
(tests/kompetensi/test_views.py), forum topic (tests/forum/test_queries.py), HR dashboard, unit
and employee views (tests/workflow/test_reports_queries.py)."""

import datetime as dt
import itertools
import json

import pytest

from tests import factories
from tests.factories import shared_rows

_seq = itertools.count(1)

# Budgets (measured + 1): the same at both sizes; they guard growth with the data. "Cold" is the
# first request after a write moved the cache versions (every cache keyed by them misses:
# lesson lists, catalog pages, routes), "warm" every request after it. Wagtail's own ``serve``
# runs every request; its routing (the site, the site's root page, one query per path segment)
# is cached under the content version (portal/routing.py), so a warm page pays only the view
# restrictions of the page and its ancestors (one query, never cached) and, on home, the
# request's forum access (its recent topics): catalog, module and lesson run 7 queries warm
# (bench/RESULTS.md, session 6). Home also runs the to-do panels (portal/selectors.py
# ``home_todo``: open self-evaluations, reports not evaluated, a moderator's queue: 3 queries,
# warm and cold).
COLD_BUDGET = {"home": 24, "catalog": 21, "module": 21, "lesson": 20, "verify": 4}
BUDGET = {"home": 12, "catalog": 8, "module": 8, "lesson": 8, "verify": 4}

QUIZ = {
    "type": "quiz",
    "id": "quiz-1",
    "value": {
        "title": "Kuis",
        "questions": [
            {
                "type": "item",
                "id": "q1",
                "value": {
                    "text": "Apa itu pelayanan prima?",
                    "kind": "single",
                    "explanation": "",
                    "choices": [
                        {"type": "item", "id": "c1", "value": {"text": "Cepat", "correct": True}},
                        {"type": "item", "id": "c2", "value": {"text": "Lambat", "correct": False}},
                    ],
                },
            }
        ],
    },
}


def _catalog():
    from portal.site import ensure_page_tree

    return ensure_page_tree()["catalog"]


def _module(catalog, competency, lessons):
    from portal.models import LessonPage, ModuleCompetency, TrainingModulePage

    n = next(_seq)
    module = TrainingModulePage(title=f"Modul {n}", slug=f"modul-b{n}", summary="Ringkasan", jp=10)
    catalog.add_child(instance=module)
    ModuleCompetency.objects.create(page=module, competency=competency, target_level=3)
    for i in range(lessons):
        body = [{"type": "text", "id": f"t{n}-{i}", "value": "<p>Isi pelajaran.</p>"}]
        if i == lessons - 1:
            body.append(QUIZ)
        module.add_child(
            instance=LessonPage(title=f"Pelajaran {i + 1}", slug=f"p{i}", body=json.dumps(body))
        )
    return module


def build(size: int, monkeypatch):
    """A learner with ``size`` assigned modules (half completed and certified, the rest part
    done), ``size`` more modules in the catalog, and colleagues learning the same modules."""
    from kompetensi.models import Competency, Employee, OrganizationUnit
    from portal.models import LessonPage
    from workflow import services
    from workflow.models import Assignment

    monkeypatch.setattr(
        "workflow.certificates.pdf.render_certificate_pdf",
        lambda ctx: b"%PDF-1.7\n% bench " + ctx.number.encode() + b"\n%%EOF\n",
    )
    catalog = _catalog()
    unit = OrganizationUnit.objects.create(code=f"U{next(_seq)}", name="Dinas Uji")
    competency = Competency.objects.create(
        code=f"M.{next(_seq)}", name="Komunikasi", kind="manajerial"
    )
    modules = [_module(catalog, competency, lessons=3) for _ in range(2 * size)]

    def employee(username):
        n = next(_seq)
        return Employee.objects.create(
            nip=f"19850315201001{1 + n % 2}{n % 1000:03d}",
            name=f"Pegawai {n}",
            unit=unit,
            user=factories.user(username, "ASN"),
            rank="III/a",
        )

    learner = employee(f"learner{size}")
    colleagues = [employee(f"colleague{size}-{i}") for i in range(size)]
    certificate = None
    for i, module in enumerate(modules[:size]):
        done = i % 2 == 0
        assignment = Assignment.objects.create(
            employee=learner,
            module=module,
            status=Assignment.Status.COMPLETED if done else Assignment.Status.IN_PROGRESS,
            jp=module.jp,
            due_date=services.jakarta_today() + dt.timedelta(days=30),
        )
        lessons = list(LessonPage.objects.child_of(module).live().order_by("path"))
        for lesson in lessons if done else lessons[:1]:
            services.lesson_complete(user=learner.user, lesson=lesson)
        for other in colleagues:
            services.lesson_complete(user=other.user, lesson=lessons[0])
        if done:
            certificate = services.certificate_issue(assignment_id=assignment.pk) or certificate
    return {
        "learner": learner,
        "catalog": catalog,
        "module": modules[1 if size > 1 else 0],
        "certificate": certificate,
    }


@pytest.fixture(scope="module", params=[2, 16], ids=["small", "larger"])
def world(request, django_db_setup, django_db_blocker):
    """Built once per size for this module's tests, which only read it."""
    with shared_rows(django_db_blocker), pytest.MonkeyPatch.context() as monkeypatch:
        yield build(request.param, monkeypatch)


def _get(client, path, page, django_assert_max_num_queries):
    from django.core.cache import cache

    client.get(path)  # per-process caches (site root, content types) warm, as in production
    cache.clear()  # as after a write: every data version moved
    with django_assert_max_num_queries(COLD_BUDGET[page]):
        assert client.get(path).status_code == 200, path
    with django_assert_max_num_queries(BUDGET[page]):
        response = client.get(path)
    assert response.status_code == 200, path
    return response


def test_home_as_asn(world, client, django_assert_max_num_queries):
    client.force_login(world["learner"].user)
    _get(client, "/", "home", django_assert_max_num_queries)


def test_catalog(world, client, django_assert_max_num_queries):
    client.force_login(world["learner"].user)
    _get(client, world["catalog"].get_url(), "catalog", django_assert_max_num_queries)


def test_module_page(world, client, django_assert_max_num_queries):
    client.force_login(world["learner"].user)
    _get(client, world["module"].get_url(), "module", django_assert_max_num_queries)


def test_lesson_page(world, client, django_assert_max_num_queries):
    from portal.models import LessonPage

    client.force_login(world["learner"].user)
    lesson = LessonPage.objects.child_of(world["module"]).live().order_by("path").last()
    _get(client, lesson.get_url(), "lesson", django_assert_max_num_queries)


def test_verification_page(world, client, django_assert_max_num_queries):
    code = world["certificate"].verification_code
    response = _get(client, f"/verifikasi/{code}/", "verify", django_assert_max_num_queries)
    assert world["learner"].name in response.content.decode()


@pytest.mark.parametrize("size", [3, 60])
def test_topic_page_read_by_the_author_of_its_posts(db, groups, make_user, client, size):
    """The author of every post on the page (not a moderator): edit/delete rights are decided
    per post, which must not cost a query per post (the bench found one per own post)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum import services as forum_services
    from tests.forum.conftest import bulk_topics
    from tests.forum.test_queries import MAX_TOPIC_PAGE_WARM

    category = forum_services.category_ensure(slug="umum", name="Forum Umum")
    forum = forum_services.forum_create(category=category, name="Pelayanan", slug="pelayanan")
    author = make_user(f"penulis{size}", "ASN")
    (topic,) = bulk_topics(forum, author, 1, posts_per_topic=size)
    client.force_login(author)
    client.get(f"/forum/topik/{topic.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/forum/topik/{topic.pk}/")
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= MAX_TOPIC_PAGE_WARM
