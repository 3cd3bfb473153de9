"""Demo data of the workflow: recommendations for period 2026, approvals, learning progress,
completions and certificates. Deterministic (choices hash the ids, not a counter) and
idempotent (a second run finds everything done and creates nothing). Bulk at city scale: a
fixed number of set-based queries; PDFs are rendered only for the demo users' certificates.

The demo people go through the services (the same actions the product uses), so their
notifications, completion and certificate are real."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Q
from django.utils import timezone

from kompetensi import rules
from kompetensi.models import Employee, EvaluationPeriod

from . import services
from .models import Assignment, Certificate, CertificateSequence, LessonProgress

S = Assignment.Status
DEMO_PERIOD = "2026"


def _bucket(*parts) -> int:
    """A stable 0–99 bucket for ids (deterministic across runs and machines)."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


def _lessons_by_module() -> dict[int, list[int]]:
    from portal.models import LessonPage, TrainingModulePage

    modules = dict(TrainingModulePage.objects.live().values_list("path", "pk"))
    lessons: dict[int, list[int]] = {pk: [] for pk in modules.values()}
    for pk, path in LessonPage.objects.live().order_by("path").values_list("pk", "path"):
        parent = modules.get(path[:-4])
        if parent is not None:
            lessons[parent].append(pk)
    return lessons


def run(ctx) -> None:
    period = EvaluationPeriod.objects.filter(code=DEMO_PERIOD).first()
    if period is None:
        ctx.log("Workflow: periode 2026 tidak ada, dilewati.")
        return
    result = services.period_recommend(period=period)
    now = timezone.now()
    today = services.jakarta_today()
    demo = ctx.shared.get("demo_employees") or {}
    demo_ids = {e.pk for e in demo.values()}
    admin = None
    if ctx.with_demo_users:
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.filter(username="hr").first()

    # 1. HR approves about 70 % of the recommendations (not the demo people's: see below).
    recommended = list(
        Assignment.objects.filter(status=S.RECOMMENDED, origin=Assignment.Origin.RECOMMENDATION)
        .exclude(employee_id__in=demo_ids)
        .values_list("pk", "employee_id", "module_id")
    )
    approve = [pk for pk, e, m in recommended if _bucket("approve", e, m) < 70]
    for start in range(0, len(approve), 2000):
        chunk = approve[start : start + 2000]
        due = today + dt.timedelta(days=30 + _bucket("due", chunk[0]) % 60)
        Assignment.objects.filter(pk__in=chunk).update(
            status=S.ASSIGNED, approved_at=now, approved_by=admin, due_date=due
        )

    # 2. Progress and completions of the approved ones (bulk, no PDF).
    lessons = _lessons_by_module()
    rows = list(
        Assignment.objects.filter(status=S.ASSIGNED)
        .exclude(employee_id__in=demo_ids)
        .values_list("pk", "employee_id", "module_id", "employee__user_id")
    )
    progress = []
    started, completed = [], []
    for pk, employee_id, module_id, user_id in rows:
        bucket = _bucket("progress", employee_id, module_id)
        module_lessons = lessons.get(module_id) or []
        if bucket < 35 or not module_lessons:
            continue
        done = len(module_lessons) if bucket >= 75 else max(1, len(module_lessons) // 2)
        # Employees without an account completed classroom sessions: no lesson progress.
        for lesson_id in module_lessons[:done] if user_id else ():
            progress.append(
                LessonProgress(
                    user_id=user_id,
                    lesson_id=lesson_id,
                    module_id=module_id,
                    completed_at=now,
                    best_score=90,
                    passed=True,
                    attempts=1,
                )
            )
        (completed if done == len(module_lessons) else started).append(pk)
    LessonProgress.objects.bulk_create(progress, batch_size=5000, ignore_conflicts=True)
    Assignment.objects.filter(pk__in=started, status=S.ASSIGNED).update(
        status=S.IN_PROGRESS, started_at=now
    )
    year = rules.jp_year(now)
    Assignment.objects.filter(pk__in=completed, status=S.ASSIGNED).update(
        status=S.COMPLETED, started_at=now, completed_at=now, completion_year=year
    )
    _bulk_certificates(completed, now=now, year=year)

    # 3. The demo people, through the services.
    if ctx.with_demo_users and "asn" in demo:
        _demo_learner(demo["asn"], admin)
    ctx.log(
        f"Workflow: {result.needs} kebutuhan, {result.recommended} rekomendasi, "
        f"{len(approve)} disetujui, {len(completed)} selesai, "
        f"{Certificate.objects.count()} sertifikat, {len(progress)} kemajuan pelajaran."
    )


def _bulk_certificates(assignment_ids: list[int], *, now, year: int) -> None:
    """Certificates for completed assignments in bulk: numbers drawn from the locked sequence
    row in one step, rows created with bulk_create; PDFs are rendered on first download."""
    rows = list(
        Assignment.objects.filter(
            pk__in=assignment_ids, status=S.COMPLETED, certificate__isnull=True
        )
        .select_related("employee", "module")
        .order_by("pk")
    )
    if not rows:
        return
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(year=year, last_value=0)], ignore_conflicts=True
    )
    seq = CertificateSequence.objects.select_for_update(of=("self",)).get(year=year)
    first = seq.last_value + 1
    seq.last_value += len(rows)
    seq.save(update_fields=["last_value"])
    certificates = []
    for offset, a in enumerate(rows):
        number = first + offset
        certificates.append(
            Certificate(
                assignment=a,
                employee=a.employee,
                module=a.module,
                number=rules.format_certificate_number(number, year),
                year=year,
                sequence=number,
                verification_code=rules.new_verification_code(),
                jp=a.jp or a.module.jp,
                holder_name=a.employee.name,
                module_title=a.module.title,
                issued_at=now,
                completed_at=a.completed_at or now,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    Assignment.objects.filter(pk__in=[a.pk for a in rows]).update(status=S.CERTIFIED)


def _demo_learner(employee: Employee, hr_user) -> None:
    """asn: one module finished with a real certificate (PDF), one in progress, the rest
    waiting for HR's approval (for the demo of the HR screen)."""
    from portal.models import LessonPage, TrainingModulePage

    mine = list(
        Assignment.objects.filter(employee=employee)
        .exclude(status=S.CANCELLED)
        .select_related("module", "employee")
        .order_by("module__title")
    )
    if any(a.status in (S.COMPLETED, S.CERTIFIED) for a in mine):
        return  # already seeded
    open_ones = [a for a in mine if a.status == S.RECOMMENDED]
    if not open_ones:
        module = (
            TrainingModulePage.objects.live()
            .filter(~Q(assignments__employee=employee))
            .order_by("title")
            .first()
        )
        if module is None:
            return
        open_ones = [services.module_enrol(user=employee.user, module=module)]
    first = open_ones[0]
    if first.status == S.RECOMMENDED:
        first = services.assignment_approve(
            assignment=first,
            actor=hr_user,
            due_date=services.jakarta_today() + dt.timedelta(days=21),
        )
    for lesson in LessonPage.objects.child_of(first.module).live().order_by("path"):
        services.lesson_complete(user=employee.user, lesson=lesson)
        if any(block.block_type == "quiz" for block in lesson.body):
            _pass_quiz(employee.user, lesson)
    second = None
    if len(open_ones) > 1:
        second = services.assignment_approve(
            assignment=open_ones[1],
            actor=hr_user,
            due_date=services.jakarta_today() + dt.timedelta(days=5),
        )
    else:
        module = (
            TrainingModulePage.objects.live()
            .exclude(assignments__employee=employee)
            .order_by("title")
            .first()
        )
        if module is not None:
            second = services.assignment_create(
                employee=employee,
                module=module,
                due_date=services.jakarta_today() + dt.timedelta(days=5),
                actor=hr_user,
            )
    if second is not None:
        lesson = LessonPage.objects.child_of(second.module).live().order_by("path").first()
        if lesson is not None:
            services.lesson_complete(user=employee.user, lesson=lesson)


def _pass_quiz(user, lesson) -> None:
    """Answer every question with its right choices (read from the stored block)."""
    answers: dict[str, list[str]] = {}
    for block in lesson.body:
        if block.block_type != "quiz":
            continue
        for question in block.value["questions"].bound_blocks:
            answers[str(question.id)] = [
                str(choice.id)
                for choice in question.value["choices"].bound_blocks
                if choice.value.get("correct")
            ]
    services.quiz_submit(user=user, lesson=lesson, answers=answers)
