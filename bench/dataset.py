"""What the bench adds to ``seed_demo`` so every key page has something to show at every scale.

The volume of issue #8 (an account for every employee, ≈ 40 lesson-progress rows per employee,
50,000 posts at city scale) is the seed's own (``seed_demo --scale city|province``). Here:

- Training modules and lessons, when ``demo.seeds.portal`` did not create any (40 modules of 5
  lessons, the last one a quiz, each developing one or two competencies of the framework); then
  ``seed_demo`` runs again so the workflow and forum seeds build on them (it is idempotent).
  The seed creates 12 modules at small scale and 40 at city scale, so this is a fallback.
- A forum topic with 2,000 posts (``BIG_TOPIC_TITLE``), in bulk, counters kept consistent.
- At small scale (which the seed keeps small for ``make run`` and the e2e tests), the same
  learning volume per employee as the larger scales, through the seed's own functions
  (``ensure_learning_volume``), so the pages show the same kind of data at every scale.

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

    from forum.models import Forum, Post, Subscription, Topic
    from forum.rendering import render_markdown

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
                    body_html=render_markdown(text),
                    created_at=start + dt.timedelta(minutes=7 * i),
                )
            )
        Post.objects.bulk_create(posts, batch_size=500)
        Subscription.objects.bulk_create(
            [
                Subscription(user_id=u, topic_id=topic.pk)
                for u in sorted({p.author_id for p in posts})
            ],
            ignore_conflicts=True,
        )
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
    """The learning volume of the issue (≈ ``per_employee`` lesson-progress rows per employee)
    where the seed did not build it (small scale): an account for every employee and a
    consistent learning history (``demo.seeds.kompetensi.seed_accounts``,
    ``demo.seeds.workflow.seed_learning_history``). Returns the number of progress rows created."""
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from demo.seeds.kompetensi import seed_accounts
    from demo.seeds.workflow import seed_learning_history
    from kompetensi.models import Employee
    from portal.models import LessonProgress

    target = per_employee * Employee.objects.count()
    if LessonProgress.objects.count() >= 0.9 * target:
        return 0
    demo = {"asn", "atasan", "hr", "pelatih", "reviewer"}
    with transaction.atomic():
        seed_accounts(SimpleNamespace(log=log))
        return seed_learning_history(
            per_employee=per_employee,
            exclude_employee_ids=set(
                Employee.objects.filter(user__username__in=demo).values_list("pk", flat=True)
            ),
            approver=get_user_model().objects.filter(username="hr").first(),
            log=log,
        )
