"""Two-factor sign-in (TOTP) for BKPSDM officers and superusers (portal/otp.py)."""

from urllib.parse import quote

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import otp
from tests.security.conftest import totp_code

PAGE = "/akun/kata-sandi/"  # any page that needs a signed-in user

pytestmark = pytest.mark.django_db

require_2fa = override_settings(SIKAP_REQUIRE_2FA=True)


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="SIKAP", confirmed=True)


@require_2fa
def test_hr_officer_is_sent_to_2fa_until_verified(client, hr_user):
    client.force_login(hr_user)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"/akun/2fa/?next={quote(PAGE, safe='')}"


@require_2fa
def test_superuser_is_sent_to_2fa(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root-sikap", "r@example.go.id", "x-123")
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/akun/2fa/")


@require_2fa
def test_asn_is_not_asked_for_a_second_factor(client, asn_user):
    client.force_login(asn_user)
    assert client.get(PAGE).status_code == 200


def test_setting_off_lets_hr_through(client, hr_user, settings):
    settings.SIKAP_REQUIRE_2FA = False
    client.force_login(hr_user)
    assert client.get(PAGE).status_code == 200


@require_2fa
def test_anonymous_visitor_is_not_redirected_to_2fa(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


@require_2fa
def test_setup_shows_qr_and_secret_then_confirms_with_a_correct_code(client, hr_user):
    client.force_login(hr_user)
    page = client.get(f"/akun/2fa/?next={PAGE}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data:image/svg+xml" in html
    device = TOTPDevice.objects.get(user=hr_user)
    assert not device.confirmed
    assert otp.secret_in_groups(device) in html
    assert len(otp.secret_base32(device)) >= 32  # 160-bit key
    assert "otpauth://" in device.config_url and "SIKAP" in device.config_url
    # CSP: no inline script or style on the page.
    assert "<script>" not in html and 'style="' not in html

    response = client.post("/akun/2fa/", {"code": totp_code(device), "next": PAGE})
    assert response.status_code == 302
    assert response["Location"] == PAGE
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(PAGE).status_code == 200


@require_2fa
def test_verify_with_correct_code_lets_the_officer_through(client, hr_user):
    device = confirmed_device(hr_user)
    client.force_login(hr_user)
    page = client.get("/akun/2fa/")
    assert page.status_code == 200
    assert "data:image/svg+xml" not in page.content.decode()  # no new secret is shown
    response = client.post("/akun/2fa/", {"code": totp_code(device), "next": PAGE})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert client.get(PAGE).status_code == 200
    # Verified for this session only: a new sign-in asks again.
    client.logout()
    client.force_login(hr_user)
    assert client.get(PAGE).status_code == 302


@require_2fa
def test_wrong_code_is_refused_with_a_clear_message(client, hr_user):
    device = confirmed_device(hr_user)
    client.force_login(hr_user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/akun/2fa/", {"code": wrong, "next": PAGE})
    assert response.status_code == 200
    assert "Kode salah" in response.content.decode()
    assert client.get(PAGE).status_code == 302
    malformed = client.post("/akun/2fa/", {"code": "12ab"})
    assert "Kode harus terdiri dari 6 angka" in malformed.content.decode()


def test_verification_attempts_are_rate_limited(client, hr_user, settings):
    # Both through the `settings` fixture: mixing it with the @override_settings decorator
    # restored SIKAP_REQUIRE_2FA=True after the test and leaked it into later tests.
    settings.SIKAP_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # isolate our own limit from django-otp's back-off
    device = confirmed_device(hr_user)
    client.force_login(hr_user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    for _ in range(otp.MAX_ATTEMPTS):
        client.post("/akun/2fa/", {"code": wrong})
    response = client.post("/akun/2fa/", {"code": totp_code(device), "next": PAGE})
    assert response.status_code == 429
    assert "Terlalu banyak kode yang salah" in response.content.decode()
    assert client.get(PAGE).status_code == 302


@require_2fa
def test_next_never_leads_off_site(client, hr_user):
    device = confirmed_device(hr_user)
    client.force_login(hr_user)
    response = client.post(
        "/akun/2fa/", {"code": totp_code(device), "next": "https://jahat.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


@require_2fa
def test_logout_and_static_are_reachable_before_verification(client, hr_user):
    client.force_login(hr_user)
    assert client.post("/keluar/")["Location"] == "/"
    client.force_login(hr_user)
    assert not client.get("/static/css/sikap.css").get("Location", "").startswith("/akun/2fa/")


@require_2fa
def test_api_token_is_unaffected_but_unverified_session_is_anonymous(client, hr_user, api):
    assert api(hr_user).get("/units").status_code == 200
    client.force_login(hr_user)
    assert client.get("/api/v1/units").status_code == 401
    assert client.get("/api/v1/health").status_code == 200
    device = confirmed_device(hr_user)
    client.post("/akun/2fa/", {"code": totp_code(device)})
    assert client.get("/api/v1/units").status_code == 200


def test_middleware_does_not_touch_the_user_when_2fa_is_off(settings):
    """Other pages' fixed query counts stay unchanged in dev and tests."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils.functional import SimpleLazyObject

    settings.SIKAP_REQUIRE_2FA = False

    def untouchable():
        raise AssertionError("request.user dibaca")

    request = RequestFactory().get(PAGE)
    request.user = SimpleLazyObject(untouchable)
    middleware = otp.RequireOTPMiddleware(lambda r: HttpResponse("ok"))
    assert middleware(request).status_code == 200
