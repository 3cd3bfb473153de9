"""Load: gunicorn (2 sync workers) + PostgreSQL at city scale, a mixed read workload (catalog,
lesson, forum topic, Kinerja Saya, HR dashboard) from wrk on 127.0.0.1 for 60 s.

The two gunicorn workers share a Redis cache (BENCH_REDIS_CACHE_URL, default
redis://127.0.0.1:6379/10, flushed first), as production with several processes must.
Sessions are minted through Django (a test-client login against the bench database) and passed
to wrk as cookies (bench/load.lua): 100 different learners (BENCH_LOAD_LEARNERS) each read the
learner pages, and the HR officer the dashboard, in a shuffled order; only one learner's pages
are warmed before the clock starts, so the run includes every other learner's first (cold)
views of the pages cached per person. Needs PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/sikap_bench) and wrk (installed with apt-get when running as
root, else the load step is skipped with a message)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("BENCH_PORT", "8110"))


def log(msg: str) -> None:
    print(msg, flush=True)


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk missing: apt-get install -y wrk")
        subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, check=False)
        return shutil.which("wrk")
    return None


def _wait_port(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.3)
    return False


def _flush_cache(redis_url: str) -> None:
    """Start from an empty cache (the bench's own Redis database)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def run(*, url: str, seconds: int = 60, connections: int = 4) -> dict | None:
    """``url``: the PostgreSQL database holding the city dataset (bench/run.py builds it)."""
    from bench.run import env_for, run_scale

    log(f"== Load: gunicorn (2 workers) + PostgreSQL, city scale, wrk {seconds} s on 127.0.0.1")
    wrk = ensure_wrk()
    if wrk is None:
        log("  skipped: wrk is not installed (apt-get install wrk, as root)")
        return None
    sessions = run_scale("sessions", "city", url)
    paths_file = ROOT / "bench" / "out" / "load-paths.tsv"
    paths_file.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    # BENCH_LOAD_EXCLUDE="/sdm/" runs the mix without the paths containing that text.
    exclude = [x for x in os.environ.get("BENCH_LOAD_EXCLUDE", "").split(",") if x]
    sessions["mix"] = [m for m in sessions["mix"] if not any(x in m[1] for x in exclude)]
    sessions["paths"] = [m for m in sessions["paths"] if not any(x in m[1] for x in exclude)]
    for who, path in sessions["mix"]:
        cookie = f"{sessions['cookie_name']}={sessions['cookies'][who]}" if who != "anon" else ""
        lines.append(f"{cookie}\t{path}")
    paths_file.write_text("\n".join(lines) + "\n")
    env = env_for(url)
    env["DB_CONN_MAX_AGE"] = "60"
    # Two worker processes share one cache, as production must (README: REDIS_CACHE_URL): a
    # per-process cache would miss twice and could not see the other process's version bumps.
    env["REDIS_CACHE_URL"] = os.environ.get("BENCH_REDIS_CACHE_URL", "redis://127.0.0.1:6379/10")
    _flush_cache(env["REDIS_CACHE_URL"])
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "sikap.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        if not _wait_port(PORT, 60):
            log("  gunicorn did not start")
            return None
        # Every path answers 200 for asn/hr before the load starts (and warms both workers'
        # per-process state); the other learners' pages stay cold until the load reaches them.
        checks = []
        for who, path in sessions["paths"]:
            cookie = (
                f"{sessions['cookie_name']}={sessions['cookies'][who]}" if who != "anon" else ""
            )
            checks.append(f"{cookie}\t{path}")
        for line in checks * 2:
            cookie, path = line.split("\t")
            req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}")
            if cookie:
                req.add_header("Cookie", cookie)
            with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback
                if resp.status != 200:
                    log(f"  {path}: HTTP {resp.status}")
        proc = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(ROOT / "bench" / "load.lua"),
                f"http://127.0.0.1:{PORT}",
            ],
            env={**os.environ, "SIKAP_LOAD_PATHS": str(paths_file)},
            capture_output=True,
            text=True,
            check=False,
        )
        if "@@WRK@@" not in proc.stdout:
            log(proc.stdout + proc.stderr)
            return None
        r = json.loads(proc.stdout.split("@@WRK@@", 1)[1].splitlines()[0])
        errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
        r["errors"] = errors
        r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
        log(
            f"  {len(lines)} (user, path) pairs: {sessions['learners']} learners x "
            f"{', '.join(p for _, p in sessions['paths'])} (HR dashboard as hr)"
        )
        log(
            f"  {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
            f"{'max ms':>7} {'errors':>6}"
        )
        log(
            f"  {r['requests']:>9} {r['rps']:7.1f} {r['p50_us'] / 1000:7.1f} "
            f"{r['p95_us'] / 1000:7.1f} {r['p99_us'] / 1000:7.1f} {r['max_us'] / 1000:7.1f} "
            f"{errors:>6}"
        )
        log(f"  errors must be 0: {'met' if errors == 0 else 'NOT met'} ({r})")
        return r
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
