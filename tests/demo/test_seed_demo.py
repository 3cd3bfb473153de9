"""demo.seeds.portal: deterministic, idempotent demo modules with lessons and quizzes."""

import io
from types import SimpleNamespace

from wagtail.models import GroupPagePermission

from demo.seeds import portal as seed
from portal import quiz
from portal.models import LessonPage, ModuleCompetency, TrainingModulePage


def _ctx(scale="small"):
    return SimpleNamespace(scale=scale, shared={}, log=lambda msg: None)


def _competencies():
    from kompetensi.models import Competency

    codes = {code for spec in seed.MODULES for code, _level in spec["competencies"]}
    Competency.objects.bulk_create(
        Competency(
            code=code,
            name=code,
            kind="teknis" if code.startswith("T.") else "manajerial",
        )
        for code in sorted(codes)
    )


def test_seed_is_idempotent_and_complete(site, make_user):
    _competencies()
    trainer = make_user("pelatih", "Pelatih")
    seed.run(_ctx())
    modules = list(TrainingModulePage.objects.live().order_by("path"))
    assert len(modules) == 12
    counts = (
        TrainingModulePage.objects.count(),
        LessonPage.objects.count(),
        ModuleCompetency.objects.count(),
        GroupPagePermission.objects.count(),
    )
    seed.run(_ctx())
    assert counts == (
        TrainingModulePage.objects.count(),
        LessonPage.objects.count(),
        ModuleCompetency.objects.count(),
        GroupPagePermission.objects.count(),
    )
    titles = {m.title for m in modules}
    assert "Komunikasi Efektif dalam Pelayanan Publik" in titles
    assert "Surveilans Epidemiologi Dasar" in titles
    for module in modules:
        assert module.owner_id == trainer.pk
        assert module.signatory_name and module.signatory_nip
        assert module.pass_mark == 70
        lessons = quiz.module_lessons(module)
        assert 2 <= len(lessons) <= 4
        questions = [q for le in lessons for q in quiz.public_questions(le)]
        assert 3 <= len(questions) <= 5
        assert module.live_revision_id is not None
    komunikasi = TrainingModulePage.objects.get(slug="komunikasi-efektif-pelayanan-publik")
    link = komunikasi.module_competencies.get()
    assert (link.competency.code, link.target_level) == ("M.3", 3)


def test_seed_quiz_is_gradable_with_stable_ids(site):
    _competencies()
    seed.run(_ctx())
    lesson = quiz.module_lessons(TrainingModulePage.objects.get(slug="integritas-dan-antikorupsi"))[
        -1
    ]
    spec = next(s for s in seed.MODULES if s["slug"] == "integritas-dan-antikorupsi")
    answers = {}
    for question, (_text, _kind, choices, _expl) in zip(
        quiz.public_questions(lesson), spec["quiz"], strict=True
    ):
        answers[question["question_id"]] = [
            c["id"] for c, (_t, ok) in zip(question["choices"], choices, strict=True) if ok
        ]
    assert quiz.grade_quiz(lesson, answers)[0] == 100
    again = LessonPage.objects.get(pk=lesson.pk)
    assert quiz.public_questions(again) == quiz.public_questions(lesson)


def test_city_scale_has_40_modules():
    specs = seed.module_specs("city")
    assert len(specs) == 40
    assert len({s["slug"] for s in specs}) == 40
    assert specs == seed.module_specs("city")


def test_setup_site_command_on_a_fresh_install(site):
    from django.core.management import call_command
    from wagtail.models import WorkflowPage

    from portal.site import WORKFLOW_NAME

    call_command("setup_site", stdout=io.StringIO())
    call_command("setup_site", stdout=io.StringIO())
    assert WorkflowPage.objects.get(page=site["catalog"]).workflow.name == WORKFLOW_NAME
    perms = set(
        GroupPagePermission.objects.filter(page=site["catalog"]).values_list(
            "group__name", "permission__codename"
        )
    )
    assert perms == {
        ("Pelatih", "add_page"),
        ("Reviewer Konten", "change_page"),
        ("Reviewer Konten", "publish_page"),
    }
