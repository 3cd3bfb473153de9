"""Import of employees from a CSV or XLSX export of the national civil-service data system.

Columns (header row, any order, case-insensitive): ``NIP``, ``nama``, ``unit kerja`` (unit code
or name), ``jabatan`` (position code or name), ``golongan``, ``email``, ``NIP atasan``; optional
``jenis ASN`` (PNS/PPPK; otherwise a golongan without "/" such as ``IX`` means PPPK).

Two steps: :func:`plan_import` reads and checks every row (a fixed number of queries) and lists
each bad row with its reasons; :func:`commit_import` writes a plan that has no errors, all or
nothing, in bulk. Re-importing the same file updates employees found by NIP.

Uploads are checked by content, not name: an XLSX is a zip (``PK\\x03\\x04``) that openpyxl
opens; anything else must be UTF-8 (or Windows-1252) text without NUL bytes. Cells starting
with a formula character (``= + - @``) are refused so nothing imported can run as a formula
when exported to a spreadsheet later.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from . import rules
from .models import Employee, OrganizationUnit, Position

MAX_BYTES = 8 * 1024 * 1024
MAX_ROWS = 50_000
FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = {
    "nip": "nip",
    "nama": "name",
    "unit kerja": "unit",
    "jabatan": "position",
    "golongan": "rank",
    "email": "email",
    "nip atasan": "supervisor",
    "jenis asn": "employee_type",
}
REQUIRED_COLUMNS = ("nip", "nama", "unit kerja")
COLUMN_LABELS = {key: label for label, key in COLUMNS.items()}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (type, size, header)."""


@dataclass
class RowError:
    line: int
    nip: str
    reasons: list[str]


@dataclass
class ImportPlan:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(data: bytes) -> list[list[str]]:
    """Rows of cells from XLSX or CSV bytes, the type decided by the content."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"berkas lebih dari {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise ImportFileError("berkas kosong")
    if data[:4] == b"PK\x03\x04":
        try:
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append([_cell(v) for v in row])
                if len(rows) > MAX_ROWS + 1:
                    break
            workbook.close()
            return rows
        except Exception as error:  # noqa: BLE001 - any unreadable workbook
            raise ImportFileError("berkas XLSX tidak dapat dibaca") from error
    if b"\x00" in data[:4096]:
        raise ImportFileError("berkas harus CSV (teks) atau XLSX")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    delimiter = max((",", ";", "\t"), key=lambda d: sample.split("\n", 1)[0].count(d))
    return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = " ".join(name.lower().replace("_", " ").split())
        if key in COLUMNS and COLUMNS[key] not in found:
            found[COLUMNS[key]] = index
    missing = [c for c in REQUIRED_COLUMNS if COLUMNS[c] not in found]
    if missing:
        raise ImportFileError(
            "kolom wajib tidak ada: "
            + ", ".join(missing)
            + " (kolom: NIP, nama, unit kerja, jabatan, golongan, email, NIP atasan)"
        )
    return found


def _index_by_name(objects) -> tuple[dict, dict]:
    by_code = {o.code.lower(): o for o in objects}
    by_name: dict[str, list] = {}
    for o in objects:
        by_name.setdefault(o.name.lower(), []).append(o)
    return by_code, by_name


def plan_import(data: bytes, *, allowed_unit_ids: set[int] | None = None) -> ImportPlan:
    """Read and check every row. ``allowed_unit_ids``: the units a scoped HR officer may fill
    (None: all)."""
    table = [row for row in read_table(data) if any(row)]
    if len(table) < 2:
        raise ImportFileError("berkas tidak berisi baris data di bawah baris judul")
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(f"berkas berisi lebih dari {MAX_ROWS} baris")
    columns = _header_map(table[0])
    units = list(OrganizationUnit.objects.all())
    unit_code, unit_name = _index_by_name(units)
    positions = list(Position.objects.select_related("unit"))
    pos_code, pos_name = _index_by_name(positions)
    existing = {
        e["nip"]: e
        for e in Employee.objects.values(
            "pk",
            "nip",
            "name",
            "email",
            "employee_type",
            "unit_id",
            "position_id",
            "rank",
            "supervisor_id",
            "user_id",
        )
    }
    nip_by_pk = {e["pk"]: nip for nip, e in existing.items()}
    plan = ImportPlan()
    seen: dict[str, int] = {}

    def get(row, key):
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else ""

    for line, row in enumerate(table[1:], start=2):
        reasons: list[str] = []
        raw = {key: get(row, key) for key in COLUMNS.values()}
        for key, value in raw.items():
            if value.startswith(FORMULA_CHARS):
                reasons.append(
                    f"kolom {COLUMN_LABELS[key]}: diawali karakter rumus (=, +, -, @) "
                    "tidak diizinkan"
                )
        rank_raw = raw["rank"]
        etype = raw["employee_type"].upper() or (
            "PPPK" if rank_raw and "/" not in rank_raw else "PNS"
        )
        if etype not in rules.EMPLOYEE_TYPES:
            reasons.append("jenis ASN harus PNS atau PPPK")
            etype = "PNS"
        nip = rules.normalise_nip(raw["nip"])
        try:
            nip = rules.parse_nip(nip, employee_type=etype).nip
        except rules.RuleError as error:
            reasons.append(f"NIP: {error}")
        if nip in seen:
            reasons.append(f"NIP ganda: sudah ada di baris {seen[nip]}")
        else:
            seen[nip] = line
        name = raw["name"]
        if not name:
            reasons.append("nama wajib diisi")
        elif len(name) > 200:
            reasons.append("nama terlalu panjang (maksimal 200 karakter)")
        unit = unit_code.get(raw["unit"].lower())
        if unit is None:
            matches = unit_name.get(raw["unit"].lower(), [])
            unit = matches[0] if len(matches) == 1 else None
            if not raw["unit"]:
                reasons.append("unit kerja wajib diisi")
            elif len(matches) > 1:
                reasons.append(f"unit kerja “{raw['unit']}” ambigu; gunakan kodenya")
            elif unit is None:
                reasons.append(f"unit kerja “{raw['unit']}” tidak ditemukan")
        if unit is not None and allowed_unit_ids is not None and unit.pk not in allowed_unit_ids:
            reasons.append(f"unit kerja “{raw['unit']}” di luar wewenang Anda")
            unit = None
        position = None
        if raw["position"]:
            position = pos_code.get(raw["position"].lower())
            if position is None:
                matches = pos_name.get(raw["position"].lower(), [])
                if unit is not None and len(matches) > 1:
                    root = unit.path.split("/")[0]
                    matches = [
                        p for p in matches if p.unit and p.unit.path.split("/")[0] == root
                    ] or matches
                if len(matches) == 1:
                    position = matches[0]
                elif matches:
                    reasons.append(f"jabatan “{raw['position']}” ambigu; gunakan kodenya")
                else:
                    reasons.append(f"jabatan “{raw['position']}” tidak ditemukan")
        rank = ""
        if rank_raw:
            try:
                rank = rules.validate_rank(rank_raw, etype)
            except rules.RuleError as error:
                reasons.append(str(error))
        email = raw["email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                reasons.append(f"email “{email}” tidak valid")
        supervisor = rules.normalise_nip(raw["supervisor"])
        if supervisor and supervisor == nip:
            reasons.append("NIP atasan sama dengan NIP pegawai")
        if reasons:
            plan.errors.append(RowError(line=line, nip=raw["nip"], reasons=reasons))
            continue
        plan.rows.append(
            {
                "line": line,
                "nip": nip,
                "name": name,
                "email": email,
                "employee_type": etype,
                "unit_id": unit.pk,
                "position_id": position.pk if position else None,
                "rank": rank,
                "supervisor_nip": supervisor,
            }
        )

    # Supervisors: must exist (in the file or already), and the final graph has no cycle.
    file_nips = {r["nip"] for r in plan.rows} | {e.nip for e in plan.errors}
    parents: dict[str, str | None] = {
        nip: nip_by_pk.get(e["supervisor_id"]) for nip, e in existing.items()
    }
    for r in plan.rows:
        if r["supervisor_nip"] and r["supervisor_nip"] not in existing:
            if r["supervisor_nip"] not in file_nips:
                plan.errors.append(
                    RowError(
                        r["line"], r["nip"], [f"NIP atasan {r['supervisor_nip']} tidak ditemukan"]
                    )
                )
                continue
        parents[r["nip"]] = r["supervisor_nip"] or None
    bad_lines = {e.line for e in plan.errors}
    for r in plan.rows:
        if r["line"] in bad_lines:
            continue
        current, steps = parents.get(r["nip"]), 0
        while current and steps <= len(parents):
            if current == r["nip"]:
                plan.errors.append(
                    RowError(r["line"], r["nip"], ["hubungan atasan melingkar (NIP atasan)"])
                )
                break
            current, steps = parents.get(current), steps + 1
    bad_lines = {e.line for e in plan.errors}
    plan.rows = [r for r in plan.rows if r["line"] not in bad_lines]
    plan.errors.sort(key=lambda e: e.line)
    fields = ("name", "email", "employee_type", "unit_id", "position_id", "rank")
    for r in plan.rows:
        old = existing.get(r["nip"])
        if old is None:
            plan.new += 1
        elif any(old[f] != r[f] for f in fields) or nip_by_pk.get(old["supervisor_id"]) != (
            r["supervisor_nip"] or None
        ):
            plan.updated += 1
        else:
            plan.unchanged += 1
    return plan


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def commit_import(plan: ImportPlan) -> dict:
    """Write a checked plan (no errors): accounts and new employees, updates by NIP,
    supervisors, then the profiles of everyone touched. All or nothing; a fixed number of
    statements (``executemany`` for updates) whatever the number of rows."""
    from django.utils import timezone

    from .services import bulk_update_rows, profile_recompute

    if plan.errors:
        raise ImportFileError("berkas masih berisi baris yang salah; tidak ada yang diimpor")
    User = get_user_model()
    nips = [r["nip"] for r in plan.rows]
    fields = ["name", "email", "employee_type", "unit_id", "position_id", "rank"]
    existing = {
        e["nip"]: e
        for e in Employee.objects.filter(nip__in=nips).values("pk", "nip", "user_id", *fields)
    }
    # Accounts first (username = NIP, no usable password until activated), so new employees
    # are created already linked.
    new_rows = [r for r in plan.rows if r["nip"] not in existing]
    need_user = {r["nip"] for r in new_rows} | {
        nip for nip, e in existing.items() if e["user_id"] is None
    }
    taken = set(
        Employee.objects.filter(user__username__in=need_user).values_list(
            "user__username", flat=True
        )
    )
    have = set(User.objects.filter(username__in=need_user).values_list("username", flat=True))
    row_by_nip = {r["nip"]: r for r in plan.rows}
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=nip,
                email=row_by_nip[nip]["email"],
                first_name=row_by_nip[nip]["name"][:150],
                password=unusable,
            )
            for nip in sorted(need_user - have)
        ],
        batch_size=1000,
    )
    user_ids = dict(
        User.objects.filter(username__in=need_user - taken).values_list("username", "pk")
    )
    now = timezone.now()
    Employee.objects.bulk_create(
        [
            Employee(
                nip=r["nip"],
                user_id=user_ids.get(r["nip"]),
                created_at=now,
                **{f: r[f] for f in fields},
            )
            for r in new_rows
        ],
        batch_size=1000,
    )
    changed = [
        r
        for r in plan.rows
        if r["nip"] in existing and any(existing[r["nip"]][f] != r[f] for f in fields)
    ]
    bulk_update_rows(
        Employee,
        [*fields, "updated_at"],
        ((*(r[f] for f in fields), now, existing[r["nip"]]["pk"]) for r in changed),
    )
    bulk_update_rows(
        Employee,
        ["user_id"],
        (
            (user_ids[nip], e["pk"])
            for nip, e in existing.items()
            if e["user_id"] is None and nip in user_ids
        ),
    )
    # Supervisors, now that every employee of the file exists.
    sup_nips = {r["supervisor_nip"] for r in plan.rows if r["supervisor_nip"]}
    current = {
        e["nip"]: e
        for e in Employee.objects.filter(nip__in=set(nips) | sup_nips).values(
            "pk", "nip", "supervisor_id"
        )
    }
    sup_updates = []
    for r in plan.rows:
        wanted = current[r["supervisor_nip"]]["pk"] if r["supervisor_nip"] else None
        if current[r["nip"]]["supervisor_id"] != wanted:
            sup_updates.append((wanted, current[r["nip"]]["pk"]))
    bulk_update_rows(Employee, ["supervisor_id"], sup_updates)
    created_ids = {current[r["nip"]]["pk"] for r in new_rows}
    touched = {existing[r["nip"]]["pk"] for r in changed} | created_ids
    if touched:
        profile_recompute(employee_ids=sorted(touched))
    updated = ({existing[r["nip"]]["pk"] for r in changed} | {pk for _s, pk in sup_updates}) - (
        created_ids
    )
    return {"created": len(created_ids), "updated": len(updated), "accounts": len(user_ids)}


# ---------------------------------------------------------------------------------------------
# SKP results (from an e-Kinerja export)
# ---------------------------------------------------------------------------------------------

SKP_COLUMNS = {
    "nip": "nip",
    "periode": "period",
    "hasil kerja": "hasil_kerja",
    "perilaku kerja": "perilaku_kerja",
}
_RATING_WORDS = {
    "di atas": rules.SKP_DI_ATAS,
    "di atas ekspektasi": rules.SKP_DI_ATAS,
    "di_atas": rules.SKP_DI_ATAS,
    "sesuai": rules.SKP_SESUAI,
    "sesuai ekspektasi": rules.SKP_SESUAI,
    "di bawah": rules.SKP_DI_BAWAH,
    "di bawah ekspektasi": rules.SKP_DI_BAWAH,
    "di_bawah": rules.SKP_DI_BAWAH,
}


def plan_skp_import(data: bytes, *, employee_ids: set[int] | None = None) -> ImportPlan:
    """Check an SKP file: columns NIP, periode (period code), hasil kerja, perilaku kerja
    (``di atas`` / ``sesuai`` / ``di bawah``, with or without "ekspektasi")."""
    from .models import EvaluationPeriod

    table = [row for row in read_table(data) if any(row)]
    if len(table) < 2:
        raise ImportFileError("berkas tidak berisi baris data di bawah baris judul")
    columns: dict[str, int] = {}
    for index, name in enumerate(table[0]):
        key = " ".join(name.lower().replace("_", " ").split())
        if key in SKP_COLUMNS:
            columns.setdefault(SKP_COLUMNS[key], index)
    missing = [label for label, key in SKP_COLUMNS.items() if key not in columns]
    if missing:
        raise ImportFileError(
            "kolom wajib tidak ada: "
            + ", ".join(missing)
            + " (kolom: NIP, periode, hasil kerja, perilaku kerja)"
        )
    employees = dict(Employee.objects.values_list("nip", "pk"))
    periods = dict(EvaluationPeriod.objects.values_list("code", "pk"))
    plan = ImportPlan()
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(table[1:], start=2):
        raw = {k: (row[i] if i < len(row) else "") for k, i in columns.items()}
        reasons = []
        nip = rules.normalise_nip(raw["nip"])
        emp_id = employees.get(nip)
        if emp_id is None or (employee_ids is not None and emp_id not in employee_ids):
            reasons.append(f"pegawai dengan NIP {nip or '(kosong)'} tidak ditemukan")
        period_id = periods.get(raw["period"])
        if period_id is None:
            reasons.append(f"periode “{raw['period']}” tidak ditemukan")
        ratings = {}
        for key, label in (("hasil_kerja", "hasil kerja"), ("perilaku_kerja", "perilaku kerja")):
            value = _RATING_WORDS.get(" ".join(raw[key].lower().split()))
            if value is None:
                reasons.append(f"{label} “{raw[key]}” harus di atas, sesuai, atau di bawah")
            ratings[key] = value
        if (nip, raw["period"]) in seen:
            reasons.append(
                f"NIP dan periode ganda: sudah ada di baris {seen[(nip, raw['period'])]}"
            )
        seen.setdefault((nip, raw["period"]), line)
        if reasons:
            plan.errors.append(RowError(line=line, nip=raw["nip"], reasons=reasons))
            continue
        plan.rows.append({"line": line, "employee_id": emp_id, "period_id": period_id, **ratings})
    plan.new = len(plan.rows)
    return plan


@transaction.atomic
def commit_skp_import(plan: ImportPlan, *, actor=None) -> dict:
    """Upsert the SKP results (a period posted again replaces it) and refresh the
    development-review flags of the employees touched from their newest period."""
    from .models import SkpResult

    if plan.errors:
        raise ImportFileError("berkas masih berisi baris yang salah; tidak ada yang diimpor")
    rows = [
        SkpResult(
            employee_id=r["employee_id"],
            period_id=r["period_id"],
            hasil_kerja=r["hasil_kerja"],
            perilaku_kerja=r["perilaku_kerja"],
            predicate=rules.skp_predicate(
                hasil_kerja=r["hasil_kerja"], perilaku_kerja=r["perilaku_kerja"]
            ),
            origin=SkpResult.Origin.IMPORT,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        for r in plan.rows
    ]
    SkpResult.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["employee", "period"],
        update_fields=["hasil_kerja", "perilaku_kerja", "predicate", "origin", "recorded_by"],
    )
    ids = {r["employee_id"] for r in plan.rows}
    newest: dict[int, str] = {}
    for emp_id, predicate in (
        SkpResult.objects.filter(employee_id__in=ids)
        .order_by("employee_id", "period__start")
        .values_list("employee_id", "predicate")
    ):
        newest[emp_id] = predicate
    weak = {e for e, p in newest.items() if rules.is_weak_predicate(p)}
    Employee.objects.filter(pk__in=weak).update(development_review=True)
    Employee.objects.filter(pk__in=ids - weak).update(development_review=False)
    return {"created": len(rows), "updated": 0, "flagged": len(weak)}
