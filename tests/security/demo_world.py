"""A realistic dataset for the permission matrix and the IDOR tests: ``seed_demo
--with-demo-users`` (small scale: the session's demo template, ``demo_db``) plus an ASN of
another unit, HR officers scoped to one unit and the objects the write matrix changes. Those
are added once per test module inside a transaction that is rolled back at the end (each test
runs in a savepoint inside it)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import transaction

PASSWORD = "sikap-demo"


@dataclass
class Demo:
    users: dict = field(default_factory=dict)  # role -> User
    kw: dict = field(default_factory=dict)  # URL kwarg values
    objs: dict = field(default_factory=dict)


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _build() -> Demo:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.models import Notification
    from core.roles import SYSTEM
    from forum.models import Forum, Post, PostReport, Topic
    from kompetensi import services as ks
    from kompetensi.models import Employee, EvaluationPeriod, HrScope, OrganizationUnit
    from portal.models import LessonPage, TrainingModulePage
    from skm.models import ServicePoint
    from workflow.models import Assignment, Certificate, ExternalLearning

    User = get_user_model()
    d = Demo()
    for role, username in (
        ("asn", "asn"),
        ("supervisor", "atasan"),
        ("trainer", "pelatih"),
        ("reviewer", "reviewer"),
        ("hr_all", "hr"),
        ("superuser", "admin"),
    ):
        d.users[role] = User.objects.get(username=username)
    asn_emp = Employee.objects.select_related("unit").get(user=d.users["asn"])
    other_unit = (
        OrganizationUnit.objects.exclude(pk=asn_emp.unit_id)
        .exclude(
            pk__in=OrganizationUnit.objects.filter(path__startswith=asn_emp.unit.path).values("pk")
        )
        .exclude(path__in=_ancestors(asn_emp.unit.path))
        .order_by("path")
        .last()
    )
    other = ks.employee_create(
        actor=SYSTEM,
        nip="199001012015031004",
        name="Budi Lain Unit",
        unit=other_unit,
        email="budi@x.go.id",
    )
    other.refresh_from_db()
    other_user = other.user
    other_user.set_password(PASSWORD)
    other_user.save()
    other_user.groups.add(Group.objects.get(name="ASN"))
    d.users["asn_other"] = other_user
    hr_unit = User.objects.create_user(username="hr-unit", password=PASSWORD)
    hr_unit.groups.add(Group.objects.get(name="BKPSDM"))
    HrScope.objects.create(user=hr_unit, unit=asn_emp.unit)
    d.users["hr_unit"] = hr_unit
    # A BKPSDM officer scoped to another unit (that of ``asn_other``): every HR write on the
    # demo ASN's unit is refused to them (tests/security/test_write_matrix.py).
    hr_other = User.objects.create_user(username="hr-lain", password=PASSWORD)
    hr_other.groups.add(Group.objects.get(name="BKPSDM"))
    HrScope.objects.create(user=hr_other, unit=other_unit)
    d.users["hr_other"] = hr_other

    d.objs.update(asn_emp=asn_emp, other_emp=other, other_unit=other_unit)
    sup_emp = Employee.objects.get(user=d.users["supervisor"])
    period = EvaluationPeriod.objects.order_by("-start").first()
    module = TrainingModulePage.objects.live().first()
    lesson = LessonPage.objects.live().descendant_of(module).first()
    cert_asn = Certificate.objects.filter(employee=asn_emp).first()
    cert_any = cert_asn or Certificate.objects.first()
    assignment = Assignment.objects.filter(employee=asn_emp).first()
    topic = Topic.objects.select_related("forum").filter(forum__is_public=True).first()
    private_topic = (
        Topic.objects.select_related("forum").filter(forum__is_public=False).first()
        if hasattr(Forum, "is_public")
        else None
    )
    post = Post.objects.filter(topic=topic).order_by("pk").first()
    point = ServicePoint.objects.filter(is_active=True).first()
    d.objs.update(
        sup_emp=sup_emp,
        period=period,
        module=module,
        lesson=lesson,
        cert=cert_any,
        cert_asn=cert_asn,
        assignment=assignment,
        topic=topic,
        private_topic=private_topic,
        post=post,
        point=point,
        notification=Notification.objects.filter(user=d.users["asn"]).first(),
        report=PostReport.objects.first(),
        external=ExternalLearning.objects.filter(employee=asn_emp).first(),
    )
    d.kw = {
        "nip": asn_emp.nip,
        "period": period.code if period else "2026",
        "code": cert_any.verification_code if cert_any else "x" * 26,
        "lesson_id": lesson.pk if lesson else 1,
        "module_id": module.pk if module else 1,
        "topic_id": topic.pk if topic else 1,
        "slug": topic.forum.slug if topic else "umum",
        "assignment_id": assignment.pk if assignment else 1,
    }
    _add_write_objects(d)
    return d


def _add_write_objects(d: Demo) -> None:
    """Objects the write matrix changes, all in (or about) the demo ASN's unit, stored as
    ``d.objs["w_*"]``. Created after the read matrix's objects were chosen, so its URLs stay
    the same. Where the seeded rows can't take the write (a unit with employees can't be
    deleted, a competency in use neither), a fresh one is made here."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from core.models import AccessLog, ApiToken
    from core.roles import SYSTEM
    from forum import services as fs
    from forum.models import Forum, Post
    from kompetensi import services as ks
    from kompetensi.models import Employee, EvaluationPeriod, HrScope, SkpResult
    from portal.models import TrainingModulePage
    from skm import services as skm_services
    from workflow import external
    from workflow import services as ws
    from workflow.models import Assignment, CertificateTemplate, TrainingNeed

    o = d.objs
    unit = o["asn_emp"].unit
    o["w_subunit"] = ks.unit_create(
        actor=SYSTEM, code=f"{unit.code}-UJI", name="Seksi Uji Matriks", parent=unit
    )
    o["w_subunit2"] = ks.unit_create(
        actor=SYSTEM, code=f"{unit.code}-UJI2", name="Seksi Uji Matriks Dua", parent=unit
    )
    o["w_position"] = ks.position_create(
        actor=SYSTEM, code=f"{unit.code}.UJI", name="Penata Uji", kind="pelaksana", unit=unit
    )
    # Deletable: no account and nothing refers to it (not even an audit row, which the
    # service would write and which keeps an employee from being deleted).
    o["w_employee"] = Employee.objects.create(
        nip="199512312020121001", name="Pegawai Uji Hapus", unit=unit
    )
    o["w_competency"] = ks.competency_create(
        actor=SYSTEM,
        code="UJI.01",
        name="Kompetensi Uji",
        kind="teknis",
        levels=[{"level": 1, "description": "Dasar"}],
    )
    o["w_open_period"] = EvaluationPeriod.objects.filter(is_open=True).order_by("-start").first()
    o["w_period"] = ks.period_create(  # unused: deletable
        actor=SYSTEM,
        code="1999",
        name="Periode Uji 1999",
        start=dt.date(1999, 1, 1),
        end=dt.date(1999, 12, 31),
        is_open=False,
    )
    o["w_point"] = skm_services.service_point_create(
        actor=SYSTEM, code="uji-matriks", service="Layanan Uji Matriks", unit=unit
    )
    # A scope row to revoke: another officer of the demo ASN's unit.
    revocable = get_user_model().objects.create_user(username="hr-cabut", password=PASSWORD)
    revocable.groups.add(Group.objects.get(name="BKPSDM"))
    o["w_scope"] = HrScope.objects.create(user=revocable, unit=unit)
    o["w_template"] = CertificateTemplate.objects.create(
        name="Templat Uji Matriks", signatory_name="Penandatangan Uji"
    )
    # An empty category (one holding forums can't be deleted) and a public forum in the
    # topic's category.
    o["w_category"] = fs.category_ensure(slug="uji-matriks", name="Kategori Uji Matriks")
    o["w_forum"] = fs.forum_create(
        category=o["topic"].forum.category, name="Forum Uji Matriks", slug="uji-matriks"
    )
    # The demo ASN's certificate (their completed assignment), an external learning record
    # waiting for review, an open training need and a recommendation.
    done = Assignment.objects.filter(employee=o["asn_emp"], status="completed").first()
    o["w_cert"] = ws.certificate_issue(assignment_id=done.pk) if done else None
    if o.get("assignment") is not None:
        o["assignment"].refresh_from_db()  # may be the one just certified
    o["w_external"] = external.external_learning_submit(
        employee=o["asn_emp"],
        data={
            "title": "Webinar Pelayanan Uji",
            "provider": "LAN RI",
            "kind": "webinar",
            "start_date": timezone.localdate() - dt.timedelta(days=30),
            "end_date": timezone.localdate() - dt.timedelta(days=30),
            "jp": 3,
        },
        proof=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti uji", "application/pdf"),
    )
    o["w_skp"] = SkpResult.objects.filter(employee=o["asn_emp"]).order_by("pk").first()
    o["w_log"] = AccessLog.objects.filter(employee=o["asn_emp"]).order_by("pk").first()
    o["w_need"] = TrainingNeed.objects.filter(employee=o["asn_emp"], status="open").first()
    o["w_recommended"] = Assignment.objects.filter(
        employee=o["asn_emp"], status="recommended"
    ).first()
    o["w_other_module"] = (
        TrainingModulePage.objects.live().exclude(pk=o["module"].pk).order_by("pk").first()
    )
    o["w_token"] = ApiToken.issue(user=d.users["asn"], name="matriks-tulis")[0]
    # In the demo ASN's public Q&A topic: a reply (to thank, mark as answer) and a reply
    # waiting for moderation.
    topic = o["topic"]
    o["w_reply"] = (
        Post.objects.filter(topic=topic, status="published")
        .exclude(author=d.users["asn"])
        .order_by("pk")
        .first()
    )
    o["w_own_reply"] = (
        Post.objects.filter(topic=topic, status="published", author=d.users["asn"])
        .exclude(pk=o["post"].pk)
        .order_by("pk")
        .first()
    )
    o["w_private_forum"] = (
        Forum.objects.filter(is_public=False, module__isnull=True).order_by("slug").first()
    )
    o["w_pending"] = Post.objects.create(
        topic=topic,
        author=d.users["asn_other"],
        body_markdown="Balasan yang menunggu moderasi.",
        body_html="<p>Balasan yang menunggu moderasi.</p>",
        status=Post.Status.PENDING,
        created_at=timezone.now(),
    )
    assert Employee.objects.filter(unit=unit).count() > 1


@pytest.fixture(scope="module")
def demo(demo_db, django_db_blocker):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            # tests without database access rely on the content type cache (Wagtail pages
            # built in memory): leave it filled with committed rows
            ContentType.objects.clear_cache()
            ContentType.objects.get_for_models(*apps.get_models())
