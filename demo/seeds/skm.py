"""Demo data of the citizen satisfaction survey (SKM): service points of Kota Serang and
citizens' responses in periods 2025 and 2026. Deterministic (ctx.rng) and idempotent: a point
that already has feedback gets none added. Bulk inserts only.

The story: the demo ``asn`` (Rizki Maulana, front-line officer at Disdukcapil's Perekaman
KTP-el) was rated low on u7 *Perilaku Pelaksana* in 2025 (≥ 10 responses, mean below the
threshold), which raises a training need in M.5 Pelayanan Publik and M.3 Komunikasi; after the
training his 2026 ratings are good."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from kompetensi.models import Employee, EvaluationPeriod, OrganizationUnit
from skm import rules
from skm.models import ServiceFeedback, ServicePoint
from skm.services import feedback_submitted, salted_hash

# (code, unit code, service, mean quality 1–4 per period {period code: mean}).
SERVICE_POINTS = [
    ("disdukcapil-ktp-el", "DISDUKCAPIL-01", "Perekaman KTP-el", {"2025": 2.9, "2026": 3.3}),
    ("disdukcapil-kk", "DISDUKCAPIL-01", "Penerbitan Kartu Keluarga", {"2025": 3.0, "2026": 3.2}),
    (
        "disdukcapil-akta-kelahiran",
        "DISDUKCAPIL-02",
        "Akta Kelahiran",
        {"2025": 3.1, "2026": 3.3},
    ),
    ("dpmptsp-perizinan", "DPMPTSP-01", "Perizinan Berusaha", {"2025": 3.2, "2026": 3.4}),
    ("dpmptsp-pengaduan", "DPMPTSP-02", "Pengaduan", {"2025": 2.6, "2026": 2.9}),
    (
        "puskesmas-serang-kota-pendaftaran",
        "DINKES-03",
        "Pendaftaran Pasien",
        {"2025": 2.8, "2026": 3.0},
    ),
    ("bapenda-pbb", "BAPENDA-01", "Pelayanan PBB", {"2025": 3.0, "2026": 3.1}),
]
KECAMATAN = [
    "KEC-SERANG",
    "KEC-CIPOCOK",
    "KEC-KASEMEN",
    "KEC-TAKTAKAN",
    "KEC-CURUG",
    "KEC-WALANTAKA",
]
# Element offsets: costs (u4) are mostly free, staff are mostly polite (u7), complaints
# handling (u8) is the weak spot.
ELEMENT_BIAS = {"u1": 0.1, "u2": 0.0, "u3": -0.2, "u4": 0.5, "u5": 0.1, "u6": 0.1, "u7": 0.35}
ELEMENT_BIAS.update({"u8": -0.4, "u9": -0.1})
RESPONSES_PER_POINT = {"small": 40, "city": 300, "province": 600}
COMMENTS = [
    "Antrean cukup panjang, mohon ditambah loket.",
    "Petugas ramah dan jelas menjelaskan persyaratan.",
    "Ruang tunggu panas, kipas angin tidak menyala.",
    "Prosesnya cepat, terima kasih.",
    "Informasi persyaratan di papan pengumuman perlu diperbarui.",
    "Tolong sediakan kursi untuk lansia.",
]


def _answer(rng: random.Random, mean: float) -> int:
    return max(1, min(4, round(rng.gauss(mean, 0.6))))


def _scores(rng: random.Random, mean: float, *, u7: float | None = None) -> dict[str, int]:
    scores = {code: _answer(rng, mean + ELEMENT_BIAS.get(code, 0.0)) for code in rules.SKM_CODES}
    if u7 is not None:
        scores["u7"] = _answer(rng, u7)
    return scores


def _moment(rng: random.Random, period: EvaluationPeriod, today) -> datetime:
    last = min(period.end, today)
    days = max((last - period.start).days, 0)
    day = period.start + timedelta(days=rng.randrange(days + 1))
    at = time(8 + rng.randrange(7), rng.randrange(60))
    return timezone.make_aware(datetime.combine(day, at), rules.JAKARTA)


def seed_points(units: dict[str, OrganizationUnit]) -> list[tuple[ServicePoint, dict]]:
    specs = list(SERVICE_POINTS) + [
        (f"{code.lower()}-pelayanan-umum", f"{code}-01", "Pelayanan Umum Kecamatan", {})
        for code in KECAMATAN
    ]
    existing = {p.code: p for p in ServicePoint.objects.all()}
    new = [
        ServicePoint(code=code, unit=units[unit_code], service=service)
        for code, unit_code, service, _means in specs
        if code not in existing and unit_code in units
    ]
    ServicePoint.objects.bulk_create(new)
    points = {p.code: p for p in ServicePoint.objects.filter(code__in=[s[0] for s in specs])}
    return [(points[code], means) for code, _u, _s, means in specs if code in points]


# Respondent profile (optional on the form): share of answers that fill it in, and rough
# weights per category (a city's counter: mostly working-age, SMA and D4/S1, private sector).
PROFILE_SHARE = 0.7
PROFILE_WEIGHTS = {
    "gender": {"L": 48, "P": 52},
    "age_group": {"<=25": 18, "26-35": 30, "36-45": 26, "46-55": 17, ">55": 9},
    "education": {"SD": 6, "SMP": 10, "SMA": 38, "D1-D3": 12, "D4/S1": 28, "S2": 5, "S3": 1},
    "occupation": {
        "PNS": 10,
        "TNI": 2,
        "POLRI": 2,
        "swasta": 34,
        "wirausaha": 24,
        "pelajar": 14,
        "lainnya": 14,
    },
}


def _profile(rng: random.Random) -> dict[str, str | None]:
    """A respondent profile (model fields), left empty for some answers as on the form."""
    if rng.random() >= PROFILE_SHARE:
        return {}
    return {
        f"respondent_{field}": rng.choices(list(weights), weights=list(weights.values()))[0]
        for field, weights in PROFILE_WEIGHTS.items()
    }


def run(ctx) -> None:
    rng = random.Random(ctx.rng.random())  # own stream: independent of later seeds' draws
    # The profiles draw from a stream of their own too, so adding them changed no other draw.
    profile_rng = random.Random(f"skm-respondent:{ctx.seed}")
    today = rules.jakarta_today()
    units = {u.code: u for u in OrganizationUnit.objects.all()}
    points = seed_points(units)
    periods = list(EvaluationPeriod.objects.filter(code__in=["2025", "2026"]))
    periods.sort(key=lambda p: p.start)
    if not points or not periods:
        ctx.log("SKM: tidak ada titik layanan atau periode; dilewati.")
        return
    seeded = set(
        ServiceFeedback.objects.filter(service_point__in=[p for p, _m in points])
        .values_list("service_point_id", flat=True)
        .distinct()
    )
    # Front-line staff per point (one query): employees in the point's unit subtree.
    staff_rows = list(
        Employee.objects.filter(is_active=True, position__is_front_line=True)
        .filter(
            Q(unit__path__startswith="DISDUKCAPIL")
            | Q(unit__path__startswith="DPMPTSP")
            | Q(unit__path__startswith="DINKES")
            | Q(unit__path__startswith="BAPENDA")
            | Q(unit__path__startswith="KEC-")
        )
        .values_list("pk", "unit__path")
        .order_by("pk")
    )
    demo = ctx.shared.get("demo_employees", {}).get("asn")
    per_point = RESPONSES_PER_POINT.get(ctx.scale, 40)
    new: list[ServiceFeedback] = []
    for point, means in points:
        if point.pk in seeded:
            continue
        path = point.unit.path
        staff = [pk for pk, p in staff_rows if p == path or p.startswith(f"{path}/")]
        for period in periods:
            if period.start > today:
                continue
            mean = means.get(period.code, 3.0)
            count = per_point if period.code != "2026" else max(per_point * 2 // 3, 10)
            for _ in range(count):
                employee_id = rng.choice(staff) if staff and rng.random() < 0.6 else None
                story_u7 = None
                if demo is not None and employee_id == demo.pk:
                    story_u7 = 2.4 if period.code == "2025" else 3.6
                scores = _scores(rng, mean, u7=story_u7)
                comment = rng.choice(COMMENTS) if rng.random() < 0.15 else ""
                row = _feedback(rng, point, period, today, scores, employee_id, comment)
                for name, value in _profile(profile_rng).items():
                    setattr(row, name, value)
                new.append(row)
            if demo is not None and point.code == "disdukcapil-ktp-el" and staff:
                # The story: low behaviour ratings in 2025, good ones after training in 2026.
                u7 = 2.4 if period.code == "2025" else 3.6
                for _ in range(14 if period.code == "2025" else 12):
                    scores = _scores(rng, mean, u7=u7)
                    new.append(_feedback(rng, point, period, today, scores, demo.pk, ""))
    if new:
        field = ServiceFeedback._meta.get_field("created_at")
        field.auto_now_add = False  # keep the seeded dates inside their period
        try:
            ServiceFeedback.objects.bulk_create(new, batch_size=2000)
        finally:
            field.auto_now_add = True
        # Raise feedback needs (workflow listens; kompetensi imports no other app).
        for period in periods:
            employee_ids = sorted(
                {f.employee_id for f in new if f.employee_id and f.period_id == period.pk}
            )
            if employee_ids:
                feedback_submitted.send(
                    sender=ServiceFeedback, period_id=period.pk, employee_ids=employee_ids
                )
    ctx.log(
        f"SKM: {len(points)} titik layanan, {len(new)} umpan balik baru "
        f"({ServiceFeedback.objects.count()} seluruhnya)."
    )


def _feedback(rng, point, period, today, scores, employee_id, comment) -> ServiceFeedback:
    device = f"seed-{rng.getrandbits(64):016x}"
    created = _moment(rng, period, today)
    return ServiceFeedback(
        service_point=point,
        unit_id=point.unit_id,
        employee_id=employee_id,
        period=period,
        comment=comment,
        ip_hash=salted_hash("ip", f"10.{rng.randrange(256)}.{rng.randrange(256)}.1"),
        device_hash=salted_hash("device", device),
        fingerprint=salted_hash("skm-fp", f"{device}|{point.pk}|{created.isoformat()}"),
        created_at=created,
        **scores,
    )
