"""Import of employees from a CSV or XLSX export of the national civil-service data system.

Columns (header row, any order, case-insensitive; other columns are ignored): ``NIP``
(required), ``nama``, ``unit kerja`` (unit code or name), ``jabatan`` (position code or name),
``golongan``, ``email``, ``NIP atasan``, ``jenis ASN`` (PNS/PPPK; for a new employee without
it, a golongan without "/" such as ``IX`` means PPPK).

What a cell means (the import page shows the same rules, :data:`CELL_RULES`):

* a column absent from the file never changes the stored value;
* an empty cell leaves the stored value alone (a new employee gets no value; ``nama`` and
  ``unit kerja`` are required for a new employee);
* a cell holding only ``-`` clears an optional value (``email``, ``jabatan``, ``golongan``,
  ``NIP atasan``); ``nama``, ``unit kerja`` and ``jenis ASN`` cannot be cleared.

Authority (``permissions.py``, so the same answers as the services): a row for an existing
employee needs HR authority over the employee's *current* unit (``can_manage_employee``) and,
when the row moves them, over the new unit too (``can_move_employee``); a new employee needs it
over the target unit (``can_create_employee``). The e-mail of an account holding a role is
never changed by an import (``can_change_account_email``). A refused row is an error, and
nothing stored about that employee is shown.

:func:`import_employees` is the one entry point (web page, API, commands): it checks every row
(:func:`plan_import`, a fixed number of queries) and, unless ``dry_run``, writes the plan in
the same transaction, all or nothing: with any error nothing is written. Writes are
set-based (a fixed number of bulk statements); e-mail changes of existing employees go through
``services.employee_update``. Every created or changed employee gets an audit row. Importing
the same file again changes nothing.

Uploads are checked by content, not name: an XLSX is a zip (``PK\\x03\\x04``) that openpyxl
opens; anything else must be UTF-8 (or Windows-1252) text without NUL bytes. Cells starting
with a formula character (``= + - @``) are refused (except the lone ``-`` above) so nothing
imported can run as a formula when exported to a spreadsheet later.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ServiceError, require

from . import rules
from .models import Employee, OrganizationUnit, Position

audit_log = logging.getLogger("sikap.audit")

MAX_BYTES = 8 * 1024 * 1024
MAX_ROWS = 50_000
FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")
CLEAR_MARK = "-"

# normalised header → field (the field names of the API's employee)
COLUMNS = {
    "nip": "nip",
    "nama": "name",
    "unit kerja": "unit_code",
    "jabatan": "position_code",
    "golongan": "rank",
    "email": "email",
    "nip atasan": "supervisor_nip",
    "jenis asn": "employee_type",
}
REQUIRED_COLUMNS = ("nip",)
# The header row of the template HR downloads from the import page (the exact names above).
TEMPLATE_HEADERS = (
    "NIP",
    "nama",
    "unit kerja",
    "jabatan",
    "golongan",
    "email",
    "NIP atasan",
    "jenis ASN",
)
FIELD_LABELS = {
    "nip": "NIP",
    "name": gettext_lazy("nama"),
    "unit_code": gettext_lazy("unit kerja"),
    "position_code": gettext_lazy("jabatan"),
    "rank": gettext_lazy("golongan"),
    "email": "email",
    "supervisor_nip": gettext_lazy("NIP atasan"),
    "employee_type": gettext_lazy("jenis ASN"),
}
# the fields an import writes, in the order a preview lists them
FIELDS = ("name", "employee_type", "unit_code", "position_code", "rank", "email", "supervisor_nip")
# model columns written in bulk (e-mail goes through the service, supervisors come last)
_PLAIN = {
    "name": "name",
    "employee_type": "employee_type",
    "unit_code": "unit_id",
    "position_code": "position_id",
    "rank": "rank",
}
CELL_RULES = (
    gettext_lazy(
        "Hanya kolom NIP yang wajib. Kolom yang tidak ada di berkas tidak mengubah data yang "
        "tersimpan."
    ),
    gettext_lazy(
        "Sel kosong berarti “tidak diubah”. Untuk pegawai baru, nama dan unit kerja wajib diisi."
    ),
    gettext_lazy(
        "Isi sel dengan tanda - saja untuk mengosongkan email, jabatan, golongan, atau NIP "
        "atasan. Nama, unit kerja, dan jenis ASN tidak dapat dikosongkan."
    ),
    gettext_lazy(
        "Pegawai yang sudah terdaftar hanya dapat diubah bila unit kerjanya saat ini (dan unit "
        "tujuannya, bila dipindah) termasuk wewenang Anda; pegawai baru hanya dapat ditambahkan "
        "ke unit dalam wewenang Anda."
    ),
    gettext_lazy(
        "Email akun yang memegang peran (BKPSDM, Pelatih, Reviewer Konten, superuser) tidak "
        "dapat diubah lewat impor."
    ),
)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (type, size, header)."""


@dataclass
class RowError:
    """A bad row: ``problems`` are ``(field, detail)`` pairs (``field`` as in the API)."""

    line: int
    nip: str
    problems: list[tuple[str, str]]

    @property
    def reasons(self) -> list[str]:
        return [detail for _field, detail in self.problems]


@dataclass
class Change:
    """One field of one employee that the import changes (codes and NIPs as in the API;
    ``old`` is None for a new employee). ``old_label``/``new_label`` are for people."""

    nip: str
    field: str
    old: str | None
    new: str | None
    old_label: str = ""
    new_label: str = ""

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


@dataclass
class PlannedRow:
    line: int
    nip: str
    name: str
    pk: int | None  # the existing employee, None for a new one
    user_id: int | None
    values: dict  # the final name, email, employee_type, unit_id, position_id, rank
    supervisor_nip: str | None
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> set[str]:
        return {c.field for c in self.changes}


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)  # PlannedRow (employees) or dicts (SKP)
    errors: list[RowError] = field(default_factory=list)
    columns: frozenset = frozenset()
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False
    result: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def created_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if isinstance(r, PlannedRow) and r.pk is None]

    @property
    def updated_rows(self) -> list[PlannedRow]:
        return [
            r for r in self.rows if isinstance(r, PlannedRow) and r.pk is not None and r.changes
        ]

    @property
    def changes(self) -> list[Change]:
        return [c for r in self.rows if isinstance(r, PlannedRow) for c in r.changes]

    def as_dict(self) -> dict:
        """The API's answer: ``{created, updated, unchanged, errors, changes}``."""
        return {
            "created": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [
                {"row": e.line, "field": f, "detail": d} for e in self.errors for f, d in e.problems
            ],
            "changes": [
                {"nip": c.nip, "field": c.field, "old": c.old, "new": c.new} for c in self.changes
            ],
        }


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
        raise ImportFileError(_("berkas lebih dari %(mb)s MB") % {"mb": MAX_BYTES // (1024 * 1024)})
    if not data.strip():
        raise ImportFileError(_("berkas kosong"))
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
            raise ImportFileError(_("berkas XLSX tidak dapat dibaca")) from error
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("berkas harus CSV (teks) atau XLSX"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    delimiter = max((",", ";", "\t"), key=lambda d: sample.split("\n", 1)[0].count(d))
    try:
        return [
            [_cell(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise ImportFileError(_("berkas CSV tidak dapat dibaca")) from error


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
            _("kolom wajib tidak ada: %(missing)s (kolom: %(columns)s)")
            % {
                "missing": ", ".join(str(FIELD_LABELS[COLUMNS[c]]) for c in missing),
                "columns": "NIP, nama, unit kerja, jabatan, golongan, email, NIP atasan, jenis ASN",
            }
        )
    return found


def _index_by_name(objects) -> tuple[dict, dict]:
    by_code = {o.code.lower(): o for o in objects}
    by_name: dict[str, list] = {}
    for o in objects:
        by_name.setdefault(o.name.lower(), []).append(o)
    return by_code, by_name


def _label(obj) -> str:
    return f"{obj.code} — {obj.name}" if obj is not None else ""


def _table(data: bytes) -> list[list[str]]:
    table = [row for row in read_table(data) if any(row)]
    if len(table) < 2:
        raise ImportFileError(_("berkas tidak berisi baris data di bawah baris judul"))
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("berkas berisi lebih dari %(n)s baris") % {"n": MAX_ROWS})
    return table


def plan_import(data: bytes, *, actor, lock: bool = False) -> ImportPlan:
    """Read and check every row of ``data`` for ``actor``; nothing is written. A fixed number
    of queries, plus one per account whose e-mail the file changes. ``lock`` (inside the
    writing transaction): the file's existing employees are locked first, so the rows
    checked are the rows written."""
    from .permissions import (
        can_change_account_email,
        can_create_employee,
        can_manage_employee,
        can_move_employee,
    )

    table = _table(data)
    columns = _header_map(table[0])
    if lock and connection.features.has_select_for_update:
        index = columns["nip"]
        nips = {rules.normalise_nip(row[index]) for row in table[1:] if index < len(row)}
        list(
            Employee.objects.select_for_update()
            .filter(nip__in=nips - {""})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    units = list(OrganizationUnit.objects.all())
    unit_by_pk = {u.pk: u for u in units}
    unit_code, unit_name = _index_by_name(units)
    positions = list(Position.objects.select_related("unit"))
    pos_by_pk = {p.pk: p for p in positions}
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
    plan = ImportPlan(columns=frozenset(columns))
    errors: dict[int, RowError] = {}
    seen: dict[str, int] = {}
    file_nips: set[str] = set()
    email_checks: list[tuple[PlannedRow, int | None]] = []

    def resolve_position(text: str, unit, bad):
        position = pos_code.get(text.lower())
        if position is not None:
            return position
        matches = pos_name.get(text.lower(), [])
        if unit is not None and len(matches) > 1:
            root = unit.path.split("/")[0]
            matches = [
                p for p in matches if p.unit and p.unit.path.split("/")[0] == root
            ] or matches
        if len(matches) == 1:
            return matches[0]
        if matches:
            bad("position_code", _("jabatan “%(v)s” ambigu; gunakan kodenya") % {"v": text})
        else:
            bad("position_code", _("jabatan “%(v)s” tidak ditemukan") % {"v": text})
        return None

    def resolve_unit(text: str, bad):
        unit = unit_code.get(text.lower())
        if unit is not None:
            return unit
        matches = unit_name.get(text.lower(), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            bad("unit_code", _("unit kerja “%(v)s” ambigu; gunakan kodenya") % {"v": text})
        else:
            bad("unit_code", _("unit kerja “%(v)s” tidak ditemukan") % {"v": text})
        return None

    for line, row in enumerate(table[1:], start=2):
        problems: list[tuple[str, str]] = []

        def bad(key, detail, problems=problems):
            problems.append((key, detail))

        # The text of each cell: "" when the column is absent, the cell empty or refused.
        cells = dict.fromkeys(COLUMNS.values(), "")
        refused: set[str] = set()
        for key, index in columns.items():
            value = row[index] if index < len(row) else ""
            if value.startswith(FORMULA_CHARS) and not (value == CLEAR_MARK and key in FIELDS):
                bad(
                    key,
                    _("kolom %(col)s: diawali karakter rumus (=, +, -, @) tidak diizinkan")
                    % {"col": FIELD_LABELS[key]},
                )
                refused.add(key)
                continue
            cells[key] = value
        raw_nip = row[columns["nip"]] if columns["nip"] < len(row) else ""
        nip = rules.normalise_nip(cells["nip"])
        if nip:
            file_nips.add(nip)
            if nip in seen:
                bad("nip", _("NIP ganda: sudah ada di baris %(line)s") % {"line": seen[nip]})
            else:
                seen[nip] = line
        elif "nip" not in refused:
            bad("nip", _("NIP wajib diisi"))
        old = existing.get(nip) if nip else None
        stored = None
        if old is not None:
            stored = Employee(
                pk=old["pk"], nip=nip, unit=unit_by_pk[old["unit_id"]], user_id=old["user_id"]
            )
            if not can_manage_employee(actor, stored):
                # Nothing more about this employee is checked or shown.
                bad(
                    "nip",
                    _(
                        "NIP ini milik pegawai yang unit kerjanya di luar wewenang Anda; baris "
                        "ini tidak dapat diimpor"
                    ),
                )
                errors[line] = RowError(line=line, nip=raw_nip, problems=problems)
                continue

        # jenis ASN
        etype_cell = cells["employee_type"]
        if etype_cell == CLEAR_MARK:
            bad("employee_type", _("jenis ASN tidak dapat dikosongkan"))
            etype = old["employee_type"] if old else rules.EMPLOYEE_TYPE_PNS
        elif etype_cell:
            etype = etype_cell.upper()
            if etype not in rules.EMPLOYEE_TYPES:
                bad("employee_type", _("jenis ASN harus PNS atau PPPK"))
                etype = old["employee_type"] if old else rules.EMPLOYEE_TYPE_PNS
        elif old is not None:
            etype = old["employee_type"]
        else:
            rank_cell = cells["rank"]
            etype = (
                rules.EMPLOYEE_TYPE_PPPK
                if rank_cell and rank_cell != CLEAR_MARK and "/" not in rank_cell
                else rules.EMPLOYEE_TYPE_PNS
            )
        if nip:
            try:
                nip = rules.parse_nip(nip, employee_type=etype).nip
            except rules.RuleError as error:
                bad("nip", _("NIP: %(error)s") % {"error": error})

        # nama
        name_cell = cells["name"]
        name = old["name"] if old else ""
        if name_cell == CLEAR_MARK:
            bad("name", _("nama tidak dapat dikosongkan"))
        elif name_cell:
            if len(name_cell) > 200:
                bad("name", _("nama terlalu panjang (maksimal 200 karakter)"))
            name = name_cell
        elif old is None and "name" not in refused:
            bad("name", _("nama wajib diisi untuk pegawai baru"))

        # unit kerja: in scope for a new employee; the move needs both units in scope
        unit_cell = cells["unit_code"]
        unit = unit_by_pk[old["unit_id"]] if old else None
        if unit_cell == CLEAR_MARK:
            bad("unit_code", _("unit kerja tidak dapat dikosongkan"))
        elif unit_cell:
            target = resolve_unit(unit_cell, bad)
            if target is not None:
                if old is None:
                    allowed = can_create_employee(actor, target)
                else:
                    allowed = target.pk == old["unit_id"] or can_move_employee(
                        actor, stored, target
                    )
                if allowed:
                    unit = target
                else:
                    bad(
                        "unit_code",
                        _("unit kerja “%(v)s” di luar wewenang Anda") % {"v": unit_cell},
                    )
        elif old is None and "unit_code" not in refused:
            bad("unit_code", _("unit kerja wajib diisi untuk pegawai baru"))

        # jabatan
        position_cell = cells["position_code"]
        position = pos_by_pk.get(old["position_id"]) if old else None
        if position_cell == CLEAR_MARK:
            position = None
        elif position_cell:
            position = resolve_position(position_cell, unit, bad)

        # golongan (checked against the final jenis ASN)
        rank_cell = cells["rank"]
        rank = old["rank"] if old else ""
        if rank_cell == CLEAR_MARK:
            rank = ""
        elif rank_cell:
            try:
                rank = rules.validate_rank(rank_cell, etype)
            except rules.RuleError as error:
                bad("rank", str(error))
        elif old is not None and rank and etype != old["employee_type"]:
            try:
                rules.validate_rank(rank, etype)
            except rules.RuleError:
                bad(
                    "rank",
                    _(
                        "golongan tersimpan “%(rank)s” tidak berlaku untuk %(type)s; isi kolom "
                        "golongan"
                    )
                    % {"rank": rank, "type": etype},
                )

        # email
        email_cell = cells["email"]
        email = old["email"] if old else ""
        if email_cell == CLEAR_MARK:
            email = ""
        elif email_cell:
            try:
                validate_email(email_cell)
            except ValidationError:
                bad("email", _("email “%(v)s” tidak valid") % {"v": email_cell})
            email = email_cell

        # NIP atasan (existence and cycles are checked below, over the whole file)
        supervisor_cell = cells["supervisor_nip"]
        supervisor = nip_by_pk.get(old["supervisor_id"]) if old else None
        if supervisor_cell == CLEAR_MARK:
            supervisor = None
        elif supervisor_cell:
            supervisor = rules.normalise_nip(supervisor_cell)
            if supervisor == nip:
                bad("supervisor_nip", _("NIP atasan sama dengan NIP pegawai"))

        if problems:
            errors[line] = RowError(line=line, nip=raw_nip, problems=problems)
            continue
        planned = PlannedRow(
            line=line,
            nip=nip,
            name=name,
            pk=old["pk"] if old else None,
            user_id=old["user_id"] if old else None,
            values={
                "name": name,
                "email": email,
                "employee_type": etype,
                "unit_id": unit.pk,
                "position_id": position.pk if position else None,
                "rank": rank,
            },
            supervisor_nip=supervisor or None,
        )
        old_unit = unit_by_pk[old["unit_id"]] if old else None
        old_position = pos_by_pk.get(old["position_id"]) if old else None
        pairs = {
            "name": (old["name"] if old else None, name, None, None),
            "employee_type": (old["employee_type"] if old else None, etype, None, None),
            "unit_code": (
                old_unit.code if old_unit else None,
                unit.code,
                _label(old_unit),
                _label(unit),
            ),
            "position_code": (
                old_position.code if old_position else None,
                position.code if position else None,
                _label(old_position),
                _label(position),
            ),
            "rank": (old["rank"] if old else None, rank, None, None),
            "email": (old["email"] if old else None, email, None, None),
            "supervisor_nip": (
                nip_by_pk.get(old["supervisor_id"]) if old else None,
                supervisor or None,
                None,
                None,
            ),
        }
        for key in FIELDS:
            before, after, before_label, after_label = pairs[key]
            if old is None:
                if not after:
                    continue
                before = None
            elif (before or None) == (after or None):
                continue
            planned.changes.append(
                Change(
                    nip=nip,
                    field=key,
                    old=before or None,
                    new=after or None,
                    old_label=before_label if before_label is not None else (before or ""),
                    new_label=after_label if after_label is not None else (after or ""),
                )
            )
        if old is not None and email != old["email"]:
            # the account whose e-mail changes: the employee's, or the one named by the NIP
            # that the import links to them
            email_checks.append((planned, old["user_id"]))
        plan.rows.append(planned)

    def refuse(r: PlannedRow, key: str, detail: str) -> None:
        if r.line in errors:
            errors[r.line].problems.append((key, detail))
        else:
            errors[r.line] = RowError(line=r.line, nip=r.nip, problems=[(key, detail)])

    # The e-mail of an account holding a role is not the importer's to change.
    if email_checks:
        User = get_user_model()
        unlinked = {r.nip for r, uid in email_checks if uid is None}
        by_username = dict(
            User.objects.filter(username__in=unlinked, employee__isnull=True).values_list(
                "username", "pk"
            )
        )
        accounts = User.objects.in_bulk(
            {uid or by_username.get(r.nip) for r, uid in email_checks} - {None}
        )
        for r, uid in email_checks:
            account = accounts.get(uid or by_username.get(r.nip))
            if not can_change_account_email(actor, account):
                refuse(
                    r,
                    "email",
                    _(
                        "akun pegawai ini memegang peran (BKPSDM, Pelatih, Reviewer Konten, atau "
                        "superuser); emailnya tidak dapat diubah lewat impor"
                    ),
                )

    # Supervisors: must exist (in the file or already), and the final graph has no cycle.
    parents: dict[str, str | None] = {
        nip: nip_by_pk.get(e["supervisor_id"]) for nip, e in existing.items()
    }
    for r in plan.rows:
        wanted = r.supervisor_nip
        if wanted and wanted not in existing and wanted not in file_nips:
            refuse(
                r,
                "supervisor_nip",
                _("NIP atasan %(nip)s tidak ditemukan") % {"nip": wanted},
            )
        parents[r.nip] = wanted
    for r in plan.rows:
        if r.line in errors:
            continue
        current, steps = parents.get(r.nip), 0
        while current and steps <= len(parents):
            if current == r.nip:
                refuse(r, "supervisor_nip", _("hubungan atasan melingkar (NIP atasan)"))
                break
            current, steps = parents.get(current), steps + 1

    plan.errors = sorted(errors.values(), key=lambda e: e.line)
    plan.rows = [r for r in plan.rows if r.line not in errors]
    for r in plan.rows:
        if r.pk is None:
            plan.new += 1
        elif r.changes:
            plan.updated += 1
        else:
            plan.unchanged += 1
    return plan


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def import_employees(data: bytes, *, actor, dry_run: bool = True) -> ImportPlan:
    """Check ``data`` for ``actor`` and, unless ``dry_run``, write it: all or nothing, in one
    transaction with the check. Returns the plan (``committed``, ``result`` once written);
    with any error nothing is written. :class:`ImportFileError` for an unreadable file,
    ``NotAllowed`` for a caller without HR authority."""
    from .permissions import has_hr_authority

    require(
        has_hr_authority(actor),
        _("impor pegawai khusus BKPSDM yang memiliki cakupan unit kerja"),
    )
    if dry_run:
        return plan_import(data, actor=actor)
    plan = None
    try:
        with transaction.atomic():
            plan = plan_import(data, actor=actor, lock=True)
            if plan.errors or not plan.rows:
                return plan
            plan.result = _write(plan, actor=actor)
            plan.committed = True
    except _Rollback:
        pass
    return plan


def _write(plan: ImportPlan, *, actor) -> dict:
    """Write a checked plan: accounts and new employees, updates by NIP (only the fields that
    change), supervisors, e-mails, then the profiles and the audit rows of everyone touched.
    A fixed number of statements (``executemany`` for updates) whatever the number of rows,
    plus the service calls for changed e-mails."""
    from django.utils import timezone

    from . import services
    from .services import bulk_update_rows, profile_recompute

    User = get_user_model()
    now = timezone.now()
    new_rows = plan.created_rows
    old_rows = [r for r in plan.rows if r.pk is not None]
    # Accounts first (username = NIP, no usable password until activated), so new employees
    # are created already linked. An existing employee's account keeps its e-mail here: a
    # changed e-mail goes through the service below.
    need_user = {r.nip for r in new_rows} | {r.nip for r in old_rows if r.user_id is None}
    taken = set(
        Employee.objects.filter(user__username__in=need_user).values_list(
            "user__username", flat=True
        )
    )
    have = set(User.objects.filter(username__in=need_user).values_list("username", flat=True))
    row_by_nip = {r.nip: r for r in plan.rows}
    unusable = make_password(None)

    def account_email(r: PlannedRow) -> str:
        return r.values["email"] if r.pk is None else _stored_email(r)

    User.objects.bulk_create(
        [
            User(
                username=nip,
                email=account_email(row_by_nip[nip]),
                first_name=row_by_nip[nip].name[:150],
                password=unusable,
            )
            for nip in sorted(need_user - have)
        ],
        batch_size=1000,
    )
    user_ids = dict(
        User.objects.filter(username__in=need_user - taken).values_list("username", "pk")
    )
    Employee.objects.bulk_create(
        [
            Employee(nip=r.nip, user_id=user_ids.get(r.nip), created_at=now, **r.values)
            for r in new_rows
        ],
        batch_size=1000,
    )
    # Updates: only the fields that change, grouped by the set of fields.
    groups: dict[tuple[str, ...], list[PlannedRow]] = {}
    for r in old_rows:
        keys = tuple(k for k in _PLAIN if k in r.changed)
        if keys:
            groups.setdefault(keys, []).append(r)
    for keys, rows in groups.items():
        columns = [_PLAIN[k] for k in keys]
        bulk_update_rows(
            Employee,
            [*columns, "updated_at"],
            ((*(r.values[c] for c in columns), now, r.pk) for r in rows),
        )
    bulk_update_rows(
        Employee,
        ["user_id"],
        ((user_ids[r.nip], r.pk) for r in old_rows if r.user_id is None and r.nip in user_ids),
    )
    renamed = bulk_update_rows(
        User,
        ["first_name"],
        (
            (r.name[:150], r.user_id)
            for r in old_rows
            if r.user_id is not None and "name" in r.changed
        ),
    )
    # Supervisors, now that every employee of the file exists.
    sup_nips = {r.supervisor_nip for r in plan.rows if r.supervisor_nip}
    current = dict(
        Employee.objects.filter(nip__in=set(row_by_nip) | sup_nips).values_list("nip", "pk")
    )
    sup_updates = [
        (current[r.supervisor_nip] if r.supervisor_nip else None, current[r.nip])
        for r in plan.rows
        if "supervisor_nip" in r.changed
    ]
    bulk_update_rows(Employee, ["supervisor_id"], sup_updates)
    # E-mail changes of existing employees: through the service (and its rules).
    email_rows = [r for r in old_rows if "email" in r.changed]
    if email_rows:
        employees = Employee.objects.select_related("unit", "user").in_bulk(
            [r.pk for r in email_rows]
        )
        for r in email_rows:
            try:
                services.employee_update(
                    actor=actor, employee=employees[r.pk], email=r.values["email"]
                )
            except ServiceError as error:
                plan.errors.append(
                    RowError(line=r.line, nip=r.nip, problems=[("email", str(error))])
                )
        if plan.errors:
            raise _Rollback
    # Cache versions (core/dataversion.py): employees, accounts and supervisors written in bulk;
    # a supervisor's page lists their team, so every person's pages, and the HR aggregates;
    # renamed accounts are forum authors.
    from core import dataversion

    dataversion.bump("sdm", "person", *(("topic", "forum-topics") if renamed else ()))
    created_ids = {current[r.nip] for r in new_rows}
    touched = created_ids | {r.pk for r in old_rows if r.changed - {"email", "supervisor_nip"}}
    if touched:
        profile_recompute(employee_ids=sorted(touched))
    _audit_rows(plan, actor=actor, ids=current)
    return {
        "created": len(new_rows),
        "updated": len(plan.updated_rows),
        "unchanged": plan.unchanged,
        "accounts": len(need_user - have),
    }


def _stored_email(r: PlannedRow) -> str:
    change = next((c for c in r.changes if c.field == "email"), None)
    return (change.old or "") if change is not None else r.values["email"]


def _audit_rows(plan: ImportPlan, *, actor, ids: dict[str, int]) -> None:
    """One audit row per created or changed employee (what changed, without values), as the
    services write for a single employee; one line on the audit logger for the import."""
    from core.audit import _ip_hash, current_request
    from core.models import AccessLog

    user = actor if getattr(actor, "pk", None) else None
    ip_hash = _ip_hash(current_request())
    rows = []
    for r in plan.rows:
        fields = [k for k in FIELDS if k in r.changed and k != "email"]
        if r.pk is not None and not fields:
            continue  # unchanged, or only the e-mail (audited by the service)
        action = "create" if r.pk is None else "update"
        summary = (
            f"impor: pegawai {r.name}"
            if r.pk is None
            else "impor: " + ", ".join(str(FIELD_LABELS[k]) for k in fields) + " diubah"
        )
        rows.append(
            AccessLog(
                user=user,
                employee_id=ids[r.nip],
                action=action,
                detail=summary[:300],
                object_type="kompetensi.employee",
                object_id=str(ids[r.nip]),
                ip_hash=ip_hash,
            )
        )
    AccessLog.objects.bulk_create(rows, batch_size=1000)
    audit_log.info(
        "import actor=%s created=%s updated=%s",
        getattr(actor, "username", "-"),
        plan.new,
        plan.updated,
    )


# ---------------------------------------------------------------------------------------------
# SKP results (from an e-Kinerja export)
# ---------------------------------------------------------------------------------------------

SKP_COLUMNS = {
    "nip": "nip",
    "periode": "period",
    "hasil kerja": "hasil_kerja",
    "perilaku kerja": "perilaku_kerja",
}
SKP_TEMPLATE_HEADERS = ("NIP", "periode", "hasil kerja", "perilaku kerja")
_SKP_FIELDS = {
    "nip": "nip",
    "period": "period_code",
    "hasil_kerja": "hasil_kerja",
    "perilaku_kerja": "perilaku_kerja",
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


def plan_skp_import(data: bytes, *, actor) -> ImportPlan:
    """Check an SKP file for ``actor``: columns NIP, periode (period code), hasil kerja,
    perilaku kerja (``di atas`` / ``sesuai`` / ``di bawah``, with or without "ekspektasi").
    Only employees ``actor`` manages are found (``permissions.employees_managed_by``)."""
    from .models import EvaluationPeriod
    from .permissions import employees_managed_by

    table = [row for row in read_table(data) if any(row)]
    if len(table) < 2:
        raise ImportFileError(_("berkas tidak berisi baris data di bawah baris judul"))
    columns: dict[str, int] = {}
    for index, name in enumerate(table[0]):
        key = " ".join(name.lower().replace("_", " ").split())
        if key in SKP_COLUMNS:
            columns.setdefault(SKP_COLUMNS[key], index)
    missing = [label for label, key in SKP_COLUMNS.items() if key not in columns]
    if missing:
        raise ImportFileError(
            _(
                "kolom wajib tidak ada: %(missing)s (kolom: NIP, periode, hasil kerja, perilaku kerja)"
            )
            % {"missing": ", ".join(missing)}
        )
    employees = dict(employees_managed_by(actor).values_list("nip", "pk"))
    periods = dict(EvaluationPeriod.objects.values_list("code", "pk"))
    plan = ImportPlan(columns=frozenset(_SKP_FIELDS[k] for k in columns))
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(table[1:], start=2):
        raw = {k: (row[i] if i < len(row) else "") for k, i in columns.items()}
        problems: list[tuple[str, str]] = []
        nip = rules.normalise_nip(raw["nip"])
        emp_id = employees.get(nip)
        if emp_id is None:
            problems.append(
                (
                    "nip",
                    _("pegawai dengan NIP %(nip)s tidak ditemukan") % {"nip": nip or "(kosong)"},
                )
            )
        period_id = periods.get(raw["period"])
        if period_id is None:
            problems.append(
                ("period_code", _("periode “%(v)s” tidak ditemukan") % {"v": raw["period"]})
            )
        ratings = {}
        for key, label in (
            ("hasil_kerja", _("hasil kerja")),
            ("perilaku_kerja", _("perilaku kerja")),
        ):
            value = _RATING_WORDS.get(" ".join(raw[key].lower().split()))
            if value is None:
                problems.append(
                    (
                        key,
                        _("%(label)s “%(v)s” harus di atas, sesuai, atau di bawah")
                        % {"label": label, "v": raw[key]},
                    )
                )
            ratings[key] = value
        if (nip, raw["period"]) in seen:
            problems.append(
                (
                    "nip",
                    _("NIP dan periode ganda: sudah ada di baris %(line)s")
                    % {"line": seen[(nip, raw["period"])]},
                )
            )
        seen.setdefault((nip, raw["period"]), line)
        if problems:
            plan.errors.append(RowError(line=line, nip=raw["nip"], problems=problems))
            continue
        plan.rows.append({"line": line, "employee_id": emp_id, "period_id": period_id, **ratings})
    plan.new = len(plan.rows)
    return plan


def import_skp(data: bytes, *, actor, dry_run: bool = True) -> ImportPlan:
    """Check an SKP file for ``actor`` and, unless ``dry_run``, write it (all or nothing, in
    one transaction with the check)."""
    from .permissions import has_hr_authority

    require(
        has_hr_authority(actor),
        _("impor hasil SKP khusus BKPSDM yang memiliki cakupan unit kerja"),
    )
    if dry_run:
        return plan_skp_import(data, actor=actor)
    with transaction.atomic():
        plan = plan_skp_import(data, actor=actor)
        if plan.errors or not plan.rows:
            return plan
        plan.result = _write_skp(plan, actor=actor)
        plan.committed = True
    return plan


def _write_skp(plan: ImportPlan, *, actor) -> dict:
    """Upsert the SKP results (a period posted again replaces it) and refresh the
    development-review flags of the employees touched from their newest period."""
    from .models import SkpResult

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
    from .services import people_changed

    people_changed(sorted(ids))  # cache versions (core/dataversion.py)
    return {"created": len(rows), "updated": 0, "flagged": len(weak)}
