"""Fixtures for the training-portal tests: the site structure, competencies, modules with
lessons and a quiz (stable ListBlock ids), learners with gaps."""

import itertools

import pytest

_seq = itertools.count(1)

QUESTIONS = [
    # (question id, kind, [(choice id, correct)])
    ("q-single", "single", [("a1", True), ("a2", False), ("a3", False)]),
    ("q-multi", "multiple", [("b1", True), ("b2", True), ("b3", False)]),
]
SECRET_EXPLANATION = "Penjelasan rahasia yang hanya tampil setelah lulus"


def quiz_body(questions=QUESTIONS, text="Isi pelajaran."):
    return [
        {"type": "text", "id": "t1", "value": f"<p>{text}</p>"},
        {
            "type": "quiz",
            "id": "quiz-1",
            "value": {
                "title": "Kuis",
                "questions": [
                    {
                        "type": "item",
                        "id": qid,
                        "value": {
                            "text": f"Pertanyaan {qid}?",
                            "kind": kind,
                            "explanation": SECRET_EXPLANATION,
                            "choices": [
                                {
                                    "type": "item",
                                    "id": cid,
                                    "value": {"text": f"Pilihan {cid}", "correct": ok},
                                }
                                for cid, ok in choices
                            ],
                        },
                    }
                    for qid, kind, choices in questions
                ],
            },
        },
    ]


@pytest.fixture
def site(db):
    """The pages of the installation (home, catalog, help: ``setup_site`` built them in the
    session database, tests/database.py)."""
    from portal.site import ensure_page_tree

    return ensure_page_tree()


@pytest.fixture
def catalog(site):
    return site["catalog"]


@pytest.fixture
def competencies(db):
    from kompetensi.models import Competency

    return {
        "M.3": Competency.objects.create(code="M.3", name="Komunikasi", kind="manajerial"),
        "M.1": Competency.objects.create(code="M.1", name="Integritas", kind="manajerial"),
        "T.KES.01": Competency.objects.create(
            code="T.KES.01", name="Surveilans Epidemiologi", kind="teknis"
        ),
    }


@pytest.fixture
def make_module(catalog, competencies):
    from portal.models import LessonPage, ModuleCompetency, TrainingModulePage

    def _make(
        title=None,
        *,
        comps=(("M.3", 3),),
        jp=8,
        modality="e_learning",
        lessons=2,
        quiz=True,
        owner=None,
        live=True,
        summary="Ringkasan modul.",
    ):
        n = next(_seq)
        module = TrainingModulePage(
            title=title or f"Modul {n}",
            slug=f"modul-{n}",
            summary=summary,
            jp=jp,
            modality=modality,
            owner=owner,
            live=live,
        )
        catalog.add_child(instance=module)
        ModuleCompetency.objects.bulk_create(
            ModuleCompetency(page=module, competency=competencies[code], target_level=level)
            for code, level in comps
        )
        for i in range(lessons):
            body = quiz_body() if (quiz and i == lessons - 1) else quiz_body([], f"Materi {i}")
            module.add_child(
                instance=LessonPage(
                    title=f"Pelajaran {i + 1}", slug=f"p{i + 1}", body=body, owner=owner
                )
            )
        return module

    return _make


@pytest.fixture
def learner(db, make_user):
    """An ASN user with an employee record."""
    from kompetensi.models import Employee, OrganizationUnit

    unit = OrganizationUnit.objects.create(code="DINKES", name="Dinas Kesehatan")
    user = make_user("pegawai", "ASN", first_name="Siti", last_name="Aminah")
    Employee.objects.create(
        nip="198503152010012001", name="Siti Aminah", unit=unit, user=user, rank="III/a"
    )
    return user


@pytest.fixture
def give_gap():
    from kompetensi.models import EmployeeCompetency

    def _give(user, competency, *, required=3, assessed=1):
        return EmployeeCompetency.objects.create(
            employee=user.employee,
            competency=competency,
            required_level=required,
            assessed_level=assessed,
            gap=max(required - assessed, 0),
            source="supervisor",
        )

    return _give
