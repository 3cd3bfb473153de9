"""Irreversible HR acts of the workflow screens ask first (issue #17, core/confirm.py):
approving and cancelling assignments (one, or many at once) and revoking a certificate. An
unconfirmed POST writes nothing and says what cannot be undone; the confirmed POST acts; the
confirmation is refused (404) to whoever may not act."""

import datetime as dt

from django.urls import reverse

from core.models import Notification
from workflow import services
from workflow.models import Assignment

from .test_views import certified  # noqa: F401 - fixture

S = Assignment.Status


def _no_inline(html: str) -> None:
    main = html.split("<main", 1)[1]
    assert "<script>" not in main and "style=" not in main


def test_bulk_approve_asks_then_approves(client, hr_user, make_module, make_employee):
    e = make_employee()
    a = Assignment.objects.create(employee=e, module=make_module("Etika ASN"), status=S.RECOMMENDED)
    client.force_login(hr_user)
    url = reverse("workflow:recommendations")
    due = (services.jakarta_today() + dt.timedelta(days=14)).isoformat()
    body = {"action": "approve", "ids": [a.pk], "due_date": due, "querystring": "status=all"}
    r = client.post(url, body)
    html = r.content.decode()
    assert r.status_code == 200
    assert "Setujui rekomendasi yang dipilih?" in html and "Ya, setujui 1 rekomendasi" in html
    assert "Tidak dapat dibatalkan" in html and "Etika ASN" in html and e.name in html
    assert f'name="ids" value="{a.pk}"' in html and 'name="confirmed" value="1"' in html
    assert 'href="/sdm/rekomendasi/?status=all"' in html  # "Batal" keeps the list's filters
    _no_inline(html)
    a.refresh_from_db()
    assert a.status == S.RECOMMENDED
    assert not Notification.objects.filter(kind="assignment").exists()
    assert client.post(url, {**body, "confirmed": "1"}).status_code == 302
    a.refresh_from_db()
    assert a.status == S.ASSIGNED


def test_bulk_cancel_asks_then_cancels(client, hr_user, make_module, make_employee):
    a = Assignment.objects.create(
        employee=make_employee(), module=make_module(), status=S.RECOMMENDED
    )
    client.force_login(hr_user)
    url = reverse("workflow:recommendations")
    body = {"action": "cancel", "ids": [a.pk], "reason": "modul diganti"}
    html = client.post(url, body).content.decode()
    assert "Batalkan penugasan yang dipilih?" in html and "modul diganti" in html
    assert "tidak dapat dibuka kembali" in html
    a.refresh_from_db()
    assert a.status == S.RECOMMENDED
    client.post(url, {**body, "confirmed": "1"})
    a.refresh_from_db()
    assert a.status == S.CANCELLED


def test_bulk_confirmation_not_shown_for_a_selection_outside_the_scope(
    client, make_user, make_module, make_employee, other_unit
):
    a = Assignment.objects.create(
        employee=make_employee(), module=make_module(), status=S.RECOMMENDED
    )
    officer = make_user("hr-lain", "BKPSDM", hr_units=[other_unit])
    client.force_login(officer)
    r = client.post(reverse("workflow:recommendations"), {"action": "approve", "ids": [a.pk]})
    assert r.status_code == 302  # the service's refusal, as for the confirmed request
    a.refresh_from_db()
    assert a.status == S.RECOMMENDED


def test_single_approve_and_cancel_ask(client, hr_user, make_module, make_employee):
    m1, m2 = make_module("Modul Lama"), make_module("Modul Baru")
    a = Assignment.objects.create(employee=make_employee(), module=m1, status=S.RECOMMENDED)
    client.force_login(hr_user)
    url = reverse("workflow:assignment_edit", args=[a.pk])
    html = client.post(url, {"action": "approve", "module": m2.pk, "due_date": ""}).content
    html = html.decode()
    assert "Ya, setujui" in html and "Modul Baru" in html  # the module chosen on the form
    a.refresh_from_db()
    assert a.status == S.RECOMMENDED and a.module_id == m1.pk  # nothing saved yet
    html = client.post(url, {"action": "cancel", "reason": "x"}).content.decode()
    assert "Ya, batalkan penugasan" in html and f'href="{url}"' in html
    a.refresh_from_db()
    assert a.status == S.RECOMMENDED
    # saving is not irreversible: it does not ask
    assert client.post(url, {"action": "save", "module": m2.pk, "due_date": ""}).status_code == 302
    client.post(url, {"action": "approve", "module": m2.pk, "due_date": "", "confirmed": "1"})
    a.refresh_from_db()
    assert a.status == S.ASSIGNED and a.module_id == m2.pk


def test_revoking_a_certificate_asks_first(client, certified, hr_user):  # noqa: F811
    url = reverse("workflow:certificate_revoke", args=[certified.verification_code])
    client.force_login(certified.employee.user)
    assert client.post(url, {"reason": "Nilai kuis tidak sah"}).status_code == 404
    client.force_login(hr_user)
    r = client.post(url, {"reason": "Nilai kuis tidak sah"})
    html = r.content.decode()
    assert r.status_code == 200
    assert f"Cabut sertifikat {certified.number}?" in html and "Ya, cabut sertifikat" in html
    assert "Pencabutan tidak dapat dibatalkan" in html and "Nilai kuis tidak sah" in html
    assert certified.employee.nip not in html  # the holder's NIP masked, as on verification
    _no_inline(html)
    certified.refresh_from_db()
    assert certified.revoked_at is None
    client.post(url, {"reason": "Nilai kuis tidak sah", "confirmed": "1"})
    certified.refresh_from_db()
    assert certified.revoked_at is not None
