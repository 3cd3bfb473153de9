"""The home page as the page of things to do, per role (issue #17): the supervisor's reports not
yet evaluated, HR's recommendations and external learning, the self-evaluation still open; no
call to action that is already done (the final self-evaluation, the supervisor's final
evaluation on Tim saya, a completed module among the suggestions); a fixed number of queries
at two data sizes."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

_seq = itertools.count(1)


@pytest.fixture
def period(db):
    from kompetensi.models import EvaluationPeriod

    return EvaluationPeriod.objects.create(
        code="2026", name="Penilaian 2026", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )


@pytest.fixture
def unit(db):
    from kompetensi.models import OrganizationUnit

    return OrganizationUnit.objects.create(code="DISDUK", name="Dinas Dukcapil")


def _employee(unit, *, user=None, supervisor=None):
    from kompetensi.models import Employee

    n = next(_seq)
    return Employee.objects.create(
        nip=f"19850315201001{1 + n % 2}{n % 1000:03d}",
        name=f"Pegawai {n}",
        unit=unit,
        user=user,
        supervisor=supervisor,
        rank="III/a",
    )


def _final(employee, period, source):
    from kompetensi.models import Evaluation

    return Evaluation.objects.create(
        employee=employee, period=period, source=source, status=Evaluation.Status.FINAL
    )


def _team(unit, size):
    boss = _employee(unit, user=factories.user(f"atasan{next(_seq)}", "ASN"))
    reports = [_employee(unit, supervisor=boss) for _ in range(size)]
    return boss, reports


def test_supervisor_sees_reports_not_evaluated_and_link_to_team(client, site, unit, period):
    boss, reports = _team(unit, 3)
    client.force_login(boss.user)
    html = client.get("/").content.decode()
    assert "3 bawahan belum dinilai" in html
    assert 'href="/tim-saya/"' in html
    _final(reports[0], period, "supervisor")
    _final(reports[1], period, "self")  # the report's own evaluation does not count
    html = client.get("/").content.decode()
    assert "2 bawahan belum dinilai" in html
    for report in reports[1:]:
        _final(report, period, "supervisor")
    assert "bawahan belum dinilai" not in client.get("/").content.decode()


def test_team_page_drops_evaluate_button_after_final(client, site, unit, period):
    from kompetensi.models import Evaluation

    boss, reports = _team(unit, 2)
    _final(reports[0], period, "supervisor")
    Evaluation.objects.create(employee=reports[1], period=period, source="supervisor")  # draft
    client.force_login(boss.user)
    html = client.get("/tim-saya/").content.decode()
    done_row = html[html.index(reports[0].name) :].split("</tr>")[0]
    draft_row = html[html.index(reports[1].name) :].split("</tr>")[0]
    assert "Nilai 2026" not in done_row
    assert "2026 sudah final" in done_row
    assert "Nilai 2026" in draft_row


def test_self_evaluation_call_to_action_until_final(client, site, unit, period):
    from kompetensi.models import Evaluation

    me = _employee(unit, user=factories.user("pegawai-diri", "ASN"))
    client.force_login(me.user)
    assert "Isi penilaian diri: Penilaian 2026" in client.get("/").content.decode()
    assert "Isi penilaian diri: Penilaian 2026" in client.get("/kinerja-saya/").content.decode()
    draft = Evaluation.objects.create(employee=me, period=period, source="self")
    assert "Isi penilaian diri: Penilaian 2026" in client.get("/").content.decode()
    draft.status = Evaluation.Status.FINAL
    draft.save()
    from core import dataversion

    dataversion.bump(*dataversion.for_person(employee=me.pk, user=me.user.pk))
    assert "Isi penilaian diri" not in client.get("/").content.decode()
    assert "Isi penilaian diri" not in client.get("/kinerja-saya/").content.decode()


def test_completed_module_is_not_suggested(client, learner, give_gap, competencies, make_module):
    from workflow.models import Assignment

    give_gap(learner, competencies["M.3"])
    done = make_module("Modul Sudah Selesai", lessons=0)
    fresh = make_module("Modul Belum Diikuti", lessons=0)
    Assignment.objects.create(
        employee=learner.employee, module=done, status=Assignment.Status.COMPLETED, jp=done.jp
    )
    client.force_login(learner)
    html = client.get("/").content.decode()
    suggested = html[html.index("Modul yang sesuai dengan kesenjangan Anda") :]
    assert fresh.title in suggested
    assert done.title not in suggested


def _hr_world(unit, make_module, size):
    from workflow.models import Assignment, ExternalLearning

    module = make_module(f"Modul HR {next(_seq)}", lessons=0)
    people = [_employee(unit) for _ in range(size)]
    for person in people:
        Assignment.objects.create(
            employee=person, module=module, status=Assignment.Status.RECOMMENDED, jp=module.jp
        )
        ExternalLearning.objects.create(
            employee=person,
            title="Seminar",
            provider="LAN",
            kind=ExternalLearning.Kind.values[0],
            start_date=dt.date(2026, 2, 1),
            end_date=dt.date(2026, 2, 2),
            jp=4,
            proof="bukti.pdf",
        )
    return people


def test_hr_sees_recommendations_external_and_imports(client, site, unit, make_module):
    _hr_world(unit, make_module, 3)
    hr = factories.user("sdm-kota", "ASN", "BKPSDM")
    client.force_login(hr)
    html = client.get("/").content.decode()
    assert "3 rekomendasi pelatihan menunggu persetujuan" in html
    assert "3 pembelajaran eksternal menunggu pemeriksaan" in html
    for path in ("/sdm/rekomendasi/", "/sdm/pembelajaran-eksternal/", "/sdm/impor-pegawai/",
                 "/sdm/impor-skp/", "/sdm/periode/"):  # fmt: skip
        assert f'href="{path}"' in html, path


def test_unit_scoped_hr_counts_only_their_units(client, site, unit, make_module):
    from kompetensi.models import OrganizationUnit

    _hr_world(unit, make_module, 2)
    other = OrganizationUnit.objects.create(code="DINKES", name="Dinas Kesehatan")
    _hr_world(other, make_module, 1)
    hr = factories.user("sdm-dinkes", "ASN", "BKPSDM", hr_units=[other])
    client.force_login(hr)
    html = client.get("/").content.decode()
    assert "1 rekomendasi pelatihan menunggu persetujuan" in html


def test_no_panels_for_a_plain_learner(client, learner):
    client.force_login(learner)
    html = client.get("/").content.decode()
    assert "Tugas BKPSDM" not in html
    assert "bawahan belum dinilai" not in html
    assert "Moderasi forum" not in html


def _home_queries(client, user) -> int:
    client.force_login(user)
    assert client.get("/").status_code == 200  # caches warm, as on every later visit
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_home_queries_do_not_grow_with_the_data(client, site, unit, period, make_module):
    """A supervisor who is also HR (every panel on the page) at 2 and 12 reports,
    recommendations and external records: the same number of queries."""
    from django.contrib.auth.models import Group

    counts = []
    for size in (2, 12):
        boss, reports = _team(unit, size)
        boss.user.groups.add(Group.objects.get(name="BKPSDM"))
        factories.set_hr_scope(boss.user)
        _final(reports[0], period, "supervisor")
        _hr_world(unit, make_module, size)
        counts.append(_home_queries(client, boss.user))
        client.logout()
    assert counts[0] == counts[1], counts
