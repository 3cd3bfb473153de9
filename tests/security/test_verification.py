"""The public certificate verification: codes carry at least 128 random bits, and look-ups
are rate limited (API and page)."""

import math

import pytest

from kompetensi import rules


def test_verification_codes_carry_at_least_128_random_bits():
    bits = rules.VERIFICATION_CODE_LENGTH * math.log2(len(set(rules.VERIFICATION_CODE_ALPHABET)))
    assert bits >= 128
    codes = {rules.new_verification_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(rules.is_verification_code(code) for code in codes)
    # Every symbol of the alphabet shows up: drawn from the whole alphabet, not a subset.
    assert set("".join(codes)) == set(rules.VERIFICATION_CODE_ALPHABET)


@pytest.mark.django_db
def test_public_verification_api_is_rate_limited(client):
    from workflow.views import VERIFY_LIMIT

    code = rules.new_verification_code()
    statuses = [
        client.get(f"/api/v1/certificates/verify/{code}").status_code
        for _ in range(VERIFY_LIMIT + 1)
    ]
    assert set(statuses[:VERIFY_LIMIT]) == {404}
    assert statuses[-1] == 429
    assert "detail" in client.get(f"/api/v1/certificates/verify/{code}").json()


@pytest.mark.django_db
def test_public_verification_page_is_rate_limited(client):
    from workflow.views import VERIFY_LIMIT

    code = rules.new_verification_code()
    for _ in range(VERIFY_LIMIT):
        assert client.get(f"/verifikasi/{code}/").status_code == 404
    response = client.get(f"/verifikasi/{code}/")
    assert response.status_code == 429
    assert response["Retry-After"]
