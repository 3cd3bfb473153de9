"""Reads of the kompetensi app for pages, the API and reports. Each runs a fixed number of
queries whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core import dataversion, hooks

from . import rules
from .models import (
    Competency,
    CompetencyLevel,
    CompetencyScore,
    Employee,
    EmployeeCompetency,
    Evaluation,
    EvaluationPeriod,
    SkpResult,
)

#: The order competencies are listed in: manajerial, sosial kultural, then teknis.
KIND_ORDER = {"manajerial": 0, "sosial_kultural": 1, "teknis": 2}

SOURCE_LABELS = {
    "assessment": _("Uji kompetensi"),
    "supervisor": _("Atasan langsung"),
    "peer": _("Rekan kerja (median)"),
    "self": _("Penilaian diri"),
}
PEER_MINIMUM = 3


@dataclass
class ProfileRow:
    competency_id: int
    code: str
    name: str
    kind: str
    required_level: int | None
    assessed_level: int | None
    gap: int | None
    source: str
    self_level: int | None
    as_of: date | None

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source, ""))

    @property
    def signed_gap(self) -> int | None:
        if self.required_level is None:
            return None
        return rules.signed_gap(self.required_level, self.assessed_level)


def employee_profile(employee: Employee) -> list[ProfileRow]:
    """The materialised profile, required competencies first, by kind and code. One query."""
    rows = (
        EmployeeCompetency.objects.filter(employee=employee)
        .select_related("competency")
        .order_by("competency__kind", "competency__code")
    )
    result = [
        ProfileRow(
            competency_id=r.competency_id,
            code=r.competency.code,
            name=r.competency.name,
            kind=r.competency.kind,
            required_level=r.required_level,
            assessed_level=r.assessed_level,
            gap=r.gap,
            source=r.source,
            self_level=r.self_level,
            as_of=r.as_of,
        )
        for r in rows
    ]
    result.sort(key=lambda r: (r.required_level is None, KIND_ORDER.get(r.kind, 9), r.code))
    return result


def jpm_of(profile) -> Decimal | None:
    """The JPM of a competency profile (:class:`ProfileRow` or ``EmployeeCompetency`` rows:
    anything with ``required_level`` and ``assessed_level``) over its required competencies;
    ``None`` while incomplete (``rules.jpm``)."""
    pairs = [(r.required_level, r.assessed_level) for r in profile if r.required_level]
    return rules.jpm(pairs)


def jpm_figures(profile) -> dict:
    """``jpm``, ``ikk`` and ``jpm_category`` of a profile (:func:`jpm_of`), each ``None`` while
    the JPM is incomplete: what the summary API, Kinerja Saya and HR's employee page show."""
    value = jpm_of(profile)
    return {"jpm": value, "ikk": rules.ikk(value), "jpm_category": rules.jpm_category(value)}


# ---------------------------------------------------------------------------------------------
# SKP: the weak predicate that flags an employee for development review
# ---------------------------------------------------------------------------------------------


def weak_skp_exists(period: EvaluationPeriod | None, ref: str = "pk") -> Exists:
    """Correlated ``EXISTS``: the employee ``OuterRef(ref)`` has a weak SKP predicate
    (``rules.WEAK_PREDICATES``) in ``period`` (never without a period). The same rule as
    :func:`has_weak_skp` on rows already loaded."""
    qs = SkpResult.objects.filter(
        employee=OuterRef(ref), predicate__in=sorted(rules.WEAK_PREDICATES)
    )
    return Exists(qs.filter(period=period) if period is not None else qs.none())


def has_weak_skp(results, period: EvaluationPeriod | None) -> bool:
    """Whether one of an employee's SKP ``results`` (loaded rows) in ``period`` has a weak
    predicate: :func:`weak_skp_exists` for a list in hand."""
    return period is not None and any(
        s.period_id == period.pk and rules.is_weak_predicate(s.predicate) for s in results
    )


def latest_skp(employee: Employee) -> SkpResult | None:
    return (
        SkpResult.objects.filter(employee=employee)
        .select_related("period")
        .order_by("-period__start")
        .first()
    )


def employee_summary(employee: Employee, *, profile: list[ProfileRow] | None = None) -> dict:
    """JPM, IKK and category, JP this year (from the providers), open needs and the newest
    SKP result."""
    if profile is None:
        profile = employee_profile(employee)
    jpm = jpm_figures(profile)
    skp = latest_skp(employee)
    summary = {
        "jpm": float(jpm["jpm"]) if jpm["jpm"] is not None else None,
        "ikk": float(jpm["ikk"]) if jpm["ikk"] is not None else None,
        "jpm_category": jpm["jpm_category"],
        "jp_this_year": 0,
        "jp_target": rules.JP_TARGET,
        "open_needs": 0,
        "skp": (
            {
                "period_code": skp.period.code,
                "hasil_kerja": skp.hasil_kerja,
                "perilaku_kerja": skp.perilaku_kerja,
                "predicate": skp.predicate,
            }
            if skp
            else None
        ),
    }
    # JP and open needs are the workflow app's (hooks.EMPLOYEE_SUMMARY).
    for provider in hooks.get_hooks(hooks.EMPLOYEE_SUMMARY):
        extra = provider(employee) or {}
        for key in ("jp_this_year", "open_needs"):
            if key in extra:
                summary[key] = extra[key]
    return summary


@dataclass
class PeerAggregate:
    period: EvaluationPeriod | None
    raters: int
    shown: bool
    per_competency: list[tuple[str, str, float]] = field(default_factory=list)


def peer_aggregate(employee: Employee) -> PeerAggregate:
    """Peer (360) scores of the newest period with final peer ratings, as the employee may see
    them: only the mean per competency and only once ≥ 3 peers rated. Two queries."""
    rows = list(
        CompetencyScore.objects.filter(
            evaluation__employee=employee,
            evaluation__source=Evaluation.Source.PEER,
            evaluation__status=Evaluation.Status.FINAL,
        ).values_list(
            "evaluation__period_id",
            "evaluation__period__start",
            "evaluation_id",
            "competency__code",
            "competency__name",
            "level",
        )
    )
    if not rows:
        return PeerAggregate(period=None, raters=0, shown=False)
    newest = max(rows, key=lambda r: r[1])[0]
    used = [r for r in rows if r[0] == newest]
    raters = len({r[2] for r in used})
    period = EvaluationPeriod.objects.get(pk=newest)
    if raters < PEER_MINIMUM:
        return PeerAggregate(period=period, raters=raters, shown=False)
    levels: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in used:
        levels[(r[3], r[4])].append(r[5])
    per = [(code, name, round(sum(v) / len(v), 1)) for (code, name), v in sorted(levels.items())]
    return PeerAggregate(period=period, raters=raters, shown=True, per_competency=per)


def peer_ratings_individual(*, actor, employee: Employee) -> list[dict]:
    """Individual peer ratings for HR of the employee's unit
    (``permissions.can_view_peer_ratings``; anyone else: ``errors.NotFound``). The access is
    logged."""
    from core.errors import require

    from .permissions import can_view_peer_ratings
    from .services import access_log_record

    require(can_view_peer_ratings(actor, employee), hide=True)
    access_log_record(user=actor, employee=employee, action="peer_ratings_view")
    rows = CompetencyScore.objects.filter(
        evaluation__employee=employee, evaluation__source=Evaluation.Source.PEER
    ).values(
        "evaluation_id",
        "evaluation__period__code",
        "evaluation__status",
        "competency__code",
        "level",
    )
    return list(rows.order_by("evaluation__period__code", "evaluation_id", "competency__code"))


def evaluations_of(employee: Employee, *, include_peer: bool = False) -> QuerySet[Evaluation]:
    """The employee's evaluations with their score counts (peer ratings left out for the
    employee: they see them only aggregated)."""
    qs = Evaluation.objects.filter(employee=employee)
    if not include_peer:
        qs = qs.exclude(source=Evaluation.Source.PEER)
    return (
        qs.select_related("period")
        .annotate(score_count=Count("scores"))
        .order_by("-period__start", "source")
    )


def evaluations_visible(
    actor, *, employee_nip: str = "", period_code: str = "", source: str = ""
) -> QuerySet[Evaluation]:
    """The evaluations ``actor`` may read (``permissions.evaluations_visible_q``), filtered,
    newest period first, each with its employee, period and scores (competency codes) in a
    fixed number of queries."""
    from .permissions import evaluations_visible_q

    qs = Evaluation.objects.filter(evaluations_visible_q(actor))
    if employee_nip:
        qs = qs.filter(employee__nip=rules.normalise_nip(employee_nip))
    if period_code:
        qs = qs.filter(period__code=period_code)
    if source:
        qs = qs.filter(source=source)
    scores = CompetencyScore.objects.select_related("competency").order_by("competency__code")
    return (
        qs.select_related("employee", "period")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("-period__start", "employee__nip", "source", "pk")
    )


def open_periods() -> QuerySet[EvaluationPeriod]:
    return EvaluationPeriod.objects.filter(is_open=True).order_by("-start")


def final_evaluations(source: str) -> QuerySet[Evaluation]:
    """The rule "done" for a call to action: an evaluation of ``source`` that is final (a draft
    still asks to be finished). Pages ask the helpers below, which all filter this."""
    return Evaluation.objects.filter(source=source, status=Evaluation.Status.FINAL)


def is_final(evaluation: Evaluation, source: str) -> bool:
    """:func:`final_evaluations` for one evaluation already loaded."""
    return evaluation.source == source and evaluation.status == Evaluation.Status.FINAL


def self_evaluation_due(
    employee_id: int | None, *, periods=None, evaluations=None
) -> list[EvaluationPeriod]:
    """The open periods in which the employee has not finalised a self-evaluation ("Isi
    penilaian diri" on Kinerja Saya and the home page). One query; none when the page has
    loaded the open ``periods`` and the employee's ``evaluations`` already."""
    if employee_id is None:
        return []
    if periods is not None and evaluations is not None:
        done = {e.period_id for e in evaluations if is_final(e, Evaluation.Source.SELF)}
        return [p for p in periods if p.is_open and p.pk not in done]
    finals = final_evaluations(Evaluation.Source.SELF).filter(
        employee_id=employee_id, period=OuterRef("pk")
    )
    return list(open_periods().exclude(Exists(finals)))


def supervisor_evaluated_pairs(employee_ids, period_ids) -> set[tuple[int, int]]:
    """``(employee_id, period_id)`` of the given reports and periods with a final supervisor
    evaluation ("Nilai <periode>" disappears on Tim saya). One query."""
    if not employee_ids or not period_ids:
        return set()
    return set(
        final_evaluations(Evaluation.Source.SUPERVISOR)
        .filter(employee_id__in=list(employee_ids), period_id__in=list(period_ids))
        .values_list("employee_id", "period_id")
    )


@dataclass
class TeamTodo:
    period: EvaluationPeriod
    not_evaluated: int
    reports: int


def reports_not_evaluated(user) -> list[TeamTodo]:
    """Per open period, how many of ``user``'s active direct reports have no final supervisor
    evaluation yet ("N bawahan belum dinilai" on the home page); only periods where some are
    missing. Two queries (one for a user without reports)."""
    reports = Employee.objects.filter(supervisor__user=user, is_active=True)
    total = reports.count()
    if not total:
        return []
    done = (
        final_evaluations(Evaluation.Source.SUPERVISOR)
        .filter(period=OuterRef("pk"), employee__in=reports)
        .order_by()
        .values("period")
        .annotate(n=Count("employee", distinct=True))
        .values("n")
    )
    periods = open_periods().annotate(
        done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0))
    )
    return [
        TeamTodo(period=p, not_evaluated=total - p.done, reports=total)
        for p in periods
        if p.done < total
    ]


def period_choices() -> list[EvaluationPeriod]:
    """Every evaluation period, newest first (cached under the "periods" data version)."""
    return dataversion.cached(
        "periods", "choices", lambda: list(EvaluationPeriod.objects.order_by("-start"))
    )


def pick_period(periods: list[EvaluationPeriod], code: str | None) -> EvaluationPeriod | None:
    """The requested period, else the one containing today (Asia/Jakarta), else the newest.
    An unknown code gives ``None`` only when there are no periods at all; callers that must
    reject unknown codes compare ``period.code`` themselves."""
    if code:
        for p in periods:
            if p.code == code:
                return p
    today = rules.jakarta_today()
    for p in periods:
        if p.start <= today <= p.end:
            return p
    return periods[0] if periods else None


def evaluation_form_data(employee: Employee, period: EvaluationPeriod, source: str):
    """The competencies to score (the position's requirements, or all manajerial and sosial
    kultural ones when the employee has no position) with their levels, and the current
    evaluation with its scores. Four queries."""
    required = dict(
        employee.position.requirements.values_list("competency_id", "level")
        if employee.position_id
        else []
    )
    competencies = Competency.objects.prefetch_related(
        Prefetch("levels", queryset=CompetencyLevel.objects.order_by("level"))
    ).order_by("kind", "code")
    if required:
        competencies = competencies.filter(pk__in=required)
    else:
        competencies = competencies.exclude(kind=Competency.Kind.TEKNIS)
    evaluation = (
        Evaluation.objects.filter(employee=employee, period=period, source=source)
        .order_by("-created_at")
        .first()
    )
    current = dict(evaluation.scores.values_list("competency_id", "level")) if evaluation else {}
    items = sorted(competencies, key=lambda c: (KIND_ORDER.get(c.kind, 9), c.code))
    return items, required, evaluation, current


def evaluation_notes(evaluation: Evaluation | None) -> dict[int, str]:
    """The comment per competency of ``evaluation`` (``{competency_id: note}``, non-empty
    notes only). One query, none without an evaluation."""
    if evaluation is None:
        return {}
    return dict(evaluation.scores.exclude(note="").values_list("competency_id", "note").order_by())


@dataclass
class SupervisorContext:
    """What the supervisor sees beside each competency of their form: the subordinate's final
    self-assessment of this period and the newest final level of an earlier period."""

    self_levels: dict[int, int] = field(default_factory=dict)
    previous: dict[int, tuple[int, str]] = field(default_factory=dict)  # level, period name


def supervisor_form_context(
    employee: Employee, period: EvaluationPeriod, competency_ids
) -> SupervisorContext:
    """:class:`SupervisorContext` for ``employee`` in ``period``: the self-assessment only
    once the employee sent it (a draft is theirs), the previous level from the newest final
    supervisor or assessment evaluation of an earlier period. Two queries."""
    ids = list(competency_ids)
    if not ids:
        return SupervisorContext()
    self_levels = dict(
        CompetencyScore.objects.filter(
            evaluation__in=final_evaluations(Evaluation.Source.SELF).filter(
                employee=employee, period=period
            ),
            competency_id__in=ids,
        )
        .order_by("evaluation__created_at")
        .values_list("competency_id", "level")
    )
    previous: dict[int, tuple[int, str]] = {}
    rows = (
        CompetencyScore.objects.filter(
            evaluation__employee=employee,
            evaluation__status=Evaluation.Status.FINAL,
            evaluation__source__in=[Evaluation.Source.SUPERVISOR, Evaluation.Source.ASSESSMENT],
            evaluation__period__start__lt=period.start,
            competency_id__in=ids,
        )
        .order_by("-evaluation__period__start", "-evaluation__finalized_at", "-pk")
        .values_list("competency_id", "level", "evaluation__period__name")
    )
    for competency_id, level, period_name in rows:
        previous.setdefault(competency_id, (level, period_name))
    return SupervisorContext(self_levels=self_levels, previous=previous)


@dataclass
class ReportRow:
    employee: Employee
    gaps: list[tuple[str, str, int, int]]  # code, name, assessed, required
    unassessed: int
    jpm: Decimal | None
    # This year's training (``hooks.TEAM_TRAINING``): jp_this_year, jp_target, active,
    # overdue, done; None when no provider answers for the employee.
    training: dict | None = None


def direct_reports_with_gaps(user) -> list[ReportRow]:
    """The supervisor's direct reports with their gaps and this year's training (JP, active,
    overdue and completed assignments: ``hooks.TEAM_TRAINING``). Three queries with a
    provider (two without), whatever the number of reports."""
    reports = list(
        Employee.objects.filter(supervisor__user=user, is_active=True)
        .select_related("position", "unit")
        .order_by("name")
    )
    rows_by_emp: dict[int, list[EmployeeCompetency]] = defaultdict(list)
    for row in (
        EmployeeCompetency.objects.filter(employee__in=reports, required_level__isnull=False)
        .select_related("competency")
        .order_by("competency__code")
    ):
        rows_by_emp[row.employee_id].append(row)
    training = (
        hooks.first(hooks.TEAM_TRAINING, [emp.pk for emp in reports], default=None) or {}
        if reports
        else {}
    )
    result = []
    for emp in reports:
        rows = rows_by_emp.get(emp.pk, [])
        result.append(
            ReportRow(
                employee=emp,
                gaps=[
                    (r.competency.code, r.competency.name, r.assessed_level, r.required_level)
                    for r in rows
                    if r.gap
                ],
                unassessed=sum(1 for r in rows if r.assessed_level is None),
                jpm=jpm_of(rows),
                training=training.get(emp.pk),
            )
        )
    return result


def employee_search_q(text: str, employee: str = "") -> Q:
    """Employees found by a search box: the name contains ``text`` or the NIP starts with it.
    ``employee`` is the path to the employee (``"employee__"``) on other models."""
    return Q(**{f"{employee}name__icontains": text}) | Q(**{f"{employee}nip__startswith": text})


def employee_list(qs: QuerySet[Employee], *, search: str = "") -> QuerySet[Employee]:
    qs = qs.select_related("unit", "position", "supervisor")
    if search:
        qs = qs.filter(employee_search_q(search))
    return qs.order_by("name", "pk")


# ---------------------------------------------------------------------------------------------
# The person behind an account (pages of one person's data; what core asks through its hooks)
# ---------------------------------------------------------------------------------------------


def employee_id_of_user(user, loaded: dict | None = None) -> int | None:
    """The id of ``user``'s employee record (None without one), cached under the user's
    person version (an Employee save moves the versions of its old and new user). On a miss
    the record itself is read (with unit, position and supervisor) and left in
    ``loaded["employee"]`` for a caller that needs it anyway."""

    def compute():
        employee = (
            Employee.objects.select_related("unit", "position", "supervisor")
            .filter(user=user)
            .first()
        )
        if loaded is not None:
            loaded["employee"] = employee
        return employee.pk if employee else None

    return dataversion.cached_under(
        dataversion.person_version(user_id=user.pk), f"employee-of-user:{user.pk}", compute
    )


def person_page_key(user, *parts) -> str:
    """Cache key for a fragment that shows ``user``'s own data (home, Kinerja Saya): the
    person versions of the user and of their employee record (core/dataversion.py), the
    published content, today's date in Jakarta (deadlines, "this year"), the language and
    ``parts``. Two cache round trips, no query once warm."""
    from django.utils.translation import get_language

    employee_id = employee_id_of_user(user)
    return ":".join(
        str(p)
        for p in (
            dataversion.person_version(employee_id=employee_id, user_id=user.pk, also=("content",)),
            rules.jakarta_today().isoformat(),
            get_language(),
            *parts,
        )
    )


def account_person(user_id) -> Employee | None:
    """``hooks.ACCOUNT_PERSON``: the employee record of an account (its ``email`` is the address
    an e-mail change waits to confirm; the record is the data subject of the audit rows)."""
    if user_id is None:
        return None
    return Employee.objects.filter(user_id=user_id).first()


def login_name_for_nip(nip: str) -> str | None:
    """``hooks.LOGIN_NAME_FOR_NIP``: the username of the account of the employee with ``nip``."""
    return (
        Employee.objects.filter(nip=nip, user__isnull=False)
        .values_list("user__username", flat=True)
        .first()
    )
