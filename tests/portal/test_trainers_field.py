"""A module's trainers survive the Wagtail page life cycle (issue #14, hole 8): chosen in the
admin by a trainer, kept in the draft revision, through moderation and publishing, and in later
edits; the picker offers Pelatih members by name only. Every reader of ``trainers`` (lesson
rights, forum moderation, the module page) sees the published choice."""

from __future__ import annotations

import importlib

import pytest
from bs4 import BeautifulSoup

from portal.models import TrainingModulePage


@pytest.fixture
def people(make_user):
    return {
        "a": make_user("pelatih-a", "Pelatih", first_name="Ani", last_name="Wibowo"),
        "b": make_user("pelatih-b", "Pelatih", first_name="Bayu", last_name="Saputra"),
        "twin": make_user("pelatih-c", "Pelatih", first_name="Bayu", last_name="Saputra"),
        "gone": make_user("pelatih-d", "Pelatih", first_name="Dedi", is_active=False),
        "hr": make_user("petugas-sdm", "BKPSDM", first_name="Sinta"),
        "asn": make_user("pegawai-asn", "ASN", first_name="Rudi"),
        "reviewer": make_user("peninjau", "Reviewer Konten"),
        "admin": make_user("super", is_superuser=True, is_staff=True),
    }


def _form(client, module) -> tuple[dict, BeautifulSoup]:
    """The edit form's fields as a browser would send them (lists for multi-valued names)."""
    response = client.get(f"/admin/pages/{module.pk}/edit/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", id="page-edit-form")
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "button", "file"}:
            continue
        if field.name == "textarea":
            value = field.text
        elif field.name == "select":
            chosen = field.find_all("option", selected=True)
            value = chosen[0].get("value", "") if chosen else ""
        elif field.get("type") in {"checkbox", "radio"}:
            if not field.has_attr("checked"):
                continue
            value = field.get("value", "on")
        else:
            value = field.get("value", "")
        data.setdefault(name, []).append(value)
    return data, soup


def _edit(client, module, *, trainers=None, title=None, action=None):
    data, _soup = _form(client, module)
    if trainers is not None:
        data["trainers"] = [str(u.pk) for u in trainers]
    if title is not None:
        data["title"] = [title]
    if action:
        data[action] = ["1"]
    return client.post(f"/admin/pages/{module.pk}/edit/", data)


def _ids(users) -> set[int]:
    return {u.pk for u in users}


def test_trainers_kept_in_draft_moderation_publish_and_later_edits(
    client, site, make_module, people
):
    from forum.models import Forum
    from forum.permissions import forum_access

    a, b = people["a"], people["b"]
    module = make_module(owner=a, lessons=1)
    assert not module.permissions_for_user(b).can_add_subpage()

    # The trainer chooses a co-trainer and saves a draft: the live page is unchanged, the
    # draft revision holds the choice and the edit form shows it again.
    client.force_login(a)
    response = _edit(client, module, trainers=[a, b])
    assert response.status_code == 302, response.content[:2000]
    module = TrainingModulePage.objects.get(pk=module.pk)
    assert module.has_unpublished_changes
    assert set(module.latest_revision.content["trainers"]) == {a.pk, b.pk}
    assert _ids(module.trainers.all()) == set()
    data, _soup = _form(client, module)
    assert set(data["trainers"]) == {str(a.pk), str(b.pk)}

    # Submitted for review and approved: publishing writes the revision's trainers.
    response = _edit(client, module, action="action-submit")
    assert response.status_code == 302
    module.refresh_from_db()
    state = module.current_workflow_task_state
    state.task.specific.on_action(state, people["reviewer"], "approve", comment="Baik.")
    module = TrainingModulePage.objects.get(pk=module.pk)
    assert module.live and not module.has_unpublished_changes
    assert _ids(module.trainers.all()) == {a.pk, b.pk}
    assert set(module.live_revision.content["trainers"]) == {a.pk, b.pk}

    # Readers of ``trainers``: the co-trainer adds lessons and moderates the module's forum
    # (created when the module was published).
    assert module.permissions_for_user(b).can_add_subpage()
    forum = Forum.objects.get(module=module)
    assert forum_access(b, forum).moderate
    assert not forum_access(people["twin"], forum).moderate

    # A later edit of something else (publishing straight away) keeps the trainers.
    client.force_login(people["admin"])
    response = _edit(client, module, title="Modul Berganti Judul", action="action-publish")
    assert response.status_code == 302, response.content[:2000]
    module = TrainingModulePage.objects.get(pk=module.pk)
    assert module.title == "Modul Berganti Judul"
    assert _ids(module.trainers.all()) == {a.pk, b.pk}
    assert set(module.live_revision.content["trainers"]) == {a.pk, b.pk}
    html = client.get(module.url).content.decode()
    assert "Ani Wibowo" in html and "Bayu Saputra" in html


def test_picker_lists_pelatih_members_by_name(client, site, make_module, people):
    module = make_module(owner=people["a"], lessons=0)
    client.force_login(people["a"])
    _data, soup = _form(client, module)
    labels = {
        box["value"]: soup.find("label", attrs={"for": box["id"]}).get_text(strip=True)
        for box in soup.find_all("input", attrs={"name": "trainers"})
    }
    assert labels == {
        str(people["a"].pk): "Ani Wibowo",
        # Two people of the same name are told apart by their username.
        str(people["b"].pk): "Bayu Saputra (pelatih-b)",
        str(people["twin"].pk): "Bayu Saputra (pelatih-c)",
    }


def test_picker_refuses_anyone_outside_pelatih(client, site, make_module, people):
    module = make_module(owner=people["a"], lessons=0)
    client.force_login(people["a"])
    response = _edit(client, module, trainers=[people["a"], people["hr"]])
    assert response.status_code == 200  # the form again, with the error
    assert "trainers" in response.context["form"].errors
    module = TrainingModulePage.objects.get(pk=module.pk)
    assert "trainers" not in (module.latest_revision.content if module.latest_revision else {})
    assert _ids(module.trainers.all()) == set()


def test_a_chosen_trainer_who_left_pelatih_stays_listed_until_removed(
    client, site, make_module, people, groups
):
    module = make_module(owner=people["a"], lessons=0)
    module.trainers.add(people["b"])
    module.save()
    people["b"].groups.remove(groups["Pelatih"])
    client.force_login(people["a"])
    data, soup = _form(client, module)
    assert data["trainers"] == [str(people["b"].pk)]
    # Saving without touching the field keeps them; unticking removes them.
    assert _edit(client, module).status_code == 302
    module = TrainingModulePage.objects.get(pk=module.pk)
    assert set(module.latest_revision.content["trainers"]) == {people["b"].pk}
    assert _edit(client, module, trainers=[]).status_code == 302
    module = TrainingModulePage.objects.get(pk=module.pk)
    assert module.latest_revision.content["trainers"] == []


def test_migration_puts_the_trainers_into_older_revisions(site, make_module, people):
    from django.apps import apps
    from wagtail.models import Revision

    migration = importlib.import_module("portal.migrations.0005_module_trainers_parental")
    module = make_module(owner=people["a"], lessons=0)
    module.trainers.add(people["a"], people["b"])
    module.save()
    old = module.save_revision()
    content = dict(old.content)
    content.pop("trainers")  # as revisions were before the field was parental
    Revision.objects.filter(pk=old.pk).update(content=content)
    migration.trainers_into_revisions(apps, None)
    old.refresh_from_db()
    assert sorted(old.content["trainers"]) == sorted([people["a"].pk, people["b"].pk])
    # Publishing that older revision keeps today's trainers.
    old.publish()
    module = TrainingModulePage.objects.get(pk=module.pk)
    assert _ids(module.trainers.all()) == {people["a"].pk, people["b"].pk}
