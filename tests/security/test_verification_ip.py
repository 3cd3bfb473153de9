"""The public certificate verification (page and API) is rate limited per visitor: behind the
reverse proxy (``TRUSTED_PROXY_COUNT`` = 1) the client address comes from ``X-Forwarded-For``
(``core.client_ip``), so visitors sharing the proxy's ``REMOTE_ADDR`` do not share a limit, and
a forged left-most entry does not escape it."""

import pytest

from kompetensi import rules

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1


def _get(client, url: str, forwarded_for: str):
    return client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/certificates/verify/{code}", "/verifikasi/{code}/"])
def test_each_visitor_behind_the_proxy_has_their_own_limit(client, behind_proxy, url):
    from workflow.views import VERIFY_LIMIT

    url = url.format(code=rules.new_verification_code())
    for _ in range(VERIFY_LIMIT):
        assert _get(client, url, "203.0.113.7").status_code == 404
    assert _get(client, url, "203.0.113.7").status_code == 429
    # Another visitor through the same proxy is not blocked by the first one.
    assert _get(client, url, "198.51.100.20").status_code == 404


@pytest.mark.django_db
def test_a_forged_forwarded_entry_does_not_reset_the_limit(client, behind_proxy):
    from workflow.views import VERIFY_LIMIT

    url = f"/api/v1/certificates/verify/{rules.new_verification_code()}"
    for n in range(VERIFY_LIMIT):
        # The client writes a new left-most entry each time; nginx appends the real address.
        assert _get(client, url, f"192.0.2.{n}, 203.0.113.7").status_code == 404
    response = _get(client, url, "192.0.2.250, 203.0.113.7")
    assert response.status_code == 429
    assert "detail" in response.json()


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(client, settings):
    from workflow.views import VERIFY_LIMIT

    settings.AXES_IPWARE_PROXY_COUNT = 0
    url = f"/api/v1/certificates/verify/{rules.new_verification_code()}"
    for n in range(VERIFY_LIMIT):
        assert _get(client, url, f"203.0.113.{n}").status_code == 404
    assert _get(client, url, "198.51.100.20").status_code == 429
