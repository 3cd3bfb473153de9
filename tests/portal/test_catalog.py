"""Catalog filters, search, the learner's gaps, and fixed query counts of the pages."""

import pytest

from portal.models import LessonPage, TrainingModulePage


def _titles(response) -> list[str]:
    return [m.title for m in response.context["results"]["modules"]]


@pytest.fixture
def mix(make_module):
    return {
        "kom": make_module("Komunikasi Efektif", comps=(("M.3", 3),), jp=8, lessons=1),
        "int": make_module(
            "Integritas Dasar", comps=(("M.1", 2),), jp=16, modality="klasikal", lessons=1
        ),
        "surv": make_module(
            "Surveilans Epidemiologi Dasar",
            comps=(("T.KES.01", 3),),
            jp=30,
            modality="blended",
            lessons=1,
            summary="Data penyakit dan kewaspadaan dini KLB.",
        ),
        "draft": make_module("Modul Draf", comps=(("M.3", 3),), live=False, lessons=0),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Integritas Dasar", "Komunikasi Efektif", "Surveilans Epidemiologi Dasar"]),
        ({"kompetensi": "M.3"}, ["Komunikasi Efektif"]),
        ({"jenis": "teknis"}, ["Surveilans Epidemiologi Dasar"]),
        ({"jenis": "manajerial", "level": "2"}, ["Integritas Dasar"]),
        ({"kompetensi": "M.3", "level": "2"}, []),
        ({"modalitas": "klasikal"}, ["Integritas Dasar"]),
        ({"jp": "pendek"}, ["Komunikasi Efektif"]),
        ({"jp": "sedang"}, ["Integritas Dasar"]),
        ({"jp": "panjang"}, ["Surveilans Epidemiologi Dasar"]),
        ({"q": "surveilans"}, ["Surveilans Epidemiologi Dasar"]),
        ({"q": "kewaspadaan"}, ["Surveilans Epidemiologi Dasar"]),
        ({"q": "tidakadaapapun"}, []),
        ({"jenis": "ngawur", "level": "9", "modalitas": "x", "jp": "?"}, None),
    ],
)
def test_filters_and_search(client, mix, params, expected):
    response = client.get("/katalog/", params)
    assert response.status_code == 200
    if expected is None:
        expected = ["Integritas Dasar", "Komunikasi Efektif", "Surveilans Epidemiologi Dasar"]
    assert _titles(response) == expected
    assert "Modul Draf" not in response.content.decode()


def test_learner_sees_modules_for_own_gaps(client, learner, give_gap, competencies, mix):
    give_gap(learner, competencies["M.1"], required=3, assessed=1)
    give_gap(learner, competencies["T.KES.01"], required=2, assessed=2)  # no gap
    client.force_login(learner)
    response = client.get("/katalog/")
    html = response.content.decode()
    assert "Kesenjangan kompetensi Anda" in html
    # Modules addressing the learner's gaps come first and are marked.
    assert _titles(response)[0] == "Integritas Dasar"
    assert html.count("Sesuai kesenjangan Anda") == 1
    assert _titles(client.get("/katalog/", {"untuk_saya": "1"})) == ["Integritas Dasar"]


def test_home_shows_jp_and_suggestions(client, learner, give_gap, competencies, mix):
    give_gap(learner, competencies["M.3"], required=3, assessed=2)
    client.force_login(learner)
    html = client.get("/").content.decode()
    assert "JP tahun ini" in html
    assert "/ 20 JP" in html
    assert "Komunikasi Efektif" in html
    assert "Aktivitas forum terbaru" in html


def _many_modules(catalog, competencies, n):
    """Cheap pages: treebeard add_child without revisions, one competency link each."""
    from portal.models import ModuleCompetency

    comp = competencies["M.3"]
    links = []
    for i in range(n):
        module = TrainingModulePage(
            title=f"Modul Massal {i:04d}", slug=f"massal-{i}", summary="s", jp=8
        )
        catalog.add_child(instance=module)
        links.append(ModuleCompetency(page=module, competency=comp, target_level=3))
    ModuleCompetency.objects.bulk_create(links)


@pytest.mark.parametrize("size", [10, 500])
def test_query_counts_fixed(
    client,
    learner,
    give_gap,
    competencies,
    catalog,
    make_module,
    size,
    django_assert_max_num_queries,
):
    from workflow import services

    _many_modules(catalog, competencies, size)
    module = make_module("Modul Diukur", lessons=3)
    lessons = list(LessonPage.objects.child_of(module).order_by("path"))
    give_gap(learner, competencies["M.3"])
    services.module_enrol(user=learner, module=module)
    services.lesson_complete(user=learner, lesson=lessons[0])
    client.force_login(learner)
    client.get("/")  # warm the site-root cache, session
    for url in (
        "/katalog/",
        "/katalog/?kompetensi=M.3&untuk_saya=1&q=modul",
        "/",
        module.url,
        lessons[1].url,
        lessons[2].url,
    ):
        with django_assert_max_num_queries(26):
            assert client.get(url).status_code == 200, url
