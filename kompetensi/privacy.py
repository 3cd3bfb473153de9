"""The kompetensi part of one employee's personal data export (right of access, UU 27/2022):
profile, evaluations, competency profile, SKP and citizen feedback (aggregate only).

For the employee themself peer (360) ratings appear only aggregated (mean per competency,
from 3 raters on) so no colleague can be identified; HR (in scope) gets the individual peer
scores, without the raters' identity (peer evaluations are stored without an evaluator).
The full export (with training, certificates, forum) is assembled in ``workflow/privacy.py``."""

from __future__ import annotations

from django.db.models import Avg, Count

from . import selectors
from .models import (
    CompetencyScore,
    Employee,
    EmployeeCompetency,
    Evaluation,
    ServiceFeedback,
    SkpResult,
)

MIN_FEEDBACK = 5  # below this, only the number of citizen responses is given


def _dt(value):
    return value.isoformat() if value else None


def profile(employee: Employee) -> dict:
    return {
        "nip": employee.nip,
        "nama": employee.name,
        "email": employee.email,
        "jenis_pegawai": employee.employee_type,
        "pangkat_golongan": employee.rank,
        "jabatan": employee.position.name if employee.position_id else None,
        "unit": employee.unit.name if employee.unit_id else None,
        "atasan": employee.supervisor.name if employee.supervisor_id else None,
        "aktif": employee.is_active,
    }


def evaluations(employee: Employee, *, individual_peer: bool) -> dict:
    rows = (
        CompetencyScore.objects.filter(evaluation__employee=employee)
        .select_related("evaluation__period", "evaluation__evaluator", "competency")
        .order_by("evaluation__period__start", "evaluation_id", "competency__code")
    )
    if not individual_peer:
        rows = rows.exclude(evaluation__source=Evaluation.Source.PEER)
    grouped: dict[int, dict] = {}
    for s in rows:
        ev = s.evaluation
        item = grouped.setdefault(
            ev.pk,
            {
                "periode": ev.period.code,
                "sumber": ev.source,
                "status": ev.status,
                "penilai": ev.evaluator.get_full_name() or ev.evaluator.get_username()
                if ev.evaluator_id and ev.source != Evaluation.Source.PEER
                else None,
                "difinalkan": _dt(ev.finalized_at),
                "nilai": [],
            },
        )
        item["nilai"].append({"kompetensi": s.competency.code, "level": s.level, "catatan": s.note})
    result = {"penilaian": list(grouped.values())}
    if not individual_peer:
        agg = selectors.peer_aggregate(employee)
        result["penilaian_rekan_agregat"] = {
            "periode": agg.period.code if agg.period else None,
            "jumlah_penilai": agg.raters,
            "ditampilkan": agg.shown,
            "rata_rata": [
                {"kompetensi": code, "nama": name, "rata_rata": mean}
                for code, name, mean in agg.per_competency
            ],
        }
    return result


def competency_profile(employee: Employee) -> list[dict]:
    return [
        {
            "kompetensi": ec.competency.code,
            "nama": ec.competency.name,
            "level_dibutuhkan": ec.required_level,
            "level_terkini": ec.assessed_level,
            "gap": ec.gap,
        }
        for ec in EmployeeCompetency.objects.filter(employee=employee)
        .select_related("competency")
        .order_by("competency__code")
    ]


def skp(employee: Employee) -> list[dict]:
    return [
        {
            "periode": r.period.code,
            "hasil_kerja": r.hasil_kerja,
            "perilaku_kerja": r.perilaku_kerja,
            "predikat": r.predicate,
        }
        for r in SkpResult.objects.filter(employee=employee)
        .select_related("period")
        .order_by("period__start")
    ]


def feedback_aggregate(employee: Employee) -> dict:
    n = ServiceFeedback.objects.filter(employee=employee).aggregate(n=Count("pk"))["n"]
    result: dict = {"jumlah_tanggapan": n}
    if n >= MIN_FEEDBACK:
        fields = [
            f.name
            for f in ServiceFeedback._meta.get_fields()
            if f.name.startswith("u") and f.name[1:].isdigit()
        ]
        if fields:
            avgs = ServiceFeedback.objects.filter(employee=employee).aggregate(
                **{f: Avg(f) for f in fields}
            )
            result["rata_rata_unsur"] = {k: round(v, 2) for k, v in avgs.items() if v is not None}
    return result


def kompetensi_data(employee: Employee, *, for_hr: bool) -> dict:
    return {
        "profil": profile(employee),
        **evaluations(employee, individual_peer=for_hr),
        "profil_kompetensi": competency_profile(employee),
        "skp": skp(employee),
        "umpan_balik_masyarakat": feedback_aggregate(employee),
    }
