"""SIKAP benchmarks: ``make bench`` (= ``.venv/bin/python bench/run.py``). Prints tables.

    make bench                          # = --province --load --with-worker 5000 (everything)
    bench/run.py                        # small + city: build, pages, recompute; PDF bench
    bench/run.py --province             # also the province (≈ 50,000 employees)
    bench/run.py --scales city --runs 30 --no-pdf
    bench/run.py --load                 # + gunicorn (2 workers) + PostgreSQL at city, wrk 60 s
    bench/run.py --with-worker [N]      # + N certificates through a real Celery worker on Redis

Databases: one per scale, SQLite files under bench/out/ (copied from a migrated template), or
PostgreSQL when BENCH_DATABASE_URL=postgres://user@host:port/name is set (databases
<name>_<scale>, created from <name>_template, dropped at the end unless --keep).
Each scale runs in its own process (bench/scale.py) with bench/settings.py: the product's
settings with DEBUG off plus a bare "floor" view (bench/urls.py) on the same stack.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PY = sys.executable
FLOOR = "floor (bare view)"
GOAL_RATIO = 3.0
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/sikap_bench"


def log(msg: str) -> None:
    print(msg, flush=True)


# ------------------------------------------------------------------------------------------
# Databases
# ------------------------------------------------------------------------------------------


def migrations_digest() -> str:
    h = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def env_for(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    env.pop("SIKAP_TEST_DB_FILE", None)
    env.pop("CELERY_BROKER_URL", None)  # tasks run eagerly while seeding and measuring
    return env


class SQLite:
    kind = "sqlite"

    def __init__(self) -> None:
        OUT.mkdir(parents=True, exist_ok=True)
        self.template = OUT / f"template-{migrations_digest()}.sqlite3"

    def url(self, name: str) -> str:
        return f"sqlite:///{OUT / (name + '.sqlite3')}"

    def prepare_template(self) -> None:
        if self.template.exists():
            return
        for old in OUT.glob("template-*.sqlite3*"):
            old.unlink()
        tmp = OUT / "template-new.sqlite3"
        tmp.unlink(missing_ok=True)
        run_manage(["migrate", "--no-input", "-v0"], f"sqlite:///{tmp}")
        with closing(sqlite3.connect(tmp)) as conn:  # fold the WAL into the file we copy
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tmp.rename(self.template)

    def create(self, name: str) -> str:
        target = OUT / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(self.template, target)
        return self.url(name)

    def drop(self, name: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(OUT / f"{name}.sqlite3") + suffix).unlink(missing_ok=True)


class Postgres:
    kind = "postgresql"

    def __init__(self, base_url: str) -> None:
        self.base = urlsplit(base_url)
        self.prefix = self.base.path.lstrip("/") or "sikap_bench"
        self.template_name = f"{self.prefix}_template"

    def url(self, name: str) -> str:
        return urlunsplit(self.base._replace(path=f"/{self.prefix}_{name}"))

    def _admin(self, sql: str) -> None:
        import psycopg

        admin = urlunsplit(self.base._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    def prepare_template(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.template_name}"')
        run_manage(
            ["migrate", "--no-input", "-v0"],
            urlunsplit(self.base._replace(path=f"/{self.template_name}")),
        )

    def create(self, name: str) -> str:
        self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}_{name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.prefix}_{name}" TEMPLATE "{self.template_name}"')
        return self.url(name)

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}_{name}" WITH (FORCE)')

    def drop_template(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')


def run_manage(args: list[str], url: str) -> None:
    subprocess.run([PY, str(ROOT / "manage.py"), *args], env=env_for(url), cwd=ROOT, check=True)


def run_scale(action: str, scale: str, url: str, *extra: str) -> object:
    started = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "bench.scale", action, scale, *extra],
        env=env_for(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or "@@JSON@@" not in proc.stdout:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-6000:])
        raise SystemExit(f"bench.scale {action} {scale} failed (exit {proc.returncode})")
    data = json.loads(proc.stdout.rsplit("@@JSON@@", 1)[1])
    if isinstance(data, dict):
        data["_wall_s"] = time.perf_counter() - started
    return data


# ------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        mem_gib = int(mem) / 1024 / 1024
    except OSError:
        mem_gib = 0
    versions = []
    for mod in ("django", "wagtail", "weasyprint"):
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except Exception:  # noqa: BLE001 - a missing package is reported, not fatal
            versions.append(f"{mod} ?")
    return (
        f"{os.cpu_count()} CPUs ({cpu or platform.machine()}), {mem_gib:.1f} GiB RAM, "
        f"Python {platform.python_version()}, {', '.join(versions)}, {platform.platform()}"
    )


def print_pages(all_rows: dict[str, list[dict]]) -> list[str]:
    verdicts = []
    header = (
        f"{'page':40} {'scale':9} {'queries':>7} {'median ms':>10} {'x floor':>8} "
        f"{'cold q':>6} {'cold ms':>8} {'x floor':>8}  status"
    )
    log(header)
    log("-" * len(header))
    by_page: dict[str, dict[str, dict]] = {}
    for scale, rows in all_rows.items():
        floor = next((r for r in rows if r["page"] == FLOOR and "median_ms" in r), None)
        for r in rows:
            ratio = r["median_ms"] / floor["median_ms"] if floor and "median_ms" in r else None
            r["ratio"] = ratio
            key = r["page"].replace(" (2000 posts)", "")
            by_page.setdefault(key, {})[scale] = r
            status = (
                "ok" if r.get("status") == 200 else (r.get("error") or f"HTTP {r.get('status')}")
            )
            cold = r.get("cold_ms", float("nan"))
            cold_ratio = cold / floor["median_ms"] if floor and "cold_ms" in r else float("nan")
            log(
                f"{r['page'][:40]:40} {scale:9} {r.get('queries', '-'):>7} "
                f"{r.get('median_ms', float('nan')):10.1f} "
                f"{(ratio if ratio is not None else float('nan')):8.1f} "
                f"{r.get('cold_queries', '-'):>6} {cold:8.1f} {cold_ratio:8.1f}  {status}"
            )
        log("")
    log(f"Goals: <= {GOAL_RATIO:.0f} x floor at city scale; same query count at every scale")
    for page, per_scale in by_page.items():
        if page == FLOOR:
            continue
        city = per_scale.get("city")
        ratio_ok = (
            city is not None and city.get("ratio") is not None and city["ratio"] <= GOAL_RATIO
        )
        queries = {s: r.get("queries") for s, r in per_scale.items()}
        same = len(set(queries.values())) == 1 and None not in queries.values()
        q_text = "/".join(str(q) for q in queries.values())
        line = (
            f"  {page[:40]:40} ratio {'met' if ratio_ok else 'NOT met'} ({city['ratio']:.1f}x)"
            if city and city.get("ratio")
            else f"  {page[:40]:40} ratio n/a"
        )
        line += f"; queries {'met' if same else 'NOT met'} ({q_text})"
        log(line)
        verdicts.append(line)
    return verdicts


def print_recompute(results: dict[str, dict]) -> None:
    header = (
        f"{'scale':9} {'employees':>9} {'recompute s':>11} {'queries':>7} "
        f"{'recommend s':>11} {'queries':>7}  rows"
    )
    log(header)
    log("-" * len(header))
    for scale, r in results.items():
        log(
            f"{scale:9} {r['employees']:>9} {r.get('recompute_s', float('nan')):11.2f} "
            f"{r.get('recompute_queries', '-'):>7} {r.get('recommend_s', float('nan')):11.2f} "
            f"{r.get('recommend_queries', '-'):>7}  {r.get('recompute_rows')} {r.get('recommend_result')}"
        )
    scales = list(results)
    for a, b in zip(scales, scales[1:], strict=False):
        ra, rb = results[a], results[b]
        emp = rb["employees"] / max(ra["employees"], 1)
        for key in ("recompute_s", "recommend_s"):
            if ra.get(key) and rb.get(key):
                growth = rb[key] / ra[key]
                verdict = "linear or better" if growth <= emp * 1.2 else "WORSE than linear"
                log(f"  {key} {a} -> {b}: x{growth:.1f} for x{emp:.1f} employees ({verdict})")


# ------------------------------------------------------------------------------------------


def _services_ready(db) -> bool:
    """The load test and the worker batch need PostgreSQL and Redis: say so and skip them
    when either is missing (a fresh laptop), instead of failing after the other benches."""
    pg = db if isinstance(db, Postgres) else Postgres(DEFAULT_PG)
    try:
        pg._admin("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any connection problem means "not available"
        log(f"== Load test and worker batch skipped: PostgreSQL not reachable ({exc})")
        return False
    try:
        import redis

        redis.Redis.from_url(
            os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"), socket_timeout=3
        ).ping()
    except Exception as exc:  # noqa: BLE001
        log(f"== Load test and worker batch skipped: Redis not reachable ({exc})")
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="small,city")
    parser.add_argument("--province", action="store_true", help="add the province scale")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-recompute", action="store_true")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--pdf-n", type=int, default=200)
    parser.add_argument("--with-worker", nargs="?", const=200, type=int, default=0, metavar="N")
    parser.add_argument("--load", action="store_true", help="gunicorn + PostgreSQL + wrk, city")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="reuse existing scale databases")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()

    scales = [s for s in args.scales.split(",") if s]
    if args.province and "province" not in scales:
        scales.append("province")
    pg_url = os.environ.get("BENCH_DATABASE_URL", "")
    db = Postgres(pg_url) if pg_url.startswith("postgres") else SQLite()

    log(f"SIKAP bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    log(machine())
    log(f"database: {db.kind}; scales: {', '.join(scales)}")
    log("")

    pages_rows: dict[str, list[dict]] = {}
    recompute_rows: dict[str, dict] = {}
    if not (args.no_pages and args.no_recompute) and scales:
        started = time.perf_counter()
        if not args.reuse:
            db.prepare_template()
        log(f"migrated template: {time.perf_counter() - started:.1f} s")
        for scale in scales:
            url = db.url(scale) if args.reuse else db.create(scale)
            if not args.reuse:
                info = run_scale("build", scale, url)
                t = ", ".join(f"{k} {v:.1f} s" for k, v in info["timings"].items())
                log(f"[{scale}] dataset built in {info['_wall_s']:.0f} s ({t})")
                log(f"[{scale}] {info['counts']}")
            if not args.no_pages:
                pages_rows[scale] = run_scale(
                    "pages", scale, url, "--runs", str(args.runs), "--warmup", str(args.warmup)
                )
            if not args.no_recompute:
                recompute_rows[scale] = run_scale("recompute", scale, url)
        log("")
    if pages_rows:
        log(
            f"== Key pages: SQL queries and median server time ({args.runs} runs, in-process "
            "test client, after warm-up)"
        )
        print_pages(pages_rows)
        log("")
    if recompute_rows:
        log(
            "== Gap recomputation (kompetensi.services.profile_recompute, whole population, "
            "from an empty profile) and recommendation (workflow.services.period_recommend)"
        )
        print_recompute(recompute_rows)
        log("")
    if not args.no_pdf:
        log(f"== Certificates (bench/bench_pdf.py -n {args.pdf_n})")
        subprocess.run([PY, str(ROOT / "bench" / "bench_pdf.py"), "-n", str(args.pdf_n)], cwd=ROOT)
        log("")
    pg_city = None
    if (args.load or args.with_worker) and not _services_ready(db):
        args.load = args.with_worker = 0
    if args.load or args.with_worker:
        # Both need the city on PostgreSQL: the one measured above when BENCH_DATABASE_URL is
        # set and the scales include city, else built here (or reused with --reuse).
        pg = db if isinstance(db, Postgres) else Postgres(DEFAULT_PG)
        pg_city = pg.url("city")
        if not args.reuse and not (pg is db and "city" in scales):
            started = time.perf_counter()
            pg.prepare_template()
            pg.create("city")
            info = run_scale("build", "city", pg_city)
            log(f"[city, PostgreSQL] dataset built in {time.perf_counter() - started:.0f} s")
            log(f"[city, PostgreSQL] {info['counts']}")
    if args.load:
        from bench import load

        load.run(url=pg_city, seconds=args.load_seconds)
        log("")
    if args.with_worker:
        from bench import worker

        worker.run(args.with_worker, url=pg_city)
        log("")
    (OUT / "last-run.json").write_text(
        json.dumps({"pages": pages_rows, "recompute": recompute_rows}, indent=1, default=str)
    )
    if not args.keep and not args.reuse:
        if isinstance(db, Postgres):
            for scale in scales:
                db.drop(scale)
            db.drop_template()
        if pg_city is not None and not isinstance(db, Postgres):
            Postgres(DEFAULT_PG).drop("city")
            Postgres(DEFAULT_PG).drop_template()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
