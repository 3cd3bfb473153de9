"""The evaluation form on a phone and Tim saya (issue #17, "Forms and learning on a phone"):
the compact self-evaluation (levels as one row of choices, descriptions folded, a counter, an
error that links to each unanswered competency), the supervisor's form (the subordinate's sent
self-assessment, the previous level, a plain-text comment per competency kept through the
confirmation), and each report's training this year on Tim saya in a fixed number of queries."""

import datetime as dt
import re

import pytest

from kompetensi import services
from kompetensi.models import CompetencyScore, Employee, Evaluation

SELF_URL = "/kinerja-saya/penilaian-diri/2026/"


def _sup_url(world) -> str:
    return f"/tim-saya/{world.staff.nip}/penilaian/2026/"


def _comps(world):
    return (world.comm, world.serv, world.tek)


def test_self_form_is_compact_with_a_counter(world, client):
    client.force_login(world.staff.user)
    html = client.get(SELF_URL).content.decode()
    assert "0 dari 3 terisi" in re.sub(r"<[^>]+>", "", html)
    # Descriptions and indicators are folded in one <details> per competency; each radio is
    # described by its level's description.
    assert html.count('<details class="eval-guide">') == 3
    assert '<details class="eval-guide" open' not in html
    comm = world.comm.pk
    assert f'aria-describedby="c{comm}-d3"' in html and f'id="c{comm}-d3"' in html
    assert 'src="/static/js/evaluation.js"' in html
    assert "<textarea" not in html  # no comment on one's own self-assessment
    assert client.post(SELF_URL, {f"c{comm}": 4, "simpan": "1"}).status_code == 302
    html = client.get(SELF_URL).content.decode()
    assert "1 dari 3 terisi" in re.sub(r"<[^>]+>", "", html)
    assert "Komunikasi level 4" in html  # the chosen level's description under the choices


def test_unanswered_error_links_to_each_competency(world, client):
    client.force_login(world.staff.user)
    res = client.post(SELF_URL, {f"c{world.comm.pk}": 3, "kirim": "1"})
    assert res.status_code == 200
    html = res.content.decode()
    assert "Semua kompetensi wajib dinilai" in html and "Belum dinilai: 2 kompetensi" in html
    summary = html.split('id="kesalahan"', 1)[1].split("</div>", 1)[0]
    for comp in (world.serv, world.tek):
        assert f'<a href="#c{comp.pk}">{comp.code} {comp.name}</a>' in summary
        assert f'<fieldset class="eval-competency has-error" id="c{comp.pk}"' in html
    assert f'href="#c{world.comm.pk}"' not in summary
    # The answer given stays checked; nothing was saved.
    assert re.search(rf'id="c{world.comm.pk}-3"[^>]*checked', html)
    assert not Evaluation.objects.filter(employee=world.staff).exists()


def test_supervisor_sees_sent_self_assessment_and_previous_level(world, client):
    # 2025: a final supervisor evaluation (previous level); 2026: a self draft, then sent.
    services.evaluation_save(
        actor=world.atasan.user,
        employee=world.staff,
        period=world.old,
        source="supervisor",
        scores={world.comm: 2},
        finalize=True,
    )
    services.evaluation_save(
        actor=world.staff.user,
        employee=world.staff,
        period=world.period,
        source="self",
        scores={world.comm: 4},
    )
    client.force_login(world.atasan.user)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", client.get(_sup_url(world)).content.decode()))
    assert "Penilaian diri: level 4" not in text  # a draft is the employee's own
    assert "Penilaian diri: belum dikirim" in text
    assert "Level sebelumnya: level 2 (Periode 2025)" in text
    services.evaluation_save(
        actor=world.staff.user,
        employee=world.staff,
        period=world.period,
        source="self",
        scores=dict.fromkeys(_comps(world), 4),
        finalize=True,
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", client.get(_sup_url(world)).content.decode()))
    assert "Penilaian diri: level 4" in text
    assert "Level sebelumnya: belum ada" in text  # M.5 and the teknis one were not scored in 2025


def test_supervisor_comment_per_competency(world, client):
    client.force_login(world.atasan.user)
    url = _sup_url(world)
    comm, serv, tek = _comps(world)
    html = client.get(url).content.decode()
    assert html.count("<textarea") == 3 and f'name="n{comm.pk}"' in html
    note = "Sering menjelaskan prosedur dengan jelas.\r\n<script>alert(1)</script>"
    # A comment without a level is refused (it could not be kept).
    res = client.post(url, {f"c{comm.pk}": 3, f"n{serv.pk}": "tanpa level", "simpan": "1"})
    assert res.status_code == 200
    assert "Pilih level kompetensi ini agar catatannya tersimpan." in res.content.decode()
    assert (
        client.post(url, {f"c{comm.pk}": 3, f"n{comm.pk}": note, "simpan": "1"}).status_code == 302
    )
    score = CompetencyScore.objects.get(evaluation__source="supervisor", competency=comm)
    assert score.note == "Sering menjelaskan prosedur dengan jelas.\n<script>alert(1)</script>"
    html = client.get(url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    # Sending: the confirmation carries the comments; the confirmed post keeps them.
    fields = {f"c{c.pk}": 2 for c in _comps(world)}
    fields[f"n{tek.pk}"] = "Perlu pelatihan SIAK."
    res = client.post(url, {**fields, "kirim": "1"})
    assert res.status_code == 200 and 'name="confirmed" value="1"' in res.content.decode()
    assert 'value="Perlu pelatihan SIAK."' in res.content.decode()
    assert client.post(url, {**fields, "kirim": "1", "confirmed": "1"}).status_code == 302
    notes = dict(
        CompetencyScore.objects.filter(evaluation__source="supervisor").values_list(
            "competency_id", "note"
        )
    )
    assert notes == {comm.pk: "", serv.pk: "", tek.pk: "Perlu pelatihan SIAK."}
    html = client.get(url).content.decode()
    assert "<textarea" not in html and "Perlu pelatihan SIAK." in html  # read-only now


# -- Tim saya ----------------------------------------------------------------------------------


def _assign(employee, module, status, **extra):
    from workflow.models import Assignment

    return Assignment.objects.create(employee=employee, module=module, status=status, **extra)


def _module(title: str, slug: str):
    from portal.models import TrainingModulePage
    from portal.site import ensure_page_tree

    page = TrainingModulePage(title=title, slug=slug, summary="Ringkasan", jp=12)
    ensure_page_tree()["catalog"].add_child(instance=page)
    return page


@pytest.fixture
def module(db):
    return _module("Komunikasi Efektif", "komunikasi-efektif")


def test_team_shows_training_progress_and_jp(world, client, module):
    from workflow.selectors import jakarta_today

    today = jakarta_today()
    _assign(
        world.staff,
        module,
        "completed",
        jp=12,
        completion_year=today.year,
        completed_at=dt.datetime.now(dt.UTC),
    )
    other = _module("Pelayanan Prima", "pelayanan-prima")
    _assign(world.staff, other, "in_progress", due_date=today - dt.timedelta(days=3))
    client.force_login(world.atasan.user)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/tim-saya/").content.decode()))
    assert "12 dari 20 JP" in text
    assert "1 pelatihan berjalan · 1 lewat batas waktu · 1 selesai" in text


def _reports(world, start: int, count: int) -> None:
    Employee.objects.bulk_create(
        Employee(
            nip=f"19900101201501{i:04d}",
            name=f"Pegawai {i:04d}",
            unit=world.duk1,
            position=world.petugas,
            rank="III/a",
            supervisor=world.atasan,
        )
        for i in range(start, start + count)
    )
    services.profile_recompute()


def _team_queries(client) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        res = client.get("/tim-saya/")
    assert res.status_code == 200
    return len(ctx.captured_queries), res.content.decode()


def test_team_query_count_is_fixed(world, client, module):
    """Tim saya (reports, gaps, training, periods, finals) reads the same number of queries
    for 3 reports as for 60."""
    client.force_login(world.atasan.user)
    _reports(world, 0, 2)  # + Rizki: 3 reports
    for emp in Employee.objects.filter(supervisor=world.atasan):
        _assign(emp, module, "assigned")
    client.get("/tim-saya/")  # per-user caches (menu, roles) warm
    small, html = _team_queries(client)
    assert html.count("1 pelatihan berjalan") == 3
    _reports(world, 2, 57)
    for emp in Employee.objects.filter(supervisor=world.atasan, assignments__isnull=True):
        _assign(emp, module, "assigned")
    client.get("/tim-saya/")
    large, html = _team_queries(client)
    assert html.count("1 pelatihan berjalan") == 60
    assert small == large, (small, large)
