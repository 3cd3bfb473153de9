"""The Wagtail admin speaks Indonesian to trainers and reviewers (locale_wagtail/ completes
Wagtail's incomplete Indonesian catalogue) and wears SIKAP's name, logo and colours."""

import json
import re

import pytest
from django.core.management import call_command
from django.utils.translation import trans_real

from portal.models import LessonPage

# English that trainers and reviewers met in the admin (issue 17).
ENGLISH = [
    "Reports",
    "Help",
    "More actions",
    "Page title",
    "Autosave is paused",
    "Request changes",
    "Approve with comment",
    "Compare with previous version",
    "Save draft",
    "Submit for moderation",
    "Preview",
    "History",
    "Actions",
    "Comments",
    "Content",
    "Awaiting your review",
    "Your pages and snippets in a workflow",
]


@pytest.fixture(autouse=True)
def _compiled_translations(tmp_path):
    call_command("compile_translations", stdout=open(tmp_path / "out.txt", "w"))
    trans_real._translations = {}
    trans_real._default = None
    yield
    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture
def trainer(make_user):
    return make_user("pelatih-i18n", "Pelatih")


@pytest.fixture
def reviewer(make_user):
    return make_user("peninjau-i18n", "Reviewer Konten")


def _english_left(body: str) -> list[str]:
    """The listed strings shown as a whole text or attribute value (an element's text, a
    tooltip, a label in the sidebar's JSON)."""
    return [
        text
        for text in ENGLISH
        if re.search(r"(>|\")\s*" + re.escape(text) + r"[…\.]*\s*(<|\")", body)
    ]


def _get(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200, url
    return response.content.decode()


def test_admin_pages_of_trainer_and_reviewer_are_indonesian(client, make_module, trainer, reviewer):
    module = make_module(owner=trainer, lessons=2)
    lesson = LessonPage.objects.child_of(module).first()
    module.save_revision(user=trainer)
    client.force_login(trainer)
    trainer_pages = [
        "/admin/",
        f"/admin/pages/{module.pk}/",
        f"/admin/pages/{module.pk}/edit/",
        f"/admin/pages/{lesson.pk}/edit/",
        f"/admin/pages/add/portal/lessonpage/{module.pk}/",
        f"/admin/pages/{module.pk}/history/",
    ]
    for url in trainer_pages:
        assert _english_left(_get(client, url)) == [], url

    module.save_revision(user=trainer)
    module.get_workflow().start(module, trainer)
    client.force_login(reviewer)
    reviewer_pages = [
        "/admin/",
        f"/admin/pages/{module.pk}/edit/",
        f"/admin/pages/{module.pk}/revisions/compare/live...latest/",
        f"/admin/pages/{module.pk}/history/",
    ]
    for url in reviewer_pages:
        assert _english_left(_get(client, url)) == [], url
    edit = _get(client, f"/admin/pages/{module.pk}/edit/")
    assert "Minta perubahan" in edit and "Setujui dengan komentar" in edit
    dashboard = _get(client, "/admin/")
    assert "Laporan" in dashboard and "Bantuan" in dashboard


def test_admin_javascript_strings_are_indonesian(client, trainer):
    client.force_login(trainer)
    catalogue = _get(client, "/admin/jsi18n/")
    for english, indonesian in [
        ("More actions", "Tindakan lain"),
        ("Autosave in progress…", "Menyimpan otomatis…"),
        ("Toggle side panel", "Buka/tutup panel samping"),
    ]:
        assert f"{json.dumps(english)}: {json.dumps(indonesian)}" in catalogue, english


def test_admin_is_branded_sikap(client, trainer):
    client.force_login(trainer)
    body = _get(client, "/admin/")
    assert "<title>" in body and re.search(r"<title>[^<]*- SIKAP</title>", body)
    assert "img/logo.svg" in body and "css/admin.css" in body
    assert "wagtailadmin/images/favicon.ico" not in body
