"""A small, hand-built dataset for the HR dashboard tests (no tests in this module).

Expected numbers are worked out by hand in the tests next to the assertions; the layout:

units:  DINKES (root) ─ DINKES-P (child);  DISDUK (root)
competencies: M.1 (manajerial), T.1 (teknis), SK.1 (sosial kultural)
periods: P{Y-1} (closed), P{Y} (current; Y = this year in Asia/Jakarta)

e1  DINKES    M.1 req 3 / ass 2 (gap 1), T.1 req 2 / ass 2 (gap 0); JP Y: 12 + 8 = 20
e2  DINKES-P  M.1 req 3 / ass 1 (gap 2), T.1 req 2 / not assessed;  JP Y: 10 (30 in Y-1);
              weak SKP (Butuh Perbaikan) in P{Y}
e3  DINKES-P  M.1 req 3 / not assessed;                            JP Y: 0; review flag;
              name starts with "=" (formula injection)
e4  DISDUK    M.1 req 2 / ass 1 (gap 1);                            JP Y: 25
e5  DINKES    inactive (gap 3): never counted
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from kompetensi import rules
from kompetensi.models import (
    Competency,
    CompetencyScore,
    Employee,
    EmployeeCompetency,
    Evaluation,
    EvaluationPeriod,
    OrganizationUnit,
    Position,
    SkpResult,
)
from portal.models import ModuleCompetency, TrainingModulePage
from skm import rules as skm_rules
from skm.models import ServiceFeedback, ServicePoint
from workflow.models import Assignment, Certificate, TrainingNeed

NIPS = {
    "e1": "198503152010012003",
    "e2": "199001012015031001",
    "e3": "198811202012122002",
    "e4": "197907072005011004",
    "e5": "196912122000031005",
}


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour), rules.JAKARTA)


@dataclass
class World:
    year: int
    units: dict = field(default_factory=dict)
    comps: dict = field(default_factory=dict)
    periods: dict = field(default_factory=dict)
    emps: dict = field(default_factory=dict)
    modules: dict = field(default_factory=dict)
    assignments: dict = field(default_factory=dict)


def make_module(title: str, slug: str, jp: int, competencies) -> TrainingModulePage:
    from wagtail.models import Page

    root = Page.get_first_root_node()
    module = root.add_child(
        instance=TrainingModulePage(title=title, slug=slug, summary="Ringkasan", jp=jp)
    )
    for order, (comp, target) in enumerate(competencies):
        ModuleCompetency.objects.create(
            page=module, competency=comp, target_level=target, sort_order=order
        )
    return module


def build_world() -> World:
    y = rules.jakarta_today().year
    w = World(year=y)
    a = OrganizationUnit.objects.create(
        code="DINKES", name="Dinas Kesehatan", kind="perangkat_daerah"
    )
    a1 = OrganizationUnit.objects.create(code="DINKES-P", name="Bidang Pelayanan", parent=a)
    b = OrganizationUnit.objects.create(
        code="DISDUK", name="Dinas Kependudukan", kind="perangkat_daerah"
    )
    w.units = {"A": a, "A1": a1, "B": b}
    m1 = Competency.objects.create(code="M.1", name="Integritas", kind="manajerial")
    t1 = Competency.objects.create(code="T.1", name="Pengelolaan Data", kind="teknis")
    sk1 = Competency.objects.create(code="SK.1", name="Perekat Bangsa", kind="sosial_kultural")
    w.comps = {"M1": m1, "T1": t1, "SK1": sk1}
    prev = EvaluationPeriod.objects.create(
        code=str(y - 1), name=f"Penilaian {y - 1}", start=date(y - 1, 1, 1),
        end=date(y - 1, 12, 31), is_open=False,
    )  # fmt: skip
    cur = EvaluationPeriod.objects.create(
        code=str(y), name=f"Penilaian {y}", start=date(y, 1, 1), end=date(y, 12, 31)
    )
    w.periods = {"prev": prev, "cur": cur}
    pos = Position.objects.create(code="PEL", name="Pelaksana", kind="pelaksana")

    def emp(key, unit, name, **extra):
        e = Employee.objects.create(nip=NIPS[key], name=name, unit=unit, position=pos, **extra)
        w.emps[key] = e
        return e

    e1 = emp("e1", a, "Siti Aminah")
    e2 = emp("e2", a1, "Budi Santoso")
    e3 = emp("e3", a1, "=CMD|' /C calc'!A0", development_review=True)
    e4 = emp("e4", b, "Dewi Lestari")
    e5 = emp("e5", a, "Pensiunan", is_active=False)

    def prof(e, comp, req, ass):
        gap = rules.gap(req, ass) if req else None
        EmployeeCompetency.objects.create(
            employee=e, competency=comp, required_level=req, assessed_level=ass, gap=gap
        )

    prof(e1, m1, 3, 2)
    prof(e1, t1, 2, 2)
    prof(e2, m1, 3, 1)
    prof(e2, t1, 2, None)
    prof(e3, m1, 3, None)
    prof(e4, m1, 2, 1)
    prof(e5, m1, 4, 1)

    mx = make_module("Integritas dalam Pelayanan", "integritas", 12, [(m1, 3)])
    my = make_module("Pengelolaan Data Dasar", "data-dasar", 8, [(t1, 2), (m1, 2)])
    mz = make_module("Perekat Bangsa", "perekat", 10, [(sk1, 2)])
    w.modules = {"X": mx, "Y": my, "Z": mz}
    today = rules.jakarta_today()

    def asg(key, e, module, status, *, jp=0, year=None, completed=None, started=None, due=None):
        row = Assignment.objects.create(
            employee=e, module=module, status=status, jp=jp, completion_year=year,
            completed_at=completed, started_at=started, due_date=due,
        )  # fmt: skip
        w.assignments[key] = row
        return row

    a1_ = asg("a1", e1, mx, "certified", jp=12, year=y, completed=at(y, 3, 15), started=at(y, 3, 1))
    asg("a2", e1, my, "completed", jp=8, year=y, completed=at(y, 4, 2))
    asg("a3", e2, mx, "completed", jp=10, year=y, completed=at(y, 5, 5))
    a4 = asg("a4", e2, my, "certified", jp=30, year=y - 1, completed=at(y - 1, 9, 9))
    asg("a5", e2, mz, "assigned", due=today - timedelta(days=1))
    asg("a6", e3, mz, "in_progress", due=today + timedelta(days=1))
    asg("a7", e3, mx, "cancelled")
    a8 = asg("a8", e4, mx, "certified", jp=25, year=y, completed=at(y, 6, 20), started=at(y, 6, 1))
    asg("a9", e5, mx, "certified", jp=40, year=y, completed=at(y, 2, 2))

    for seq, (row, year) in enumerate([(a1_, y), (a4, y - 1), (a8, y)], start=1):
        Certificate.objects.create(
            assignment=row, employee=row.employee, module=row.module,
            number=f"{seq:05d}/SIKAP/{year}", year=year, sequence=seq,
            verification_code=f"CODE{seq:022d}", jp=row.jp, holder_name=row.employee.name,
            module_title=row.module.title, issued_at=row.completed_at,
            completed_at=row.completed_at,
        )  # fmt: skip

    def need(e, comp, period, status, assignment=None):
        n = TrainingNeed.objects.create(
            employee=e, competency=comp, period=period, required_level=3, assessed_level=1,
            gap=2, status=status,
        )  # fmt: skip
        if assignment is not None:
            Assignment.objects.filter(pk=assignment.pk).update(need=n)
        return n

    need(e1, m1, prev, "closed", w.assignments["a1"])
    need(e2, m1, prev, "addressed", w.assignments["a3"])
    need(e4, m1, prev, "closed", w.assignments["a8"])
    need(e2, t1, prev, "closed", w.assignments["a4"])
    need(e3, m1, cur, "open", w.assignments["a6"])

    sp_a = ServicePoint.objects.create(code="dinkes-loket", unit=a1, service="Loket")
    sp_b = ServicePoint.objects.create(code="disduk-ktp", unit=b, service="KTP-el")

    def fb(sp, score, *, employee=None, period=cur, n=1):
        for _i in range(n):
            ServiceFeedback.objects.create(
                service_point=sp, unit=sp.unit, employee=employee, period=period,
                **dict.fromkeys(skm_rules.SKM_CODES, score),
            )  # fmt: skip

    fb(sp_a, 4)
    fb(sp_a, 3)
    fb(sp_b, 2)
    fb(sp_a, 4, employee=e1, period=prev, n=5)
    fb(sp_a, 3, employee=e2, period=prev, n=4)

    SkpResult.objects.create(
        employee=e2, period=cur, hasil_kerja="di_bawah", perilaku_kerja="sesuai",
        predicate=rules.PREDICATE_BUTUH_PERBAIKAN,
    )  # fmt: skip
    SkpResult.objects.create(
        employee=e1, period=cur, hasil_kerja="sesuai", perilaku_kerja="sesuai",
        predicate=rules.PREDICATE_BAIK,
    )  # fmt: skip

    def evaluation(e, period, source, levels, status="final", evaluator=None, minute=0):
        ev = Evaluation.objects.create(
            employee=e, period=period, source=source, status=status, evaluator=evaluator,
            finalized_at=at(period.start.year, 6, 1, 8) + timedelta(minutes=minute),
        )  # fmt: skip
        for comp, level in levels:
            CompetencyScore.objects.create(evaluation=ev, competency=comp, level=level)

    evaluation(e1, prev, "supervisor", [(m1, 1)])
    evaluation(e1, prev, "self", [(m1, 3)])
    evaluation(e1, cur, "assessment", [(m1, 2)])
    evaluation(e1, cur, "supervisor", [(m1, 3)])
    _peer_users(e1, cur, t1, evaluation)
    evaluation(e1, cur, "self", [(t1, 5)], status="draft")
    return w


def _peer_users(e, period, comp, evaluation) -> None:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    for i, level in enumerate((2, 3)):
        u = user_model.objects.create_user(username=f"peer{i}", password="x-rahasia-123")
        evaluation(e, period, "peer", [(comp, level)], evaluator=u, minute=i)


def grow(world: World, n: int) -> None:
    """Add ``n`` more employees (with profile rows, assignments, feedback, needs, SKP and
    certificates) spread over the units, in bulk, for the query-count tests."""
    y = world.year
    units = [world.units["A"], world.units["A1"], world.units["B"]]
    m1, t1 = world.comps["M1"], world.comps["T1"]
    cur = world.periods["cur"]
    emps = Employee.objects.bulk_create(
        [
            Employee(nip=f"2000{i:014d}", name=f"Pegawai {i}", unit=units[i % 3],
                     development_review=i % 7 == 0)
            for i in range(n)
        ]
    )  # fmt: skip
    EmployeeCompetency.objects.bulk_create(
        [
            EmployeeCompetency(
                employee=e, competency=c, required_level=3, assessed_level=(i % 3) + 1,
                gap=max(3 - ((i % 3) + 1), 0),
            )
            for i, e in enumerate(emps)
            for c in (m1, t1)
        ]
    )  # fmt: skip
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                employee=e, module=world.modules["X"],
                status="certified" if i % 2 else "assigned", jp=12 + i % 10,
                completion_year=y if i % 2 else None,
                completed_at=at(y, 2, 1) if i % 2 else None,
                due_date=date(y, 1, 1),
            )
            for i, e in enumerate(emps)
        ]
    )  # fmt: skip
    needs = TrainingNeed.objects.bulk_create(
        [
            TrainingNeed(employee=e, competency=m1, period=cur, required_level=3,
                         assessed_level=1, gap=2, status="closed" if i % 3 else "addressed")
            for i, e in enumerate(emps)
        ]
    )  # fmt: skip
    for a, nd in zip(assignments, needs, strict=True):
        a.need = nd
    Assignment.objects.bulk_update(assignments, ["need"])
    Certificate.objects.bulk_create(
        [
            Certificate(
                assignment=a, employee=a.employee, module=a.module,
                number=f"G{i:05d}/SIKAP/{y}", year=y, sequence=1000 + i,
                verification_code=f"G{i:025d}", jp=a.jp, holder_name=a.employee.name,
                module_title=a.module.title, issued_at=a.completed_at,
                completed_at=a.completed_at,
            )
            for i, a in enumerate(assignments)
            if a.status == "certified"
        ]
    )  # fmt: skip
    sp = ServicePoint.objects.get(code="disduk-ktp")
    ServiceFeedback.objects.bulk_create(
        [
            ServiceFeedback(service_point=sp, unit=sp.unit, employee=e, period=cur,
                            **dict.fromkeys(skm_rules.SKM_CODES, 1 + i % 4))
            for i, e in enumerate(emps)
        ]
    )  # fmt: skip
    SkpResult.objects.bulk_create(
        [
            SkpResult(employee=e, period=cur, hasil_kerja="di_bawah", perilaku_kerja="di_bawah",
                      predicate=rules.PREDICATE_SANGAT_KURANG)
            for i, e in enumerate(emps)
            if i % 5 == 0
        ]
    )  # fmt: skip
