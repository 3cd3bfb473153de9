"""Build the deterministic demo of Kota Serang. Idempotent: running it twice changes nothing.

Each app contributes its part in ``<app>/seed.py`` (``run(ctx)``), in dependency order."""

import importlib
import random
import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

SEED_MODULES = (
    "kompetensi.seed",
    "portal.seed",
    "workflow.seed",
    "kompetensi.skm_seed",
    "forum.seed",
)
SCALES = {"small": 60, "city": 5000, "province": 50000}
DEMO_PASSWORD = "sikap-demo"  # noqa: S105 - the documented demo password


@dataclass
class SeedContext:
    scale: str
    employees: int
    with_demo_users: bool
    seed: int
    stdout: object
    rng: random.Random = field(init=False)
    shared: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def log(self, message: str) -> None:
        self.stdout.write(message)


class Command(BaseCommand):
    help = "Mengisi data demo Kota Serang (deterministik, aman dijalankan berulang)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--with-demo-users", action="store_true")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, with_demo_users, seed, **options):
        ctx = SeedContext(
            scale=scale,
            employees=SCALES[scale],
            with_demo_users=with_demo_users,
            seed=seed,
            stdout=self.stdout,
        )
        for name in SEED_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            started = time.monotonic()
            with transaction.atomic():
                module.run(ctx)
            ctx.log(f"  {name}: {time.monotonic() - started:.1f} s")
        if with_demo_users:
            self.stdout.write(
                self.style.SUCCESS(
                    "Akun demo (kata sandi: sikap-demo): admin, hr, pelatih, reviewer, asn, atasan"
                )
            )
        if scale not in SCALES:
            raise CommandError("Skala tidak dikenal.")
