"""Pages: learner page, HR recommendations, verification, download permissions, notifications,
the lesson/quiz/enrol form posts; query counts at two data sizes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification
from core.roles import SYSTEM
from tests.workflow.conftest import finish_module
from workflow import services
from workflow.models import Assignment, Certificate

S = Assignment.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(make_module, make_employee, fake_pdf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    boss = make_employee("atasan-x")
    e = make_employee("pemegang", supervisor=boss)
    m = make_module("Pelayanan Prima", jp=12)
    finish_module(e.user, m)
    a = Assignment.objects.get(employee=e)
    services.certificate_issue(assignment_id=a.pk)
    cert = Certificate.objects.get(employee=e)
    services.certificate_render(certificate_id=cert.pk)
    cert.refresh_from_db()
    return cert


# ------------------------------------------------------------------------------------------
# Verification (public) and download (holder + HR of their unit)
# ------------------------------------------------------------------------------------------


def test_verify_valid(client, certified):
    r = client.get(reverse("workflow:verify_code", args=[certified.verification_code]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Sertifikat sah dan berlaku" in html
    assert certified.number in html and certified.sha256 in html
    assert certified.employee.nip not in html  # masked
    assert certified.employee.nip[:4] + "********" in html


def test_verify_revoked_and_expired(client, certified, hr_user):
    from django.utils import timezone

    services.certificate_revoke(certificate=certified, actor=hr_user, reason="Data keliru")
    html = client.get(reverse("workflow:verify_code", args=[certified.verification_code])).content
    assert b"dicabut" in html and b"Data keliru" in html
    Certificate.objects.filter(pk=certified.pk).update(
        revoked_at=None, expires_at=timezone.now() - dt.timedelta(days=1)
    )
    html = client.get(reverse("workflow:verify_code", args=[certified.verification_code])).content
    assert b"kedaluwarsa" in html


def test_verify_unknown_and_form(client, certified):
    r = client.get(reverse("workflow:verify_code", args=["A" * 26]))
    assert r.status_code == 404
    r = client.get(reverse("workflow:verify"), {"code": certified.verification_code.lower()})
    assert r.status_code == 302 and r["Location"].endswith(f"/{certified.verification_code}/")
    r = client.get(reverse("workflow:verify"), {"code": "bukan-kode"})
    assert r.status_code == 200 and "26 huruf" in r.content.decode()


def test_verify_rate_limited(client, certified):
    from workflow.views import VERIFY_LIMIT

    url = reverse("workflow:verify_code", args=["A" * 26])
    for _ in range(VERIFY_LIMIT):
        assert client.get(url).status_code == 404
    assert client.get(url).status_code == 429


def _download(client, user, cert):
    client.force_login(user)
    return client.get(reverse("workflow:certificate_download", args=[cert.verification_code]))


def test_download_permissions(client, certified, hr_user, make_user, make_employee, other_unit):
    r = _download(client, certified.employee.user, certified)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    assert _download(client, hr_user, certified).status_code == 200
    # supervisor, a stranger, HR of another unit: 404
    assert _download(client, certified.employee.supervisor.user, certified).status_code == 404
    assert _download(client, make_employee().user, certified).status_code == 404
    scoped = make_user("hr-lain", "BKPSDM", hr_units=[other_unit])
    assert _download(client, scoped, certified).status_code == 404
    client.logout()
    r = client.get(reverse("workflow:certificate_download", args=[certified.verification_code]))
    assert r.status_code == 302  # to the login page


# ------------------------------------------------------------------------------------------
# Learner page and its query count
# ------------------------------------------------------------------------------------------


def _learner_with(n, make_module, make_employee, fake_pdf):
    e = make_employee()
    for i in range(n):
        m = make_module(lessons=2, quiz=True)
        a = Assignment.objects.create(
            employee=e,
            module=m,
            status=S.IN_PROGRESS if i % 2 else S.COMPLETED,
            jp=m.jp,
            due_date=services.jakarta_today() + dt.timedelta(days=i - 2),
        )
        if a.status == S.COMPLETED:
            services.certificate_issue(assignment_id=a.pk)
    return e


def _count(client, user, url):
    client.force_login(user)
    client.get(url)  # warm per-process caches (site, content types)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries), r


def test_my_training_fixed_queries(client, make_module, make_employee, fake_pdf):
    small = _learner_with(2, make_module, make_employee, fake_pdf)
    big = _learner_with(12, make_module, make_employee, fake_pdf)
    n_small, _r = _count(client, small.user, reverse("workflow:my_training"))
    n_big, r = _count(client, big.user, reverse("workflow:my_training"))
    assert n_small == n_big <= 20
    html = r.content.decode()
    assert "Pelatihan Saya" in html and "/ 20 JP" in html and "Terlambat" in html
    assert "Mengapa belum selesai?" in html and "Lulus kuis" in html


def _recommended(n, make_module, make_employee):
    m = make_module()
    for _ in range(n):
        Assignment.objects.create(employee=make_employee(), module=m, status=S.RECOMMENDED, jp=m.jp)


def test_recommendations_fixed_queries(client, hr_user, make_module, make_employee, period):
    _recommended(3, make_module, make_employee)
    n_small, _r = _count(client, hr_user, reverse("workflow:recommendations"))
    _recommended(40, make_module, make_employee)
    n_big, r = _count(client, hr_user, reverse("workflow:recommendations"))
    assert n_small == n_big <= 20
    assert "43 penugasan" in r.content.decode()


def test_recommendations_only_for_hr(client, make_employee):
    client.force_login(make_employee().user)
    assert client.get(reverse("workflow:recommendations")).status_code == 404
    assert client.get(reverse("workflow:needs_without_module")).status_code == 404


def test_hr_runs_and_approves(client, hr_user, make_module, make_employee, make_gap, period):
    from kompetensi.models import Competency

    make_module(target=3)
    e = make_employee()
    make_gap(e, required=3, assessed=1)
    lonely = Competency.objects.create(code="T.1", name="Arsip", kind="teknis")
    make_gap(e, required=2, assessed=1, comp=lonely)
    client.force_login(hr_user)
    url = reverse("workflow:recommendations")
    r = client.post(url, {"action": "recommend", "period": "2026"}, follow=True)
    assert "1 rekomendasi baru" in r.content.decode()
    a = Assignment.objects.get()
    due = (services.jakarta_today() + dt.timedelta(days=14)).isoformat()
    client.post(url, {"action": "approve", "ids": [a.pk], "due_date": due, "confirmed": "1"})
    a.refresh_from_db()
    assert a.status == S.ASSIGNED and a.due_date.isoformat() == due
    assert Notification.objects.filter(user=e.user, kind="assignment").exists()
    r = client.get(reverse("workflow:needs_without_module"))
    assert "T.1 Arsip" in r.content.decode()


def test_hr_edit_and_cancel(client, hr_user, make_module, make_employee):
    m1, m2 = make_module(), make_module()
    a = Assignment.objects.create(employee=make_employee(), module=m1, status=S.RECOMMENDED)
    client.force_login(hr_user)
    url = reverse("workflow:assignment_edit", args=[a.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "save", "module": m2.pk, "due_date": ""})
    a.refresh_from_db()
    assert a.module_id == m2.pk and a.status == S.RECOMMENDED
    r = client.post(
        url, {"action": "approve", "module": m2.pk, "due_date": "2000-01-01", "confirmed": "1"}
    )
    assert "masa lalu" in r.content.decode()
    client.post(
        url, {"action": "cancel", "module": m2.pk, "reason": "tidak relevan", "confirmed": "1"}
    )
    a.refresh_from_db()
    assert a.status == S.CANCELLED and a.cancel_reason == "tidak relevan"


# ------------------------------------------------------------------------------------------
# Lesson, quiz and enrol form posts; notifications
# ------------------------------------------------------------------------------------------


def test_form_posts(client, make_module, make_employee, fake_pdf):
    from portal.models import LessonPage

    e, m = make_employee(), make_module(lessons=2)
    first, last = LessonPage.objects.child_of(m).order_by("path")
    client.force_login(e.user)
    r = client.post(reverse("workflow:enrol", args=[m.pk]))
    assert r.status_code == 302
    assert Assignment.objects.get().origin == Assignment.Origin.SELF
    assert client.get(reverse("workflow:lesson_complete", args=[first.pk])).status_code == 405
    r = client.post(reverse("workflow:lesson_complete", args=[first.pk]), follow=True)
    assert "ditandai selesai" in r.content.decode()
    r = client.post(
        reverse("workflow:quiz_submit", args=[last.pk]), {"answer-q1": "c1"}, follow=True
    )
    assert "lulus kuis" in r.content.decode()
    assert Assignment.objects.get().status in (S.COMPLETED, S.CERTIFIED)


def test_notifications_page(client, make_employee):
    from core.notifications import notify

    e = make_employee()
    notify(user_ids=[e.user_id], kind="other", title="Halo", body="Isi", email=False)
    client.force_login(e.user)
    r = client.get(reverse("notifications"))
    assert "Halo" in r.content.decode()
    client.post(reverse("notifications_read"))
    assert not Notification.objects.filter(user=e.user, read_at__isnull=True).exists()


def test_hr_revokes_from_the_verification_page(client, certified, hr_user):
    url = reverse("workflow:certificate_revoke", args=[certified.verification_code])
    client.force_login(certified.employee.user)
    assert client.post(url, {"reason": "x", "confirmed": "1"}).status_code == 404
    client.force_login(hr_user)
    page = client.get(reverse("workflow:verify_code", args=[certified.verification_code]))
    assert "Cabut sertifikat" in page.content.decode()
    r = client.post(url, {"reason": " ", "confirmed": "1"}, follow=True)
    assert "wajib diisi" in r.content.decode()
    client.post(url, {"reason": "Nilai kuis tidak sah", "confirmed": "1"})
    certified.refresh_from_db()
    assert certified.revoked_reason == "Nilai kuis tidak sah"


def test_hr_needs_list_and_dismiss(client, hr_user, make_employee, make_gap, period):
    from workflow.models import TrainingNeed

    for _ in range(3):
        make_gap(make_employee(), required=3, assessed=1)
    services.period_recommend(period=period, actor=SYSTEM)
    url = reverse("workflow:needs")
    n_small, r = _count(client, hr_user, url)
    assert "3 kebutuhan" in r.content.decode()
    for _ in range(20):
        make_gap(make_employee(), required=3, assessed=1)
    services.period_recommend(period=period, actor=SYSTEM)
    n_big, _r = _count(client, hr_user, url)
    assert n_small == n_big
    need = TrainingNeed.objects.first()
    r = client.post(url, {"need": need.pk, "reason": " "}, follow=True)
    assert "wajib diisi" in r.content.decode()
    client.post(url, {"need": need.pk, "reason": "Pensiun"})
    need.refresh_from_db()
    assert need.status == TrainingNeed.Status.DISMISSED and need.closed_reason == "Pensiun"
    client.force_login(make_employee().user)
    assert client.get(url).status_code == 404
