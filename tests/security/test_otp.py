"""Two-factor sign-in (TOTP) for BKPSDM officers and superusers (core/otp.py)."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import accounts, otp
from core.errors import InvalidInput, NotAllowed
from core.models import AccessLog, OtpEnrolmentCode
from kompetensi.models import OrganizationUnit
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


def enrolment_code(user) -> str:
    """What a superuser/city-wide officer hands over (here issued by the operator)."""
    from core.accounts import otp_enrolment_code_issue
    from core.roles import SYSTEM

    return otp_enrolment_code_issue(actor=SYSTEM, user=user)[1]


def enter_enrolment_code(client, user, next_url: str = PAGE):
    response = client.post("/akun/2fa/", {"enrolment_code": enrolment_code(user), "next": next_url})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


@require_2fa
def test_setup_shows_qr_and_secret_then_confirms_with_a_correct_code(client, hr_user):
    client.force_login(hr_user)
    # The first enrolment of a role account starts with an enrolment code (issue #14).
    enter_enrolment_code(client, hr_user)
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


# -- first enrolment of a role account needs an enrolment code (issue #14, hole 2) -------------


@require_2fa
def test_role_account_without_device_cannot_enrol_without_a_code(client, hr_user):
    """Whoever signs in first (e.g. after taking the password over by a reset) gets no
    secret: the page asks for an enrolment code and creates no device."""
    client.force_login(hr_user)
    page = client.get(f"/akun/2fa/?next={PAGE}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "kode pendaftaran" in html.lower()
    assert "data:image/svg+xml" not in html and "otpauth://" not in html
    assert not TOTPDevice.objects.filter(user=hr_user).exists()
    # Posting an authenticator code instead of an enrolment code confirms nothing.
    response = client.post("/akun/2fa/", {"code": "123456", "next": PAGE})
    assert "Masukkan kode pendaftaran" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=hr_user).exists()
    assert client.get(PAGE).status_code == 302


@require_2fa
def test_an_unconfirmed_device_from_before_gives_nothing_without_a_code(client, hr_user):
    """A device left unconfirmed by the old flow (or by someone else) is never shown."""
    TOTPDevice.objects.create(user=hr_user, name="SIKAP", confirmed=False)
    client.force_login(hr_user)
    page = client.get("/akun/2fa/")
    assert "data:image/svg+xml" not in page.content.decode()
    enter_enrolment_code(client, hr_user)
    # The code opens a fresh secret: the old unconfirmed device is gone.
    assert TOTPDevice.objects.filter(user=hr_user).count() == 1


@require_2fa
def test_wrong_or_foreign_code_is_refused_with_a_clear_message(client, hr_user, make_user):
    other = make_user("petugas-lain", "BKPSDM")
    foreign = enrolment_code(other)
    client.force_login(hr_user)
    for code in ("ABCD-EFGH-JKLM", foreign, "kurang"):
        response = client.post("/akun/2fa/", {"enrolment_code": code, "next": PAGE})
        assert response.status_code == 200
        assert "Kode pendaftaran salah" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=hr_user).exists()
    # The other account's code is still unused.
    assert OtpEnrolmentCode.objects.get(user=other).used_at is None


def test_enrolment_code_attempts_are_rate_limited(client, hr_user, settings):
    settings.SIKAP_REQUIRE_2FA = True
    code = enrolment_code(hr_user)
    client.force_login(hr_user)
    for _ in range(otp.MAX_ATTEMPTS):
        client.post("/akun/2fa/", {"enrolment_code": "ZZZZ-ZZZZ-ZZZZ"})
    response = client.post("/akun/2fa/", {"enrolment_code": code})
    assert response.status_code == 429
    assert "Terlalu banyak kode yang salah" in response.content.decode()
    assert OtpEnrolmentCode.objects.get(user=hr_user).used_at is None


@require_2fa
def test_a_code_works_once_and_only_in_the_session_that_used_it(client, hr_user):
    from django.test import Client

    code = enrolment_code(hr_user)
    client.force_login(hr_user)
    assert client.post("/akun/2fa/", {"enrolment_code": code}).status_code == 302
    device = TOTPDevice.objects.get(user=hr_user, confirmed=False)
    # Another session (an attacker holding the password) cannot reuse the code, and is not
    # shown the secret the first session is setting up.
    other = Client()
    other.force_login(hr_user)
    response = other.post("/akun/2fa/", {"enrolment_code": code})
    assert "Kode pendaftaran salah" in response.content.decode()
    assert other.post("/akun/2fa/", {"code": totp_code(device)}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    # The session that entered the code confirms the device.
    assert client.post("/akun/2fa/", {"code": totp_code(device), "next": PAGE}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    row = OtpEnrolmentCode.objects.get(user=hr_user)
    assert row.used_at is not None


@require_2fa
def test_an_expired_code_is_refused(client, hr_user):
    code = enrolment_code(hr_user)
    OtpEnrolmentCode.objects.filter(user=hr_user).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(hr_user)
    response = client.post("/akun/2fa/", {"enrolment_code": code})
    assert "Kode pendaftaran salah" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=hr_user).exists()


@require_2fa
def test_the_setup_window_closes(client, hr_user, monkeypatch):
    from core import otp_views

    client.force_login(hr_user)
    enter_enrolment_code(client, hr_user)
    assert "data:image/svg+xml" in client.get("/akun/2fa/").content.decode()
    real_time = otp_views.time.time
    monkeypatch.setattr(otp_views.time, "time", lambda: real_time() + otp_views.ENROL_WINDOW + 1)
    page = client.get("/akun/2fa/")
    assert "data:image/svg+xml" not in page.content.decode()


def test_codes_are_stored_hashed_single_and_newest_wins(hr_user):
    first = enrolment_code(hr_user)
    second = enrolment_code(hr_user)
    normalised = accounts.normalise_enrolment_code(second)
    assert len(normalised) == 12
    rows = list(OtpEnrolmentCode.objects.filter(user=hr_user))
    assert len(rows) == 2
    for row in rows:
        assert normalised not in row.code_hash and first.replace("-", "") not in row.code_hash
    assert {r.code_hash for r in rows} == {
        OtpEnrolmentCode.hash_code(normalised),
        OtpEnrolmentCode.hash_code(accounts.normalise_enrolment_code(first)),
    }
    # Issuing a new code ends the older one.
    assert not accounts.otp_enrolment_code_redeem(user=hr_user, code=first)
    assert accounts.otp_enrolment_code_redeem(user=hr_user, code=second.lower())
    assert not accounts.otp_enrolment_code_redeem(user=hr_user, code=second)


@pytest.fixture
def cast(make_user):
    unit = OrganizationUnit.objects.create(code="U-OTP", name="Unit OTP")
    su = make_user("akar", is_superuser=True, is_staff=True)
    return {
        "superuser": su,
        "hr_all": make_user("sdm-kota", "BKPSDM"),
        "hr_unit": make_user("sdm-unit", "BKPSDM", hr_units=[unit]),
        "trainer": make_user("pelatih", "Pelatih"),
        "asn": make_user("asn", "ASN"),
        "new_hr": make_user("sdm-baru", "BKPSDM", hr_units=[unit]),
    }


@pytest.mark.parametrize(
    ("issuer", "allowed"),
    [("superuser", True), ("hr_all", True), ("hr_unit", False), ("trainer", False), ("asn", False)],
)
def test_who_may_issue_an_enrolment_code(cast, issuer, allowed):
    target = cast["new_hr"]
    if allowed:
        row, code = accounts.otp_enrolment_code_issue(actor=cast[issuer], user=target)
        assert row.issued_by == cast[issuer] and len(code) == 14
        log = AccessLog.objects.filter(action="issue", object_type="core.otpenrolmentcode")
        assert log.get().user == cast[issuer]
    else:
        with pytest.raises(NotAllowed):
            accounts.otp_enrolment_code_issue(actor=cast[issuer], user=target)
        assert not OtpEnrolmentCode.objects.exists()


def test_no_code_for_oneself_for_a_plain_account_or_an_enrolled_one(cast):
    hr_all = cast["hr_all"]
    with pytest.raises(NotAllowed):
        accounts.otp_enrolment_code_issue(actor=hr_all, user=hr_all)
    with pytest.raises(InvalidInput, match="tidak memegang peran"):
        accounts.otp_enrolment_code_issue(actor=hr_all, user=cast["asn"])
    confirmed_device(cast["new_hr"])
    with pytest.raises(InvalidInput, match="sudah memiliki"):
        accounts.otp_enrolment_code_issue(actor=hr_all, user=cast["new_hr"])
    assert not OtpEnrolmentCode.objects.exists()


def test_admin_page_issues_a_code_shown_once(client, cast):
    client.force_login(cast["hr_all"])
    page = client.get("/admin/kode-2fa/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "sdm-baru" in html
    # Own account and accounts that need no second factor are not offered.
    assert f'value="{cast["hr_all"].pk}"' not in html
    assert f'value="{cast["asn"].pk}"' not in html
    response = client.post("/admin/kode-2fa/", {"user": cast["new_hr"].pk})
    assert response.status_code == 200
    body = response.content.decode()
    row = OtpEnrolmentCode.objects.get(user=cast["new_hr"])
    shown = re.search(r'otp-enrolment-code">([A-Z0-9-]+)<', body).group(1)
    assert row.code_hash == OtpEnrolmentCode.hash_code(shown.replace("-", ""))
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    # Not shown again.
    assert shown not in client.get("/admin/kode-2fa/").content.decode()


@pytest.mark.parametrize("role", ["hr_unit", "trainer"])
def test_admin_page_is_refused_to_others(client, cast, role):
    """Wagtail answers a refused admin page with a redirect to the dashboard and a message."""
    client.force_login(cast[role])
    for response in (
        client.get("/admin/kode-2fa/"),
        client.post("/admin/kode-2fa/", {"user": cast["new_hr"].pk}),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not OtpEnrolmentCode.objects.exists()


def test_admin_menu_shows_the_code_page_to_issuers_only(client, cast):
    client.force_login(cast["hr_all"])
    assert "/admin/kode-2fa/" in client.get("/admin/").content.decode()
    client.force_login(cast["hr_unit"])
    assert "/admin/kode-2fa/" not in client.get("/admin/").content.decode()


def test_operator_command_prints_a_working_code(cast, capsys):
    call_command("otp_enrolment_code", "akar")
    code = capsys.readouterr().out.strip()
    assert accounts.otp_enrolment_code_redeem(user=cast["superuser"], code=code)


@require_2fa
def test_account_without_a_role_does_not_enrol(client, asn_user):
    client.force_login(asn_user)
    response = client.get(f"/akun/2fa/?next={PAGE}")
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not TOTPDevice.objects.filter(user=asn_user).exists()


@require_2fa
def test_full_enrolment_with_a_code_from_a_city_wide_officer(client, cast):
    row, code = accounts.otp_enrolment_code_issue(actor=cast["hr_all"], user=cast["new_hr"])
    client.force_login(cast["new_hr"])
    assert client.get(PAGE).status_code == 302
    client.post("/akun/2fa/", {"enrolment_code": code.lower().replace("-", " ")})
    device = TOTPDevice.objects.get(user=cast["new_hr"])
    response = client.post("/akun/2fa/", {"code": totp_code(device), "next": PAGE})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert client.get(PAGE).status_code == 200
    assert AccessLog.objects.filter(object_type="core.otpenrolmentcode", action="update").exists()
