"""A batch of N certificate PDFs through a real Celery worker (prefork, 2 processes) on Redis:
``bench/run.py --with-worker [N]`` (N=200 by default; 5000 = a whole city's cohort).

Uses the PostgreSQL city database that bench/run.py builds (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/sikap_bench → sikap_bench_city; kept with --keep, reused with
--reuse). N certificates of that database get their PDF cleared, one
``workflow.tasks.render_certificate`` task each is sent to a queue of the bench's own, and the time until every PDF is stored is measured. Redis:
BENCH_REDIS_URL (default redis://127.0.0.1:6379/9). Media go to bench/out/media."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUEUE = "sikap-bench-h8"


def log(msg: str) -> None:
    print(msg, flush=True)


def _env(url: str) -> dict:
    from bench.run import env_for

    env = env_for(url)
    env["CELERY_BROKER_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    env["MEDIA_ROOT"] = str(ROOT / "bench" / "out" / "media")
    return env


def run(n: int, *, url: str) -> dict | None:
    """``url``: the PostgreSQL database holding the city dataset (bench/run.py builds it)."""
    log(f"== Certificates through a real Celery worker on Redis: {n} PDFs, prefork -c 2")
    env = _env(url)
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "sikap",
            "worker",
            "-c",
            "2",
            "-Q",
            QUEUE,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.worker", "drive", str(n)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if "@@JSON@@" not in proc.stdout:
            log(proc.stdout[-2000:] + proc.stderr[-4000:])
            return None
        r = json.loads(proc.stdout.split("@@JSON@@", 1)[1])
        log(
            f"  {r['done']}/{r['n']} PDFs in {r['seconds']:.1f} s: {r['per_s']:.1f} PDFs/s with "
            f"2 worker processes ({r['per_s'] / 2:.1f} /s/process), "
            f"first PDF after {r['first_s']:.2f} s (worker booted and warm before the clock starts)"
        )
        if r["n"] >= 5000:
            log(f"  5,000 certificates: {r['seconds'] / 60:.1f} min (goal: minutes, not hours)")
        else:
            log(f"  extrapolated to 5,000: {5000 / r['per_s'] / 60:.1f} min")
        return r
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def drive(n: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from workflow.models import Certificate
    from workflow.tasks import render_certificate

    all_ids = list(Certificate.objects.order_by("pk").values_list("pk", flat=True)[: n + 4])
    warm, ids = all_ids[:4], all_ids[4:]
    Certificate.objects.filter(pk__in=all_ids).update(pdf="", sha256="")
    # Warm-up: the worker has booted and its processes have built their renderers before the
    # clock starts (the first PDF of a process pays ~3 s of FontConfiguration).
    for pk in warm:
        render_certificate.apply_async(args=[pk], queue=QUEUE)
    boot = time.perf_counter()
    while Certificate.objects.filter(pk__in=warm, pdf="").exists():
        if time.perf_counter() - boot > 180:
            break
        time.sleep(0.2)
    started = time.perf_counter()
    for pk in ids:
        render_certificate.apply_async(args=[pk], queue=QUEUE)
    first = None
    deadline = started + max(600, n)  # never hang the bench
    while time.perf_counter() < deadline:
        done = Certificate.objects.filter(pk__in=ids).exclude(pdf="").count()
        if done and first is None:
            first = time.perf_counter() - started
        if done == len(ids):
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    return {
        "n": len(ids),
        "done": done,
        "seconds": seconds,
        "per_s": done / seconds,
        "first_s": first or 0.0,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1] == "drive":
        out = drive(int(sys.argv[2]))
        sys.stdout.write("\n@@JSON@@" + json.dumps(out) + "\n")
