"""seed_demo at city/province scale (issue #8): the volume follows the scale's parameters, the
data are consistent with the domain, and a second run adds nothing.

A whole city takes minutes; the test builds a reduced one through the same code (the volume
parameters of ``SeedContext``) and checks proportions and invariants."""

import importlib
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max

from demo.management.commands.seed_demo import SCALES, SEED_MODULES, VOLUMES, SeedContext

EMPLOYEES = 150
PER_EMPLOYEE = 20
POSTS = 3000


def _run(**volume):
    ctx = SeedContext(
        scale="city",
        employees=EMPLOYEES,
        with_demo_users=True,
        seed=2026,
        stdout=io.StringIO(),
        **volume,
    )
    for name in SEED_MODULES:
        with transaction.atomic():
            importlib.import_module(name).run(ctx)
    return ctx


def _counts():
    from forum.models import Post, Reaction, Subscription, Topic
    from kompetensi.models import Employee, Evaluation
    from portal.models import LessonProgress
    from workflow.models import Assignment, Certificate, TrainingNeed

    models = [
        get_user_model(),
        Employee,
        Evaluation,
        TrainingNeed,
        Assignment,
        Certificate,
        LessonProgress,
        Topic,
        Post,
        Reaction,
        Subscription,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_the_scales_ask_for_the_volume_of_the_issue():
    city, province = VOLUMES["city"], VOLUMES["province"]
    assert SCALES["city"] * city.progress_per_employee == 200_000
    assert city.posts == 50_000 and city.accounts_for_all
    assert SCALES["province"] * province.progress_per_employee == 2_000_000
    assert province.posts == 500_000 and province.accounts_for_all
    small = VOLUMES["small"]  # make run and the e2e tests: the hand-made demo only
    assert (small.accounts_for_all, small.progress_per_employee, small.posts) == (False, 0, 0)


@pytest.mark.slow
@pytest.mark.django_db
def test_reduced_city_scales_is_consistent_and_idempotent():
    _run(progress_per_employee=PER_EMPLOYEE, posts=POSTS)
    first = _counts()
    _run(progress_per_employee=PER_EMPLOYEE, posts=POSTS)
    assert _counts() == first, "a second run must add nothing"

    _check_accounts()
    _check_learning(first)
    _check_forum(first)


def _check_accounts():
    from kompetensi.models import Employee

    User = get_user_model()
    assert not Employee.objects.filter(user__isnull=True).exists()
    accounts = User.objects.filter(employee__isnull=False).exclude(
        username__in=["asn", "atasan", "hr", "pelatih", "reviewer"]
    )
    assert accounts.count() == EMPLOYEES
    assert not any(u.has_usable_password() for u in accounts)
    assert all(u.groups.filter(name="ASN").exists() for u in accounts[:20])
    assert User.objects.get(username="asn").check_password("sikap-demo")


def _check_learning(counts):
    from kompetensi import rules
    from kompetensi.models import Employee
    from portal.models import LessonPage, LessonProgress, TrainingModulePage
    from portal.quiz import lesson_has_quiz
    from workflow.models import Assignment, Certificate, CertificateSequence

    S = Assignment.Status
    # Volume: about PER_EMPLOYEE rows per employee (each draws 0.5–1.5 × the target).
    employees = Employee.objects.count()
    assert 0.85 * PER_EMPLOYEE * employees <= counts["LessonProgress"]
    assert counts["LessonProgress"] <= 1.15 * PER_EMPLOYEE * employees
    assert TrainingModulePage.objects.live().count() == 40

    modules = dict(TrainingModulePage.objects.values_list("path", "pk"))
    lessons: dict[int, list] = {}
    for lesson in LessonPage.objects.live().order_by("path"):
        lessons.setdefault(modules[lesson.path[:-4]], []).append(lesson)
    quiz = {le.pk for ls in lessons.values() for le in ls if lesson_has_quiz(le)}
    user_of = dict(Employee.objects.values_list("pk", "user_id"))
    assignments = list(
        Assignment.objects.exclude(status=S.CANCELLED).values_list(
            "pk", "employee_id", "module_id", "status", "completed_at", "completion_year", "jp"
        )
    )
    enrolled = {(user_of[e], m) for _pk, e, m, *_rest in assignments}
    progress = {}
    for (
        user_id,
        lesson_id,
        module_id,
        completed_at,
        passed,
        score,
    ) in LessonProgress.objects.values_list(
        "user_id", "lesson_id", "module_id", "completed_at", "passed", "best_score"
    ):
        # A row belongs to a lesson of a module its learner is assigned to or enrolled in.
        assert (user_id, module_id) in enrolled
        assert lesson_id in {le.pk for le in lessons[module_id]}
        if lesson_id not in quiz:
            assert not passed and score is None
        progress[(user_id, lesson_id)] = (completed_at, passed)

    jp = dict(TrainingModulePage.objects.values_list("pk", "jp"))
    certified = set(Certificate.objects.values_list("assignment_id", flat=True))
    statuses = Counter()
    for pk, employee_id, module_id, status, completed_at, year, a_jp in assignments:
        statuses[status] += 1
        if status not in (S.COMPLETED, S.CERTIFIED):
            continue
        # Completed: every lesson done, every quiz passed; JP of the module in its year.
        for lesson in lessons[module_id]:
            done_at, passed = progress[(user_of[employee_id], lesson.pk)]
            assert done_at is not None and done_at <= completed_at
            assert passed or lesson.pk not in quiz
        assert year == rules.jp_year(completed_at) and a_jp == jp[module_id]
        assert (status == S.CERTIFIED) == (pk in certified)
    assert statuses[S.CERTIFIED] > EMPLOYEES and statuses[S.IN_PROGRESS] > 0
    # Moments in order: created ≤ approved ≤ started ≤ completed ≤ certificate issued.
    for row in Assignment.objects.values_list(
        "created_at", "approved_at", "started_at", "completed_at", "certificate__issued_at"
    ):
        moments = [m for m in row if m is not None]
        assert moments == sorted(moments), row
    assert len({y for *_r, y, _jp in assignments if y}) == 3  # JP in 2024, 2025 and 2026

    # Certificate numbers: gapless within each year and the sequence row agrees.
    for year, numbers in _group(Certificate.objects.values_list("year", "sequence")).items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert CertificateSequence.objects.get(year=year).last_value == len(numbers)
    assert Certificate.objects.values("verification_code").distinct().count() == len(certified)


def _group(pairs):
    grouped: dict = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def _check_forum(counts):
    from forum.models import Forum, Post, Reaction, Subscription, Topic
    from forum.rendering import render_markdown

    assert counts["Post"] == POSTS
    published = Post.objects.filter(status=Post.Status.PUBLISHED)
    per_topic = {
        row["topic_id"]: row
        for row in published.values("topic_id").annotate(n=Count("id"), last=Max("created_at"))
    }
    last_author = {}
    for topic_id, author_id in published.order_by("created_at", "id").values_list(
        "topic_id", "author_id"
    ):
        last_author[topic_id] = author_id
    for topic in Topic.objects.all():
        row = per_topic[topic.pk]
        assert topic.post_count == row["n"]
        assert topic.last_post_at == row["last"]
        assert topic.last_poster_id == last_author[topic.pk]
        if topic.answer_id:
            assert Post.objects.filter(pk=topic.answer_id, topic=topic).exists()
    for forum in Forum.objects.all():
        topics = Topic.objects.filter(forum=forum, is_approved=True)
        assert forum.topic_count == topics.count()
        assert forum.post_count == published.filter(topic__forum=forum).count()
        assert forum.last_post_at == topics.aggregate(m=Max("last_post_at"))["m"]
    thanks = dict(
        Reaction.objects.values("post_id").annotate(n=Count("id")).values_list("post_id", "n")
    )
    for post_id, count in Post.objects.values_list("pk", "thanks_count"):
        assert count == thanks.get(post_id, 0)
    subscribed = set(Subscription.objects.values_list("user_id", "topic_id"))
    assert set(published.values_list("author_id", "topic_id")) <= subscribed
    assert Topic.objects.filter(forum__module__isnull=False).count() > 40
    # The stored HTML is what the sanitiser gives for the text, and the texts vary.
    sample = list(published.order_by("pk").values_list("body_markdown", "body_html")[::7])
    for markdown_text, html in sample:
        assert render_markdown(markdown_text) == html
    assert len({md for md, _h in sample}) > 0.7 * len(sample)
