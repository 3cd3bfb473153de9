"""What the bench adds to ``seed_demo`` so every key page has something to show at every scale.

- Training modules and lessons, when ``portal.seed`` did not create any (40 modules of 5
  lessons, the last one a quiz, each developing one or two competencies of the framework); then
  ``seed_demo`` runs again so the workflow and forum seeds build on them (it is idempotent).
- A forum topic with 2,000 posts (``BIG_TOPIC_TITLE``), in bulk, counters kept consistent.
- The learning volume of the issue (40 completed lessons per employee: 200,000 rows at city
  scale), with an account for every employee (``ensure_learning_volume``).

Deterministic and idempotent, like the seed."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

MODULES = 40
LESSONS = 5
BIG_TOPIC_TITLE = "Diskusi besar (bench): pengalaman menerapkan pelayanan prima"
BIG_TOPIC_POSTS = 2000

PARAGRAPH = (
    "<p>Aparatur sipil negara memberikan pelayanan publik yang cepat, tepat dan ramah. "
    "Bagian ini menjelaskan langkah kerja, contoh kasus di perangkat daerah, dan hal yang "
    "perlu diperhatikan ketika menerapkannya sehari-hari.</p>"
)


def _quiz(n: int) -> dict:
    questions = []
    for q in range(5):
        questions.append(
            {
                "type": "item",
                "id": f"q{n}-{q}",
                "value": {
                    "text": f"Pertanyaan {q + 1}: manakah pernyataan yang benar?",
                    "kind": "single",
                    "explanation": "Lihat kembali materi pelajaran sebelumnya.",
                    "choices": [
                        {
                            "type": "item",
                            "id": f"c{n}-{q}-{c}",
                            "value": {"text": f"Pilihan {c + 1}", "correct": c == 0},
                        }
                        for c in range(4)
                    ],
                },
            }
        )
    return {
        "type": "quiz",
        "id": f"quiz-{n}",
        "value": {"title": "Kuis akhir", "questions": questions},
    }


def _lesson_body(n: int, i: int, last: bool) -> str:
    blocks = [{"type": "heading", "id": f"h{n}-{i}", "value": f"Bagian {i + 1}"}]
    blocks += [{"type": "text", "id": f"t{n}-{i}-{k}", "value": PARAGRAPH * 3} for k in range(4)]
    if last:
        blocks.append(_quiz(n))
    return json.dumps(blocks)


def ensure_modules(log=print) -> int:
    """Create the bench modules when the catalog has none. Returns how many were created."""
    from kompetensi.models import Competency
    from portal.models import LessonPage, ModuleCompetency, TrainingCatalogPage, TrainingModulePage

    if TrainingModulePage.objects.exists():
        return 0
    catalog = TrainingCatalogPage.objects.first()
    if catalog is None:
        log("  bench: no catalog page, modules skipped")
        return 0
    competencies = list(Competency.objects.order_by("pk"))
    created = 0
    with transaction.atomic():
        for n in range(MODULES):
            module = TrainingModulePage(
                title=f"Pelatihan {competencies[n % len(competencies)].name} "
                f"{'Dasar' if n < len(competencies) else 'Lanjutan'}",
                slug=f"bench-modul-{n + 1}",
                summary="Modul pengembangan kompetensi untuk ASN Pemerintah Kota Serang.",
                objectives="<p>Peserta mampu menerapkan kompetensi ini di tempat kerja.</p>",
                jp=[10, 16, 20, 24][n % 4],
            )
            catalog.add_child(instance=module)
            first = competencies[n % len(competencies)]
            ModuleCompetency.objects.create(
                page=module, competency=first, target_level=3 if n < len(competencies) else 4
            )
            if n % 3 == 0:
                second = competencies[(n + 7) % len(competencies)]
                ModuleCompetency.objects.create(page=module, competency=second, target_level=3)
            for i in range(LESSONS):
                module.add_child(
                    instance=LessonPage(
                        title=f"Pelajaran {i + 1}",
                        slug=f"pelajaran-{i + 1}",
                        body=_lesson_body(n, i, last=i == LESSONS - 1),
                    )
                )
            created += 1
    return created


def ensure_big_topic(log=print):
    """A topic with ``BIG_TOPIC_POSTS`` published posts in a forum every ASN may read."""
    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.db.models.functions import Coalesce, Greatest

    from forum.models import Forum, Post, Topic

    topic = Topic.objects.filter(title=BIG_TOPIC_TITLE).first()
    if topic is not None:
        return topic
    forum = Forum.objects.filter(is_public=True, module__isnull=True).order_by("pk").first()
    forum = forum or Forum.objects.filter(is_public=True).order_by("pk").first()
    if forum is None:
        log("  bench: no public forum, big topic skipped")
        return None
    users = list(
        get_user_model()
        .objects.filter(is_active=True, employee__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    start = timezone.make_aware(dt.datetime(2026, 3, 1, 8, 0))
    with transaction.atomic():
        topic = Topic.objects.create(
            forum=forum,
            title=BIG_TOPIC_TITLE,
            author_id=users[0],
            created_at=start,
            last_post_at=start,
            last_poster_id=users[0],
        )
        posts = []
        for i in range(BIG_TOPIC_POSTS):
            text = (
                f"Tanggapan ke-{i + 1}: di unit kami antrean berkurang setelah jadwal layanan "
                "diumumkan dan formulir disederhanakan. **Terima kasih** atas materinya."
            )
            posts.append(
                Post(
                    topic=topic,
                    author_id=users[i % len(users)],
                    body_markdown=text,
                    body_html="<p>"
                    + text.replace("**Terima kasih**", "<strong>Terima kasih</strong>")
                    + "</p>",
                    created_at=start + dt.timedelta(minutes=7 * i),
                )
            )
        Post.objects.bulk_create(posts, batch_size=500)
        last = posts[-1]
        Topic.objects.filter(pk=topic.pk).update(
            post_count=BIG_TOPIC_POSTS, last_post_at=last.created_at, last_poster_id=last.author_id
        )
        Forum.objects.filter(pk=forum.pk).update(
            post_count=F("post_count") + BIG_TOPIC_POSTS,
            topic_count=F("topic_count") + 1,
            last_post_at=Greatest(Coalesce("last_post_at", last.created_at), last.created_at),
        )
    topic.refresh_from_db()
    return topic


def ensure_learning_volume(per_employee: int = 40, log=print) -> int:
    """The issue's learning volume (city: 200,000 lesson-progress rows, 40 per employee).

    ``workflow.seed`` records progress only for employees with an account (a few at city
    scale), so the bench gives every employee without one an account (bulk, unusable password,
    group ASN) and about ``per_employee`` completed lessons spread over the live modules.
    Returns the number of progress rows created."""
    import random

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from kompetensi.models import Employee
    from portal.models import LessonPage, TrainingModulePage
    from workflow.models import LessonProgress

    User = get_user_model()
    target = per_employee * Employee.objects.count()
    if LessonProgress.objects.count() >= 0.9 * target:
        return 0
    modules = dict(TrainingModulePage.objects.live().values_list("path", "pk"))
    lessons = [
        (pk, modules[path[:-4]])
        for pk, path in LessonPage.objects.live().order_by("path").values_list("pk", "path")
        if path[:-4] in modules
    ]
    if not lessons:
        return 0
    with transaction.atomic():
        missing = list(Employee.objects.filter(user__isnull=True).values_list("pk", "nip"))
        User.objects.bulk_create(
            [User(username=f"bench-{nip}", password="!") for _, nip in missing],
            batch_size=2000,
            ignore_conflicts=True,
        )
        user_of = dict(
            User.objects.filter(username__startswith="bench-").values_list("username", "pk")
        )
        employees = []
        for pk, nip in missing:
            employees.append(Employee(pk=pk, user_id=user_of[f"bench-{nip}"]))
        Employee.objects.bulk_update(employees, ["user"], batch_size=1000)
        asn = Group.objects.filter(name="ASN").first()
        if asn is not None:
            through = User.groups.through
            through.objects.bulk_create(
                [through(user_id=uid, group_id=asn.pk) for uid in user_of.values()],
                batch_size=5000,
                ignore_conflicts=True,
            )
        rng = random.Random(2026)
        now = timezone.now()
        user_ids = list(
            Employee.objects.filter(user__isnull=False)
            .order_by("pk")
            .values_list("user_id", flat=True)
        )
        created = 0
        batch = []
        for user_id in user_ids:
            for lesson_id, module_id in rng.sample(lessons, min(per_employee, len(lessons))):
                batch.append(
                    LessonProgress(
                        user_id=user_id,
                        lesson_id=lesson_id,
                        module_id=module_id,
                        completed_at=now,
                        best_score=85,
                        passed=True,
                        attempts=1,
                    )
                )
            if len(batch) >= 20000:
                LessonProgress.objects.bulk_create(batch, batch_size=5000, ignore_conflicts=True)
                created += len(batch)
                batch = []
        LessonProgress.objects.bulk_create(batch, batch_size=5000, ignore_conflicts=True)
        created += len(batch)
    return created
