"""Notifications are read when opened; dates are written one way; XLSX columns fit their
content."""

import io
from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core.exports import COLUMN_WIDTH_MAX, COLUMN_WIDTH_MIN, column_widths
from core.models import Notification

pytestmark = pytest.mark.django_db


def _note(user, **kw):
    defaults = {"kind": "other", "title": "Judul", "body": "Isi", "url": ""}
    defaults.update(kw)
    return Notification.objects.create(user=user, **defaults)


def test_opening_a_notification_marks_it_read(client, make_user):
    user = make_user("pegawai1", "ASN")
    other = make_user("pegawai2", "ASN")
    linked = _note(user, url="/pelatihan-saya/")
    theirs = _note(other, url="/pelatihan-saya/")
    client.force_login(user)
    html = client.get("/notifikasi/").content.decode()
    assert f"/notifikasi/{linked.pk}/buka/" in html
    response = client.get(f"/notifikasi/{linked.pk}/buka/")
    assert response.status_code == 302 and response["Location"] == "/pelatihan-saya/"
    linked.refresh_from_db()
    assert linked.read_at is not None
    assert client.get(f"/notifikasi/{theirs.pk}/buka/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unsafe_link_stays_on_site_and_linkless_notes_are_read_in_the_list(client, make_user):
    user = make_user("pegawai1", "ASN")
    evil = _note(user, url="https://contoh.example/")
    plain = _note(user, title="Tanpa tautan")
    client.force_login(user)
    response = client.get(f"/notifikasi/{evil.pk}/buka/")
    assert response["Location"] == "/notifikasi/"
    html = client.get("/notifikasi/").content.decode()
    assert "Tanpa tautan" in html and ">Baru<" in html  # shown as new this once
    plain.refresh_from_db()
    assert plain.read_at is not None
    assert ">Baru<" not in client.get("/notifikasi/").content.decode()


def test_notification_email_links_through_open(make_user, settings, mailoutbox):
    from core.tasks import send_notification_emails

    user = make_user("pegawai1", "ASN")
    user.email = "p1@example.go.id"
    user.save()
    note = _note(user, url="/pelatihan-saya/")
    send_notification_emails([note.pk])
    assert f"/notifikasi/{note.pk}/buka/" in mailoutbox[0].body


@pytest.mark.parametrize("lang", ["id", "en"])
def test_one_date_format(lang):
    moment = timezone.make_aware(datetime(2026, 11, 29, 7, 5), timezone.get_fixed_timezone(0))
    template = Template("{{ d|tanggal }}|{{ t|tanggal_jam }}|{{ none|tanggal }}")
    with translation.override(lang), timezone.override("Asia/Jakarta"):
        out = template.render(Context({"d": date(2026, 11, 29), "t": moment, "none": None}))
    assert out == "29 November 2026|29 November 2026, 14.05|"


def test_column_widths_fit_content_and_are_capped():
    widths = column_widths(["NIP", "Nama"], [["196903091994032001", "x" * 200], [1, None]])
    assert widths == [20, COLUMN_WIDTH_MAX]
    assert column_widths(["A"], []) == [COLUMN_WIDTH_MIN]


def test_report_xlsx_has_column_widths():
    from openpyxl import load_workbook

    from reports.exports import xlsx_bytes

    data = xlsx_bytes(
        "Laporan", ["Unit kerja", "JP"], [["Dinas Kependudukan dan Catatan Sipil", 12]]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.column_dimensions["A"].width == len("Dinas Kependudukan dan Catatan Sipil") + 2
    assert sheet.column_dimensions["B"].width == COLUMN_WIDTH_MIN
