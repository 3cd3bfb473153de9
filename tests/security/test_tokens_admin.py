"""API tokens are seen and revoked by their owner (every user, on /akun/token/ and, with admin
access, in the Wagtail admin) and by superusers (all tokens, in the admin) — issue #14, hole 9.
Revocation asks for confirmation, is immediate (the next API call is 401) and audited. The
token and its hash are never shown."""

import pytest
from wagtail.permissions import policy_registry

from core import accounts
from core.errors import NotFound
from core.models import AccessLog, ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "asn": make_user("asn-token", "ASN"),
        "other": make_user("asn-lain", "ASN"),
        "trainer": make_user("pelatih-token", "Pelatih"),
        "hr": make_user("sdm-token", "BKPSDM"),
        "root": make_user("akar-token", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def tokens(people):
    return {
        name: ApiToken.issue(user=user, name=f"integrasi-{name}") for name, user in people.items()
    }


def _api_status(client, key: str) -> int:
    return client.get("/api/v1/competencies", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def _assert_no_secret(html: str, tokens: dict) -> None:
    for token, key in tokens.values():
        assert key not in html
        assert token.key_hash not in html


# -- /akun/token/: every signed-in user, own tokens only ---------------------------------------


def test_own_tokens_page_lists_only_own_tokens_without_the_secret(client, people, tokens):
    token, _key = tokens["asn"]
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.created_at)
    client.force_login(people["asn"])
    response = client.get("/akun/token/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "integrasi-asn" in html
    assert "integrasi-other" not in html and "integrasi-root" not in html
    assert f"sikap_{token.prefix}" in html  # the public prefix identifies it
    _assert_no_secret(html, tokens)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/akun/token/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_owner_revokes_after_confirmation_and_the_next_call_is_401(client, people, tokens):
    token, key = tokens["asn"]
    assert _api_status(client, key) == 200
    client.force_login(people["asn"])
    confirm = client.get(f"/akun/token/{token.pk}/cabut/")
    assert confirm.status_code == 200
    assert "Ya, cabut token" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # a GET changes nothing
    response = client.post(f"/akun/token/{token.pk}/cabut/")
    assert response.status_code == 302 and response["Location"] == "/akun/token/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert _api_status(client, key) == 401
    row = AccessLog.objects.get(action="revoke", object_type="core.apitoken")
    assert row.user == people["asn"] and row.object_id == str(token.pk)
    assert key not in row.detail and token.key_hash not in row.detail
    # Revoking again changes nothing and logs nothing more.
    client.force_login(people["asn"])
    client.post(f"/akun/token/{token.pk}/cabut/")
    assert AccessLog.objects.filter(action="revoke").count() == 1


@pytest.mark.parametrize("who", ["asn", "hr", "trainer"])
def test_nobody_revokes_another_persons_token_on_the_site(client, people, tokens, who):
    token, key = tokens["other"]
    client.force_login(people[who])
    assert client.get(f"/akun/token/{token.pk}/cabut/").status_code == 404
    assert client.post(f"/akun/token/{token.pk}/cabut/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.logout()
    assert _api_status(client, key) == 200


# -- the Wagtail admin: own tokens for every admin user, all of them for superusers -------------


@pytest.mark.parametrize("who", ["trainer", "hr"])
def test_admin_lists_own_tokens_for_admin_users(client, people, tokens, who):
    client.force_login(people[who])
    response = client.get("/admin/token-api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"integrasi-{who}" in html
    others = [name for name in tokens if name != who]
    assert not any(f"integrasi-{name}<" in html for name in others)
    _assert_no_secret(html, tokens)


def test_admin_lists_every_token_for_a_superuser_with_owner_and_dates(client, people, tokens):
    client.force_login(people["root"])
    response = client.get("/admin/token-api/")
    assert response.status_code == 200
    html = response.content.decode()
    for name, user in people.items():
        assert f"integrasi-{name}" in html
        assert user.username in html
    assert "Terakhir dipakai" in html and "Dibuat" in html and "Pemilik" in html
    _assert_no_secret(html, tokens)


def test_admin_is_not_for_users_without_admin_access(client, people):
    client.force_login(people["asn"])
    assert client.get("/admin/token-api/").status_code == 302


def test_superuser_revokes_someones_token_in_the_admin(client, people, tokens):
    token, key = tokens["asn"]
    client.force_login(people["root"])
    confirm = client.get(f"/admin/token-api/{token.pk}/cabut/")
    assert confirm.status_code == 200 and "asn-token" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(f"/admin/token-api/{token.pk}/cabut/")
    assert response.status_code == 302 and response["Location"] == "/admin/token-api/"
    client.logout()
    assert _api_status(client, key) == 401
    row = AccessLog.objects.get(action="revoke", object_type="core.apitoken")
    assert row.user == people["root"] and "asn-token" in row.detail


@pytest.mark.parametrize("who", ["trainer", "hr"])
def test_admin_users_cannot_revoke_other_peoples_tokens(client, people, tokens, who):
    token, key = tokens["asn"]
    client.force_login(people[who])
    assert client.get(f"/admin/token-api/{token.pk}/cabut/").status_code == 404
    assert client.post(f"/admin/token-api/{token.pk}/cabut/").status_code == 404
    client.logout()
    assert _api_status(client, key) == 200


def test_admin_user_revokes_own_token_in_the_admin(client, people, tokens):
    token, key = tokens["hr"]
    client.force_login(people["hr"])
    assert client.post(f"/admin/token-api/{token.pk}/cabut/").status_code == 302
    client.logout()
    assert _api_status(client, key) == 401


def test_admin_menu_has_the_token_page(client, people):
    client.force_login(people["trainer"])
    assert "/admin/token-api/" in client.get("/admin/").content.decode()


# -- one rule: the service and the permission policy Wagtail consults --------------------------


def test_service_hides_tokens_of_others(people, tokens):
    token, _key = tokens["other"]
    with pytest.raises(NotFound):
        accounts.api_token_revoke(actor=people["hr"], token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    accounts.api_token_revoke(actor=people["root"], token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_permission_policy_answers_the_same(people, tokens):
    policy = policy_registry.get_by_type(ApiToken)
    own, _ = tokens["hr"]
    other, _ = tokens["asn"]
    hr, root = people["hr"], people["root"]
    assert set(policy.instances_user_has_permission_for(hr, "view")) == {own}
    assert set(policy.instances_user_has_permission_for(root, "view")) == {
        t for t, _k in tokens.values()
    }
    assert policy.user_has_permission_for_instance(hr, "delete", own)
    assert not policy.user_has_permission_for_instance(hr, "delete", other)
    assert not policy.user_has_permission_for_instance(hr, "change", other)
    assert policy.user_has_permission_for_instance(root, "delete", other)
    # BKPSDM holds Django's view/change permission on the model: it grants nothing here.
    assert hr.has_perm("core.change_apitoken")
    assert not policy.user_has_permission(hr, "add")
