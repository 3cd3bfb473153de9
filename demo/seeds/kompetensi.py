"""Demo data of Pemerintah Kota Serang: units, the technical competencies, positions, employees
and the demo accounts (the competency dictionary is reference data: ``kompetensi.reference``). Deterministic (ctx.rng) and idempotent (natural keys)."""

import random
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.roles import GROUP_ASN
from kompetensi import rules
from kompetensi.models import (
    Competency,
    CompetencyLevel,
    CompetencyScore,
    Employee,
    Evaluation,
    EvaluationPeriod,
    HrScope,
    OrganizationUnit,
    Position,
    PositionRequirement,
    SkpResult,
)
from kompetensi.reference import ensure_competency_dictionary

# (code, name, kind, [bidang …]) — perangkat daerah of Kota Serang.
UNITS = [
    ("SETDA", "Sekretariat Daerah", ["Bagian Organisasi", "Bagian Umum"]),
    ("INSPEKTORAT", "Inspektorat", ["Inspektur Pembantu I"]),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", ["Bidang Perencanaan Ekonomi"]),
    (
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        ["Bidang Pengembangan Kompetensi", "Bidang Mutasi dan Promosi"],
    ),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", ["Bidang Anggaran"]),
    ("BAPENDA", "Badan Pendapatan Daerah", ["Bidang Pelayanan Pajak"]),
    (
        "DINKES",
        "Dinas Kesehatan",
        [
            "Bidang Pencegahan dan Pengendalian Penyakit",
            "Bidang Pelayanan Kesehatan",
            "UPT Puskesmas Serang Kota",
        ],
    ),
    (
        "DINDIKBUD",
        "Dinas Pendidikan dan Kebudayaan",
        ["Bidang Pembinaan SD", "Bidang Pembinaan SMP"],
    ),
    (
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        ["Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pelayanan Pencatatan Sipil"],
    ),
    (
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        ["Bidang Pelayanan Perizinan", "Bidang Pengaduan dan Informasi"],
    ),
    ("DINSOS", "Dinas Sosial", ["Bidang Rehabilitasi Sosial"]),
    ("DLH", "Dinas Lingkungan Hidup", ["Bidang Pengelolaan Sampah"]),
    ("DISHUB", "Dinas Perhubungan", ["Bidang Lalu Lintas"]),
    (
        "DISKOMINFO",
        "Dinas Komunikasi, Informatika, Persandian dan Statistik",
        ["Bidang Aplikasi Informatika"],
    ),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", ["Bidang Bina Marga"]),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", ["Bidang Penegakan Perda"]),
    ("RSUD", "Rumah Sakit Umum Daerah Kota Serang", ["Bidang Pelayanan Medis"]),
    ("KEC-SERANG", "Kecamatan Serang", ["Seksi Pelayanan Umum"]),
    ("KEC-CIPOCOK", "Kecamatan Cipocok Jaya", ["Seksi Pelayanan Umum"]),
    ("KEC-KASEMEN", "Kecamatan Kasemen", ["Seksi Pelayanan Umum"]),
    ("KEC-TAKTAKAN", "Kecamatan Taktakan", ["Seksi Pelayanan Umum"]),
    ("KEC-CURUG", "Kecamatan Curug", ["Seksi Pelayanan Umum"]),
    ("KEC-WALANTAKA", "Kecamatan Walantaka", ["Seksi Pelayanan Umum"]),
]

TEKNIS = [
    (
        "T.KES.01",
        "Surveilans Epidemiologi",
        "DINKES",
        "Kemampuan mengumpulkan, mengolah, menganalisis dan menginterpretasi data penyakit untuk "
        "kewaspadaan dini dan respons kejadian luar biasa.",
    ),
    (
        "T.KES.02",
        "Pelayanan Kesehatan Primer",
        "DINKES",
        "Kemampuan menyelenggarakan pelayanan kesehatan dasar di puskesmas sesuai standar.",
    ),
    (
        "T.DUK.01",
        "Pelayanan Administrasi Kependudukan",
        "DISDUKCAPIL",
        "Kemampuan melayani pendaftaran penduduk dan pencatatan sipil (KTP-el, KK, akta) sesuai "
        "standar pelayanan dan ketentuan perundang-undangan.",
    ),
    (
        "T.DUK.02",
        "Pengelolaan Data Kependudukan (SIAK)",
        "DISDUKCAPIL",
        "Kemampuan mengelola dan menjaga kualitas data kependudukan dalam SIAK.",
    ),
    (
        "T.PTSP.01",
        "Pelayanan Perizinan Berusaha Berbasis Risiko",
        "DPMPTSP",
        "Kemampuan memproses perizinan berusaha melalui OSS RBA sesuai tingkat risiko usaha.",
    ),
    (
        "T.PTSP.02",
        "Penanganan Pengaduan Pelayanan Publik",
        "DPMPTSP",
        "Kemampuan menerima, menindaklanjuti dan menuntaskan pengaduan masyarakat (SP4N-LAPOR!).",
    ),
    (
        "T.DIK.01",
        "Pengelolaan Pembelajaran",
        "DINDIKBUD",
        "Kemampuan merancang, melaksanakan dan menilai pembelajaran yang berpusat pada murid.",
    ),
    (
        "T.SDM.01",
        "Manajemen Talenta ASN",
        "BKPSDM",
        "Kemampuan memetakan kompetensi dan potensi ASN serta menyusun rencana suksesi.",
    ),
    (
        "T.SDM.02",
        "Analisis Kebutuhan Pengembangan Kompetensi",
        "BKPSDM",
        "Kemampuan menyusun analisis kebutuhan pelatihan dari kesenjangan kompetensi.",
    ),
    (
        "T.KEU.01",
        "Pengelolaan Keuangan Daerah",
        "BPKAD",
        "Kemampuan menyusun dan menatausahakan anggaran sesuai standar akuntansi pemerintahan.",
    ),
    (
        "T.DATA.01",
        "Analisis Data dan Statistik Sektoral",
        "DISKOMINFO",
        "Kemampuan mengolah dan menyajikan data sektoral untuk pengambilan keputusan.",
    ),
]
TEKNIS_LEVEL_TEXT = {
    1: "Memahami konsep dasar dan melaksanakan tugas rutin dengan bimbingan.",
    2: "Melaksanakan tugas secara mandiri sesuai prosedur dan standar yang berlaku.",
    3: "Menganalisis permasalahan dan memperbaiki cara kerja di lingkup unit.",
    4: "Mengembangkan metode/standar baru dan membimbing orang lain.",
    5: "Menjadi rujukan di tingkat daerah dan merumuskan kebijakan teknis.",
}

FIRST_NAMES_M = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Iwan",
    "Joko",
    "Rizki",
    "Agus",
    "Asep",
    "Dani",
    "Rahmat",
    "Yusuf",
    "Hasan",
    "Imam",
    "Teguh",
    "Wahyu",
]
FIRST_NAMES_F = [
    "Siti",
    "Dewi",
    "Rina",
    "Nur",
    "Ratna",
    "Yuli",
    "Fitri",
    "Lina",
    "Maya",
    "Intan",
    "Wulan",
    "Ani",
    "Euis",
    "Neng",
    "Tuti",
    "Sri",
    "Lilis",
    "Rani",
]
LAST_NAMES = [
    "Hidayat",
    "Saputra",
    "Kurniawan",
    "Rahayu",
    "Lestari",
    "Suryadi",
    "Permana",
    "Nurhayati",
    "Setiawan",
    "Maulana",
    "Fauzi",
    "Safitri",
    "Wijaya",
    "Pratama",
    "Ramdani",
    "Sulastri",
    "Mulyadi",
    "Hermawan",
    "Susanti",
    "Firmansyah",
]
TITLES_BACK = [
    "S.Sos.",
    "S.E.",
    "S.H.",
    "S.Kom.",
    "S.I.P.",
    "S.Kep.",
    "S.K.M.",
    "A.Md.",
    "M.Si.",
    "S.Pd.",
    "S.T.",
    "M.M.",
]

PNS_RANKS_BY_KIND = {
    "jpt_pratama": ["IV/c", "IV/d"],
    "administrator": ["IV/a", "IV/b"],
    "pengawas": ["III/c", "III/d"],
    "pelaksana": ["II/c", "II/d", "III/a", "III/b"],
    "fungsional": ["III/a", "III/b", "III/c"],
}

DEMO_PASSWORD = "sikap-demo"  # noqa: S105 - documented demo password


def insert_rows(model, fields: list[str], rows, *, batch: int = 500) -> int:
    """Bulk ``INSERT`` of plain tuples: a fraction of ``bulk_create``'s cost per row, for the
    seeds' millions of rows. Values in Python form: ids for foreign keys, aware datetimes,
    dates; no signals, no ``auto_now``: give every value. SQLite: ``batch`` rows per
    multi-row statement on the driver's cursor (no per-statement debug logging of thousands
    of parameters); PostgreSQL: ``COPY``. Either way one no-op ``UPDATE`` of the table then
    goes through Django's cursor, so the connection's execute wrappers
    (``core.dataversion``: a write moves the table's data version) see the write.
    Returns the number of rows inserted."""
    from django.db import connection, models

    qn = connection.ops.quote_name
    columns = [model._meta.get_field(f) for f in fields]
    if connection.vendor == "postgresql":
        total = _copy_rows(connection, model, columns, rows)
    else:
        total = _insert_sqlite(connection, model, columns, rows, batch, models)
    if total:
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {pk} = {pk} WHERE 1 = 0")  # noqa: S608
    return total


def _insert_sqlite(connection, model, columns, rows, batch, models) -> int:
    import datetime as dt

    from django.conf import settings

    qn = connection.ops.quote_name
    head = (
        f"INSERT INTO {qn(model._meta.db_table)} "  # noqa: S608 - names from the model
        f"({', '.join(qn(c.column) for c in columns)}) VALUES "
    )
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    utc = dt.UTC

    def datetime_value(value):  # as DateTimeField stores it: naive UTC text when USE_TZ
        if value is None:
            return None
        if settings.USE_TZ:
            if value.tzinfo is None:
                raise ValueError(f"{model.__name__}: naive datetime {value}")
            value = value.astimezone(utc).replace(tzinfo=None)
        return str(value)

    def adapter(field):
        if isinstance(field, models.DateTimeField):
            return datetime_value
        if isinstance(field, models.DateField):
            return connection.ops.adapt_datefield_value
        return None

    adapters = [(i, a) for i, a in enumerate(map(adapter, columns)) if a is not None]
    total = 0
    chunk: list = []

    def flush() -> None:
        params = []
        for row in chunk:
            if adapters:
                row = list(row)
                for i, adapt in adapters:
                    row[i] = adapt(row[i])
            params.extend(row)
        with connection.cursor() as cursor:
            cursor.cursor.execute(head + ", ".join([one] * len(chunk)), params)

    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"{model.__name__}: {len(row)} values for {len(columns)} fields")
        chunk.append(row)
        if len(chunk) >= batch:
            flush()
            total += len(chunk)
            chunk = []
    if chunk:
        flush()
        total += len(chunk)
    return total


def _copy_rows(connection, model, columns, rows) -> int:
    """PostgreSQL: ``COPY … FROM STDIN`` (psycopg adapts the Python values)."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(c.column) for c in columns)
    total = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                if len(row) != len(columns):
                    raise ValueError(f"{model.__name__}: {len(row)} values, {len(columns)} fields")
                copy.write_row(row)
                total += 1
    return total


def seed_competencies() -> dict[str, Competency]:
    """The demo's technical competencies (Kota Serang's own), beside the dictionary of
    manajerial and sosial kultural competencies that production loads by a migration
    (``kompetensi.reference``; ensured here only for a database emptied since, e.g. by a
    test's flush: it creates nothing when the dictionary is there)."""
    ensure_competency_dictionary()
    existing = {c.code: c for c in Competency.objects.all()}
    levels_new = []
    for code, name, _unit, description in TEKNIS:
        if code in existing:
            continue
        comp = Competency.objects.create(
            code=code,
            name=name,
            kind="teknis",
            description=description,
            source="Kompetensi teknis yang ditetapkan Pemerintah Kota Serang (data demo)",
        )
        existing[code] = comp
        for level, text in TEKNIS_LEVEL_TEXT.items():
            levels_new.append(CompetencyLevel(competency=comp, level=level, description=text))
    CompetencyLevel.objects.bulk_create(levels_new, ignore_conflicts=True)
    return existing


def seed_units() -> dict[str, OrganizationUnit]:
    units = {u.code: u for u in OrganizationUnit.objects.all()}
    for code, name, bidang in UNITS:
        kind = "perangkat_daerah"
        root = units.get(code) or OrganizationUnit.objects.create(code=code, name=name, kind=kind)
        units[code] = root
        for index, child_name in enumerate(bidang, start=1):
            child_code = f"{code}-{index:02d}"
            if child_code not in units:
                child_kind = (
                    "upt"
                    if child_name.startswith("UPT")
                    else ("seksi" if child_name.startswith("Seksi") else "bidang")
                )
                units[child_code] = OrganizationUnit.objects.create(
                    code=child_code, name=child_name, kind=child_kind, parent=root
                )
    return units


def _position_specs(unit_code: str) -> list[tuple[str, str, str, str, bool]]:
    """(suffix, name, kind, jenjang, front_line) for each unit."""
    specs = [
        ("KEPALA", "Kepala", "jpt_pratama", "", False),
        ("KABID", "Kepala Bidang", "administrator", "", False),
        ("KASI", "Kepala Seksi", "pengawas", "", False),
        ("PENGADM", "Pengadministrasi Perkantoran", "pelaksana", "", False),
        ("PENGOLAH", "Pengolah Data dan Informasi", "pelaksana", "", False),
    ]
    extra = {
        "DINKES": [
            ("EPID", "Epidemiolog Kesehatan Ahli Muda", "fungsional", "ahli_muda", False),
            ("PERAWAT", "Perawat Ahli Pertama", "fungsional", "ahli_pertama", True),
        ],
        "DISDUKCAPIL": [
            ("PETUGAS", "Petugas Pelayanan Administrasi Kependudukan", "pelaksana", "", True),
            (
                "ADMINDUK",
                "Administrator Database Kependudukan Ahli Pertama",
                "fungsional",
                "ahli_pertama",
                False,
            ),
        ],
        "DPMPTSP": [
            ("PETUGAS", "Petugas Pelayanan Perizinan", "pelaksana", "", True),
            ("ANALIS", "Penata Perizinan Ahli Muda", "fungsional", "ahli_muda", False),
        ],
        "DINDIKBUD": [("GURU", "Guru Ahli Pertama", "fungsional", "ahli_pertama", False)],
        "BKPSDM": [
            ("ANALIS", "Analis SDM Aparatur Ahli Muda", "fungsional", "ahli_muda", False),
            ("WIDYA", "Widyaiswara Ahli Madya", "fungsional", "ahli_madya", False),
        ],
        "RSUD": [("PERAWAT", "Perawat Ahli Pertama", "fungsional", "ahli_pertama", True)],
        "BAPENDA": [("PETUGAS", "Petugas Pelayanan Pajak Daerah", "pelaksana", "", True)],
    }
    if unit_code.startswith("KEC-"):
        return specs + [("PETUGAS", "Petugas Pelayanan Kecamatan", "pelaksana", "", True)]
    return specs + extra.get(unit_code, [])


def seed_positions(units, competencies) -> dict[str, Position]:
    positions = {p.code: p for p in Position.objects.all()}
    teknis_by_unit: dict[str, list[Competency]] = {}
    for code, _name, unit_code, _desc in TEKNIS:
        teknis_by_unit.setdefault(unit_code, []).append(competencies[code])
    managerial = [c for c in competencies.values() if c.kind in ("manajerial", "sosial_kultural")]
    existing_reqs = set(PositionRequirement.objects.values_list("position_id", "competency_id"))
    new_reqs = []
    for code, _name, _bidang in UNITS:
        unit = units[code]
        for suffix, pname, kind, jenjang, front in _position_specs(code):
            pcode = f"{code}.{suffix}"
            if pcode not in positions:
                full_name = pname if kind == "fungsional" else f"{pname} {unit.name}"[:200]
                if suffix == "KEPALA" and code.startswith("KEC-"):
                    full_name = f"Camat {unit.name.removeprefix('Kecamatan ')}"
                    kind = "administrator"
                positions[pcode] = Position.objects.create(
                    code=pcode,
                    name=full_name,
                    kind=kind,
                    jenjang=jenjang,
                    unit=unit,
                    is_front_line=front,
                )
            position = positions[pcode]
            # Managerial requirement: the usual standard (rules.required_level_for_position).
            level = (
                rules.FUNGSIONAL_REQUIRED_LEVELS.get(position.jenjang, 1)
                if position.kind == rules.POSITION_KIND_FUNGSIONAL
                else rules.POSITION_REQUIRED_LEVELS[position.kind]
            )
            for comp in managerial:
                if (position.pk, comp.pk) not in existing_reqs:
                    new_reqs.append(
                        PositionRequirement(position=position, competency=comp, level=level)
                    )
            for comp in teknis_by_unit.get(code, []):
                if (position.pk, comp.pk) not in existing_reqs:
                    teknis_level = {
                        "pelaksana": 2,
                        "pengawas": 3,
                        "administrator": 3,
                        "jpt_pratama": 4,
                    }.get(position.kind, level + 1)
                    new_reqs.append(
                        PositionRequirement(
                            position=position, competency=comp, level=min(teknis_level, 5)
                        )
                    )
    PositionRequirement.objects.bulk_create(new_reqs, ignore_conflicts=True)
    return positions


def make_nip(rng, *, female: bool, age_hint: int = 0, sequence: int = 1) -> str:
    birth_year = 1968 + rng.randrange(0, 30) if not age_hint else age_hint
    birth = date(birth_year, rng.randrange(1, 13), rng.randrange(1, 29))
    cpns_year = min(birth_year + 22 + rng.randrange(0, 8), 2024)
    cpns_month = rng.randrange(1, 13)
    return (
        f"{birth:%Y%m%d}{cpns_year:04d}{cpns_month:02d}{2 if female else 1}"
        f"{(sequence % 999) + 1:03d}"
    )


def _person_name(rng) -> tuple[str, bool]:
    female = rng.random() < 0.5
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    last = rng.choice(LAST_NAMES)
    return f"{first} {last}, {rng.choice(TITLES_BACK)}", female


# The demo cast: username, name, unit, position suffix, groups, supervisor username.
DEMO_PEOPLE = [
    (
        "atasan",
        "Hj. Euis Sulastri, S.Sos., M.Si.",
        "DISDUKCAPIL-01",
        "DISDUKCAPIL.KASI",
        ["ASN"],
        None,
        "197204181998032005",
        "III/d",
    ),
    (
        "asn",
        "Rizki Maulana, S.Kom.",
        "DISDUKCAPIL-01",
        "DISDUKCAPIL.PETUGAS",
        ["ASN"],
        "atasan",
        "199305122019031004",
        "III/a",
    ),
    (
        "hr",
        "Dra. Ratna Permana, M.M.",
        "BKPSDM-01",
        "BKPSDM.ANALIS",
        ["ASN", "BKPSDM"],
        None,
        "197810092003122002",
        "III/d",
    ),
    (
        "pelatih",
        "Dr. Hendra Kurniawan, M.Pd.",
        "BKPSDM-01",
        "BKPSDM.WIDYA",
        ["ASN", "Pelatih"],
        None,
        "197511232000031003",
        "IV/a",
    ),
    (
        "reviewer",
        "Fitri Lestari, S.Psi., M.Psi.",
        "BKPSDM-01",
        "BKPSDM.ANALIS",
        ["ASN", "Reviewer Konten"],
        None,
        "198402142009022001",
        "III/c",
    ),
]


def seed_employees(ctx, units, positions) -> None:
    rng = ctx.rng
    existing = set(Employee.objects.values_list("nip", flat=True))
    unit_codes = [code for code, _n, _b in UNITS]
    # Distribute employees over units with bigger services getting more people.
    weights = {"DINKES": 6, "DINDIKBUD": 8, "RSUD": 4, "DISDUKCAPIL": 3, "DPMPTSP": 2}
    pool = [c for c in unit_codes for _ in range(weights.get(c, 1))]
    employees = []
    seen: set[str] = set()
    supervisors_by_unit: dict[str, str] = {}
    for index in range(ctx.employees):
        unit_code = unit_codes[index] if index < len(unit_codes) else rng.choice(pool)
        name, female = _person_name(rng)
        nip = make_nip(rng, female=female, sequence=index)
        while nip in seen:
            nip = make_nip(rng, female=female, sequence=index + 7)
        seen.add(nip)
        specs = _position_specs(unit_code)
        if index < len(unit_codes):
            suffix, kind = "KEPALA", "jpt_pratama"
        else:
            spec = rng.choice(specs[2:])
            suffix, kind = spec[0], spec[2]
        unit = units[unit_code]
        subunits = [u for c, u in units.items() if c.startswith(f"{unit_code}-")]
        if suffix not in {"KEPALA"} and subunits:
            unit = rng.choice(subunits)
        rank = rng.choice(PNS_RANKS_BY_KIND.get(kind, ["III/a"]))
        employees.append(
            Employee(
                nip=nip,
                name=name,
                email=f"pegawai{index:05d}@serangkota.go.id",
                employee_type="PNS",
                unit=unit,
                position=positions[f"{unit_code}.{suffix}"],
                rank=rank,
            )
        )
        if suffix == "KEPALA":
            supervisors_by_unit[unit_code] = nip
    Employee.objects.bulk_create([e for e in employees if e.nip not in existing], batch_size=1000)
    # Supervisors: everyone reports to the head of their perangkat daerah.
    heads = dict(
        Employee.objects.filter(nip__in=supervisors_by_unit.values()).values_list("nip", "pk")
    )
    for unit_code, head_nip in supervisors_by_unit.items():
        Employee.objects.filter(
            unit__path__startswith=f"{unit_code}/", supervisor__isnull=True
        ).exclude(nip=head_nip).update(supervisor_id=heads[head_nip])
        Employee.objects.filter(unit__code=unit_code, supervisor__isnull=True).exclude(
            nip=head_nip
        ).update(supervisor_id=heads[head_nip])


def seed_demo_users(ctx, units, positions) -> None:
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.all()}
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "is_staff": True,
            "is_superuser": True,
            "first_name": "Administrator",
            "email": "admin@serangkota.go.id",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    by_username = {}
    for username, name, unit_code, pos_code, group_names, _sup, nip, rank in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": name[:150], "email": f"{username}@serangkota.go.id"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(*(groups[g] for g in group_names))
        if "BKPSDM" in group_names:
            # the demo HR officer administers the whole city (an explicit scope row)
            HrScope.objects.get_or_create(user=user, unit=None)
        employee, _ = Employee.objects.get_or_create(
            nip=nip,
            defaults={
                "name": name,
                "email": user.email,
                "unit": units[unit_code],
                "position": positions[pos_code],
                "rank": rank,
                "user": user,
            },
        )
        if employee.user_id != user.pk:
            employee.user = user
            employee.save(update_fields=["user"])
        by_username[username] = employee
    for username, *_rest in DEMO_PEOPLE:
        sup = next(p[5] for p in DEMO_PEOPLE if p[0] == username)
        if sup and by_username[username].supervisor_id != by_username[sup].pk:
            by_username[username].supervisor = by_username[sup]
            by_username[username].save(update_fields=["supervisor"])
    ctx.shared["demo_employees"] = by_username


def unusable_password(nip: str) -> str:
    """An unusable password (``!`` prefix, as ``set_unusable_password``), derived from the NIP
    so the data stays deterministic; these employees log in later via SSO or an HR reset."""
    import hashlib

    return "!" + hashlib.sha256(f"sikap-unusable:{nip}".encode()).hexdigest()[:40]


def seed_accounts(ctx) -> int:
    """City and province scale: every employee without an account gets one (username = NIP,
    unusable password, group ASN), in bulk. Returns the number of accounts created."""
    User = get_user_model()
    missing = list(
        Employee.objects.filter(user__isnull=True).order_by("nip").values_list("pk", "nip", "name")
    )
    asn, _created = Group.objects.get_or_create(name=GROUP_ASN)
    if not missing:
        return 0
    emails = dict(Employee.objects.filter(user__isnull=True).values_list("nip", "email"))
    joined = timezone.make_aware(datetime(2026, 1, 2, 8, 0), rules.JAKARTA)
    taken = set(
        User.objects.filter(username__in=[nip for _pk, nip, _n in missing]).values_list(
            "username", flat=True
        )
    )
    User.objects.bulk_create(
        [
            User(
                username=nip,
                password=unusable_password(nip),
                first_name=name[:150],
                email=emails.get(nip) or "",
                date_joined=joined,
            )
            for _pk, nip, name in missing
            if nip not in taken
        ],
        batch_size=2000,
    )
    # Link each employee to the account named by their NIP (one statement), then the group.
    linked = User.objects.filter(username=OuterRef("nip"), employee__isnull=True)
    Employee.objects.filter(user__isnull=True).update(user_id=Subquery(linked.values("pk")[:1]))
    nips = [nip for _pk, nip, _n in missing]
    updates = []
    for start in range(0, len(nips), 5000):
        updates += list(
            Employee.objects.filter(nip__in=nips[start : start + 5000], user__isnull=False)
            .order_by("nip")
            .values_list("user_id", flat=True)
        )
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=user_id, group_id=asn.pk) for user_id in updates],
        batch_size=5000,
        ignore_conflicts=True,
    )
    ctx.log(f"Kompetensi: {len(updates)} akun pegawai baru.")
    return len(updates)


def seed_periods() -> None:
    for code, name, start, end, is_open in [
        ("2024", "Penilaian Kompetensi 2024", date(2024, 1, 1), date(2024, 12, 31), False),
        ("2025", "Penilaian Kompetensi 2025", date(2025, 1, 1), date(2025, 12, 31), False),
        ("2026", "Penilaian Kompetensi 2026", date(2026, 1, 1), date(2026, 12, 31), True),
    ]:
        EvaluationPeriod.objects.get_or_create(
            code=code, defaults={"name": name, "start": start, "end": end, "is_open": is_open}
        )


FRONT_LINE_LEVEL = 2  # SIKAP demo choice: counter staff need M.3 and M.5 at level 2
FRONT_LINE_CODES = ("M.3", "M.5")


def raise_front_line_requirements() -> None:
    """Front-line (counter) positions need communication and public service at level 2."""
    PositionRequirement.objects.filter(
        position__is_front_line=True,
        competency__code__in=FRONT_LINE_CODES,
        level__lt=FRONT_LINE_LEVEL,
    ).update(level=FRONT_LINE_LEVEL)


# The demo ASN's supervisor evaluation (2025): gaps in M.3, M.5 and T.DUK.01.
DEMO_ASN_LEVELS = {"M.3": 1, "M.5": 1, "T.DUK.01": 1}
DEMO_ASN_PEERS = [{"M.3": 1, "M.5": 2}, {"M.3": 2, "M.5": 1}, {"M.3": 1, "M.5": 1}]


def _final_at(period: EvaluationPeriod) -> datetime:
    moment = datetime.combine(min(period.end, date(2026, 6, 30)), time(10, 0))
    return moment.replace(tzinfo=rules.JAKARTA)


def _level(rng: random.Random, required: int) -> int:
    return max(1, min(5, required + rng.choice((-2, -1, -1, 0, 0, 0, 1))))


def seed_evaluations(ctx) -> None:
    """Evaluations for the three periods (supervisor, peer, assessment, self; final), so the
    demo shows real gaps. Deterministic per employee, idempotent (an employee × period ×
    source already present is left alone), bulk."""
    periods = {
        p.code: p for p in EvaluationPeriod.objects.filter(code__in=["2024", "2025", "2026"])
    }
    if len(periods) < 3:
        return
    requirements: dict[int, list[tuple[int, str, int]]] = {}
    # In creation order (pk) on every database: the draws below follow this order.
    for pos_id, comp_id, code, level in PositionRequirement.objects.order_by("pk").values_list(
        "position_id", "competency_id", "competency__code", "level"
    ):
        requirements.setdefault(pos_id, []).append((comp_id, code, level))
    employees = list(
        Employee.objects.filter(position__isnull=False)
        .order_by("nip")
        .values_list("pk", "nip", "position_id", "position__kind", "supervisor__user_id", "user_id")
    )
    done = set(Evaluation.objects.values_list("employee_id", "period_id", "source"))
    demo = ctx.shared.get("demo_employees", {})
    demo_asn = demo.get("asn")
    demo_ids = {e.pk for e in demo.values()}
    plans: list[tuple[Evaluation, dict[int, int]]] = []

    def add(emp_id, period, source, evaluator_id, levels, status=Evaluation.Status.FINAL):
        if not levels:
            return
        final = status == Evaluation.Status.FINAL
        plans.append(
            (
                Evaluation(
                    employee_id=emp_id,
                    period=period,
                    source=source,
                    evaluator_id=evaluator_id,
                    status=status,
                    submitted_at=_final_at(period) if status != Evaluation.Status.DRAFT else None,
                    finalized_at=_final_at(period) if final else None,
                ),
                levels,
            )
        )

    for emp_id, nip, pos_id, kind, sup_user_id, own_user_id in employees:
        reqs = requirements.get(pos_id, [])
        if not reqs:
            continue
        rng = random.Random(f"sikap-eval-{nip}")
        if demo_asn is not None and emp_id == demo_asn.pk:
            code_level = {code: DEMO_ASN_LEVELS.get(code, level) for _c, code, level in reqs}
            by_code = {code: comp_id for comp_id, code, _l in reqs}
            p24, p25 = periods["2024"], periods["2025"]
            if (emp_id, p24.pk, "supervisor") not in done:
                add(
                    emp_id,
                    p24,
                    "supervisor",
                    sup_user_id,
                    {by_code[c]: max(1, lv) for c, lv in code_level.items()},
                )
            if (emp_id, p25.pk, "supervisor") not in done:
                add(
                    emp_id,
                    p25,
                    "supervisor",
                    sup_user_id,
                    {by_code[c]: lv for c, lv in code_level.items()},
                )
            if (emp_id, p25.pk, "self") not in done:
                add(
                    emp_id,
                    p25,
                    "self",
                    demo_asn.user_id,
                    {by_code[c]: min(5, lv + 1) for c, lv in code_level.items()},
                )
            if (emp_id, p25.pk, "peer") not in done:
                for peer in DEMO_ASN_PEERS:
                    add(
                        emp_id,
                        p25,
                        "peer",
                        None,
                        {by_code[c]: lv for c, lv in peer.items() if c in by_code},
                    )
            continue  # 2026 is left for the demo: self-evaluate, then the supervisor evaluates
        if emp_id in demo_ids:
            continue
        # Every draw is made whatever is already stored, so a second run decides the same.
        p25, p26 = periods["2025"], periods["2026"]
        wanted = []
        for code, share in (("2024", 0.6), ("2025", 0.85)):
            take = rng.random() < share
            levels = {c: _level(rng, lv) for c, _k, lv in reqs}
            if take:
                wanted.append((periods[code], "supervisor", sup_user_id, [levels]))
        take = rng.random() < 0.3
        peers = [{c: _level(rng, lv) for c, _k, lv in reqs} for _ in range(rng.choice((3, 3, 4)))]
        if take:
            wanted.append((p25, "peer", None, peers))
        levels = {c: _level(rng, lv) for c, _k, lv in reqs}
        if kind in ("jpt_pratama", "administrator"):
            wanted.append((p25, "assessment", None, [levels]))
        take = rng.random() < 0.35
        levels = {c: min(5, lv + rng.choice((0, 0, 1))) for c, _k, lv in reqs}
        if take:
            wanted.append((p26, "self", own_user_id, [levels]))
        for period, source, evaluator_id, level_sets in wanted:
            if (emp_id, period.pk, source) in done:
                continue
            for level_set in level_sets:
                add(emp_id, period, source, evaluator_id, level_set)

    Evaluation.objects.bulk_create([ev for ev, _l in plans], batch_size=1000)
    insert_rows(
        CompetencyScore,
        ["evaluation", "competency", "level", "note"],
        ((ev.pk, comp_id, level, "") for ev, levels in plans for comp_id, level in levels.items()),
    )
    ctx.log(f"Kompetensi: {len(plans)} penilaian baru.")


def seed_skp(ctx) -> None:
    """SKP results of 2025 from e-Kinerja for most employees; a few weak ones."""
    period = EvaluationPeriod.objects.filter(code="2025").first()
    if period is None:
        return
    done = set(SkpResult.objects.filter(period=period).values_list("employee_id", flat=True))
    demo = ctx.shared.get("demo_employees", {})
    demo_asn = demo.get("asn")
    new, weak = [], []
    for emp_id, nip in Employee.objects.order_by("nip").values_list("pk", "nip"):
        if emp_id in done:
            continue
        rng = random.Random(f"sikap-skp-{nip}")
        if demo_asn is not None and emp_id == demo_asn.pk:
            hasil, perilaku = "sesuai", "sesuai"
        elif rng.random() < 0.1:
            continue
        else:
            hasil = rng.choices(("di_atas", "sesuai", "di_bawah"), (2, 7, 1))[0]
            perilaku = rng.choices(("di_atas", "sesuai", "di_bawah"), (2, 7, 1))[0]
        predicate = rules.skp_predicate(hasil_kerja=hasil, perilaku_kerja=perilaku)
        new.append(
            SkpResult(
                employee_id=emp_id,
                period=period,
                hasil_kerja=hasil,
                perilaku_kerja=perilaku,
                predicate=predicate,
                origin=SkpResult.Origin.IMPORT,
            )
        )
        if rules.is_weak_predicate(predicate):
            weak.append(emp_id)
    SkpResult.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    if weak:
        Employee.objects.filter(pk__in=weak).update(development_review=True)


def run(ctx) -> None:
    from kompetensi.services import profile_recompute

    competencies = seed_competencies()
    units = seed_units()
    positions = seed_positions(units, competencies)
    raise_front_line_requirements()
    seed_periods()
    seed_employees(ctx, units, positions)
    if ctx.with_demo_users:
        seed_demo_users(ctx, units, positions)
    if getattr(ctx, "accounts_for_all", False):
        seed_accounts(ctx)
    seed_evaluations(ctx)
    seed_skp(ctx)
    profile_recompute()
    ctx.log(
        f"Kompetensi: {Competency.objects.count()} kompetensi, {OrganizationUnit.objects.count()} "
        f"unit, {Position.objects.count()} jabatan, {Employee.objects.count()} pegawai."
    )
