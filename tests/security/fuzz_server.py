"""The server a schemathesis run of tests/security/test_api_fuzz.py talks to, in a process of
its own: ``python -m tests.security.fuzz_server <username>``.

It serves the test settings on the database ``DATABASE_URL`` names (a copy of the committed
demo, tests/database.py) with Django's live-server thread (as pytest-django's ``live_server``),
the citizen-feedback rate limits lifted (or the fuzzer would see little but 429 there;
tests/skm/test_oracle.py tests them), issues a bearer token for ``username``, prints
``{"url": …, "token": …}`` on one line and serves until its standard input closes."""

import json
import os
import sys


def main(username: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikap.settings.test")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    from core.models import ApiToken
    from skm import services as skm_services

    for limit in ("RATE_LIMIT", "IP_RATE_LIMIT", "DEVICE_RATE_LIMIT"):
        if hasattr(skm_services, limit):
            setattr(skm_services, limit, 1_000_000)
    user = get_user_model().objects.get(username=username)
    token = ApiToken.issue(user=user, name="schemathesis")[1]
    connections.close_all()

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    print(json.dumps({"url": f"http://127.0.0.1:{server.port}", "token": token}), flush=True)
    sys.stdin.read()
    server.terminate()


if __name__ == "__main__":
    main(sys.argv[1])
