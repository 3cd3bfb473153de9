"""Trainers write modules under the catalog, edit only their own, and cannot publish without
the "Tinjauan Konten" review."""

import pytest
from wagtail.models import GroupApprovalTask, WorkflowState

from portal.models import LessonPage, TrainingModulePage
from portal.site import TASK_NAME, WORKFLOW_NAME, ensure_site_structure


@pytest.fixture
def trainers(make_user):
    return make_user("pelatih-a", "Pelatih"), make_user("pelatih-b", "Pelatih")


@pytest.fixture
def reviewer(make_user):
    return make_user("peninjau", "Reviewer Konten")


def test_trainer_creates_only_under_catalog(site, trainers):
    a, _b = trainers
    assert site["catalog"].permissions_for_user(a).can_add_subpage()
    assert not site["home"].permissions_for_user(a).can_add_subpage()
    assert not site["help"].permissions_for_user(a).can_add_subpage()
    assert not site["catalog"].permissions_for_user(a).can_publish()


def test_trainer_edits_own_module_only(site, trainers, make_module):
    a, b = trainers
    module = make_module(owner=a, lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    perms_a = module.permissions_for_user(a)
    perms_b = module.permissions_for_user(b)
    assert perms_a.can_edit()
    assert not perms_a.can_publish()
    assert perms_a.can_add_subpage()
    assert not perms_b.can_edit()
    assert not perms_b.can_add_subpage()
    assert lesson.permissions_for_user(a).can_edit()
    assert not lesson.permissions_for_user(b).can_edit()
    assert not lesson.permissions_for_user(a).can_publish()


def test_admin_blocks_lesson_in_other_trainers_module(client, site, trainers, make_module):
    a, b = trainers
    module = make_module(owner=a, lessons=0)
    client.force_login(b)
    response = client.get(f"/admin/pages/add/portal/lessonpage/{module.pk}/")
    assert response.status_code in (302, 403)
    client.force_login(a)
    assert client.get(f"/admin/pages/add/portal/lessonpage/{module.pk}/").status_code == 200
    response = client.get(f"/admin/pages/{module.pk}/edit/")
    assert response.status_code == 200
    client.force_login(b)
    assert client.get(f"/admin/pages/{module.pk}/edit/").status_code in (302, 403)


def test_review_workflow_is_set_up_idempotently(site, make_module):
    ensure_site_structure()
    ensure_site_structure()
    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    assert site["catalog"].get_workflow().name == WORKFLOW_NAME
    assert module.get_workflow().name == WORKFLOW_NAME
    assert lesson.get_workflow().name == WORKFLOW_NAME
    task = GroupApprovalTask.objects.get(name=TASK_NAME)
    assert [g.name for g in task.groups.all()] == ["Reviewer Konten"]
    assert GroupApprovalTask.objects.filter(name=TASK_NAME).count() == 1


def _draft_module(trainer, catalog, competencies):
    from portal.models import ModuleCompetency

    module = TrainingModulePage(
        title="Modul Baru Pelatih",
        slug="modul-baru",
        summary="Ringkasan",
        jp=4,
        live=False,
        owner=trainer,
    )
    catalog.add_child(instance=module)
    ModuleCompetency.objects.create(page=module, competency=competencies["M.3"], target_level=2)
    module.save_revision(user=trainer)
    return TrainingModulePage.objects.get(pk=module.pk)


def test_reviewer_approves_submission(site, trainers, reviewer, competencies):
    a, _b = trainers
    module = _draft_module(a, site["catalog"], competencies)
    assert module.permissions_for_user(a).can_submit_for_moderation()
    module.get_workflow().start(module, a)
    module.refresh_from_db()
    state = module.current_workflow_task_state
    task = state.task.specific
    assert not module.live
    actions = [name for name, _label, _modal in task.get_actions(module, reviewer)]
    assert "approve" in actions and "reject" in actions
    assert task.get_actions(module, a) == []
    task.on_action(state, reviewer, "approve", comment="Materi sudah baik.")
    module.refresh_from_db()
    assert module.live
    assert module.workflow_states.get().status == WorkflowState.STATUS_APPROVED


def test_reviewer_requests_changes_with_comment(site, trainers, reviewer, competencies):
    a, _b = trainers
    module = _draft_module(a, site["catalog"], competencies)
    module.get_workflow().start(module, a)
    module.refresh_from_db()
    state = module.current_workflow_task_state
    state.task.specific.on_action(state, reviewer, "reject", comment="Tambahkan contoh kasus.")
    module.refresh_from_db()
    assert not module.live
    state.refresh_from_db()
    assert state.status == state.STATUS_REJECTED
    assert state.comment == "Tambahkan contoh kasus."
    assert module.workflow_states.get().status == WorkflowState.STATUS_NEEDS_CHANGES
