"""Account, permission, header, production-setting and upload hygiene."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = Path(__file__).resolve().parents[2]
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
)


# -- guardian: never an object permission for the anonymous user ------------------------------


def test_guardian_has_no_anonymous_user():
    from guardian.conf import settings as guardian_settings

    assert settings.GUARDIAN_ANONYMOUS_USER_NAME is None
    # The name guardian 3.x actually reads:
    assert settings.ANONYMOUS_USER_NAME is None
    assert guardian_settings.ANONYMOUS_USER_NAME is None


@pytest.mark.django_db
def test_after_seed_no_anonymous_object_permission_and_few_superusers(demo_db, django_user_model):
    """After ``seed_demo --with-demo-users`` (``demo_db``)."""
    from django.contrib.auth.models import AnonymousUser
    from guardian.models import GroupObjectPermission, UserObjectPermission

    assert not django_user_model.objects.filter(username__iexact="AnonymousUser").exists()
    assert not UserObjectPermission.objects.filter(user__isnull=True).exists()
    assert not UserObjectPermission.objects.filter(user__username__iexact="AnonymousUser").exists()
    assert not UserObjectPermission.objects.filter(user__is_active=False).exists()
    assert not GroupObjectPermission.objects.filter(group__isnull=True).exists()
    # Direct-foreign-key permission tables too (forum.ForumUserObjectPermission, …).
    from django.apps import apps
    from guardian.models import UserObjectPermissionBase

    for model in apps.get_models():
        if issubclass(model, UserObjectPermissionBase):
            rows = model.objects.filter(user__username__iexact="AnonymousUser")
            assert not rows.exists(), model._meta.label
    # Nobody signed out holds any permission, model-wide or on an object.
    anonymous = AnonymousUser()
    assert anonymous.get_all_permissions() == set()
    # At most a handful of superusers.
    assert django_user_model.objects.filter(is_superuser=True).count() <= 3


# -- headers on public pages ---------------------------------------------------------------------

PUBLIC_PAGES = [
    "/masuk/",
    "/akun/reset/",
    "/verifikasi/",
    "/verifikasi/KODE-YANG-TIDAK-ADA/",
    "/umpan-balik/",
    "/halaman-yang-tidak-ada/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_security_headers_on_public_pages(client, path):
    response = client.get(path)
    assert response.status_code < 500, path
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
    if response.status_code == 200 and "html" in response["Content-Type"]:
        html = response.content.decode()
        assert "<script>" not in html, "skrip inline dilarang CSP"
        assert " onclick=" not in html and ' style="' not in html


# The policies exactly as they were written by hand before django-csp (issue #15): same
# directives, same sources, whatever order django-csp writes them in.
SITE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src https://www.youtube-nocookie.com "
    "https://player.vimeo.com; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-src 'self' https:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'self'"
)


def _policy(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sorted(sources) for name, *sources in directives}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/masuk/", SITE_POLICY),
        ("/halaman-yang-tidak-ada/", SITE_POLICY),
        ("/api/v1/health", SITE_POLICY),
        ("/admin/", ADMIN_POLICY),  # a redirect to sign in, still the admin's policy
        ("/admin/login/", ADMIN_POLICY),
        ("/api/v1/docs", ADMIN_POLICY),
    ],
)
def test_content_security_policy_per_area(client, path, expected):
    response = client.get(path)
    assert _policy(response["Content-Security-Policy"]) == _policy(expected), path
    assert "Content-Security-Policy-Report-Only" not in response
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_views_own_policy_is_kept(rf):
    from django.http import HttpResponse

    from core.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("ok")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/masuk/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


# -- production settings -------------------------------------------------------------------------


def test_production_settings_are_hardened():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_SSL_REDIRECT', 'SECURE_CONTENT_TYPE_NOSNIFF', 'SIKAP_REQUIRE_2FA', "
        "'AXES_CLIENT_IP_CALLABLE', 'GUARDIAN_ANONYMOUS_USER_NAME', 'X_FRAME_OPTIONS']}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sikap.settings.production",
        "SECRET_KEY": "p" * 20 + "x9!kP2@vQ7#mZ4$wL8%nB3^rT6&yH1*jD5",
        "ALLOWED_HOSTS": "sikap.serangkota.go.id",
        # Production refuses to start without a shared cache (sikap/settings/production.py).
        "REDIS_CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    env.pop("SIKAP_REQUIRE_2FA", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SIKAP_REQUIRE_2FA"] is True
    assert values["AXES_CLIENT_IP_CALLABLE"] == "core.client_ip.client_ip"
    assert values["GUARDIAN_ANONYMOUS_USER_NAME"] is None
    assert values["X_FRAME_OPTIONS"] == "DENY"


# -- uploads ---------------------------------------------------------------------------------------


def test_upload_settings():
    assert "svg" not in [ext.lower() for ext in settings.WAGTAILIMAGES_EXTENSIONS]
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= 10 * 1024 * 1024
    risky = {"svg", "html", "htm", "js", "xhtml", "exe", "php"}
    assert not risky & {ext.lower() for ext in settings.WAGTAILDOCS_EXTENSIONS}
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["gambar.svg", "gambar.png"])
def test_image_upload_refuses_svg_whatever_its_name(name):
    from wagtail.images.fields import WagtailImageField

    with pytest.raises(ValidationError):
        WagtailImageField().clean(SimpleUploadedFile(name, SVG_WITH_SCRIPT))


@pytest.mark.django_db
def test_image_upload_refuses_oversized_files(settings):
    from wagtail.images.fields import WagtailImageField

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    png = (ROOT / "static" / "img").glob("*.png")
    content = next(png, None)
    data = content.read_bytes() if content else b"\x89PNG\r\n\x1a\n" + b"0" * 4096
    with pytest.raises(ValidationError):
        WagtailImageField().clean(SimpleUploadedFile("besar.png", data + b"0" * 4096))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["serangan.svg", "serangan.html", "../../etc/passwd"])
def test_document_upload_refuses_risky_types(name):
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document

    form_class = get_document_form(Document)
    form = form_class(
        data={"title": "Uji"}, files={"file": SimpleUploadedFile(name, SVG_WITH_SCRIPT)}
    )
    assert not form.is_valid()
    assert "file" in form.errors
