"""GET /api/v1/modules, /modules/{id}, /lessons/{id}."""

import json

import pytest

from portal.models import LessonPage


@pytest.fixture
def reader(make_user):
    return make_user("pembaca", "ASN")


def test_modules_list_paginated(api, reader, make_module, competencies):
    make_module("B Modul", comps=(("M.3", 3), ("M.1", 2)), jp=12)
    make_module("A Modul", comps=(("T.KES.01", 4),))
    make_module("Draf", live=False)
    response = api(reader).get("/modules", limit=1)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert len(data["items"]) == 1
    item = data["items"][0]
    assert item["title"] == "A Modul"
    assert set(item) == {"id", "title", "url", "jp", "competencies"}
    assert item["competencies"] == [{"code": "T.KES.01", "target_level": 4}]
    assert item["url"].endswith(
        "/katalog/" + "modul-" + item["url"].rstrip("/").split("-")[-1] + "/"
    )
    second = api(reader).get("/modules", limit=1, offset=1).json()["items"][0]
    assert second["jp"] == 12
    assert second["competencies"] == [
        {"code": "M.3", "target_level": 3},
        {"code": "M.1", "target_level": 2},
    ]


def test_module_detail_and_404(api, reader, make_module):
    module = make_module("Modul Detail", lessons=2)
    draft = make_module("Draf", live=False)
    data = api(reader).get(f"/modules/{module.pk}").json()
    assert data["id"] == module.pk
    assert [le["title"] for le in data["lessons"]] == ["Pelajaran 1", "Pelajaran 2"]
    assert api(reader).get(f"/modules/{draft.pk}").status_code == 404
    assert api(reader).get("/modules/999999").status_code == 404
    lesson = LessonPage.objects.child_of(module).first()
    assert api(reader).get(f"/modules/{lesson.pk}").status_code == 404


def test_lesson_detail_without_answers(api, reader, make_module):
    module = make_module(lessons=2)
    quiz_lesson = LessonPage.objects.child_of(module).get(slug="p2")
    data = api(reader).get(f"/lessons/{quiz_lesson.pk}").json()
    assert data["module_id"] == module.pk
    assert [q["question_id"] for q in data["quiz"]] == ["q-single", "q-multi"]
    assert data["quiz"][0]["choices"][0] == {"id": "a1", "text": "Pilihan a1"}
    assert "correct" not in json.dumps(data)
    plain = LessonPage.objects.child_of(module).get(slug="p1")
    assert api(reader).get(f"/lessons/{plain.pk}").json()["quiz"] == []
    plain.unpublish()
    assert api(reader).get(f"/lessons/{plain.pk}").status_code == 404
    assert api(reader).get(f"/lessons/{module.pk}").status_code == 404


def test_lesson_of_unpublished_module_is_404(api, reader, make_module):
    module = make_module(lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    module.unpublish()
    assert api(reader).get(f"/lessons/{lesson.pk}").status_code == 404


def test_anonymous_is_401(client, make_module):
    make_module()
    assert client.get("/api/v1/modules").status_code == 401


@pytest.mark.parametrize("size", [5, 120])
def test_module_list_fixed_queries(api, reader, make_module, size, django_assert_max_num_queries):
    for _ in range(size):
        make_module(lessons=0)
    client = api(reader)
    client.get("/modules")
    with django_assert_max_num_queries(8):
        assert len(client.get("/modules", limit=100).json()["items"]) == min(size, 100)


@pytest.mark.parametrize("bad_id", [0, -1, 2**31, 2**70])
def test_ids_outside_the_column_range_are_404(api, reader, bad_id):
    assert api(reader).get(f"/modules/{bad_id}").status_code == 404
    assert api(reader).get(f"/lessons/{bad_id}").status_code == 404
