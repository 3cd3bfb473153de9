"""Issue #14, workflow: "may U do X to O" is decided once, in the service, so the web page,
the API and a direct call (task, command) give the same answer. A scoped officer acts only
inside their units: recommendations, needs, assignments (single and bulk), external learning,
certificates (revoke, ZIP) and every report and export."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from workflow import external, services
from workflow.models import Assignment, ExternalLearning, TrainingNeed

S = Assignment.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped(make_user, other_unit):
    """An HR officer of DINKES only (``other_unit``)."""
    return make_user("hr-dinkes", "BKPSDM", hr_units=[other_unit])


@pytest.fixture
def people(make_employee, other_unit):
    """``home``: an employee of BKPSDM (the officer's *other* unit); ``far``: of DINKES."""
    return {
        "home": make_employee("di-bkpsdm"),
        "far": make_employee("di-dinkes", unit_=other_unit),
    }


def _recommended(employee, module, **extra):
    return Assignment.objects.create(
        employee=employee, module=module, status=S.RECOMMENDED, jp=module.jp, **extra
    )


# ------------------------------------------------------------------------------------------
# Recommendations: the web "Jalankan rekomendasi" runs over the officer's units only
# ------------------------------------------------------------------------------------------


def test_web_recommend_runs_only_over_the_officers_units(
    client, scoped, people, make_module, make_gap, period
):
    make_module(target=3)
    make_gap(people["home"], required=3, assessed=1)
    make_gap(people["far"], required=3, assessed=1)
    client.force_login(scoped)
    r = client.post(
        reverse("workflow:recommendations"), {"action": "recommend", "period": "2026"}, follow=True
    )
    assert "1 kebutuhan baru, 1 rekomendasi baru" in r.content.decode()
    assert list(TrainingNeed.objects.values_list("employee", flat=True)) == [people["far"].pk]
    assert list(Assignment.objects.values_list("employee", flat=True)) == [people["far"].pk]


def test_api_and_service_recommend_agree_with_the_web(
    api, scoped, people, make_module, make_gap, period
):
    make_module(target=3)
    make_gap(people["home"], required=3, assessed=1)
    make_gap(people["far"], required=3, assessed=1)
    body = api(scoped).post("/periods/2026/recommend").json()
    assert body == {"needs": 1, "recommended": 1, "without_module": 0}
    # A direct call narrows further but never widens the actor's scope.
    again = services.period_recommend(
        period=period, actor=scoped, employee_ids=[people["home"].pk, people["far"].pk]
    )
    assert (again.needs, again.recommended) == (0, 0)
    assert not TrainingNeed.objects.filter(employee=people["home"]).exists()
    # The system actor (a task, a seed) covers everybody.
    assert services.period_recommend(period=period, actor=SYSTEM).needs == 1


def test_recommend_refused_without_hr_authority(make_user, people, make_gap, period):
    make_gap(people["far"], required=3, assessed=1)
    no_scope = make_user("hr-tanpa-unit", "BKPSDM", hr_units=())
    for actor in (people["far"].user, no_scope):
        with pytest.raises(services.NotAllowed) as exc:
            services.period_recommend(period=period, actor=actor)
        assert exc.value.status == 403
    assert not TrainingNeed.objects.exists()


# ------------------------------------------------------------------------------------------
# Needs and single assignments: 404 outside the scope, 403 without HR authority
# ------------------------------------------------------------------------------------------


def test_need_dismiss_is_scoped_in_the_service(scoped, people, competency, period):
    need = TrainingNeed.objects.create(
        employee=people["home"], competency=competency, period=period, required_level=3, gap=2
    )
    with pytest.raises(services.NotFound):
        services.need_dismiss(need=need, actor=scoped, reason="pensiun")
    with pytest.raises(services.NotAllowed):
        services.need_dismiss(need=need, actor=people["home"].user, reason="pensiun")
    need.refresh_from_db()
    assert need.status == TrainingNeed.Status.OPEN
    mine = TrainingNeed.objects.create(
        employee=people["far"], competency=competency, period=period, required_level=3, gap=2
    )
    services.need_dismiss(need=mine, actor=scoped, reason="pensiun")
    mine.refresh_from_db()
    assert mine.status == TrainingNeed.Status.DISMISSED and mine.closed_by == scoped


def test_assignment_services_are_scoped(scoped, people, make_module):
    m = make_module()
    outside = _recommended(people["home"], m)
    due = services.jakarta_today() + dt.timedelta(days=5)
    calls = [
        lambda actor: services.assignment_approve(assignment=outside, actor=actor, due_date=due),
        lambda actor: services.assignment_update(assignment=outside, actor=actor, due_date=due),
        lambda actor: services.assignment_cancel(assignment=outside, actor=actor, reason="x"),
        lambda actor: services.assignment_create(
            employee=people["home"], module=make_module(), due_date=None, actor=actor
        ),
    ]
    for call in calls:
        with pytest.raises(services.NotFound):
            call(scoped)
        with pytest.raises(services.NotAllowed):
            call(people["far"].user)  # an ASN
    outside.refresh_from_db()
    assert outside.status == S.RECOMMENDED and outside.due_date is None
    assert Assignment.objects.count() == 1
    inside = services.assignment_create(
        employee=people["far"], module=m, due_date=due, actor=scoped
    )
    assert inside.status == S.ASSIGNED and inside.approved_by == scoped


def test_api_assignment_statuses(api, scoped, people, make_module):
    m = make_module()
    outside = _recommended(people["home"], m)
    inside = _recommended(people["far"], m)
    assert api(scoped).post(f"/assignments/{outside.pk}/approve", {}).status_code == 404
    assert api(scoped).post(f"/assignments/{outside.pk}/cancel", {}).status_code == 404
    assert api(people["far"].user).post(f"/assignments/{inside.pk}/approve", {}).status_code == 403
    r = api(scoped).post("/assignments", {"employee_nip": people["home"].nip, "module_id": m.pk})
    assert r.status_code == 404 and "employee_nip" in r.json()["detail"]
    r = api(people["far"].user).post(
        "/assignments", {"employee_nip": people["home"].nip, "module_id": m.pk}
    )
    assert r.status_code == 403
    assert api(scoped).post(f"/assignments/{inside.pk}/approve", {}).status_code == 200


def test_web_assignment_edit_outside_scope_is_404(client, scoped, people, make_module):
    outside = _recommended(people["home"], make_module())
    client.force_login(scoped)
    url = reverse("workflow:assignment_edit", args=[outside.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"action": "approve", "due_date": "", "confirmed": "1"}).status_code == 404
    )
    outside.refresh_from_db()
    assert outside.status == S.RECOMMENDED


# ------------------------------------------------------------------------------------------
# Bulk actions: refused as a whole, naming how many ids lie outside the scope
# ------------------------------------------------------------------------------------------


def test_bulk_approve_refuses_out_of_scope_ids_naming_how_many(scoped, people, make_module):
    inside = _recommended(people["far"], make_module())
    outside = [_recommended(people["home"], make_module()) for _ in range(2)]
    ids = [inside.pk, *(a.pk for a in outside)]
    with pytest.raises(services.NotFound) as exc:
        services.assignment_approve_bulk(ids=ids, actor=scoped, due_date=None)
    assert exc.value.status == 404
    assert "2 penugasan" in exc.value.message and "tidak ada yang disetujui" in exc.value.message
    assert set(Assignment.objects.values_list("status", flat=True)) == {S.RECOMMENDED}
    assert services.assignment_approve_bulk(ids=[inside.pk], actor=scoped, due_date=None) == 1


def test_web_bulk_approve_and_cancel_refuse_out_of_scope_ids(client, scoped, people, make_module):
    inside = _recommended(people["far"], make_module())
    outside = _recommended(people["home"], make_module())
    client.force_login(scoped)
    url = reverse("workflow:recommendations")
    for action, verb in (("approve", "disetujui"), ("cancel", "dibatalkan")):
        r = client.post(
            url, {"action": action, "ids": [inside.pk, outside.pk], "confirmed": "1"}, follow=True
        )
        html = r.content.decode()
        assert "1 penugasan yang dipilih tidak ditemukan di unit kewenangan Anda; " in html
        assert f"tidak ada yang {verb}" in html
        assert set(Assignment.objects.values_list("status", flat=True)) == {S.RECOMMENDED}
    # An id that does not exist counts the same way (nothing tells it from a hidden one).
    with pytest.raises(services.NotFound):
        services.assignment_cancel_bulk(ids=[inside.pk, 10**9], actor=scoped)


def test_bulk_cancel_reopens_the_need_like_a_single_cancel(
    hr_user, make_employee, make_module, competency, period
):
    e = make_employee()
    need = TrainingNeed.objects.create(
        employee=e, competency=competency, period=period, required_level=3, gap=2
    )
    a = _recommended(e, make_module(), need=need)
    services.assignment_approve(assignment=a, actor=hr_user, due_date=None)
    need.refresh_from_db()
    assert need.status == TrainingNeed.Status.ADDRESSED
    assert services.assignment_cancel_bulk(ids=[a.pk], actor=hr_user, reason="salah") == 1
    need.refresh_from_db()
    assert need.status == TrainingNeed.Status.OPEN


# ------------------------------------------------------------------------------------------
# External learning and certificates
# ------------------------------------------------------------------------------------------


def _external(employee):
    from django.core.files.base import ContentFile

    record = ExternalLearning(
        employee=employee, title="Webinar", provider="LAN", kind="webinar",
        start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 5), jp=4,
    )  # fmt: skip
    record.proof.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=False)
    record.save()
    return record


def test_external_review_is_scoped_in_the_service(scoped, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = _external(people["home"])
    for fn, kwargs in (
        (external.external_learning_approve, {}),
        (external.external_learning_reject, {"reason": "tidak jelas"}),
    ):
        with pytest.raises(external.ExternalLearningError) as exc:
            fn(record=record, actor=scoped, **kwargs)
        assert exc.value.status == 404
        with pytest.raises(external.ExternalLearningError) as exc:
            fn(record=record, actor=people["home"].user, **kwargs)
        assert exc.value.status == 403
    record.refresh_from_db()
    assert record.status == "submitted"
    mine = _external(people["far"])
    assert external.external_learning_approve(record=mine, actor=scoped).status == "approved"


@pytest.fixture
def certified(make_module, make_employee, other_unit, fake_pdf):
    from tests.workflow.conftest import finish_module
    from workflow.models import Certificate

    def _make(unit=None):
        e = make_employee(unit_=unit)
        m = make_module()
        finish_module(e.user, m)
        services.certificate_issue(assignment_id=Assignment.objects.get(employee=e).pk)
        return Certificate.objects.get(employee=e)

    return _make


def test_certificate_revoke_is_scoped_in_every_channel(
    client, api, scoped, certified, make_employee
):
    cert = certified()  # BKPSDM: outside the officer's units
    with pytest.raises(services.NotFound):
        services.certificate_revoke(certificate=cert, actor=scoped, reason="x")
    with pytest.raises(services.NotAllowed):
        services.certificate_revoke(certificate=cert, actor=make_employee().user, reason="x")
    r = api(scoped).post(f"/certificates/{cert.number}/revoke", {"reason": "x"})
    assert r.status_code == 404
    client.force_login(scoped)
    url = reverse("workflow:certificate_revoke", args=[cert.verification_code])
    assert client.post(url, {"reason": "x", "confirmed": "1"}).status_code == 404
    cert.refresh_from_db()
    assert cert.revoked_at is None


def test_certificate_zip_holds_only_the_officers_units(client, scoped, certified, other_unit):
    mine = certified(other_unit)
    certified()  # BKPSDM
    client.force_login(scoped)
    r = client.get(reverse("workflow:certificates_zip"), {"period": str(mine.year)})
    assert r.status_code == 200 and r["X-Certificate-Count"] == "1"
    zf = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    assert set(zf.namelist()) == {
        "MANIFEST.txt",
        f"{mine.number.replace('/', '-')}_{mine.employee.nip}.pdf",
    }
    assert client.get(reverse("workflow:certificates_zip"), {"unit": "BKPSDM"}).status_code == 404


# ------------------------------------------------------------------------------------------
# Every report and export, for an officer of another unit
# ------------------------------------------------------------------------------------------


@pytest.fixture
def reports_world(db):
    from tests.reports.test_data import NIPS, build_world

    return build_world(), NIPS


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_dashboard_export_of_an_officer_of_another_unit(
    client, make_user, reports_world, fmt
):
    """DISDUK's officer: no table of any page carries a DINKES person or unit."""
    from reports.selectors.scope import Scope
    from reports.views.dashboard import dashboard_page

    world, nips = reports_world
    officer = make_user("hr-disduk", "BKPSDM", hr_units=[world.units["B"]])
    client.force_login(officer)
    foreign = ("Siti Aminah", "Budi Santoso", "Dinas Kesehatan", "Bidang Pelayanan")
    foreign_nips = (nips["e1"], nips["e2"], nips["e3"])

    def body(response) -> str:
        assert response.status_code == 200
        if fmt == "csv":
            return response.content.decode()
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(str(c.value) for row in ws.iter_rows() for c in row)

    # Every table of the overview and of the effectiveness page (keys from the pages).
    overview = dashboard_page(Scope(paths=None), period=world.periods["cur"], year=world.year)
    keys = [t.key for t in overview["tables"]]
    assert keys  # the overview has tables
    for key in keys:
        text = body(client.get("/sdm/", {"ekspor": key, "format": fmt}))
        assert not any(name in text for name in foreign + foreign_nips), key
    for key in ("modul", "kompetensi"):
        text = body(client.get("/sdm/efektivitas/", {"ekspor": key, "format": fmt}))
        assert not any(name in text for name in foreign), key
    # Own unit: its employee table is there, with DISDUK's person only.
    text = body(client.get("/sdm/unit/DISDUK/", {"ekspor": "pegawai", "format": fmt}))
    assert "Dewi Lestari" in text and not any(n in text for n in foreign)
    # Another unit's page and exports, another unit's employee: 404, whatever the format.
    for path in ("/sdm/unit/DINKES/", "/sdm/unit/DINKES-P/", f"/sdm/pegawai/{nips['e1']}/"):
        for params in ({"ekspor": "pegawai", "format": fmt}, {"format": "pdf"}, {}):
            assert client.get(path, params).status_code == 404, (path, params)
    assert client.get(f"/sdm/pegawai/{nips['e2']}/data.json").status_code == 404


def test_siasn_export_and_unit_report_api_of_an_officer_of_another_unit(
    client, api, make_user, reports_world
):
    world, nips = reports_world
    officer = make_user("hr-disduk", "BKPSDM", hr_units=[world.units["B"]])
    client.force_login(officer)
    for fmt in ("csv", "json"):
        r = client.get("/sdm/ekspor/riwayat-kursus/", {"format": fmt, "period": str(world.year)})
        text = r.content.decode()
        assert r.status_code == 200 and nips["e4"] in text
        assert nips["e1"] not in text and nips["e2"] not in text
    records = json.loads(
        client.get(
            "/sdm/ekspor/riwayat-kursus/", {"format": "json", "period": str(world.year)}
        ).content
    )
    assert {r["nipBaru"] for r in records} == {nips["e4"]}
    assert api(officer).get("/units/DINKES/report").status_code == 404
    assert api(officer).get("/units/DISDUK/report").json()["employees"] == 1


def test_hr_lists_of_an_officer_of_another_unit(
    client, scoped, people, make_module, competency, period, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    m = make_module()
    _recommended(people["home"], m)
    _recommended(people["far"], m)
    for e in (people["home"], people["far"]):
        TrainingNeed.objects.create(
            employee=e, competency=competency, period=period, required_level=3, gap=2
        )
        _external(e)
    client.force_login(scoped)
    for url in (
        reverse("workflow:recommendations"),
        reverse("workflow:needs"),
        reverse("workflow:external_review"),
    ):
        html = client.get(url).content.decode()
        assert people["far"].name in html and people["home"].name not in html, url


def test_certificate_and_assignment_lists_of_another_unit_are_404(api, scoped, certified):
    outside = certified()  # BKPSDM
    nip = outside.employee.nip
    assert api(scoped).get(f"/employees/{nip}/certificates").status_code == 404
    assert api(scoped).get(f"/employees/{nip}/assignments").status_code == 404
    assert api(outside.employee.user).get(f"/employees/{nip}/certificates").json()["count"] == 1
