"""Fixtures for the security tests."""

import pytest


@pytest.fixture
def hr_user(make_user):
    return make_user("petugas-sdm", "BKPSDM")


@pytest.fixture
def asn_user(make_user):
    return make_user("pegawai-asn", "ASN")


def totp_code(device) -> str:
    """The code an authenticator app shows for ``device`` right now."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
