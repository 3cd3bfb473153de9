"""Issue #14, "numbers that must be true": a recommendation whose gap closed is withdrawn and
can no longer be approved; a revoked certificate stops counting towards JP everywhere, its
holder is told and its PDF is served stamped "DICABUT"; module progress is one number
everywhere; the certificate ZIP holds every certificate of its scope; small output defects."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notification
from core.roles import SYSTEM
from tests.workflow.conftest import finish_module
from workflow import selectors, services
from workflow.models import Assignment, Certificate, TrainingNeed

S = Assignment.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pdf_stub(monkeypatch):
    """The certificate renderer replaced by a small, well-formed one-page PDF (pypdf)."""
    from pypdf import PdfWriter

    def _render(ctx):
        writer = PdfWriter()
        writer.add_blank_page(width=842, height=595)
        writer.add_metadata({"/Title": ctx.number})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    monkeypatch.setattr("workflow.certificates.pdf.render_certificate_pdf", _render)


# ------------------------------------------------------------------------------------------
# A recommendation whose gap closed is withdrawn
# ------------------------------------------------------------------------------------------


@pytest.fixture
def withdrawn(make_module, make_employee, hr_user, competency, period):
    """A recommendation made from a final evaluation's gap, then a later final evaluation
    that reaches the required level (the real path: evaluation → profile recompute)."""
    from kompetensi.models import EvaluationPeriod, Position, PositionRequirement
    from kompetensi.services import evaluation_save

    position = Position.objects.create(code="P.1", name="Pengawas", kind="pengawas")
    PositionRequirement.objects.create(position=position, competency=competency, level=3)
    e = make_employee()
    e.position = position
    e.save()
    make_module(target=3)
    evaluation_save(
        actor=hr_user, employee=e, period=period, source="assessment",
        scores=[(competency, 1)], finalize=True,
    )  # fmt: skip
    services.period_recommend(period=period, actor=SYSTEM)
    a = Assignment.objects.get()
    assert a.status == S.RECOMMENDED
    later = EvaluationPeriod.objects.create(
        code="2027", name="2027", start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)
    )
    evaluation_save(
        actor=hr_user, employee=e, period=later, source="assessment",
        scores=[(competency, 3)], finalize=True,
    )  # fmt: skip
    a.refresh_from_db()
    return a


def test_recommendation_is_withdrawn_when_the_gap_closes(withdrawn):
    assert withdrawn.status == S.WITHDRAWN
    assert withdrawn.get_status_display() == "Ditarik — kesenjangan sudah tertutup"
    assert withdrawn.cancel_reason == "Kesenjangan sudah tertutup"
    assert TrainingNeed.objects.get().status == TrainingNeed.Status.CLOSED


def test_approved_assignment_is_not_withdrawn(
    make_module, make_employee, make_gap, hr_user, period
):
    e = make_employee()
    make_module(target=3)
    gap = make_gap(e, required=3, assessed=1)
    services.period_recommend(period=period, actor=SYSTEM)
    a = Assignment.objects.get()
    services.assignment_approve(assignment=a, actor=hr_user, due_date=None)
    gap.assessed_level, gap.gap = 3, 0
    gap.save()
    services.needs_close_for_profiles(employee_ids=[e.pk])
    a.refresh_from_db()
    assert a.status == S.ASSIGNED  # the learner may be halfway: it stays


def test_withdrawn_recommendation_cannot_be_approved_in_any_channel(
    withdrawn, hr_user, api, client
):
    with pytest.raises(services.TransitionError) as exc:
        services.assignment_approve(assignment=withdrawn, actor=hr_user, due_date=None)
    assert exc.value.status == 409
    r = api(hr_user).post(f"/assignments/{withdrawn.pk}/approve", {})
    assert r.status_code == 409 and "Ditarik" in r.json()["detail"]
    with pytest.raises(services.TransitionError):
        services.assignment_approve_bulk(ids=[withdrawn.pk], actor=hr_user, due_date=None)
    client.force_login(hr_user)
    r = client.post(
        reverse("workflow:recommendations"),
        {"action": "approve", "ids": [withdrawn.pk], "confirmed": "1"},
        follow=True,
    )
    assert "sudah ditarik karena kesenjangannya sudah tertutup" in r.content.decode()
    r = client.post(
        reverse("workflow:assignment_edit", args=[withdrawn.pk]),
        {"action": "approve", "due_date": "", "confirmed": "1"},
    )
    assert r.status_code == 200  # the form again, with the refusal
    withdrawn.refresh_from_db()
    assert withdrawn.status == S.WITHDRAWN
    # The HR list shows it as such.
    html = client.get(reverse("workflow:recommendations"), {"status": "withdrawn"})
    assert "Ditarik — kesenjangan sudah tertutup" in html.content.decode()


# ------------------------------------------------------------------------------------------
# A revoked certificate stops counting towards JP, everywhere
# ------------------------------------------------------------------------------------------


@pytest.fixture
def certified(make_module, make_employee, pdf_stub, django_capture_on_commit_callbacks):
    e = make_employee("pemegang")
    m = make_module("Pelayanan Prima", jp=24)
    with django_capture_on_commit_callbacks(execute=True):
        finish_module(e.user, m)
    cert = Certificate.objects.get(employee=e)
    assert cert.pdf and cert.assignment.status == S.CERTIFIED
    return cert


def _jp_everywhere(cert, *, client, api, hr_user) -> dict:
    from reports.selectors.dashboard import employee_kpis
    from reports.selectors.jp import employee_jp_per_year
    from reports.selectors.scope import Scope
    from reports.selectors.training_history import training_history
    from reports.selectors.unit import unit_report

    e = cert.employee
    year = selectors.jakarta_year()
    scope = Scope(paths=None)
    facts = employee_kpis(scope, year=year, period=None)
    unit = unit_report(e.unit, period=None)
    client.force_login(e.user)
    home = client.get("/").content.decode()
    mine = client.get(reverse("workflow:my_training"))
    return {
        "selector": selectors.jp_for_employee(employee=e),
        "learner_home": selectors.learner_home(user=e.user)["jp_this_year"],
        "summary_api": api(e.user).get(f"/employees/{e.nip}/summary").json()["jp_this_year"],
        "home_page": int(re.search(r'class="value">(\d+) <small>/ 20 JP', home).group(1)),
        "my_training": mine.context["jp_this_year"],
        "dashboard_jp_total": facts["jp_total"],
        "dashboard_compliant": facts["jp_compliant"],
        "unit_report_compliant": unit["jp_compliance"]["employees_compliant"],
        "per_year": sum(r["jp"] for r in employee_jp_per_year(e) if r["year"] == year),
        "siasn": sum(
            r["jumlahJam"]
            for r in training_history(scope, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        ),
    }


def test_revoked_certificate_stops_counting_everywhere(
    certified, client, api, hr_user, django_capture_on_commit_callbacks
):
    before = _jp_everywhere(certified, client=client, api=api, hr_user=hr_user)
    assert before == {
        "selector": 24, "learner_home": 24, "summary_api": 24,
        "home_page": 24, "my_training": 24, "dashboard_jp_total": 24, "dashboard_compliant": 1,
        "unit_report_compliant": 1, "per_year": 24, "siasn": 24,
    }  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=certified, actor=hr_user, reason="Data keliru")
    after = _jp_everywhere(certified, client=client, api=api, hr_user=hr_user)
    assert after == {
        "selector": 0, "learner_home": 0, "summary_api": 0, "home_page": 0,
        "my_training": 0, "dashboard_jp_total": 0, "dashboard_compliant": 0,
        "unit_report_compliant": 0, "per_year": 0, "siasn": 0,
    }  # fmt: skip
    # The learner's history says why; the HR employee table shows no JP for it.
    client.force_login(certified.employee.user)
    html = client.get(reverse("workflow:my_training")).content.decode()
    assert "sertifikat dicabut, JP tidak dihitung" in html
    client.force_login(hr_user)
    csv = client.get(
        f"/sdm/pegawai/{certified.employee.nip}/", {"ekspor": "penugasan", "format": "csv"}
    ).content.decode()
    assert csv.splitlines()[1].endswith(",")  # the JP column is empty
    # The holder is told: a notification and its e-mail.
    note = Notification.objects.get(user=certified.employee.user, dedupe_key__startswith="cert-r")
    assert "dicabut" in note.title.lower() and "Data keliru" in note.body
    assert any("dicabut" in m.subject.lower() for m in mail.outbox)
    assert mail.outbox[-1].to == [certified.employee.user.email]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_revoked_certificate_pdf_is_served_stamped(certified, client, hr_user):
    from core.pdf import pdf_sha256

    url = reverse("workflow:certificate_download", args=[certified.verification_code])
    client.force_login(certified.employee.user)
    original = b"".join(client.get(url).streaming_content)
    assert pdf_sha256(original) == certified.sha256
    services.certificate_revoke(certificate=certified, actor=hr_user, reason="Data keliru")
    for user in (certified.employee.user, hr_user):
        client.force_login(user)
        r = client.get(url)
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert "DICABUT" in r["Content-Disposition"]
        stamped = b"".join(r.streaming_content)
        assert "DICABUT" in _pdf_text(stamped)
        assert pdf_sha256(stamped) != certified.sha256
    # The stored original and its SHA-256 are untouched.
    certified.refresh_from_db()
    with certified.pdf.open("rb") as fh:
        assert pdf_sha256(fh.read()) == certified.sha256 == pdf_sha256(original)
    # The verification page offers the (stamped) download to those who may have it.
    page = client.get(reverse("workflow:verify_code", args=[certified.verification_code]))
    assert url in page.content.decode() and "cap DICABUT" in page.content.decode()


def test_real_certificate_pdf_stamped(make_module, make_employee, hr_user):
    """The real renderer's PDF, stamped: still a PDF a reader opens, with the stamp text."""
    e = make_employee()
    m = make_module(jp=8)
    finish_module(e.user, m)
    cert = services.certificate_issue(assignment_id=Assignment.objects.get(employee=e).pk)
    cert = services.certificate_render(certificate_id=cert.pk)
    services.certificate_revoke(certificate=cert, actor=hr_user, reason="Uji")
    cert.refresh_from_db()
    data = services.certificate_pdf_file(cert).read()
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "DICABUT" in text and cert.number in text and cert.verification_code in text


# ------------------------------------------------------------------------------------------
# Module progress: one number everywhere (the issue: 33 % on home/catalog, 25 % on the page)
# ------------------------------------------------------------------------------------------


def test_module_progress_is_one_number_everywhere(client, api, make_module, make_employee):
    from portal.models import LessonPage
    from portal.progress import module_progress, progress_for_modules, progress_many

    e = make_employee()
    m = make_module("Tiga Pelajaran", lessons=3, quiz=True)  # 3 lessons, the last with a quiz
    first = LessonPage.objects.child_of(m).order_by("path").first()
    done = services.lesson_complete(user=e.user, lesson=first)
    # Four items (three lessons and one quiz), one done: 25 %.
    expected = 25
    a = Assignment.objects.get(employee=e)
    numbers = {
        "lesson_complete": done.progress_percent,
        "module_page": module_progress(user=e.user, module=m).percent,
        "lists": progress_for_modules(user=e.user, module_ids=[m.pk])[m.pk],
        "exact_lists": progress_many(user=e.user, modules=[m])[m.pk].percent,
        "learner_home": selectors.learner_home(user=e.user)["assignments"][0].progress_percent,
        "api": api(e.user)
        .get(f"/employees/{e.nip}/assignments")
        .json()["items"][0]["progress_percent"],
    }
    assert numbers == dict.fromkeys(numbers, expected), numbers
    client.force_login(e.user)
    assert f"{expected}% selesai" in client.get("/").content.decode()  # home
    assert f"Kemajuan {expected}%" in client.get(m.get_parent().url).content.decode()  # catalog
    assert f"Kemajuan Anda: {expected}%" in client.get(m.url).content.decode()  # module page
    html = client.get(reverse("workflow:my_training")).content.decode()
    assert f"Kemajuan {expected}%" in html  # Pelatihan Saya
    assert a.status == S.IN_PROGRESS


# ------------------------------------------------------------------------------------------
# The certificate ZIP holds every certificate of its scope and says how many
# ------------------------------------------------------------------------------------------


def test_zip_renders_missing_pdfs_and_stamps_revoked(
    client, hr_user, make_module, make_employee, pdf_stub
):
    certs = []
    for _ in range(3):
        e = make_employee()
        finish_module(e.user, make_module())
        certs.append(
            services.certificate_issue(assignment_id=Assignment.objects.get(employee=e).pk)
        )
    assert not any(c.pdf for c in certs)  # nothing rendered yet (no on-commit hooks ran)
    services.certificate_revoke(certificate=certs[0], actor=hr_user, reason="Keliru")
    client.force_login(hr_user)
    r = client.get(reverse("workflow:certificates_zip"), {"unit": "BKPSDM"})
    assert r.status_code == 200 and r["X-Certificate-Count"] == "3"
    assert "-3-berkas.zip" in r["Content-Disposition"]
    zf = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    pdfs = sorted(n for n in zf.namelist() if n.endswith(".pdf"))
    assert len(pdfs) == 3
    revoked = [n for n in pdfs if n.endswith("_DICABUT.pdf")]
    assert revoked == [f"{certs[0].number.replace('/', '-')}_{certs[0].employee.nip}_DICABUT.pdf"]
    assert "DICABUT" in _pdf_text(zf.read(revoked[0]))
    manifest = zf.read("MANIFEST.txt").decode()
    assert manifest.startswith("Sertifikat SIKAP: 3 berkas PDF.")
    assert "1 di antaranya sudah dicabut" in manifest
    assert all(c.pdf for c in Certificate.objects.all())


# ------------------------------------------------------------------------------------------
# Small output defects
# ------------------------------------------------------------------------------------------


def test_hr_employee_page_and_exports_say_atasan_langsung_and_ya_belum(
    client, hr_user, make_employee, make_gap, make_module, monkeypatch
):
    e = make_employee()
    make_gap(e, required=3, assessed=1)  # source "supervisor"
    m = make_module(jp=6)
    Assignment.objects.create(
        employee=e, module=m, status=S.COMPLETED, jp=6,
        completion_year=selectors.jakarta_year(),
    )  # fmt: skip
    client.force_login(hr_user)
    url = f"/sdm/pegawai/{e.nip}/"
    html = client.get(url).content.decode()
    assert "Atasan langsung" in html and ">supervisor<" not in html
    assert ">True<" not in html and ">False<" not in html and "Belum" in html
    profile_csv = client.get(url, {"ekspor": "kompetensi", "format": "csv"}).content.decode()
    assert "Atasan langsung" in profile_csv and "supervisor" not in profile_csv
    jp_csv = client.get(url, {"ekspor": "jp", "format": "csv"}).content.decode()
    assert jp_csv.splitlines()[1].endswith(",Belum")
    # The PDF report: the HTML it is rendered from.
    seen = {}

    def fake_render(html, **kwargs):
        seen["html"] = html
        return b"%PDF-1.7 fake"

    monkeypatch.setattr("core.pdf.render_html_pdf", fake_render)
    assert client.get(url, {"format": "pdf"}).status_code == 200
    assert "True" not in seen["html"] and "Belum" in seen["html"]
    assert "Atasan langsung" in seen["html"] and ">supervisor<" not in seen["html"]


def test_hr_feedback_page_title_holds_no_html_or_comments(client, make_user, other_unit):
    from kompetensi import rules
    from kompetensi.models import EvaluationPeriod
    from skm.models import ServiceFeedback, ServicePoint
    from skm.rules import SKM_CODES

    today = rules.jakarta_today()
    period = EvaluationPeriod.objects.create(
        code="KINI", name="Kini", start=today - dt.timedelta(days=30), end=today
    )
    point = ServicePoint.objects.create(code="loket", unit=other_unit, service="Loket")
    ServiceFeedback.objects.create(
        service_point=point, unit=other_unit, period=period,
        comment="Pelayanan <b>lambat</b> sekali", **dict.fromkeys(SKM_CODES, 3),
    )  # fmt: skip
    client.force_login(make_user("sdm-skm", "BKPSDM"))
    html = client.get("/sdm/umpan-balik/").content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Indeks Kepuasan Masyarakat · SIKAP")
    assert "<" not in title and "lambat" not in title
    assert html.count("Saran terbaru dari masyarakat") == 1
    assert "Pelayanan &lt;b&gt;lambat&lt;/b&gt; sekali" in html
