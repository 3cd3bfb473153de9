"""Cached reads keyed by data version (core/dataversion.py) are never stale: any write to a
watched table — a model save, a bulk update, raw SQL through Django's connection — moves the
version, in the same transaction and again at commit."""

import pytest
from django.apps import apps
from django.db import connection, transaction

from core import dataversion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sql", "names"),
    [
        ('INSERT INTO "workflow_assignment" ("a") VALUES (1)', ("sdm", "person")),
        ('UPDATE "kompetensi_employeecompetency" SET "gap" = 1', ("sdm", "person")),
        ('DELETE FROM "workflow_certificate" WHERE 1', ("sdm", "person")),
        ('INSERT OR IGNORE INTO "kompetensi_employee" ("a") VALUES (1)', ("sdm", "person")),
        ("update kompetensi_skpresult set predicate = 'Baik'", ("sdm", "person")),
        ('UPDATE "kompetensi_evaluationperiod" SET "is_open" = 1', ("sdm", "person", "periods")),
        ('INSERT INTO "kompetensi_competencyscore" ("a") VALUES (1)', ("person",)),
        ('UPDATE "wagtailcore_page" SET "live" = false', ("content", "forum-access")),
        ('INSERT INTO "portal_lessonpage" ("page_ptr_id") VALUES (1)', ("content",)),
        ('UPDATE "kompetensi_competency" SET "name" = \'x\'', ("sdm", "content", "person")),
        (
            'UPDATE "forum_forum" SET "post_count" = 2',
            ("forums", "forum-access", "forum-topics", "topic"),
        ),
        ('INSERT INTO "forum_post" ("a") VALUES (1)', ("topic",)),
        ('INSERT INTO "auth_user_groups" ("a") VALUES (1)', ("forum-access", "access")),
        (
            'WITH v AS (SELECT 1) UPDATE "workflow_assignment" SET "jp" = 1 FROM v',
            ("sdm", "person"),
        ),
        ('WITH v AS (SELECT 1) SELECT * FROM "workflow_assignment"', ()),
        # high-churn tables under a watched prefix, reads and unwatched tables: nothing
        ('UPDATE "portal_apitoken" SET "last_used_at" = now()', ()),
        ('INSERT INTO "wagtailcore_referenceindex" ("a") VALUES (1)', ()),
        ('INSERT INTO "workflow_lessonprogress" ("a") VALUES (1)', ("person",)),
        ('UPDATE "workflow_notification" SET "read_at" = now()', ()),
        ('SELECT * FROM "workflow_assignment"', ()),
        ('SELECT 1 FROM "x" WHERE "a" IN (SELECT 1) -- UPDATE "workflow_assignment"', ()),
    ],
)
def test_statements_are_attributed_to_the_versions_they_change(sql, names):
    assert set(dataversion.names_written_by(sql)) == set(names)


def test_every_watched_table_exists():
    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    for name, watched in dataversion.WATCHED.items():
        assert watched <= tables, (name, watched - tables)
    assert dataversion.UNWATCHED <= tables


def test_a_bulk_update_moves_the_version_at_once_and_at_commit(django_capture_on_commit_callbacks):
    from workflow.models import Assignment

    before = dataversion.current("sdm")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            Assignment.objects.filter(pk=-1).update(jp=1)
            after_statement = dataversion.current("sdm")
            Assignment.objects.filter(pk=-1).update(jp=2)
    assert after_statement > before
    assert dataversion.current("sdm") > after_statement + 1  # 2nd statement + the commit
    assert len(callbacks) == 1  # one commit hook per transaction, not one per statement


def test_raw_sql_through_django_moves_the_version():
    before = dataversion.current("content")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtailcore_page SET numchild = numchild WHERE id = -1")
    assert dataversion.current("content") != before


def test_reads_do_not_move_the_version():
    from workflow.models import Assignment

    before = dataversion.current("sdm")
    list(Assignment.objects.all())
    assert dataversion.current("sdm") == before


def test_cached_recomputes_after_a_write():
    from kompetensi.models import OrganizationUnit

    calls = []

    def compute():
        calls.append(1)
        return OrganizationUnit.objects.count()

    assert dataversion.cached("sdm", "units", compute) == 0
    assert dataversion.cached("sdm", "units", compute) == 0
    assert len(calls) == 1
    OrganizationUnit.objects.create(code="X", name="Unit X")
    assert dataversion.cached("sdm", "units", compute) == 1
    assert len(calls) == 2


def test_a_lost_counter_never_hands_out_an_old_entry():
    from django.core.cache import cache

    first = dataversion.current("sdm")
    dataversion.cached("sdm", "k", lambda: "old")
    cache.delete(dataversion._key("sdm"))  # eviction / cache restart without the entries
    second = dataversion.current("sdm")
    assert second != first
    assert dataversion.cached("sdm", "k", lambda: "new") == "new"
