"""The site speaks Bahasa Indonesia first and English on request (locale/en)."""

import pytest
from django.core.management import call_command
from django.utils.translation import trans_real


@pytest.fixture(autouse=True)
def _compiled_translations(tmp_path):
    """Compile locale/*.po (as `make` does) and make Django reload its catalogues."""
    call_command("compile_translations", stdout=open(tmp_path / "out.txt", "w"))
    trans_real._translations = {}
    trans_real._default = None
    yield
    trans_real._translations = {}
    trans_real._default = None


def test_login_page_is_indonesian_by_default(client, db):
    body = client.get("/masuk/").content.decode()
    assert 'lang="id"' in body
    assert "Masuk ke SIKAP" in body and "Langsung ke konten utama" in body


def test_login_page_in_english_with_accept_language(client, db):
    body = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in body
    for text in ("Log in to SIKAP", "NIP or username", "Password", "Skip to main content"):
        assert text in body, text
    assert "Masuk ke SIKAP" not in body


def test_set_language_view_switches_to_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    body = client.get("/masuk/").content.decode()
    assert "Forgot your password?" in body and "Main navigation" in body
    client.post("/i18n/setlang/", {"language": "id", "next": "/masuk/"})
    assert "Lupa kata sandi?" in client.get("/masuk/").content.decode()


def test_locked_out_and_password_pages_are_translated(client, db, make_user):
    make_user("terkunci", "ASN")
    for _ in range(5):
        client.post(
            "/masuk/", {"username": "terkunci", "password": "salah"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    response = client.post(
        "/masuk/", {"username": "terkunci", "password": "salah"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "Account temporarily locked" in response.content.decode()
    body = client.get("/akun/reset/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reset password" in body
