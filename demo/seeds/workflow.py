"""Demo data of the workflow: recommendations for period 2026, approvals, learning progress,
completions and certificates. Deterministic (choices hash the ids, not a counter) and
idempotent (a second run finds everything done and creates nothing). Bulk at city scale: a
fixed number of set-based queries; PDFs are rendered only for the demo users' certificates.

The demo people go through the services (the same actions the product uses), so their
notifications, completion and certificate are real."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Count, Q

from core.roles import SYSTEM
from demo.seeds.kompetensi import insert_rows
from kompetensi import rules
from kompetensi.models import Employee, EvaluationPeriod
from portal.models import LessonProgress
from workflow import services
from workflow.models import Assignment, Certificate, CertificateSequence, TrainingNeed

S = Assignment.Status
DEMO_PERIOD = "2026"
PROGRESS_FIELDS = [
    "user",
    "lesson",
    "module",
    "completed_at",
    "best_score",
    "passed",
    "attempts",
    "updated_at",
]
ASSIGNMENT_FIELDS = [
    "employee",
    "module",
    "status",
    "origin",
    "due_date",
    "created_at",
    "approved_at",
    "approved_by",
    "started_at",
    "completed_at",
    "completion_year",
    "jp",
    "cancel_reason",
    "last_reminder_kind",
]
CERTIFICATE_FIELDS = [
    "assignment",
    "employee",
    "module",
    "number",
    "year",
    "sequence",
    "verification_code",
    "jp",
    "holder_name",
    "module_title",
    "issued_at",
    "completed_at",
    "pdf",
    "sha256",
    "signed_by",
    "revoked_reason",
]
HISTORY_YEARS = ((2024, 30), (2025, 35), (2026, 35))  # (year, weight) of past completions


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


def anchor() -> dt.datetime:
    """ "Now" of the seeded data: yesterday 16:00 in Jakarta. Every seeded moment derives from
    it (not from the clock), so two runs on the same day store the same data."""
    yesterday = services.jakarta_today() - dt.timedelta(days=1)
    return dt.datetime.combine(yesterday, dt.time(16, 0)).replace(tzinfo=rules.JAKARTA)


def _quiz_lessons() -> set[int]:
    """Ids of the live lessons with a quiz (a quiz lesson is done when its quiz is passed)."""
    from portal.models import LessonPage
    from portal.quiz import lesson_has_quiz

    return {lesson.pk for lesson in LessonPage.objects.live() if lesson_has_quiz(lesson)}


def run(ctx) -> None:
    period = EvaluationPeriod.objects.filter(code=DEMO_PERIOD).first()
    if period is None:
        ctx.log("Workflow: periode 2026 tidak ada, dilewati.")
        return
    result = services.period_recommend(period=period, actor=SYSTEM)
    now = anchor()
    # The recommendation "ran" two hours before the seeded approvals and progress.
    earlier = now - dt.timedelta(hours=2)
    TrainingNeed.objects.filter(period=period, created_at__gt=now).update(created_at=earlier)
    Assignment.objects.filter(origin=Assignment.Origin.RECOMMENDATION, created_at__gt=now).update(
        created_at=earlier
    )
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
        .order_by("pk")
        .values_list("pk", "employee_id", "module_id")
    )
    approve = [pk for pk, e, m in recommended if _bucket("approve", e, m) < 70]
    for start in range(0, len(approve), 2000):
        chunk = approve[start : start + 2000]
        due = today + dt.timedelta(days=30 + _bucket("due", chunk[0]) % 60)
        Assignment.objects.filter(pk__in=chunk).update(
            status=S.ASSIGNED, approved_at=now, approved_by=admin, due_date=due
        )

    # 2. Progress and completions of the approved ones (bulk, no PDF); planned first so the
    # learning history below can count these rows against each employee's volume.
    lessons = _lessons_by_module()
    quiz_lessons = _quiz_lessons()
    rows = list(
        Assignment.objects.filter(status=S.ASSIGNED)
        .exclude(employee_id__in=demo_ids)
        .order_by("pk")
        .values_list("pk", "employee_id", "module_id", "employee__user_id")
    )
    progress = []
    planned: dict[int, int] = {}
    started, completed = [], []
    for pk, employee_id, module_id, user_id in rows:
        bucket = _bucket("progress", employee_id, module_id)
        module_lessons = lessons.get(module_id) or []
        if bucket < 35 or not module_lessons:
            continue
        done = len(module_lessons) if bucket >= 75 else max(1, len(module_lessons) // 2)
        # Employees without an account completed classroom sessions: no lesson progress.
        for lesson_id in module_lessons[:done] if user_id else ():
            quiz = lesson_id in quiz_lessons
            progress.append(
                (user_id, lesson_id, module_id, now, 90 if quiz else None, quiz, int(quiz), now)
            )
            planned[user_id] = planned.get(user_id, 0) + 1
        (completed if done == len(module_lessons) else started).append(pk)

    # 3. The learning history of every employee with an account (city and province scale):
    # self-enrolled and HR-assigned modules completed in 2024–2026 with their certificates,
    # and a module in progress; about ``progress_per_employee`` lesson rows each.
    per_employee = getattr(ctx, "progress_per_employee", 0) or 0
    history = 0
    if per_employee:
        history = seed_learning_history(
            per_employee=per_employee,
            planned=planned,
            exclude_employee_ids=demo_ids,
            approver=admin,
            now=now,
            log=ctx.log,
        )

    insert_rows(LessonProgress, PROGRESS_FIELDS, progress)
    for start in range(0, len(started), 2000):
        Assignment.objects.filter(pk__in=started[start : start + 2000], status=S.ASSIGNED).update(
            status=S.IN_PROGRESS, started_at=now
        )
    year = rules.jp_year(now)
    for start in range(0, len(completed), 2000):
        Assignment.objects.filter(pk__in=completed[start : start + 2000], status=S.ASSIGNED).update(
            status=S.COMPLETED, started_at=now, completed_at=now, completion_year=year
        )
    _bulk_certificates(completed, now=now, year=year)

    # 4. The demo people, through the services.
    if ctx.with_demo_users and "asn" in demo:
        _demo_learner(demo["asn"], admin)
    ctx.log(
        f"Workflow: {result.needs} kebutuhan, {result.recommended} rekomendasi, "
        f"{len(approve)} disetujui, {len(completed)} selesai, "
        f"{Certificate.objects.count()} sertifikat, {len(progress) + history} kemajuan "
        "pelajaran baru."
    )


def _bulk_certificates(assignment_ids: list[int], *, now, year: int) -> None:
    """Certificates for completed assignments in bulk: numbers drawn from the locked sequence
    row in one step, rows created with bulk_create; PDFs are rendered later (follow-up sweep
    or first download), no e-mail is sent."""
    rows = []
    for start in range(0, len(assignment_ids), 2000):
        rows += list(
            Assignment.objects.filter(
                pk__in=assignment_ids[start : start + 2000],
                status=S.COMPLETED,
                certificate__isnull=True,
            ).select_related("employee", "module")
        )
    rows.sort(key=lambda a: a.pk)
    if not rows:
        return
    first = _allocate_numbers(year, len(rows))
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
                verification_code=_seed_code("certificate", a.employee.nip, a.module_id, year),
                jp=a.jp or a.module.jp,
                holder_name=a.employee.name,
                module_title=a.module.title,
                issued_at=now,
                completed_at=a.completed_at or now,
                # Seeded history: nobody is e-mailed (the follow-up sweep would otherwise
                # send each holder their certificate); PDFs are rendered by the sweep or on
                # first download.
                emailed_at=now,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    ids = [a.pk for a in rows]
    for start in range(0, len(ids), 2000):
        Assignment.objects.filter(pk__in=ids[start : start + 2000]).update(status=S.CERTIFIED)


def _allocate_numbers(year: int, count: int) -> int:
    """Reserve ``count`` consecutive certificate numbers of ``year`` from the locked sequence
    row (gapless, as ``workflow.certificates.numbering.next_sequence``); returns the first."""
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(year=year, last_value=0)], ignore_conflicts=True
    )
    seq = CertificateSequence.objects.select_for_update(of=("self",)).get(year=year)
    first = seq.last_value + 1
    seq.last_value += count
    seq.save(update_fields=["last_value"])
    return first


def _seed_code(*parts) -> str:
    """A verification code for seeded certificates: the same on every run of one installation
    (HMAC of the certificate's natural key with SECRET_KEY), unguessable without the key, in
    the alphabet and length of ``rules.new_verification_code``."""
    import base64
    import hmac

    from django.conf import settings

    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, ":".join(map(str, parts)).encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[: rules.VERIFICATION_CODE_LENGTH]


def _moment(rng, year: int, now) -> dt.datetime:
    """A working-hours moment in ``year`` (Asia/Jakarta), not after ``now``."""
    last = dt.date(year, 12, 31) if year < 2026 else dt.date(2026, 10, 31)
    day = dt.date(year, 1, 8) + dt.timedelta(days=rng.randrange((last - dt.date(year, 1, 8)).days))
    at = dt.datetime.combine(day, dt.time(8 + rng.randrange(8), rng.randrange(60)))
    return min(at.replace(tzinfo=rules.JAKARTA), now - dt.timedelta(days=1))


def seed_learning_history(
    *,
    per_employee: int,
    planned: dict[int, int] | None = None,
    exclude_employee_ids=(),
    approver=None,
    now=None,
    log=print,
) -> int:
    """Every active employee with an account (but the demo cast) gets a learning history of
    about ``per_employee`` lesson-progress rows (between half and one and a half times that,
    less the rows their user has or that are ``planned`` elsewhere): modules in a random order of their
    own, each not otherwise assigned to them, completed in 2024, 2025 or 2026 (self-enrolled,
    or assigned by BKPSDM) with every lesson done and the quiz passed, certified with a
    certificate numbered in its year (PDF rendered on first download), JP credited to the year
    of completion; the last module, when the rows left are fewer than its lessons, is in
    progress. Deterministic (each employee draws from a generator seeded by their NIP; modules
    in slug order) and idempotent (an employee who already has a self-enrolled or HR-assigned
    module is left alone). Returns the number of progress rows created."""
    import random

    from portal.models import TrainingModulePage

    now = now or anchor()
    planned = planned or {}
    lessons = _lessons_by_module()
    quiz_lessons = _quiz_lessons()
    modules = [
        (pk, jp, pass_mark, title)
        for pk, jp, pass_mark, title in TrainingModulePage.objects.live()
        .order_by("slug")
        .values_list("pk", "jp", "pass_mark", "title")
        if lessons.get(pk)
    ]
    if not modules:
        return 0
    done = set(
        Assignment.objects.filter(
            origin__in=(Assignment.Origin.SELF, Assignment.Origin.HR)
        ).values_list("employee_id", flat=True)
    )
    taken: dict[int, set[int]] = {}
    for employee_id, module_id in Assignment.objects.values_list("employee_id", "module_id"):
        taken.setdefault(employee_id, set()).add(module_id)
    # Modules the user already has progress in (without an assignment: e.g. a database filled
    # by an older bench) are left alone too: one progress row per user × lesson.
    for employee_id, module_id in (
        LessonProgress.objects.filter(user__employee__isnull=False)
        .order_by()
        .values_list("user__employee__id", "module_id")
        .distinct()
    ):
        taken.setdefault(employee_id, set()).add(module_id)
    skip = done | set(exclude_employee_ids)
    people = [
        row
        for row in Employee.objects.filter(is_active=True, user__isnull=False)
        .order_by("nip")
        .values_list("pk", "nip", "user_id", "name")
        if row[0] not in skip
    ]
    # Rows the user already has (a second run: those of step 2 of ``run``) count like the
    # planned ones, so a second run draws the same quota and, having nothing left, adds nothing.
    have = dict(
        LessonProgress.objects.order_by()
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    years = [y for y, _w in HISTORY_YEARS]
    weights = [w for _y, w in HISTORY_YEARS]
    approver_id = approver.pk if approver is not None else None
    # Plan: (employee, module, status, origin, started, completed, approved, due) and rows.
    plans = []
    lines = []
    for employee_id, nip, user_id, _name in people:
        rng = random.Random(f"sikap-learn-{nip}")
        quota = round(per_employee * rng.uniform(0.5, 1.5))
        quota -= planned.get(user_id, 0) + have.get(user_id, 0)
        order = [m for m in modules if m[0] not in taken.get(employee_id, ())]
        rng.shuffle(order)
        rows = 0
        for module_id, jp, pass_mark, _title in order:
            left = quota - rows
            if left <= 0:
                break
            module_lessons = lessons[module_id]
            complete = len(module_lessons) <= left
            if complete:
                finished = _moment(rng, rng.choices(years, weights)[0], now)
                begun = finished - dt.timedelta(days=rng.randrange(1, 30), hours=rng.randrange(8))
                count = len(module_lessons)
            else:
                finished = None
                begun = now - dt.timedelta(days=rng.randrange(2, 40), hours=rng.randrange(8))
                count = left
            hr = complete and rng.random() < 0.3
            approved = begun - dt.timedelta(days=rng.randrange(1, 10)) if hr else None
            due = (finished + dt.timedelta(days=rng.randrange(0, 20))).date() if hr else None
            plans.append((employee_id, nip, module_id, jp, begun, finished, approved, due, hr))
            # The progress rows are made at insert time (``rows_of``) from this compact line.
            score = rng.randrange(pass_mark, 101, 5) if pass_mark <= 100 else 100
            lines.append(
                (user_id, module_id, count, begun, finished, score, rng.choice((1, 1, 2, 3)))
            )
            rows += count
    if not plans:
        return 0
    # Certificate numbers per year in order of completion (gapless within the year).
    numbers: dict[tuple[int, int], tuple[int, int]] = {}
    by_year: dict[int, list] = {}
    for plan in plans:
        if plan[5] is not None:
            by_year.setdefault(rules.jp_year(plan[5]), []).append(plan)
    for year, items in sorted(by_year.items()):
        items.sort(key=lambda p: (p[5], p[1], p[2]))
        first = _allocate_numbers(year, len(items))
        for offset, plan in enumerate(items):
            numbers[(plan[0], plan[2])] = (year, first + offset)
    titles = {pk: title for pk, _jp, _pm, title in modules}
    names = {pk: name for pk, _nip, _user, name in people}
    for start in range(0, len(plans), 5000):
        chunk = plans[start : start + 5000]
        insert_rows(
            Assignment,
            ASSIGNMENT_FIELDS,
            (
                (
                    employee_id,
                    module_id,
                    S.CERTIFIED if finished else S.IN_PROGRESS,
                    Assignment.Origin.HR if hr else Assignment.Origin.SELF,
                    due,
                    approved or begun,
                    approved,
                    approver_id if hr else None,
                    begun,
                    finished,
                    rules.jp_year(finished) if finished else None,
                    jp,
                    "",
                    "",
                )
                for employee_id, _nip, module_id, jp, begun, finished, approved, due, hr in chunk
            ),
        )
        # Their ids (one history assignment per employee × module) for the certificates.
        ids = {}
        employee_ids = sorted({plan[0] for plan in chunk})
        for first in range(0, len(employee_ids), 1000):
            ids.update(
                (
                    ((e, m), pk)
                    for e, m, pk in Assignment.objects.filter(
                        employee_id__in=employee_ids[first : first + 1000],
                        origin__in=(Assignment.Origin.SELF, Assignment.Origin.HR),
                    ).values_list("employee_id", "module_id", "pk")
                )
            )
        certificates = []
        for employee_id, nip, module_id, jp, _b, finished, _a, _d, _hr in chunk:
            if finished is None:
                continue
            year, sequence = numbers[(employee_id, module_id)]
            certificates.append(
                (
                    ids[(employee_id, module_id)],
                    employee_id,
                    module_id,
                    rules.format_certificate_number(sequence, year),
                    year,
                    sequence,
                    _seed_code("certificate", nip, module_id, year),
                    jp,
                    names[employee_id],
                    titles[module_id],
                    finished + dt.timedelta(minutes=2),
                    finished,
                    "",
                    "",
                    "",
                    "",
                )
            )
        insert_rows(Certificate, CERTIFICATE_FIELDS, certificates, batch=250)

    def rows_of():
        late = now - dt.timedelta(hours=1)
        for user_id, module_id, count, begun, finished, score, attempts in lines:
            step = ((finished or late) - begun) / count
            for index, lesson_id in enumerate(lessons[module_id][:count]):
                at = begun + step * (index + 1)
                if lesson_id in quiz_lessons:
                    yield (user_id, lesson_id, module_id, at, score, True, attempts, at)
                else:
                    yield (user_id, lesson_id, module_id, at, None, False, 0, at)

    created = insert_rows(LessonProgress, PROGRESS_FIELDS, rows_of())
    log(
        f"Workflow: riwayat belajar {len(people)} pegawai, {len(plans)} modul "
        f"({sum(1 for p in plans if p[5])} bersertifikat), {created} kemajuan pelajaran."
    )
    return created


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
