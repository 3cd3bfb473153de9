"""Build the deterministic demo of Kota Serang. Idempotent: running it twice changes nothing.

Each app's demo data is a module of ``demo/seeds/`` (``run(ctx)``), run in dependency order;
what production also needs (the competency dictionary, the site structure) is not demo data
(a kompetensi migration, ``portal.site``).
``--scale city`` (≈ 5,000 employees) and ``--scale province`` (≈ 50,000) add the volume of
issue #8 (``VOLUMES``): an account for every employee, about 40 lesson-progress rows per
employee from a consistent learning history (assignments, completions, certificates, JP),
and 10 forum posts per employee; all with bulk inserts."""

import importlib
import random
import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

SEED_MODULES = (
    "demo.seeds.kompetensi",
    "demo.seeds.portal",
    "demo.seeds.workflow",
    "demo.seeds.skm",
    "demo.seeds.forum",
)
SCALES = {"small": 60, "city": 5000, "province": 50000}


@dataclass(frozen=True)
class Volume:
    """What a scale holds beyond its employees (issue #8). ``small`` (``make run``, the e2e
    tests) keeps the hand-made demo only: accounts for the demo cast, a few dozen posts."""

    accounts_for_all: bool  # every employee gets an account (unusable password, group ASN)
    progress_per_employee: int  # lesson-progress rows per employee (learning history)
    posts: int  # forum posts in all


VOLUMES = {
    "small": Volume(accounts_for_all=False, progress_per_employee=0, posts=0),
    "city": Volume(accounts_for_all=True, progress_per_employee=40, posts=50_000),
    "province": Volume(accounts_for_all=True, progress_per_employee=40, posts=500_000),
}
DEMO_PASSWORD = "sikap-demo"  # noqa: S105 - the documented demo password


@dataclass
class SeedContext:
    scale: str
    employees: int
    with_demo_users: bool
    seed: int
    stdout: object
    accounts_for_all: bool | None = None  # None: as the scale's Volume says
    progress_per_employee: int | None = None
    posts: int | None = None
    rng: random.Random = field(init=False)
    shared: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        volume = VOLUMES.get(self.scale, VOLUMES["small"])
        if self.accounts_for_all is None:
            self.accounts_for_all = volume.accounts_for_all
        if self.progress_per_employee is None:
            self.progress_per_employee = volume.progress_per_employee
        if self.posts is None:
            self.posts = volume.posts

    def log(self, message: str) -> None:
        self.stdout.write(message)


class Command(BaseCommand):
    help = "Mengisi data demo Kota Serang (deterministik, aman dijalankan berulang)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--with-demo-users", action="store_true")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, with_demo_users, seed, **options):
        if scale not in SCALES:
            raise CommandError("Skala tidak dikenal.")
        ctx = SeedContext(
            scale=scale,
            employees=SCALES[scale],
            with_demo_users=with_demo_users,
            seed=seed,
            stdout=self.stdout,
        )
        if connection.vendor == "sqlite":
            # A page cache of up to 256 MB for this connection (SQLite's default is 2 MB): the
            # bulk inserts into large indexes at province scale otherwise thrash it.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        begun = time.monotonic()
        for name in SEED_MODULES:
            module = importlib.import_module(name)
            started = time.monotonic()
            with transaction.atomic():
                module.run(ctx)
            ctx.log(f"  {name}: {time.monotonic() - started:.1f} s")
        ctx.log(f"Selesai dalam {time.monotonic() - begun:.1f} s (skala {scale}).")
        # The seeds write in bulk, past the services' cache bumps: no cached page survives them
        # (= manage.py invalidate_caches; core/dataversion.py).
        from core.dataversion import invalidate_all

        invalidate_all()
        if with_demo_users:
            self.stdout.write(
                self.style.SUCCESS(
                    "Akun demo (kata sandi: sikap-demo): admin, hr, pelatih, reviewer, asn, atasan"
                )
            )
