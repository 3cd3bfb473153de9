"""One scale's dataset and measurements, in its own process (``bench/run.py`` starts it with
``DATABASE_URL`` pointing at that scale's database and ``DJANGO_SETTINGS_MODULE=bench.settings``).

    python -m bench.scale build   city            # seed_demo + bench content, prints JSON
    python -m bench.scale pages   city --runs 20  # query count + median ms per key page
    python -m bench.scale recompute city          # profile recompute + recommendation, timed
    python -m bench.scale sessions city           # session cookies for the load generator
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def build(scale: str) -> dict:
    from io import StringIO

    from django.core.management import call_command

    from bench import dataset
    from demo.management.commands.seed_demo import SCALES

    timings = {}
    out = StringIO()
    started = time.perf_counter()
    call_command("seed_demo", scale=scale, with_demo_users=True, stdout=out)
    timings["seed_demo"] = time.perf_counter() - started
    started = time.perf_counter()
    created = dataset.ensure_modules(log=lambda m: out.write(m + "\n"))
    timings["bench_modules"] = time.perf_counter() - started
    if created:
        # The workflow and forum seeds build on the modules: run the (idempotent) seed again.
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, with_demo_users=True, stdout=out)
        timings["seed_demo_again"] = time.perf_counter() - started
    started = time.perf_counter()
    dataset.ensure_big_topic(log=lambda m: out.write(m + "\n"))
    timings["big_topic"] = time.perf_counter() - started
    started = time.perf_counter()
    progress = dataset.ensure_learning_volume(log=lambda m: out.write(m + "\n"))
    timings["lesson_progress"] = time.perf_counter() - started
    # Fresh statistics after the bulk loads (autovacuum would get there on a live server).
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["analyze"] = time.perf_counter() - started
    return {
        "scale": scale,
        "employees_target": SCALES[scale],
        "bench_modules_created": created,
        "bench_progress_created": progress,
        "timings": timings,
        "counts": counts(),
        "log": out.getvalue()[-4000:],
    }


def counts() -> dict:
    from forum.models import Post, Topic
    from kompetensi.models import CompetencyScore, Employee, EmployeeCompetency, Evaluation
    from portal.models import LessonPage, LessonProgress, TrainingModulePage
    from workflow.models import Assignment, Certificate, TrainingNeed

    models = {
        "employees": Employee,
        "evaluations": Evaluation,
        "competency_scores": CompetencyScore,
        "profile_rows": EmployeeCompetency,
        "modules": TrainingModulePage,
        "lessons": LessonPage,
        "needs": TrainingNeed,
        "assignments": Assignment,
        "lesson_progress": LessonProgress,
        "certificates": Certificate,
        "topics": Topic,
        "posts": Post,
    }
    return {name: model.objects.count() for name, model in models.items()}


# ------------------------------------------------------------------------------------------
# Pages
# ------------------------------------------------------------------------------------------


def targets() -> list[tuple[str, str, str]]:
    """(label, user: asn|hr|anon, path) for every key page, chosen the same way at every scale."""
    from django.db.models import Count

    from bench.dataset import BIG_TOPIC_TITLE
    from forum.models import Topic
    from kompetensi.models import Employee, OrganizationUnit
    from portal.models import LessonPage, TrainingCatalogPage, TrainingModulePage
    from workflow.models import Certificate

    rows = [("floor (bare view)", "asn", "/__bench__/floor/"), ("home (ASN)", "asn", "/")]
    catalog = TrainingCatalogPage.objects.live().first()
    if catalog:
        rows.append(("catalog", "asn", catalog.get_url()))
    module = (
        TrainingModulePage.objects.live()
        .filter(assignments__employee__user__username="asn")
        .first()
        or TrainingModulePage.objects.live().order_by("path").first()
    )
    if module:
        rows.append(("module", "asn", module.get_url()))
        lesson = LessonPage.objects.live().child_of(module).order_by("path").first()
        if lesson:
            rows.append(("lesson", "asn", lesson.get_url()))
    topic = Topic.objects.filter(title=BIG_TOPIC_TITLE).first()
    if topic:
        rows.append(
            (f"forum topic ({topic.post_count} posts) p.1", "asn", f"/forum/topik/{topic.pk}/")
        )
        last = max(1, -(-topic.post_count // 20))
        rows.append(
            (
                f"forum topic ({topic.post_count} posts) last p.",
                "asn",
                f"/forum/topik/{topic.pk}/?halaman={last}",
            )
        )
    rows.append(("Kinerja Saya", "asn", "/kinerja-saya/"))
    rows.append(("HR city dashboard", "hr", "/sdm/"))
    unit = (
        OrganizationUnit.objects.annotate(n=Count("employees"))
        .order_by("-n", "code")
        .values_list("code", flat=True)
        .first()
    )
    if unit:
        rows.append(("HR unit view (largest unit)", "hr", f"/sdm/unit/{unit}/"))
    employee = Employee.objects.filter(user__username="asn").first()
    if employee:
        rows.append(("HR employee view", "hr", f"/sdm/pegawai/{employee.nip}/"))
    cert = Certificate.objects.order_by("pk").first()
    if cert:
        rows.append(("verification page", "anon", f"/verifikasi/{cert.verification_code}/"))
    return rows


def pages(runs: int, warmup: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    clients = {"anon": Client()}
    for name in ("asn", "hr"):
        client = Client()
        client.force_login(User.objects.get(username=name))
        clients[name] = client
    rows = []
    for label, who, path in targets():
        row = {"page": label, "user": who, "path": path, "_times": []}
        client = clients[who]
        try:
            for _ in range(warmup):
                response = client.get(path)
            row["status"] = response.status_code
            row["bytes"] = len(response.content)
            if response.status_code == 200:
                with CaptureQueriesContext(connection) as ctx:
                    client.get(path)
                row["queries"] = len(ctx.captured_queries)
        except Exception as exc:  # a broken page is a result, not a crash of the bench
            row["error"] = f"{exc.__class__.__name__}: {exc}"[:300]
        rows.append(row)
    timed = [r for r in rows if "queries" in r]
    # Interleaved rounds (every page once per round): a busy neighbour slows all pages alike,
    # the floor included, so the ratios stay fair.
    for _ in range(runs):
        for row in timed:
            client = clients[row["user"]]
            started = time.perf_counter()
            client.get(row["path"])
            row["_times"].append((time.perf_counter() - started) * 1000)
    # "Cold": the same requests right after a write moved every data version (the state of
    # the caches just after an evaluation, an approval, a publication): what the first reader
    # after a change pays. Fewer rounds: each also rebuilds the cached entries.
    from core import dataversion

    for row in timed:
        row["_cold"] = []
    for row in timed:
        dataversion.invalidate_all()
        with CaptureQueriesContext(connection) as ctx:
            clients[row["user"]].get(row["path"])
        row["cold_queries"] = len(ctx.captured_queries)
    for _ in range(max(3, runs // 4)):
        for row in timed:
            dataversion.invalidate_all()
            client = clients[row["user"]]
            started = time.perf_counter()
            client.get(row["path"])
            row["_cold"].append((time.perf_counter() - started) * 1000)
    for row in rows:
        times = row.pop("_times")
        cold = row.pop("_cold", [])
        if times:
            row["median_ms"] = statistics.median(times)
            row["min_ms"] = min(times)
        if cold:
            row["cold_ms"] = statistics.median(cold)
    return rows


# ------------------------------------------------------------------------------------------
# Gap recomputation and recommendation
# ------------------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def recompute() -> dict:
    """Whole population, from scratch: profile rows deleted, then ``profile_recompute()`` and
    ``period_recommend()``; all in one transaction rolled back at the end (the dataset stays)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from core.roles import SYSTEM
    from kompetensi.models import Employee, EmployeeCompetency, EvaluationPeriod
    from kompetensi.services import profile_recompute
    from workflow.models import Assignment, TrainingNeed
    from workflow.services import period_recommend

    period = EvaluationPeriod.objects.filter(code="2026").first() or EvaluationPeriod.objects.last()
    result: dict = {"employees": Employee.objects.count(), "period": period and period.code}
    try:
        with transaction.atomic():
            EmployeeCompetency.objects.all().delete()
            Assignment.objects.filter(
                status=Assignment.Status.RECOMMENDED, origin=Assignment.Origin.RECOMMENDATION
            ).delete()
            try:
                with transaction.atomic():
                    TrainingNeed.objects.filter(period=period).delete()
                result["needs_deleted"] = True
            except Exception as exc:  # protected by assignments: measured as an update run
                result["needs_deleted"] = f"no ({exc.__class__.__name__})"
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                counts = profile_recompute()
                result["recompute_s"] = time.perf_counter() - started
            result["recompute_queries"] = len(ctx.captured_queries)
            result["recompute_rows"] = counts
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                rec = period_recommend(period=period, actor=SYSTEM)
                result["recommend_s"] = time.perf_counter() - started
            result["recommend_queries"] = len(ctx.captured_queries)
            result["recommend_result"] = {
                k: getattr(rec, k)
                for k in ("needs", "recommended", "without_module")
                if hasattr(rec, k)
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


# ------------------------------------------------------------------------------------------
# Sessions for the load generator
# ------------------------------------------------------------------------------------------


def sessions() -> dict:
    """Session cookies minted through Django (test client login against this database) and the
    paths of the mixed read workload."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from kompetensi.models import Employee

    User = get_user_model()
    cookies = {}

    def login(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    for name in ("asn", "hr"):
        cookies[name] = login(User.objects.get(username=name))
    # Many learners, not one: pages cached per person start cold for each of them, as in a
    # real city, so the run includes those first views (BENCH_LOAD_LEARNERS, default 100).
    learners = int(os.environ.get("BENCH_LOAD_LEARNERS", "100"))
    others = (
        User.objects.filter(pk__in=Employee.objects.filter(user__isnull=False).values("user"))
        .exclude(username="asn")
        .order_by("pk")[: max(0, learners - 1)]
    )
    for user in others:
        cookies[f"learner:{user.username}"] = login(user)
    paths = {label: (who, path) for label, who, path in targets()}
    mix = [
        paths[k]
        for k in paths
        if k.startswith(("catalog", "lesson", "forum topic", "Kinerja", "HR city"))
        and not k.endswith("last p.")
    ]
    learner_names = ["asn"] + [k for k in cookies if k.startswith("learner:")]
    # Each learner reads the learner pages; the HR dashboard keeps its share of the mix.
    full = []
    for name in learner_names:
        for who, path in mix:
            full.append((name if who == "asn" else who, path))
    random.Random(8).shuffle(full)
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookies": cookies,
        "mix": full,
        "paths": mix,
        "learners": len(learner_names),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["build", "pages", "recompute", "sessions", "counts"])
    parser.add_argument("scale")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    setup()
    if args.action == "build":
        out = build(args.scale)
    elif args.action == "pages":
        out = pages(args.runs, args.warmup)
    elif args.action == "recompute":
        out = recompute()
    elif args.action == "counts":
        out = counts()
    else:
        out = sessions()
    sys.stdout.write("\n@@JSON@@" + json.dumps(out, default=str) + "\n")


if __name__ == "__main__":
    main()
