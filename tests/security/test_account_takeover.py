"""The account takeover chain of issue #14 (hole 2): a scoped HR officer of unit B pulls an
HR-role employee of unit A into their scope, changes the account's e-mail to their own and
asks for a password reset. The chain must fail at its first step, and each later step must
also fail on its own:

- an employee outside the officer's scope is not found (API 404, admin 404);
- the e-mail of an account holding a role (BKPSDM, Pelatih, Reviewer Konten, superuser) is
  changed by nobody but a superuser or the account itself (API 403, admin form error, service
  ``NotAllowed``, import error);
- a changed e-mail is not used for sign-in or password reset until the new address confirms
  it through a signed, expiring, single-use link; the old address is told.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing

from core import accounts
from core.errors import NotAllowed
from core.models import AccessLog
from core.roles import SYSTEM
from kompetensi import services
from kompetensi.models import Employee, OrganizationUnit

pytestmark = pytest.mark.django_db

NIP_VICTIM = "198503152010012003"
NIP_ATTACKER = "199001012015011001"
NIP_ASN = "199305122019031004"
NIP_ROLE_IN_B = "197204181998032005"
ATTACKER_MAIL = "penyerang@jahat.example"
VICTIM_MAIL = "korban@serangkota.go.id"
ASN_MAIL = "asn@serangkota.go.id"


def _user(make_user, username, *groups, email, **extra):
    user = make_user(username, *groups, **extra)
    user.email = email
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def org(make_user):
    unit_a = OrganizationUnit.objects.create(code="UA", name="Unit A", kind="perangkat_daerah")
    unit_b = OrganizationUnit.objects.create(code="UB", name="Unit B", kind="perangkat_daerah")
    # The city-wide HR officer, an employee of unit A: the prize.
    victim = _user(make_user, NIP_VICTIM, "BKPSDM", email=VICTIM_MAIL)
    victim_emp = Employee.objects.create(
        nip=NIP_VICTIM, name="Korban", unit=unit_a, user=victim, email=VICTIM_MAIL
    )
    # An HR officer scoped to unit B: the attacker.
    attacker = make_user(NIP_ATTACKER, "BKPSDM", hr_units=[unit_b])
    Employee.objects.create(nip=NIP_ATTACKER, name="Penyerang", unit=unit_b, user=attacker)
    # A plain ASN of unit B, whose e-mail HR of unit B may change.
    asn = _user(make_user, NIP_ASN, "ASN", email=ASN_MAIL)
    asn_emp = Employee.objects.create(
        nip=NIP_ASN, name="Pegawai B", unit=unit_b, user=asn, email=ASN_MAIL
    )
    return {
        "unit_a": unit_a,
        "unit_b": unit_b,
        "victim": victim,
        "victim_emp": victim_emp,
        "attacker": attacker,
        "asn": asn,
        "asn_emp": asn_emp,
    }


def _mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def _reset(client, address: str):
    client.logout()
    response = client.post("/akun/reset/", {"email": address})
    assert response.status_code == 302
    return response


def _confirm_link(address: str) -> str:
    (message,) = [m for m in _mails_to(address) if "Konfirmasi" in m.subject]
    return re.search(r"https?://[^/\s]+(/akun/email/[^\s]+/)", message.body).group(1)


def _admin_form(employee: Employee, **overrides) -> dict:
    data = {
        "nip": employee.nip,
        "employee_type": employee.employee_type,
        "name": employee.name,
        "email": employee.email,
        "unit": employee.unit_id,
        "position": employee.position_id or "",
        "rank": employee.rank,
        "supervisor": employee.supervisor_id or "",
    }
    if employee.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return data


def _assert_untouched(org) -> None:
    victim_emp = Employee.objects.select_related("user").get(nip=NIP_VICTIM)
    assert victim_emp.unit_id == org["unit_a"].pk
    assert victim_emp.email == VICTIM_MAIL
    assert victim_emp.user.email == VICTIM_MAIL


# -- the chain, as an attacker runs it ---------------------------------------------------------


def test_attack_chain_fails_at_its_first_step_on_the_api(
    org, api, client, django_capture_on_commit_callbacks
):
    attacker_api = api(org["attacker"])
    with django_capture_on_commit_callbacks(execute=True):
        # 1. pull the HR-role employee of unit A into unit B: not even found
        pulled = attacker_api.patch(f"/employees/{NIP_VICTIM}", {"unit_code": "UB"})
        assert pulled.status_code == 404
        assert "detail" in pulled.json()
        _assert_untouched(org)
        # 2. the next step fails on its own too
        changed = attacker_api.patch(f"/employees/{NIP_VICTIM}", {"email": ATTACKER_MAIL})
        assert changed.status_code == 404
        _assert_untouched(org)
        # 3. and a reset to the attacker's address sends nothing
        _reset(client, ATTACKER_MAIL)
    assert not _mails_to(ATTACKER_MAIL)


def test_attack_chain_fails_at_its_first_step_in_the_import(
    org, client, django_capture_on_commit_callbacks
):
    from kompetensi.importer import import_employees

    data = f"NIP,nama,unit kerja,email\n{NIP_VICTIM},Korban,UB,{ATTACKER_MAIL}\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        plan = import_employees(data, actor=org["attacker"], dry_run=False)
        assert plan.errors
        _assert_untouched(org)
        _reset(client, ATTACKER_MAIL)
    assert not _mails_to(ATTACKER_MAIL)


def test_attack_chain_fails_at_its_first_step_in_the_wagtail_admin(
    org, client, django_capture_on_commit_callbacks
):
    victim_emp = org["victim_emp"]
    client.force_login(org["attacker"])
    url = f"/admin/pegawai/edit/{victim_emp.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 404
        response = client.post(
            url, _admin_form(victim_emp, unit=org["unit_b"].pk, email=ATTACKER_MAIL)
        )
        assert response.status_code == 404
        _assert_untouched(org)
        _reset(client, ATTACKER_MAIL)
    assert not _mails_to(ATTACKER_MAIL)


# -- step 2 on its own: a role account's e-mail ------------------------------------------------


ROLES = ["BKPSDM", "Pelatih", "Reviewer Konten", "superuser"]


def _role_account_in_b(org, make_user, role: str):
    """An account holding ``role`` whose employee record is in unit B (the attacker's own
    scope, as if step 1 had succeeded)."""
    if role == "superuser":
        account = _user(make_user, "role-in-b", email=VICTIM_MAIL, is_superuser=True, is_staff=True)
    elif role == "BKPSDM":
        account = _user(
            make_user, "role-in-b", "BKPSDM", hr_units=[org["unit_a"]], email=VICTIM_MAIL
        )
    else:
        account = _user(make_user, "role-in-b", role, email=VICTIM_MAIL)
    employee = Employee.objects.create(
        nip=NIP_ROLE_IN_B,
        name="Pemegang Peran",
        unit=org["unit_b"],
        user=account,
        email=VICTIM_MAIL,
    )
    return account, employee


def _assert_role_email_untouched(account) -> None:
    account.refresh_from_db()
    assert account.email == VICTIM_MAIL
    assert Employee.objects.get(user=account).email == VICTIM_MAIL


@pytest.mark.parametrize("role", ROLES)
def test_role_account_email_is_refused_on_the_api_even_in_scope(
    org, api, make_user, role, django_capture_on_commit_callbacks
):
    account, _employee = _role_account_in_b(org, make_user, role)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(org["attacker"]).patch(
            f"/employees/{NIP_ROLE_IN_B}", {"email": ATTACKER_MAIL}
        )
    assert response.status_code == 403
    assert "peran" in response.json()["detail"]
    _assert_role_email_untouched(account)
    assert not mail.outbox


@pytest.mark.parametrize("role", ROLES)
def test_role_account_email_is_refused_in_the_wagtail_admin_even_in_scope(
    org, client, make_user, role, django_capture_on_commit_callbacks
):
    """The admin's edit form reaches the same service; its refusal (403) is Wagtail's
    "permission denied" (a redirect to the dashboard with a message) and writes nothing."""
    account, employee = _role_account_in_b(org, make_user, role)
    client.force_login(org["attacker"])
    url = f"/admin/pegawai/edit/{employee.pk}/"
    assert client.get(url).status_code == 200  # in scope: the officer may edit the record
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _admin_form(employee, email=ATTACKER_MAIL))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
    _assert_role_email_untouched(account)
    assert not mail.outbox


@pytest.mark.parametrize("role", ROLES)
def test_role_account_email_is_refused_by_the_service(org, make_user, role):
    account, employee = _role_account_in_b(org, make_user, role)
    with pytest.raises(NotAllowed) as refused:
        services.employee_update(actor=org["attacker"], employee=employee, email=ATTACKER_MAIL)
    assert refused.value.field == "email"
    _assert_role_email_untouched(account)


def test_role_account_email_row_is_an_import_error(org, make_user):
    """The import (task B) refuses such a row through the same rule; nothing is written."""
    from kompetensi.importer import import_employees

    account, _employee = _role_account_in_b(org, make_user, "Pelatih")
    data = (
        f"NIP,nama,unit kerja,email\n{NIP_ROLE_IN_B},Pemegang Peran,UB,{ATTACKER_MAIL}\n"
    ).encode()
    plan = import_employees(data, actor=org["attacker"], dry_run=False)
    assert plan.errors
    _assert_role_email_untouched(account)


def test_a_superuser_may_change_a_role_accounts_email_but_it_waits_for_confirmation(
    org, make_user, client, django_capture_on_commit_callbacks
):
    root = make_user("akar", is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_update(
            actor=root, employee=org["victim_emp"], email="baru@serangkota.go.id"
        )
    org["victim"].refresh_from_db()
    assert org["victim"].email == VICTIM_MAIL  # still the old one
    assert Employee.objects.get(nip=NIP_VICTIM).email == "baru@serangkota.go.id"
    assert accounts.pending_email(org["victim"]) == "baru@serangkota.go.id"
    assert _mails_to("baru@serangkota.go.id") and _mails_to(VICTIM_MAIL)
    # Until the new address confirms, a reset asked with it sends nothing.
    mail.outbox.clear()
    _reset(client, "baru@serangkota.go.id")
    assert not mail.outbox


def test_the_account_itself_may_change_its_own_email(org):
    """``can_change_account_email``: the account's own holder (here an officer of unit A
    editing their own record) is not refused; the change still waits for confirmation."""
    from tests.factories import set_hr_scope

    set_hr_scope(org["victim"], org["unit_a"])
    services.employee_update(
        actor=org["victim"], employee=org["victim_emp"], email="pribadi@serangkota.go.id"
    )
    org["victim"].refresh_from_db()
    assert org["victim"].email == VICTIM_MAIL


# -- step 3 on its own: a reset right after an e-mail change -----------------------------------


def test_reset_right_after_hr_changes_an_email_goes_to_the_old_address_never_the_new(
    org, api, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(org["attacker"]).patch(f"/employees/{NIP_ASN}", {"email": ATTACKER_MAIL})
    # Allowed (a plain ASN in the officer's scope), but only pending.
    assert response.status_code == 200
    assert response.json()["email"] == ATTACKER_MAIL  # the record shows the new address
    org["asn"].refresh_from_db()
    assert org["asn"].email == ASN_MAIL
    # The new address got the link, the old one the notice.
    assert [m.subject for m in _mails_to(ATTACKER_MAIL)] == [
        "[SIKAP] Konfirmasi alamat e-mail baru"
    ]
    (notice,) = _mails_to(ASN_MAIL)
    assert "diganti" in notice.body and ATTACKER_MAIL not in notice.body
    mail.outbox.clear()
    # A reset asked for with the new address sends nothing; with the old one, to the old one.
    _reset(client, ATTACKER_MAIL)
    assert not mail.outbox
    _reset(client, ASN_MAIL)
    (reset,) = mail.outbox
    assert reset.to == [ASN_MAIL]


def test_the_link_from_the_new_address_moves_the_account_address_once(
    org, api, client, django_capture_on_commit_callbacks
):
    new = "asn.baru@serangkota.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        api(org["attacker"]).patch(f"/employees/{NIP_ASN}", {"email": new})
    link = _confirm_link(new)
    # The link names no address (it may end up in logs).
    assert new not in link and ASN_MAIL not in link
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert set(signing.loads(token, salt=accounts.EMAIL_CONFIRM_SALT)) == {"u", "d"}
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and new in page.content.decode()
    org["asn"].refresh_from_db()
    assert org["asn"].email == ASN_MAIL  # a GET (a mail scanner) changes nothing
    done = client.post(link)
    assert done.status_code == 200
    org["asn"].refresh_from_db()
    assert org["asn"].email == new
    assert accounts.pending_email(org["asn"]) is None
    assert AccessLog.objects.filter(
        object_type="auth.user", object_id=str(org["asn"].pk), detail__contains="dikonfirmasi"
    ).exists()
    # Single use.
    again = client.post(link)
    assert again.status_code == 400 and "tidak berlaku" in again.content.decode()
    # Now the reset goes to the confirmed address.
    mail.outbox.clear()
    _reset(client, new)
    assert [m.to for m in mail.outbox] == [[new]]


def test_a_link_is_dead_once_the_address_changed_again(
    org, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_update(actor=SYSTEM, employee=org["asn_emp"], email="x@serangkota.go.id")
    stale = _confirm_link("x@serangkota.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_update(actor=SYSTEM, employee=org["asn_emp"], email="y@serangkota.go.id")
    assert client.post(stale).status_code == 400
    org["asn"].refresh_from_db()
    assert org["asn"].email == ASN_MAIL
    assert client.post(_confirm_link("y@serangkota.go.id")).status_code == 200
    org["asn"].refresh_from_db()
    assert org["asn"].email == "y@serangkota.go.id"


def test_going_back_to_the_confirmed_address_cancels_the_pending_change(
    org, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_update(actor=SYSTEM, employee=org["asn_emp"], email="x@serangkota.go.id")
    link = _confirm_link("x@serangkota.go.id")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_update(actor=SYSTEM, employee=org["asn_emp"], email=ASN_MAIL)
    assert not mail.outbox  # back to the confirmed address: nothing to confirm
    assert accounts.pending_email(org["asn"]) is None
    assert client.post(link).status_code == 400
    org["asn"].refresh_from_db()
    assert org["asn"].email == ASN_MAIL


def test_an_expired_or_forged_link_is_refused(
    org, client, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_update(actor=SYSTEM, employee=org["asn_emp"], email="x@serangkota.go.id")
    link = _confirm_link("x@serangkota.go.id")
    forged = signing.dumps(
        {"u": org["asn"].pk, "d": "0" * 32}, salt=accounts.EMAIL_CONFIRM_SALT, compress=True
    )
    assert client.post(f"/akun/email/{forged}/").status_code == 400
    assert client.post(link[:-3] + "xx/").status_code == 400
    later = signing.time.time() + accounts.email_confirm_max_age() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(link).status_code == 400
    assert client.post(link).status_code == 400
    org["asn"].refresh_from_db()
    assert org["asn"].email == ASN_MAIL


def test_clearing_an_email_applies_at_once_and_tells_the_old_address(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_update(actor=org["attacker"], employee=org["asn_emp"], email="")
    org["asn"].refresh_from_db()
    assert org["asn"].email == ""
    (notice,) = mail.outbox
    assert notice.to == [ASN_MAIL] and "dikosongkan" in notice.body


def test_an_unchanged_email_sends_nothing(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_update(
            actor=org["attacker"], employee=org["asn_emp"], email=ASN_MAIL, name="Nama Baru"
        )
    assert not mail.outbox
    org["asn"].refresh_from_db()
    assert org["asn"].first_name == "Nama Baru"


def test_role_granted_later_does_not_unlock_a_pending_change(
    org, client, django_capture_on_commit_callbacks
):
    """A change requested while the account had no role still needs the link; nothing about
    the pending address is trusted because the account meanwhile became an officer."""
    with django_capture_on_commit_callbacks(execute=True):
        services.employee_update(
            actor=org["attacker"], employee=org["asn_emp"], email=ATTACKER_MAIL
        )
    org["asn"].groups.add(Group.objects.get(name="BKPSDM"))
    _reset(client, ATTACKER_MAIL)
    assert all(m.subject != "Atur ulang kata sandi" for m in _mails_to(ATTACKER_MAIL))
    assert [m.subject for m in _mails_to(ATTACKER_MAIL)] == [
        "[SIKAP] Konfirmasi alamat e-mail baru"
    ]


def test_confirmation_link_lifetime_setting(settings):
    settings.SIKAP_EMAIL_CONFIRM_MAX_AGE = int(timedelta(days=1).total_seconds())
    assert accounts.email_confirm_max_age() == 86400
