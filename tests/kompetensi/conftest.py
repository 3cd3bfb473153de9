"""A small organisation for kompetensi tests: two perangkat daerah with a bidang each, a
position with three requirements, a supervisor and a staff member with accounts, HR for
everything and HR scoped to one unit."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from core.roles import SYSTEM
from kompetensi import services
from kompetensi.models import (
    Competency,
    CompetencyLevel,
    EvaluationPeriod,
    OrganizationUnit,
    Position,
    PositionRequirement,
)

NIP_ATASAN = "197204181998032005"
NIP_STAFF = "199305122019031004"
NIP_OTHER = "198503152010012003"


def _competency(code, name, kind):
    comp = Competency.objects.create(code=code, name=name, kind=kind)
    CompetencyLevel.objects.bulk_create(
        CompetencyLevel(
            competency=comp,
            level=lv,
            description=f"{name} level {lv}",
            indicators=[f"indikator {lv}.1", f"indikator {lv}.2"],
        )
        for lv in range(1, 6)
    )
    return comp


@pytest.fixture
def world(db, make_user):
    duk = OrganizationUnit.objects.create(code="DUK", name="Disdukcapil", kind="perangkat_daerah")
    duk1 = OrganizationUnit.objects.create(code="DUK-01", name="Bidang Pendaftaran", parent=duk)
    kes = OrganizationUnit.objects.create(
        code="KES", name="Dinas Kesehatan", kind="perangkat_daerah"
    )
    comm = _competency("M.3", "Komunikasi", "manajerial")
    serv = _competency("M.5", "Pelayanan Publik", "manajerial")
    tek = _competency("T.DUK.01", "Pelayanan Administrasi Kependudukan", "teknis")
    petugas = Position.objects.create(
        code="DUK.PETUGAS", name="Petugas", kind="pelaksana", unit=duk
    )
    kasi = Position.objects.create(code="DUK.KASI", name="Kepala Seksi", kind="pengawas", unit=duk)
    PositionRequirement.objects.bulk_create(
        [
            PositionRequirement(position=petugas, competency=comm, level=3),
            PositionRequirement(position=petugas, competency=serv, level=2),
            PositionRequirement(position=petugas, competency=tek, level=2),
            PositionRequirement(position=kasi, competency=comm, level=2),
        ]
    )
    period = EvaluationPeriod.objects.create(
        code="2026", name="Periode 2026", start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    old = EvaluationPeriod.objects.create(
        code="2025", name="Periode 2025", start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    atasan = services.employee_create(
        actor=SYSTEM, nip=NIP_ATASAN, name="Euis", unit=duk1, position=kasi, rank="III/d"
    )
    staff = services.employee_create(
        actor=SYSTEM,
        nip=NIP_STAFF,
        name="Rizki",
        unit=duk1,
        position=petugas,
        rank="III/a",
        supervisor=atasan,
    )
    other = services.employee_create(
        actor=SYSTEM, nip=NIP_OTHER, name="Sari", unit=kes, rank="III/b"
    )
    for emp, username in ((atasan, "atasan"), (staff, "asn")):
        user = emp.user
        user.username = username
        user.set_password("rahasia-123")
        user.save()
        user.groups.add(*Group.objects.filter(name="ASN"))
    hr = make_user("hr", "ASN", "BKPSDM")
    hr_kes = make_user("hr_kes", "ASN", "BKPSDM", hr_units=[kes])
    outsider = make_user("luar", "ASN")
    for emp in (atasan, staff, other):
        emp.refresh_from_db()
    return SimpleNamespace(
        duk=duk,
        duk1=duk1,
        kes=kes,
        comm=comm,
        serv=serv,
        tek=tek,
        petugas=petugas,
        kasi=kasi,
        period=period,
        old=old,
        atasan=atasan,
        staff=staff,
        other=other,
        hr=hr,
        hr_kes=hr_kes,
        outsider=outsider,
    )
