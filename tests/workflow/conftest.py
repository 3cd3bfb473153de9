"""Factories for workflow tests: modules with lessons (and a quiz), employees with users,
competency gaps. Built through the same models the product uses."""

import itertools
import json

import pytest

_seq = itertools.count(1)


def _nip(n: int) -> str:
    return f"19850315201001{1 + n % 2}{n % 1000:03d}"


@pytest.fixture
def catalog(db):
    from portal.site import ensure_page_tree

    return ensure_page_tree()["catalog"]


@pytest.fixture
def unit(db):
    from kompetensi.models import OrganizationUnit

    root = OrganizationUnit.objects.create(code="BKPSDM", name="BKPSDM", kind="perangkat_daerah")
    return root


@pytest.fixture
def other_unit(db):
    from kompetensi.models import OrganizationUnit

    return OrganizationUnit.objects.create(code="DINKES", name="Dinas Kesehatan")


@pytest.fixture
def competency(db):
    from kompetensi.models import Competency

    return Competency.objects.create(code="M.3", name="Komunikasi", kind="manajerial")


@pytest.fixture
def period(db):
    import datetime as dt

    from kompetensi.models import EvaluationPeriod

    return EvaluationPeriod.objects.create(
        code="2026", name="Penilaian 2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )


QUIZ = [
    {
        "type": "quiz",
        "id": "quiz-1",
        "value": {
            "title": "Kuis",
            "questions": [
                {
                    "type": "item",
                    "id": "q1",
                    "value": {
                        "text": "Apa itu komunikasi asertif?",
                        "kind": "single",
                        "explanation": "",
                        "choices": [
                            {
                                "type": "item",
                                "id": "c1",
                                "value": {"text": "Tegas", "correct": True},
                            },
                            {
                                "type": "item",
                                "id": "c2",
                                "value": {"text": "Diam", "correct": False},
                            },
                        ],
                    },
                }
            ],
        },
    }
]


@pytest.fixture
def make_module(catalog, competency):
    from portal.models import LessonPage, ModuleCompetency, TrainingModulePage

    def _make(
        title=None, *, target=3, jp=10, competencies=None, lessons=2, quiz=True, valid_months=None
    ):
        n = next(_seq)
        module = TrainingModulePage(
            title=title or f"Modul {n}",
            slug=f"modul-{n}",
            summary="Ringkasan",
            jp=jp,
            certificate_valid_months=valid_months,
        )
        catalog.add_child(instance=module)
        for comp, level in competencies or [(competency, target)]:
            ModuleCompetency.objects.create(page=module, competency=comp, target_level=level)
        for i in range(lessons):
            body = json.dumps(QUIZ) if (quiz and i == lessons - 1) else "[]"
            module.add_child(
                instance=LessonPage(title=f"Pelajaran {i + 1}", slug=f"p{n}-{i}", body=body)
            )
        return module

    return _make


@pytest.fixture
def make_employee(db, make_user, unit):
    from kompetensi.models import Employee

    def _make(username=None, *, unit_=None, supervisor=None, groups=("ASN",), with_user=True):
        n = next(_seq)
        user = make_user(username or f"pegawai{n}", *groups) if with_user else None
        return Employee.objects.create(
            nip=_nip(n),
            name=f"Pegawai Nomor {n}",
            unit=unit_ or unit,
            user=user,
            supervisor=supervisor,
            rank="III/a",
        )

    return _make


@pytest.fixture
def make_gap(db, competency):
    from kompetensi.models import EmployeeCompetency

    def _make(employee, *, required=3, assessed=1, comp=None):
        return EmployeeCompetency.objects.update_or_create(
            employee=employee,
            competency=comp or competency,
            defaults={
                "required_level": required,
                "assessed_level": assessed,
                "gap": max(required - assessed, 0),
                "source": "supervisor",
            },
        )[0]

    return _make


@pytest.fixture
def hr_user(make_user):
    return make_user("hr-officer", "BKPSDM")


@pytest.fixture
def fake_pdf(monkeypatch):
    """WeasyPrint mocked: a tiny valid-looking PDF (the real renderer is tested once)."""
    calls = []

    def _render(ctx):
        calls.append(ctx)
        return b"%PDF-1.7\n% fake " + ctx.number.encode() + b"\n%%EOF\n"

    monkeypatch.setattr("workflow.certificates.pdf.render_certificate_pdf", _render)
    return calls


def finish_module(user, module):
    """Complete every lesson and pass every quiz through the services."""
    from portal.models import LessonPage
    from workflow import services

    for lesson in LessonPage.objects.child_of(module).live().order_by("path"):
        services.lesson_complete(user=user, lesson=lesson)
        if any(b.block_type == "quiz" for b in lesson.body):
            services.quiz_submit(user=user, lesson=lesson, answers={"q1": ["c1"]})


@pytest.fixture(autouse=True)
def _urls_loaded():
    """Load the URLconf (and so the API schemas) before any freeze_time: pydantic cannot build
    a schema for freezegun's FakeDate."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns
