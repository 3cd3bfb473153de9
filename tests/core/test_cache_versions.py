"""Cache versions bumped explicitly (core/dataversion.py): the code that writes names what it
changed; ``bump`` moves a version at once and again when the transaction commits; nothing reads
SQL; ``invalidate_all`` / ``manage.py invalidate_caches`` move every version (the command also
drops Wagtail's cached routing); production refuses a cache that its processes do not share."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction

from core import dataversion

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_bump_moves_the_version_at_once_and_again_at_commit(django_capture_on_commit_callbacks):
    before = dataversion.current("sdm")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            dataversion.bump("sdm")
            after_first = dataversion.current("sdm")
            dataversion.bump("sdm", "periods")
    assert after_first == before + 1  # a reader in the same transaction sees it at once
    assert dataversion.current("sdm") == before + 3  # the second bump, then the commit's
    assert len(callbacks) == 1  # one commit hook per transaction, not one per bump


def test_a_rolled_back_transaction_leaves_no_commit_hook_behind():
    with pytest.raises(RuntimeError), transaction.atomic():
        dataversion.bump("content")
        raise RuntimeError
    before = dataversion.current("content")
    with transaction.atomic():
        dataversion.bump("content")
        ours = [f for _s, f, _r in connection.run_on_commit if getattr(f, "sikap_dataversion", 0)]
        assert len(ours) == 1
    assert dataversion.current("content") == before + 1  # tests run inside a transaction


def test_nothing_watches_the_database():
    """A write that no service names moves no version (no SQL parsing, no execute wrapper):
    such writes are followed by ``invalidate_caches``."""
    from workflow.models import Assignment

    assert not any(
        "dataversion" in getattr(w, "__module__", "") for w in connection.execute_wrappers
    )
    before = dataversion.versions(*dataversion.NAMES)
    Assignment.objects.filter(pk=-1).update(jp=1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtailcore_page SET numchild = numchild WHERE id = -1")
    assert dataversion.versions(*dataversion.NAMES) == before


def test_unknown_names_are_refused():
    with pytest.raises(ValueError, match="unknown cache version"):
        dataversion.bump("sdn")
    with pytest.raises(ValueError):
        dataversion.versions("person", "persn@emp:1")
    dataversion.bump("person@emp:1", *dataversion.for_topic(3))  # scopes of declared names


def test_cached_recomputes_after_a_bump():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert dataversion.cached("sdm", "units", compute) == 1
    assert dataversion.cached("sdm", "units", compute) == 1
    dataversion.bump("periods")  # another name: still cached
    assert dataversion.cached("sdm", "units", compute) == 1
    dataversion.bump("sdm")
    assert dataversion.cached("sdm", "units", compute) == 2


def test_person_versions_move_with_their_scope_or_the_global_version():
    key = dataversion.person_version(employee_id=7, user_id=9, also=("content",))
    dataversion.bump(*dataversion.for_person(employee=8))  # someone else
    assert dataversion.person_version(employee_id=7, user_id=9, also=("content",)) == key
    dataversion.bump(*dataversion.for_person(user=9))
    moved = dataversion.person_version(employee_id=7, user_id=9, also=("content",))
    assert moved != key
    dataversion.bump("person")  # every person's entries
    assert dataversion.person_version(employee_id=7, user_id=9, also=("content",)) != moved
    topic = dataversion.topic_version(5)
    dataversion.bump(*dataversion.for_topic(6))
    assert dataversion.topic_version(5) == topic
    dataversion.bump("topic")
    assert dataversion.topic_version(5) != topic


def test_a_lost_counter_never_hands_out_an_old_entry():
    first = dataversion.current("sdm")
    dataversion.cached("sdm", "k", lambda: "old")
    cache.delete(dataversion._key("sdm"))  # eviction / cache restart without the entries
    second = dataversion.current("sdm")
    assert second != first
    assert dataversion.cached("sdm", "k", lambda: "new") == "new"
    cache.delete(dataversion._key("forums"))
    dataversion.bump("forums")  # a bump of a lost counter starts it again, at random
    assert dataversion.current("forums") > 0


def test_a_cache_that_is_down_serves_uncached(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", down)
    dataversion.bump("sdm")  # logged, not raised: the entries expire by their timeout
    monkeypatch.setattr(cache, "get_many", down)
    assert dataversion.versions("sdm") != dataversion.versions("sdm")  # a key nobody reuses


def test_invalidate_caches_moves_every_version_and_nothing_else():
    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

    cache.set("sikap-test:session-like", "kept")
    root_paths = {"key": SITE_ROOT_PATHS_CACHE_KEY, "version": SITE_ROOT_PATHS_CACHE_VERSION}
    cache.set(value=["basi"], **root_paths)  # Wagtail's routing cache, from before a restore
    versions = {name: dataversion.current(name) for name in dataversion.NAMES}
    scoped = dataversion.person_version(employee_id=1)
    out = StringIO()
    call_command("invalidate_caches", stdout=out)
    assert all(dataversion.current(name) != v for name, v in versions.items())
    assert dataversion.person_version(employee_id=1) != scoped
    assert cache.get(**root_paths) is None
    assert cache.get("sikap-test:session-like") == "kept"  # sessions, rate limits untouched
    assert "Versi cache dinaikkan" in out.getvalue()


def test_migrate_and_flush_invalidate_everything():
    """``migrate`` and ``flush`` end with post_migrate: every version moves."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    before = dataversion.versions(*dataversion.NAMES)
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    post_migrate.send(sender=last, app_config=last, verbosity=0, interactive=False, using="default")
    assert dataversion.versions(*dataversion.NAMES) != before


def _settings_check(**env):
    unset = ("REDIS_CACHE_URL", "SIKAP_SINGLE_PROCESS", "CELERY_BROKER_URL")
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(
        DJANGO_SETTINGS_MODULE="sikap.settings.production",
        SECRET_KEY="x9!kP2@vQ7#mZ4$wL8%nB3^rT6&yH1*jD5(cF0)gS-aE_uI+oK=pM~zX`qW|eR",
        ALLOWED_HOSTS="sikap.serangkota.go.id",
        **env,
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_a_cache_its_processes_do_not_share():
    result = _settings_check()
    assert result.returncode != 0
    assert "REDIS_CACHE_URL wajib diisi" in result.stderr
    assert "SIKAP_SINGLE_PROCESS" in result.stderr


def test_production_with_redis_or_one_declared_process():
    redis = _settings_check(REDIS_CACHE_URL="redis://127.0.0.1:6379/1")
    assert redis.returncode == 0, redis.stderr
    assert "Redis" in redis.stdout
    single = _settings_check(SIKAP_SINGLE_PROCESS="1")
    assert single.returncode == 0, single.stderr
    assert single.stdout.strip().endswith("LocMemCache")
    # A Celery worker is another process that writes: one process is then not true.
    worker = _settings_check(SIKAP_SINGLE_PROCESS="1", CELERY_BROKER_URL="redis://127.0.0.1/0")
    assert worker.returncode != 0
    assert "CELERY_BROKER_URL" in worker.stderr
