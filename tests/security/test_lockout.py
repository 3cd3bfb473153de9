"""Login lock-out per username AND client IP, with the client IP taken correctly behind the
documented reverse proxy (nginx appends the address it saw to X-Forwarded-For)."""

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import RequestFactory

from core.client_ip import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"  # nginx, as the app sees it


def _login(client, password: str, *, xff: str | None, remote: str = PROXY):
    headers = {"REMOTE_ADDR": remote}
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    return client.post("/masuk/", {"username": "korban", "password": password}, **headers)


def _fail_five_times(client, *, xff_for_attempt):
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        response = _login(client, "salah", xff=xff_for_attempt(attempt))
        # The form again with its message; the last failure already answers "locked".
        last = attempt == django_settings.AXES_FAILURE_LIMIT - 1
        assert response.status_code == (429 if last else 200)


def test_lockout_settings_are_username_and_ip():
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "core.client_ip.client_ip"


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        (0, "203.0.113.7", PROXY),  # no trusted proxy: the header is ignored
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the client's own prefix is not trusted
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, "bukan-alamat", PROXY),
        (2, "203.0.113.7", PROXY),  # fewer entries than proxies: not through our proxies
        (1, "", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_behind_proxies(settings, proxies, xff, expected):
    settings.AXES_IPWARE_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)
    assert client_ip(request) == expected
    assert get_client_ip_address(request) == expected  # what django-axes uses


def test_behind_one_proxy_the_forwarded_client_is_locked_not_everybody(client, make_user, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    make_user("korban", "ASN")
    _fail_five_times(client, xff_for_attempt=lambda i: f"9.9.9.{i}, 203.0.113.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}

    locked = _login(client, "rahasia-123", xff="203.0.113.7")
    assert locked.status_code == 429
    assert "dikunci" in locked.content.decode()

    # Another client behind the same proxy is not locked out of the same account.
    other = _login(client, "rahasia-123", xff="198.51.100.20")
    assert other.status_code == 302


def test_without_trusted_proxy_a_spoofed_header_cannot_dodge_the_lock(client, make_user, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    make_user("korban", "ASN")
    _fail_five_times(client, xff_for_attempt=lambda i: f"203.0.113.{i + 1}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}

    response = _login(client, "rahasia-123", xff="198.51.100.99")
    assert response.status_code == 429


def test_lock_is_per_username_another_account_from_the_same_ip_still_signs_in(client, make_user):
    make_user("korban", "ASN")
    make_user("rekan", "ASN")
    _fail_five_times(client, xff_for_attempt=lambda i: None)
    assert _login(client, "rahasia-123", xff=None).status_code == 429
    response = client.post(
        "/masuk/", {"username": "rekan", "password": "rahasia-123"}, REMOTE_ADDR=PROXY
    )
    assert response.status_code == 302


# -- hole 4 of issue #14: the lock-out counts the name sign-in resolves -------------------------

NIP = "198503152010012003"
SPELLINGS = (
    "1985 0315 2010 01 2 003",
    "19850315 201001 2 003",
    " 198503152010012003 ",
    "198503152010012003",
    "1985031520100 12003",
)


def _employee_account(make_user, username: str = NIP):
    from kompetensi.models import Employee, OrganizationUnit

    user = make_user(username, "ASN")
    unit = OrganizationUnit.objects.create(code="U-LOCK", name="Unit Kunci")
    Employee.objects.create(nip=NIP, name="Siti Korban", unit=unit, user=user)
    return user


def test_every_spelling_of_a_nip_shares_the_five_tries(client, make_user):
    _employee_account(make_user)
    for attempt, spelling in enumerate(SPELLINGS):
        response = client.post(
            "/masuk/", {"username": spelling, "password": "salah"}, REMOTE_ADDR=PROXY
        )
        last = attempt == django_settings.AXES_FAILURE_LIMIT - 1
        assert response.status_code == (429 if last else 200), spelling
    # One counter for the account, not one per spelling.
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [(NIP, 5)]
    # Locked for every spelling, even with the right password.
    for spelling in ("19850315 2010 01 2 003", NIP):
        response = client.post(
            "/masuk/", {"username": spelling, "password": "rahasia-123"}, REMOTE_ADDR=PROXY
        )
        assert response.status_code == 429, spelling


def test_nip_and_the_accounts_username_share_the_tries(client, make_user):
    """An account whose username is not its NIP (demo and older accounts): the NIP and the
    username are one account and one counter."""
    _employee_account(make_user, username="siti-korban")
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        name = "siti-korban" if attempt % 2 else "1985 0315 2010 01 2 003"
        client.post("/masuk/", {"username": name, "password": "salah"}, REMOTE_ADDR=PROXY)
    response = client.post(
        "/masuk/", {"username": "siti-korban", "password": "rahasia-123"}, REMOTE_ADDR=PROXY
    )
    assert response.status_code == 429


def test_a_successful_sign_in_resets_the_normalised_counter(client, make_user):
    _employee_account(make_user)
    for spelling in SPELLINGS[: django_settings.AXES_FAILURE_LIMIT - 1]:
        client.post("/masuk/", {"username": spelling, "password": "x"}, REMOTE_ADDR=PROXY)
    assert AccessAttempt.objects.get(username=NIP).failures_since_start == 4
    response = client.post(
        "/masuk/",
        {"username": "19850315 201001 2 003", "password": "rahasia-123"},
        REMOTE_ADDR=PROXY,
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=NIP).exists()
