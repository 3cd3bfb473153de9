"""The machinery and the cases of the write matrix (tests/security/test_write_matrix.py).

A case is one state-changing request that would succeed for a role allowed to make it: its
URL, its body and what must exist first (``setup``), built from the demo world
(tests/security/demo_world.py) for the role that sends it. Every object it touches lies in
(or belongs to) the demo ASN's unit, so the officer scoped to that unit (``hr_unit``) may act
and the officer scoped to another unit (``hr_other``) may not.

Each attempt runs inside a savepoint that is rolled back, so attempts don't see each other.
What an attempt wrote is observed, not guessed: a database execute wrapper records every
INSERT/UPDATE/DELETE that affected rows and stayed (statements undone by a rollback to a
savepoint inside the request are dropped), together with e-mails sent and on-commit work
(tasks, e-mails) queued. Tables that record the visit rather than the object (sessions,
django-axes' sign-in log, Wagtail's per-user admin preferences) don't count as writes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from core.roles import SYSTEM

from .demo_world import PASSWORD

ROLES = (
    "anonymous",
    "asn",
    "supervisor",
    "asn_other",
    "trainer",
    "reviewer",
    "hr_unit",
    "hr_other",
    "hr_all",
    "superuser",
)

NEW_PASSWORD = "Matriks-Tulis-2026!"

# The confirmation of an irreversible act (core/confirm.py): the cases send the confirmed
# POST, which performs the act; without it the view only asks (tests/core/test_confirm.py).
CONFIRMED = {"confirmed": "1"}

# -- observing writes ------------------------------------------------------------------------

_DML = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[`"]?(\w+)',
    re.IGNORECASE,
)
_SAVEPOINT = re.compile(
    r'^\s*(SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO\s+SAVEPOINT)\s+[`"]?(\w+)', re.IGNORECASE
)

# Not the object of any case: the visit itself (session, sign-in log, admin UI preferences).
NOISE_TABLES = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
        "wagtailusers_userprofile",
    }
)


class WriteLog:
    """``connection.execute_wrapper``: the tables written by statements that affected rows
    and were not rolled back to a savepoint afterwards."""

    def __init__(self) -> None:
        self.frames: list[tuple[str | None, set[str]]] = [(None, set())]

    def _index(self, name: str) -> int | None:
        for i in range(len(self.frames) - 1, 0, -1):
            if self.frames[i][0] == name:
                return i
        return None

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        savepoint = _SAVEPOINT.match(sql)
        if savepoint:
            verb, name = " ".join(savepoint.group(1).upper().split()), savepoint.group(2)
            if verb == "SAVEPOINT":
                self.frames.append((name, set()))
                return result
            i = self._index(name)
            if verb == "RELEASE SAVEPOINT":
                if i is not None:
                    merged = set().union(*(tables for _n, tables in self.frames[i:]))
                    del self.frames[i:]
                    self.frames[-1][1].update(merged)
            elif i is None:  # back to a savepoint older than the request: nothing stays
                self.frames = [(None, set())]
            else:
                del self.frames[i + 1 :]
                self.frames[i][1].clear()
            return result
        match = _DML.match(sql)
        # An UPDATE/DELETE that matched no row wrote nothing. (An INSERT always counts: with
        # RETURNING, SQLite reports its row count only once the rows are fetched.)
        if match and (sql.lstrip()[:6].upper() == "INSERT" or context["cursor"].rowcount != 0):
            self.frames[-1][1].add(match.group(1).lower())
        return result

    @property
    def tables(self) -> set[str]:
        return set().union(*(tables for _n, tables in self.frames))


@dataclass(frozen=True)
class Outcome:
    status: int
    written: frozenset[str]
    effect: frozenset[str] | None = None

    @property
    def acted(self) -> bool:
        """Something was written (of the case's ``effect`` tables, when it names them)."""
        return bool(self.written & self.effect if self.effect is not None else self.written)

    @property
    def cell(self):
        """The table's notation: the status, as ``"+<status>"`` when the act happened."""
        return f"+{self.status}" if self.acted else self.status


# -- cases -------------------------------------------------------------------------------------


@dataclass
class Ctx:
    """What a case's callables see: the demo world, the role sending and its user, the test
    client (already signed in as the user for the HTML and admin channels) and values the
    case's ``setup`` left for its ``url``/``data``."""

    demo: Any
    role: str
    user: Any
    client: Any
    extra: dict = field(default_factory=dict)

    @property
    def o(self) -> dict:
        return self.demo.objs

    @property
    def employee(self):
        from kompetensi.models import Employee

        if self.user is None:
            return None
        return Employee.objects.filter(user=self.user).first()


@dataclass
class Case:
    """One state-changing request. ``key`` is the route (HTML: the URL pattern; API:
    ``"METHOD /path"``; admin: ``"namespace:name"``), with ``" #variant"`` when one route
    has several cases. ``scoped``: an HR act on the demo ASN's unit (``hr_unit`` must write,
    ``hr_other`` must not)."""

    key: str
    url: Callable[[Ctx], str]
    data: Callable[[Ctx], Any] | None = None
    method: str = "post"
    setup: Callable[[Ctx], None] | None = None
    scoped: bool = False
    json: bool = False
    # Admin forms: the URL whose form (GET as a superuser) gives the body to start from, and
    # the id of that form; ``data(ctx, form)`` then changes what a user would change.
    form_url: Callable[[Any], str] | None = None
    form_id: str | None = None
    form: Any = None
    # The tables that show the act happened, when other writes may happen without it (a
    # "publish" by a trainer saves a draft: only the live page's table shows a publication).
    effect: frozenset[str] | None = None

    @property
    def route(self) -> str:
        return self.key.split(" #", 1)[0]


def run_attempt(client, case: Case, demo, role: str, *, channel: str) -> Outcome:
    """Send ``case`` as ``role`` inside a savepoint that is rolled back; what stayed written
    (and e-mails and on-commit work queued) is the outcome's ``written``."""
    from core.models import ApiToken

    user = None if role == "anonymous" else demo.users[role]
    cache.clear()  # rate limits must not make the outcome depend on the order
    client.logout()
    client.cookies = SimpleCookie()
    mail.outbox = []
    with transaction.atomic():
        headers = {}
        if user is not None and channel == "api":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user=user, name='m')[1]}"
        elif user is not None:
            client.force_login(user)
        ctx = Ctx(demo=demo, role=role, user=user, client=client)
        if case.setup is not None:
            case.setup(ctx)
            mail.outbox = []
        url = case.url(ctx)
        data = case.data(ctx, case.form) if case.form is not None else None
        if case.form is None and case.data is not None:
            data = case.data(ctx)
        log = WriteLog()
        queued = len(connection.run_on_commit)
        with connection.execute_wrapper(log):
            response = _send(client, case, url, data, headers)
        written = log.tables - NOISE_TABLES
        if channel == "api":
            written.discard("portal_apitoken")  # the token's "last used" stamp
        if mail.outbox:
            written.add("(e-mail)")
        if len(connection.run_on_commit) > queued:
            written.add("(on-commit)")
        transaction.set_rollback(True)
    client.logout()
    return Outcome(response.status_code, frozenset(written), case.effect)


def _send(client, case: Case, url: str, data, headers: dict):
    call = getattr(client, case.method)
    if case.method == "get":
        return call(url, data or {}, **headers)
    if case.json:
        body = json.dumps(data) if data is not None else ""
        return call(url, body, content_type="application/json", **headers)
    if case.method == "post":
        return call(url, data or {}, **headers)
    return call(url, data or "", **headers)


def load_forms(client, cases: list[Case], demo) -> None:
    """Fill ``case.form`` for the admin cases that start from a form: GET it as a superuser
    (rolled back, like an attempt) and read the form's fields as a browser would send them."""
    from wagtail.test.utils.form_data import querydict_from_html

    for case in cases:
        if case.form_url is None or case.form is not None:
            continue
        cache.clear()
        client.logout()
        with transaction.atomic():
            client.force_login(demo.users["superuser"])
            url = case.form_url(demo)
            response = client.get(url)
            assert response.status_code == 200, (case.key, url, response.status_code)
            html = response.content.decode()
            form = querydict_from_html(html, form_id=case.form_id or "w-editor-form")
            case.form = {k: v for k, v in form.lists() if "__prefix__" not in k}
            transaction.set_rollback(True)
        client.logout()


def form_data(form: dict, **changes) -> dict:
    """A copy of a parsed form (``{name: [values]}``) with ``changes`` applied (a value of
    None removes the field: an unticked box)."""
    data = {k: list(v) for k, v in form.items()}
    for name, value in changes.items():
        name = name.replace("__", "-")
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    return data


# -- helpers for bodies ------------------------------------------------------------------------


def csv_upload(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti uji matriks", "application/pdf")


def in_days(n: int) -> str:
    from workflow.selectors import jakarta_today

    return (jakarta_today() + dt.timedelta(days=n)).isoformat()


def employee_csv(c: Ctx) -> str:
    asn = c.o["asn_emp"]
    name = f"{asn.name} Diperbarui".replace('"', '""')
    return f'NIP,nama,unit kerja\n{asn.nip},"{name}",{asn.unit.code}\n'


def period(c: Ctx) -> str:
    """The code of the open evaluation period (the newest)."""
    return c.o["w_open_period"].code


def skp_csv(c: Ctx) -> str:
    return (
        f"NIP,periode,hasil kerja,perilaku kerja\n{c.o['asn_emp'].nip},{period(c)},sesuai,di atas\n"
    )


def evaluation_fields(employee, period_code: str, source: str) -> dict:
    """The evaluation form's ``c<id>`` fields of ``employee``, each scored 3."""
    from kompetensi import selectors
    from kompetensi.models import EvaluationPeriod

    if employee is None:
        return {"c1": "3"}
    period = EvaluationPeriod.objects.get(code=period_code)
    competencies, *_rest = selectors.evaluation_form_data(employee, period, source)
    return {f"c{comp.pk}": "3" for comp in competencies}


def evaluation_scores(employee, period_code: str, source: str) -> list[dict]:
    from kompetensi.models import Competency

    codes = dict(Competency.objects.values_list("pk", "code"))
    return [
        {"competency_code": codes[int(name[1:])], "level": 3}
        for name in evaluation_fields(employee, period_code, source)
    ]


def quiz_lesson():
    from portal.models import LessonPage
    from portal.quiz import public_questions

    for lesson in LessonPage.objects.live().order_by("pk"):
        if public_questions(lesson):
            return lesson
    raise AssertionError("the demo world has no quiz")


def quiz_answers() -> dict[str, list[str]]:
    from portal.quiz import public_questions

    return {q["question_id"]: [q["choices"][0]["id"]] for q in public_questions(quiz_lesson())}


def other_module(c: Ctx):
    """A live module the demo ASN has no assignment for."""
    from portal.models import TrainingModulePage
    from workflow.models import Assignment

    taken = Assignment.objects.filter(employee=c.o["asn_emp"]).values("module_id")
    return TrainingModulePage.objects.live().exclude(pk__in=taken).order_by("pk").first()


def sibling_unit(c: Ctx):
    """A unit next to the demo ASN's (same parent), outside ``hr_unit``'s scope."""
    unit = c.o["asn_emp"].unit
    from kompetensi.models import OrganizationUnit

    return (
        OrganizationUnit.objects.filter(parent_id=unit.parent_id)
        .exclude(pk=unit.pk)
        .order_by("code")
        .first()
    )


def _employee_commit_setup(url: str, csv: Callable[[Ctx], str]):
    """The import's second step: the preview (first step) by the same user stored the file
    under a token in their session; the commit names that token."""

    def setup(c: Ctx) -> None:
        if c.user is None:
            return
        c.client.post(url, {"berkas": csv_upload(csv(c))})
        session = c.client.session
        c.extra["token"] = next(
            (session[k] for k in session.keys() if k.startswith("kompetensi_import")), ""
        )

    return setup


def _reset_setup(c: Ctx) -> None:
    """A valid reset link of the demo ASN, opened (Django moves the token into the session
    and sends the browser to ``…/set-password/``)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    asn = type(c.demo.users["asn"]).objects.get(pk=c.demo.users["asn"].pk)  # as stored now
    uid = urlsafe_base64_encode(force_bytes(asn.pk))
    c.client.get(f"/akun/reset/{uid}/{default_token_generator.make_token(asn)}/")
    c.extra["uid"] = uid


def _enrolment_code_setup(c: Ctx) -> None:
    """An enrolment code for the user's own account, when it is a role account."""
    from core import accounts
    from core.otp import requires_otp
    from core.roles import SYSTEM

    if c.user is not None and requires_otp(c.user):
        c.extra["code"] = accounts.otp_enrolment_code_issue(actor=SYSTEM, user=c.user)[1]


def _kiosk_pairing_setup(c: Ctx) -> None:
    """A pairing link of a new tablet of the writable service point (HR issued it); whoever
    opens it on the counter's tablet pairs that browser."""
    from core.roles import SYSTEM
    from skm import services

    c.extra["pairing"] = services.kiosk_create(
        actor=SYSTEM, point=c.o["w_point"], name="Tablet uji"
    )[1]


def _kiosk_device_setup(c: Ctx) -> None:
    """A paired-to-be tablet of the writable service point, to revoke."""
    from core.roles import SYSTEM
    from skm import services

    c.extra["device"] = services.kiosk_create(
        actor=SYSTEM, point=c.o["w_point"], name="Tablet dicabut"
    )[0]


def _draft_supervisor_evaluation_setup(c: Ctx) -> None:
    """A draft supervisor evaluation of the demo ASN in the open period (by their supervisor),
    to finalise."""
    from kompetensi import services
    from kompetensi.models import Competency

    supervisor = c.demo.users["supervisor"]
    c.extra["evaluation"] = services.evaluation_save(
        actor=supervisor,
        employee=c.o["asn_emp"],
        period=c.o["w_open_period"],
        source="supervisor",
        scores=[(Competency.objects.order_by("pk").first(), 3)],
    )


def _email_change_setup(c: Ctx) -> None:
    """The demo ASN's e-mail changed (pending); the link sent to the new address."""
    from core import accounts
    from core.roles import SYSTEM
    from kompetensi import services

    new = "asn.baru@serangkota.go.id"
    services.employee_update(actor=SYSTEM, employee=c.o["asn_emp"], email=new)
    asn = c.demo.users["asn"]
    asn.refresh_from_db()
    c.extra["token"] = accounts.email_change_token(asn, new)


def _recent_own_reply(c: Ctx) -> None:
    """The author deletes a post only within 15 minutes of sending it."""
    from django.utils import timezone

    from forum.models import Post

    Post.objects.filter(pk=c.o["w_own_reply"].pk).update(created_at=timezone.now())


def _forget_recommendation(c: Ctx) -> None:
    """The demo ASN's open training need and its recommendation gone: running the
    recommendation for the period finds them again (for officers whose units hold the ASN)."""
    from workflow.models import Assignment, TrainingNeed

    Assignment.objects.filter(pk=c.o["w_recommended"].pk).delete()
    TrainingNeed.objects.filter(pk=c.o["w_need"].pk).delete()


def _hide_reply(c: Ctx) -> None:
    from forum.models import Post

    Post.objects.filter(pk=c.o["w_reply"].pk).update(is_hidden=True, hidden_reason="uji")


def _grant_group_setup(c: Ctx) -> None:
    from django.contrib.auth.models import Group

    from forum import services as fs

    group = Group.objects.get(name="ASN")
    fs.forum_grant(actor=SYSTEM, forum=c.o["w_private_forum"], codename="view_forum", group=group)
    c.extra["group"] = group.pk


# -- HTML views --------------------------------------------------------------------------------


def html_cases() -> list[Case]:
    def o(name):
        return lambda c: c.o[name]

    def nip(c):
        return c.o["asn_emp"].nip

    login = {"username": "asn", "password": PASSWORD}
    reason = "Data tidak sesuai dengan dokumen (uji matriks)."
    body = "Terima kasih, penjelasannya membantu sekali (uji matriks)."
    return [
        Case("masuk/", lambda c: "/masuk/", lambda c: login),
        Case("_util/login/", lambda c: "/_util/login/", lambda c: login),
        Case("keluar/", lambda c: "/keluar/"),
        Case(
            "akun/kata-sandi/",
            lambda c: "/akun/kata-sandi/",
            lambda c: {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        ),
        Case("akun/reset/", lambda c: "/akun/reset/", lambda c: {"email": "asn@serangkota.go.id"}),
        Case(
            "akun/reset/<uidb64>/<token>/",
            lambda c: f"/akun/reset/{c.extra['uid']}/set-password/",
            lambda c: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            setup=_reset_setup,
        ),
        Case(
            "akun/2fa/",
            lambda c: "/akun/2fa/",
            lambda c: {"enrolment_code": c.extra.get("code", "AAAA-BBBB-CCCC")},
            setup=_enrolment_code_setup,
        ),
        Case("akun/token/<int:pk>/cabut/", lambda c: f"/akun/token/{c.o['w_token'].pk}/cabut/"),
        Case(
            "akun/email/<str:token>/",
            lambda c: f"/akun/email/{c.extra['token']}/",
            setup=_email_change_setup,
        ),
        Case("i18n/setlang/", lambda c: "/i18n/setlang/", lambda c: {"language": "id"}),
        Case(
            "umpan-balik/<slug:code>/",
            lambda c: f"/umpan-balik/{c.o['w_point'].code}/",
            lambda c: {
                **{f"u{i}": "4" for i in range(1, 10)},
                "petugas": "",
                "comment": "Pelayanan cepat.",
            },
        ),
        Case(
            "umpan-balik/<str:unit>/<slug:code>/",
            lambda c: f"/umpan-balik/{c.o['w_point'].unit.code}/{c.o['w_point'].code}/",
            lambda c: {
                **{f"u{i}": "3" for i in range(1, 10)},
                "petugas": "",
                "comment": "Pelayanan ramah.",
            },
        ),
        Case(
            "loket/pasang/<str:token>/",
            lambda c: f"/loket/pasang/{c.extra['pairing']}/",
            setup=_kiosk_pairing_setup,
        ),
        Case(
            "kinerja-saya/penilaian-diri/<str:period>/",
            lambda c: f"/kinerja-saya/penilaian-diri/{period(c)}/",
            lambda c: evaluation_fields(c.employee, period(c), "self"),
        ),
        Case(
            "tim-saya/<str:nip>/penilaian/<str:period>/",
            lambda c: f"/tim-saya/{nip(c)}/penilaian/{period(c)}/",
            lambda c: evaluation_fields(c.o["asn_emp"], period(c), "supervisor"),
            scoped=True,
        ),
        Case(
            "sdm/impor-pegawai/ #pratinjau",
            lambda c: "/sdm/impor-pegawai/",
            lambda c: {"berkas": csv_upload(employee_csv(c))},
        ),
        Case(
            "sdm/impor-pegawai/ #impor",
            lambda c: "/sdm/impor-pegawai/",
            lambda c: {"action": "commit", "token": c.extra.get("token", ""), **CONFIRMED},
            setup=_employee_commit_setup("/sdm/impor-pegawai/", employee_csv),
            scoped=True,
        ),
        Case(
            "sdm/impor-skp/ #pratinjau",
            lambda c: "/sdm/impor-skp/",
            lambda c: {"berkas": csv_upload(skp_csv(c))},
        ),
        Case(
            "sdm/impor-skp/ #impor",
            lambda c: "/sdm/impor-skp/",
            lambda c: {"action": "commit", "token": c.extra.get("token", ""), **CONFIRMED},
            setup=_employee_commit_setup("/sdm/impor-skp/", skp_csv),
            scoped=True,
        ),
        Case(
            "sdm/periode/",
            lambda c: "/sdm/periode/",
            lambda c: {
                "code": "2091",
                "name": "Periode 2091",
                "start": "2091-01-01",
                "end": "2091-12-31",
            },
        ),
        Case(
            "sdm/periode/<str:code>/status/",
            lambda c: f"/sdm/periode/{period(c)}/status/",
            lambda c: {"open": "0", **CONFIRMED},
        ),
        Case(
            "pelajaran/<int:lesson_id>/selesai/",
            lambda c: f"/pelajaran/{c.o['lesson'].pk}/selesai/",
        ),
        Case(
            "pelajaran/<int:lesson_id>/kuis/",
            lambda c: f"/pelajaran/{quiz_lesson().pk}/kuis/",
            lambda c: {f"answer-{q}": v for q, v in quiz_answers().items()},
        ),
        Case("modul/<int:module_id>/ikuti/", lambda c: f"/modul/{other_module(c).pk}/ikuti/"),
        Case("notifikasi/baca/", lambda c: "/notifikasi/baca/"),
        Case(
            "sertifikat/<str:code>/cabut/",
            lambda c: f"/sertifikat/{c.o['w_cert'].verification_code}/cabut/",
            lambda c: {"reason": reason, **CONFIRMED},
            scoped=True,
        ),
        Case(
            "sdm/sertifikat/<str:code>/terbitkan-ulang/",
            lambda c: f"/sdm/sertifikat/{c.o['w_cert'].verification_code}/terbitkan-ulang/",
            lambda c: {"next": "/sdm/sertifikat/", **CONFIRMED},
            scoped=True,
        ),
        Case(
            "sdm/kebutuhan/",
            lambda c: "/sdm/kebutuhan/",
            lambda c: {"need": str(c.o["w_need"].pk), "reason": reason},
            scoped=True,
        ),
        Case(
            "sdm/rekomendasi/ #jalankan",
            lambda c: "/sdm/rekomendasi/",
            lambda c: {"action": "recommend", "period": period(c)},
            setup=_forget_recommendation,
            scoped=True,
        ),
        Case(
            "sdm/rekomendasi/ #setujui",
            lambda c: "/sdm/rekomendasi/",
            lambda c: {
                "action": "approve",
                "ids": str(c.o["w_recommended"].pk),
                "due_date": in_days(30),
                **CONFIRMED,
            },
            scoped=True,
        ),
        Case(
            "sdm/rekomendasi/ #batalkan",
            lambda c: "/sdm/rekomendasi/",
            lambda c: {
                "action": "cancel",
                "ids": str(c.o["w_recommended"].pk),
                "reason": reason,
                **CONFIRMED,
            },
            scoped=True,
        ),
        *(
            Case(
                f"sdm/rekomendasi/<int:pk>/ #{variant}",
                lambda c: f"/sdm/rekomendasi/{c.o['w_recommended'].pk}/",
                lambda c, action=action: {
                    "action": action,
                    "due_date": in_days(30),
                    "module": str(c.o["w_recommended"].module_id),
                    "reason": reason,
                    **CONFIRMED,
                },
                scoped=True,
            )
            for variant, action in (
                ("simpan", "save"),
                ("setujui", "approve"),
                ("batalkan", "cancel"),
            )
        ),
        Case(
            "pelatihan-saya/eksternal/baru/",
            lambda c: "/pelatihan-saya/eksternal/baru/",
            lambda c: {
                "title": "Seminar Pelayanan Publik",
                "provider": "BPSDM Provinsi Banten",
                "kind": "seminar",
                "start_date": in_days(-20),
                "end_date": in_days(-19),
                "jp": "8",
                "proof": pdf_upload(),
            },
        ),
        Case(
            "sdm/pembelajaran-eksternal/<int:pk>/setujui/",
            lambda c: f"/sdm/pembelajaran-eksternal/{c.o['w_external'].pk}/setujui/",
            lambda c: {"need": "", **CONFIRMED},
            scoped=True,
        ),
        Case(
            "sdm/pembelajaran-eksternal/<int:pk>/tolak/",
            lambda c: f"/sdm/pembelajaran-eksternal/{c.o['w_external'].pk}/tolak/",
            lambda c: {"reason": reason, **CONFIRMED},
            scoped=True,
        ),
        # -- forum
        Case(
            "forum/preferensi/", lambda c: "/forum/preferensi/", lambda c: {"email_mode": "daily"}
        ),
        Case(
            "forum/laporan/<int:pk>/selesai/",
            lambda c: f"/forum/laporan/{c.o['report'].pk}/selesai/",
            lambda c: {"tindakan": "Sudah ditindaklanjuti."},
        ),
        # Reading a topic's last page moves the reader's own "read up to" marker.
        Case("forum/topik/<int:pk>/", lambda c: f"/forum/topik/{c.o['topic'].pk}/", method="get"),
        Case(
            "forum/topik/<int:pk>/balas/",
            lambda c: f"/forum/topik/{c.o['topic'].pk}/balas/",
            lambda c: {"body": body},
        ),
        Case(
            "forum/topik/<int:pk>/pindahkan/",
            lambda c: f"/forum/topik/{c.o['topic'].pk}/pindahkan/",
            lambda c: {"target": str(c.o["w_forum"].pk)},
        ),
        *(
            Case(
                f"forum/topik/<int:pk>/<str:action>/ #{action}",
                lambda c, action=action: f"/forum/topik/{c.o['topic'].pk}/{action}/",
            )
            for action in ("kunci", "sematkan", "ikuti")
        ),
        Case(
            "forum/pesan/<int:pk>/ubah/",
            lambda c: f"/forum/pesan/{c.o['post'].pk}/ubah/",
            lambda c: {"body": "Pertanyaan yang diperbarui (uji matriks), mohon dibantu."},
        ),
        Case(
            "forum/pesan/<int:pk>/hapus/",
            lambda c: f"/forum/pesan/{c.o['w_own_reply'].pk}/hapus/",
            setup=_recent_own_reply,
        ),
        Case(
            "forum/pesan/<int:pk>/terima-kasih/",
            lambda c: f"/forum/pesan/{c.o['w_reply'].pk}/terima-kasih/",
        ),
        Case(
            "forum/pesan/<int:pk>/jawaban/",
            lambda c: f"/forum/pesan/{c.o['w_reply'].pk}/jawaban/",
        ),
        Case(
            "forum/pesan/<int:pk>/laporkan/",
            lambda c: f"/forum/pesan/{c.o['w_reply'].pk}/laporkan/",
            lambda c: {"reason": "Isi pesan menyinggung pihak lain."},
        ),
        Case(
            "forum/pesan/<int:pk>/sembunyikan/",
            lambda c: f"/forum/pesan/{c.o['w_reply'].pk}/sembunyikan/",
            lambda c: {"reason": "Melanggar aturan forum."},
        ),
        Case(
            "forum/pesan/<int:pk>/tampilkan/",
            lambda c: f"/forum/pesan/{c.o['w_reply'].pk}/tampilkan/",
            setup=_hide_reply,
        ),
        *(
            Case(
                f"forum/pesan/<int:pk>/moderasi/ #{decision}",
                lambda c: f"/forum/pesan/{c.o['w_pending'].pk}/moderasi/",
                lambda c, decision=decision: {"keputusan": decision},
            )
            for decision in ("setujui", "tolak")
        ),
        Case(
            "forum/<slug:slug>/topik-baru/",
            lambda c: f"/forum/{c.o['topic'].forum.slug}/topik-baru/",
            lambda c: {"title": "Pertanyaan uji matriks", "body": body},
        ),
        Case(
            "forum/<slug:slug>/akses/ #beri",
            lambda c: f"/forum/{c.o['w_private_forum'].slug}/akses/",
            lambda c: {"codename": "view_forum", "user": c.demo.users["asn_other"].username},
        ),
        Case(
            "forum/<slug:slug>/akses/ #cabut",
            lambda c: f"/forum/{c.o['w_private_forum'].slug}/akses/",
            lambda c: {"cabut": f"g:{c.extra['group']}:view_forum"},
            setup=_grant_group_setup,
        ),
    ]


# Routes that change nothing: a POST to them (by every role) must write nothing but what is
# named here — the audit log of personal-data reads, a certificate PDF rendered on first
# download.
AUDITED_READ = frozenset({"kompetensi_accesslog"})
READ_ONLY: dict[str, frozenset[str]] = {
    "akun/kata-sandi/selesai/": frozenset(),
    "akun/reset/terkirim/": frozenset(),
    "akun/reset/selesai/": frozenset(),
    "akun/token/": frozenset(),
    "dokumen/^(\\d+)/(.*)$": frozenset(),
    # Wagtail's password form of restricted documents/pages (none is restricted): a session
    # flag at most.
    "dokumen/authenticate_with_password/<int:restriction_id>/": frozenset(),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (frozenset()),
    "umpan-balik/": frozenset(),
    "umpan-balik/<str:unit>/<slug:code>/terima-kasih/": frozenset(),
    "umpan-balik/<str:unit>/<slug:code>/poster.pdf": frozenset(),
    "sdm/umpan-balik/": frozenset(),
    "kinerja-saya/umpan-balik/": frozenset(),
    "kinerja-saya/": frozenset(),
    "tim-saya/": frozenset(),
    "sdm/penilaian-rekan/<str:nip>/": AUDITED_READ,
    "sdm/": frozenset(),
    "sdm/unit/<str:code>/": frozenset(),
    "sdm/pegawai/<str:nip>/": AUDITED_READ,
    "sdm/efektivitas/": frozenset(),
    "sdm/ekspor/riwayat-kursus/": AUDITED_READ,
    "pelatihan-saya/": frozenset(),
    # showing the list marks the caller's own notifications without a link as read
    "notifikasi/": frozenset({"workflow_notification"}),
    # opening one of the caller's own notifications marks it read, then redirects to its page
    "notifikasi/<int:pk>/buka/": frozenset({"workflow_notification"}),
    "sdm/impor-<str:kind>/templat.<str:fmt>": frozenset(),
    "verifikasi/": frozenset(),
    "verifikasi/<str:code>/": frozenset(),
    "sertifikat/<str:code>/unduh/": frozenset({"workflow_certificate"}),
    "sdm/kebutuhan-tanpa-modul/": frozenset(),
    "pelatihan-saya/eksternal/": frozenset(),
    "pelatihan-saya/eksternal/<int:pk>/bukti/": frozenset(),
    "sdm/pembelajaran-eksternal/": frozenset(),
    "sdm/sertifikat/unduh.zip": frozenset({"workflow_certificate"}),
    "sdm/sertifikat/": frozenset(),
    "forum/": frozenset(),
    "forum/cari/": frozenset(),
    "forum/moderasi/": frozenset(),
    "forum/pesan/<int:pk>/": frozenset(),
    "forum/pesan/<int:pk>/riwayat/": frozenset(),
    "forum/<slug:slug>/": frozenset(),
    "kinerja-saya/data-saya.json": AUDITED_READ,
    "kinerja-saya/data-saya.pdf": AUDITED_READ,
    "sdm/pegawai/<str:nip>/data.json": AUDITED_READ,
    "^((?:[\\w\\-]+/)*)$": frozenset(),
}


# -- API ---------------------------------------------------------------------------------------


def api_cases() -> list[Case]:
    def unit(c):
        return c.o["asn_emp"].unit

    def api(key, url, data=None, **kw):
        method, _path = key.split(" #", 1)[0].split(" ", 1)
        return Case(key, url, data, method=method.lower(), json=True, **kw)

    reason = "Data tidak sesuai dengan dokumen (uji matriks)."
    scores = {f"u{i}": 4 for i in range(1, 10)}
    evaluations = [
        api(
            f"POST /api/v1/evaluations #{source}",
            lambda c: "/api/v1/evaluations",
            lambda c, source=source: {
                "employee_nip": c.o["asn_emp"].nip,
                "period_code": period(c),
                "source": source,
                "scores": evaluation_scores(c.o["asn_emp"], period(c), source),
            },
            scoped=source != "self",
        )
        for source in ("self", "supervisor", "peer", "assessment")
    ]
    return [
        api(
            "POST /api/v1/units",
            lambda c: "/api/v1/units",
            lambda c: {
                "code": f"{unit(c).code}-BARU",
                "name": "Seksi Baru",
                "parent_code": unit(c).code,
            },
            scoped=True,
        ),
        api(
            "PATCH /api/v1/units/{code}",
            lambda c: f"/api/v1/units/{c.o['w_subunit'].code}",
            lambda c: {"name": "Seksi Uji Berganti Nama"},
            scoped=True,
        ),
        api(
            "PATCH /api/v1/units/{code} #pindah",
            lambda c: f"/api/v1/units/{c.o['w_subunit'].code}",
            lambda c: {"parent_code": c.o["w_subunit2"].code},
            scoped=True,
        ),
        api(
            "POST /api/v1/competencies",
            lambda c: "/api/v1/competencies",
            lambda c: {
                "code": "UJI.02",
                "name": "Kompetensi Uji Dua",
                "kind": "teknis",
                "levels": [{"level": 1, "description": "Dasar"}],
            },
        ),
        api(
            "POST /api/v1/positions",
            lambda c: "/api/v1/positions",
            lambda c: {
                "code": f"{unit(c).code}.UJI2",
                "name": "Pengolah Data Uji",
                "kind": "pelaksana",
                "unit_code": unit(c).code,
            },
            scoped=True,
        ),
        api(
            "POST /api/v1/employees",
            lambda c: "/api/v1/employees",
            lambda c: {
                "nip": "199601012021011002",
                "name": "Pegawai Baru Uji",
                "unit_code": unit(c).code,
            },
            scoped=True,
        ),
        Case(
            "POST /api/v1/employees/import",
            lambda c: "/api/v1/employees/import?dry_run=false",
            lambda c: {"file": csv_upload(employee_csv(c))},
            scoped=True,
        ),
        Case(
            "POST /api/v1/employees/import #uji-coba",
            lambda c: "/api/v1/employees/import?dry_run=true",
            lambda c: {"file": csv_upload(employee_csv(c))},
        ),
        api(
            "PATCH /api/v1/employees/{nip}",
            lambda c: f"/api/v1/employees/{c.o['asn_emp'].nip}",
            lambda c: {"name": "Nama Diperbarui Uji"},
            scoped=True,
        ),
        api(
            "POST /api/v1/periods",
            lambda c: "/api/v1/periods",
            lambda c: {
                "code": "2092",
                "name": "Periode 2092",
                "start": "2092-01-01",
                "end": "2092-12-31",
            },
        ),
        *evaluations,
        api(
            "POST /api/v1/employees/{nip}/skp",
            lambda c: f"/api/v1/employees/{c.o['asn_emp'].nip}/skp",
            lambda c: {
                "period_code": period(c),
                "hasil_kerja": "sesuai",
                "perilaku_kerja": "di_atas",
            },
            scoped=True,
        ),
        api(
            "POST /api/v1/hr-scopes",
            lambda c: "/api/v1/hr-scopes",
            lambda c: {"username": "hr-unit", "unit_code": sibling_unit(c).code},
        ),
        api(
            "DELETE /api/v1/hr-scopes/{scope_id}",
            lambda c: f"/api/v1/hr-scopes/{c.o['w_scope'].pk}",
        ),
        api(
            "PATCH /api/v1/periods/{code}",
            lambda c: f"/api/v1/periods/{period(c)}",
            lambda c: {"name": "Periode Uji Diubah"},
        ),
        api(
            "POST /api/v1/evaluations/{evaluation_id}/finalize",
            lambda c: f"/api/v1/evaluations/{c.extra['evaluation'].pk}/finalize",
            setup=_draft_supervisor_evaluation_setup,
        ),
        api(
            "POST /api/v1/units/{code}/services",
            lambda c: f"/api/v1/units/{c.o['asn_emp'].unit.code}/services",
            lambda c: {"code": f"loket-{c.role.replace('_', '-')}", "name": "Loket Uji"},
            scoped=True,
        ),
        api(
            "POST /api/v1/feedback",
            lambda c: "/api/v1/feedback",
            lambda c: {
                "unit_code": c.o["w_point"].unit.code,
                "service": c.o["w_point"].code,
                "scores": scores,
                "comment": "Pelayanan cepat.",
            },
        ),
        api(
            "POST /api/v1/periods/{code}/recommend",
            lambda c: f"/api/v1/periods/{period(c)}/recommend",
            setup=_forget_recommendation,
            scoped=True,
        ),
        api(
            "POST /api/v1/assignments",
            lambda c: "/api/v1/assignments",
            lambda c: {
                "employee_nip": c.o["asn_emp"].nip,
                "module_id": other_module(c).pk,
                "due_date": in_days(30),
            },
            scoped=True,
        ),
        api(
            "POST /api/v1/assignments/{assignment_id}/approve",
            lambda c: f"/api/v1/assignments/{c.o['w_recommended'].pk}/approve",
            lambda c: {"due_date": in_days(30)},
            scoped=True,
        ),
        api(
            "POST /api/v1/assignments/{assignment_id}/cancel",
            lambda c: f"/api/v1/assignments/{c.o['w_recommended'].pk}/cancel",
            lambda c: {"reason": reason},
            scoped=True,
        ),
        api(
            "POST /api/v1/lessons/{lesson_id}/complete",
            lambda c: f"/api/v1/lessons/{c.o['lesson'].pk}/complete",
        ),
        api(
            "POST /api/v1/lessons/{lesson_id}/quiz",
            lambda c: f"/api/v1/lessons/{quiz_lesson().pk}/quiz",
            lambda c: {"answers": quiz_answers()},
        ),
        api(
            "POST /api/v1/certificates/{number}/revoke",
            lambda c: f"/api/v1/certificates/{c.o['w_cert'].number}/revoke",
            lambda c: {"reason": reason},
            scoped=True,
        ),
        api(
            "POST /api/v1/forums/{slug}/topics",
            lambda c: f"/api/v1/forums/{c.o['topic'].forum.slug}/topics",
            lambda c: {"title": "Pertanyaan uji matriks", "body_markdown": "Bagaimana caranya?"},
        ),
        api(
            "POST /api/v1/topics/{topic_id}/posts",
            lambda c: f"/api/v1/topics/{c.o['topic'].pk}/posts",
            lambda c: {"body_markdown": "Terima kasih, sangat membantu (uji matriks)."},
        ),
    ]


# -- Wagtail admin -----------------------------------------------------------------------------

# The viewsets of our apps (URL namespaces) and, for each, the demo object its object pages
# open (all in or about the demo ASN's unit).
ADMIN_VIEWSETS: dict[str, str] = {
    "unit": "w_subunit",
    "kamus-kompetensi": "w_competency",
    "jabatan": "w_position",
    "pegawai": "asn_emp",
    "periode": "w_period",
    "skp": "w_skp",
    "titik-layanan": "w_point",
    "log-audit": "w_log",
    "cakupan-sdm": "w_scope",
    "certificate_template": "w_template",
    "forum_forums": "w_forum",
    "forum_categories": "w_category",
}
ADMIN_PREFIX = {
    "unit": "unit",
    "kamus-kompetensi": "kamus-kompetensi",
    "jabatan": "jabatan",
    "pegawai": "pegawai",
    "periode": "periode",
    "skp": "skp",
    "titik-layanan": "titik-layanan",
    "log-audit": "log-audit",
    "cakupan-sdm": "cakupan-sdm",
    "certificate_template": "templat-sertifikat",
    "forum_forums": "forum_forums",
    "forum_categories": "forum_categories",
}


def admin_url(namespace: str, view: str, obj=None) -> str:
    base = f"/admin/{ADMIN_PREFIX[namespace]}/"
    if view == "add":
        return f"{base}new/"
    if view == "index":
        return base
    if view == "index_results":
        return f"{base}results/"
    if view == "history_results":
        return f"{base}history-results/{obj.pk}/"
    return f"{base}{view}/{obj.pk}/"


def _viewset_cases(
    namespace: str, *, add=None, edit=None, scoped=False, copy=False, forms=True, delete=None
):
    """add/edit/delete (and copy) of one viewset. ``add``/``edit``: the changed fields
    (callables of ctx, or values); ``forms=False``: a viewset nobody may write to at all, whose
    forms don't open for anybody: a hand-written body is sent. ``delete``: the demo object
    to delete, when not the viewset's usual one."""
    obj = ADMIN_VIEWSETS[namespace]

    def changes(spec):
        def apply(c, form):
            values = {k: (v(c) if callable(v) else v) for k, v in spec.items()}
            return form_data(form, **values) if form is not None else values

        return apply

    def url(view):
        return lambda c: admin_url(namespace, view, c.o[obj] if view != "add" else None)

    def form_url(view):
        return lambda d: admin_url(namespace, view, d.objs[obj] if view != "add" else None)

    cases = [
        Case(
            f"{namespace}:add",
            url("add"),
            changes(add),
            form_url=form_url("add") if forms else None,
            scoped=scoped,
        ),
        Case(
            f"{namespace}:edit",
            url("edit"),
            changes(edit),
            form_url=form_url("edit") if forms else None,
            scoped=scoped,
        ),
        Case(
            f"{namespace}:delete",
            lambda c: admin_url(namespace, "delete", c.o[delete or obj]),
            scoped=scoped,
        ),
    ]
    if copy:
        cases.append(
            Case(f"{namespace}:copy", url("copy"), changes(add), form_url=form_url("copy"))
        )
    for case in cases:
        if case.form_url is None and case.data is not None and not forms:
            spec = case.data
            case.data = lambda c, spec=spec: spec(c, None)
    return cases


def _pk(name):
    return lambda c: str(c.o[name].pk)


def _unit_pk(c):
    return str(c.o["asn_emp"].unit.pk)


def _catalog(d):
    return d.objs["module"].get_parent()


def _lesson_page(d):
    return d.objs["lesson"]


def _lesson_form(extra=None):
    """The lesson edit form: a new title; its StreamField body (built by the browser's
    script, absent from the HTML) sent empty."""

    def data(c, form):
        return form_data(form, title="Pelajaran Diubah Uji", body__count="0", **(extra or {}))

    return data


def fresh_lesson(pk: int):
    """The demo lesson as stored now (a setup's ``save_revision`` changes the instance it is
    called on, and that revision is rolled back with the attempt)."""
    from portal.models import LessonPage

    return LessonPage.objects.get(pk=pk)


def _schedule_revision(c: Ctx) -> None:
    from django.utils import timezone

    lesson = fresh_lesson(c.o["lesson"].pk)
    revision = lesson.save_revision(
        user=c.demo.users["superuser"],
        approved_go_live_at=timezone.now() + dt.timedelta(days=7),
    )
    c.extra["revision"] = revision.pk


def _unique_lesson_slug(c: Ctx) -> None:
    """Every module has a "pelajaran-1": the lesson moves under a slug the target lacks."""
    from wagtail.models import Page

    Page.objects.filter(pk=c.o["lesson"].pk).update(slug="pelajaran-pindahan-uji")


def _lock_lesson(c: Ctx) -> None:
    from django.utils import timezone
    from wagtail.models import Page

    Page.objects.filter(pk=c.o["lesson"].pk).update(
        locked=True, locked_by=c.demo.users["superuser"], locked_at=timezone.now()
    )


def _start_review(c: Ctx) -> None:
    """The lesson submitted to the "Tinjauan Konten" workflow by its trainer."""
    lesson = fresh_lesson(c.o["lesson"].pk)
    lesson.save_revision(user=c.demo.users["trainer"])
    state = lesson.get_workflow().start(lesson, c.demo.users["trainer"])
    c.extra["task_state"] = state.current_task_state.pk


def _make_alias(c: Ctx) -> None:
    lesson = fresh_lesson(c.o["lesson"].pk)
    target = c.o["w_other_module"]
    alias = lesson.create_alias(parent=target, update_slug="alias-uji")
    c.extra["alias"] = alias.pk


def admin_cases() -> list[Case]:
    sibling = sibling_unit
    cases = [
        *_viewset_cases(
            "unit",
            add={
                "code": lambda c: f"{c.o['asn_emp'].unit.code}-ADM",
                "name": "Seksi Admin Uji",
                "parent": _unit_pk,
            },
            edit={"name": "Seksi Uji Berganti Nama"},
            scoped=True,
        ),
        Case(
            "unit:edit #pindah",
            lambda c: admin_url("unit", "edit", c.o["w_subunit"]),
            lambda c, form: form_data(form, parent=str(c.o["w_subunit2"].pk)),
            form_url=lambda d: admin_url("unit", "edit", d.objs["w_subunit"]),
            scoped=True,
        ),
        *_viewset_cases(
            "kamus-kompetensi",
            add={
                "code": "UJI.03",
                "name": "Kompetensi Uji Tiga",
                "kind": "teknis",
                "levels__TOTAL_FORMS": "1",
                "levels__0__level": "1",
                "levels__0__description": "Dasar",
            },
            edit={"name": "Kompetensi Uji Diubah"},
        ),
        *_viewset_cases(
            "jabatan",
            add={
                "code": lambda c: f"{c.o['asn_emp'].unit.code}.ADM",
                "name": "Analis Uji",
                "kind": "pelaksana",
                "unit": _unit_pk,
            },
            edit={"name": "Penata Uji Diubah"},
            scoped=True,
        ),
        *_viewset_cases(
            "pegawai",
            add={
                "nip": "199702022022022003",
                "employee_type": "PNS",
                "name": "Pegawai Admin Uji",
                "unit": _unit_pk,
                "is_active": "on",
            },
            edit={"name": "Nama Diubah di Admin"},
            scoped=True,
            delete="w_employee",  # the demo ASN is referred to by their training
        ),
        *_viewset_cases(
            "periode",
            add={
                "code": "2093",
                "name": "Periode 2093",
                "start": "2093-01-01",
                "end": "2093-12-31",
            },
            edit={"name": "Periode Uji Diubah"},
        ),
        *_viewset_cases(
            "skp",
            add={
                "employee": lambda c: str(c.o["asn_emp"].pk),
                "period": lambda c: str(c.o["w_open_period"].pk),
                "hasil_kerja": "sesuai",
                "perilaku_kerja": "di_atas",
            },
            edit={"hasil_kerja": "di_atas"},
            scoped=True,
        ),
        *_viewset_cases(
            "titik-layanan",
            add={
                "code": "uji-admin",
                "service": "Layanan Admin Uji",
                "unit": _unit_pk,
                "is_active": "on",
            },
            edit={"service": "Layanan Uji Diubah"},
            scoped=True,
        ),
        # A counter's tablet: HR of the point's unit issues a pairing link, or revokes one.
        Case(
            "titik-layanan:devices",
            lambda c: f"/admin/{ADMIN_PREFIX['titik-layanan']}/perangkat/{c.o['w_point'].pk}/",
            lambda c: {"name": f"Tablet {c.role}"},
            scoped=True,
        ),
        Case(
            "titik-layanan:device_revoke",
            lambda c: (
                f"/admin/{ADMIN_PREFIX['titik-layanan']}/perangkat/{c.o['w_point'].pk}/"
                f"cabut/{c.extra['device'].pk}/"
            ),
            lambda c: dict(CONFIRMED),
            setup=_kiosk_device_setup,
            scoped=True,
        ),
        # The audit log is append-only: its add/edit/delete views exist but open for nobody.
        *_viewset_cases("log-audit", add={"action": "view"}, edit={"action": "view"}, forms=False),
        Case(
            "cakupan-sdm:add",
            lambda c: admin_url("cakupan-sdm", "add"),
            lambda c, form: form_data(form, username="hr-unit", unit=str(sibling(c).pk)),
            form_url=lambda d: admin_url("cakupan-sdm", "add"),
        ),
        # A scope row is never edited (revoke and grant another).
        Case(
            "cakupan-sdm:edit",
            lambda c: admin_url("cakupan-sdm", "edit", c.o["w_scope"]),
            lambda c: {"username": "hr-cabut", "unit": str(sibling(c).pk)},
        ),
        Case("cakupan-sdm:delete", lambda c: admin_url("cakupan-sdm", "delete", c.o["w_scope"])),
        *_viewset_cases(
            "certificate_template",
            add={"name": "Templat Uji Baru", "signatory_name": "Penandatangan Baru"},
            edit={"signatory_name": "Penandatangan Diubah"},
            copy=True,
        ),
        *_viewset_cases(
            "forum_forums",
            add={
                "name": "Forum Admin Uji",
                "slug": "forum-admin-uji",
                "category": lambda c: str(c.o["topic"].forum.category_id),
            },
            edit={"name": "Forum Uji Diubah"},
            copy=True,
        ),
        *_viewset_cases(
            "forum_categories",
            add={"name": "Kategori Admin Uji", "slug": "kategori-admin-uji"},
            edit={"name": "Kategori Uji Diubah"},
            copy=True,
        ),
        # Account security (core/admin_views.py)
        Case(
            "core_api_token_revoke",
            lambda c: f"/admin/token-api/{c.o['w_token'].pk}/cabut/",
        ),
        Case(
            "core_otp_enrolment_codes",
            lambda c: "/admin/kode-2fa/",
            lambda c: {"user": str(c.demo.users["hr_unit"].pk)},
        ),
        # Pages: lessons (in the trainer's module) and modules (in the catalogue)
        Case(
            "wagtailadmin_pages:add #pelajaran",
            lambda c: f"/admin/pages/add/portal/lessonpage/{c.o['module'].pk}/",
            lambda c, form: form_data(
                form, title="Pelajaran Uji", slug="pelajaran-uji", body__count="0"
            ),
            form_url=lambda d: f"/admin/pages/add/portal/lessonpage/{d.objs['module'].pk}/",
            form_id="page-edit-form",
        ),
        Case(
            "wagtailadmin_pages:add #modul",
            lambda c: f"/admin/pages/add/portal/trainingmodulepage/{_catalog(c.demo).pk}/",
            lambda c, form: form_data(
                form,
                title="Modul Uji Matriks",
                slug="modul-uji-matriks",
                summary="Ringkasan modul uji.",
                jp="4",
                modality="e_learning",
                pass_mark="70",
                module_competencies__TOTAL_FORMS="1",
                module_competencies__0__competency=str(c.o["w_competency"].pk),
                module_competencies__0__target_level="2",
                module_competencies__0__ORDER="1",
            ),
            form_url=lambda d: f"/admin/pages/add/portal/trainingmodulepage/{_catalog(d).pk}/",
            form_id="page-edit-form",
        ),
        Case(
            "wagtailadmin_pages:edit",
            lambda c: f"/admin/pages/{c.o['lesson'].pk}/edit/",
            _lesson_form(),
            form_url=lambda d: f"/admin/pages/{d.objs['lesson'].pk}/edit/",
            form_id="page-edit-form",
        ),
        Case(
            "wagtailadmin_pages:edit #terbitkan",
            lambda c: f"/admin/pages/{c.o['lesson'].pk}/edit/",
            _lesson_form({"action-publish": "action-publish"}),
            form_url=lambda d: f"/admin/pages/{d.objs['lesson'].pk}/edit/",
            form_id="page-edit-form",
            effect=frozenset({"portal_lessonpage"}),  # the live lesson changed
        ),
        Case(
            "wagtailadmin_pages:edit #ajukan",
            lambda c: f"/admin/pages/{c.o['lesson'].pk}/edit/",
            _lesson_form({"action-submit": "action-submit"}),
            form_url=lambda d: f"/admin/pages/{d.objs['lesson'].pk}/edit/",
            form_id="page-edit-form",
            effect=frozenset({"wagtailcore_workflowstate"}),  # in review
        ),
        Case(
            "wagtailadmin_pages:edit #modul-ajukan",
            lambda c: f"/admin/pages/{c.o['module'].pk}/edit/",
            lambda c, form: form_data(form, **{"action-submit": "action-submit"}),
            form_url=lambda d: f"/admin/pages/{d.objs['module'].pk}/edit/",
            form_id="page-edit-form",
            effect=frozenset({"wagtailcore_workflowstate"}),  # the module and its lessons in review
        ),
        Case(
            "wagtailadmin_pages:edit #modul-terbitkan",
            lambda c: f"/admin/pages/{c.o['module'].pk}/edit/",
            lambda c, form: form_data(
                form, title="Modul Diubah Uji", **{"action-publish": "action-publish"}
            ),
            form_url=lambda d: f"/admin/pages/{d.objs['module'].pk}/edit/",
            form_id="page-edit-form",
            effect=frozenset({"portal_trainingmodulepage"}),  # the live module changed
        ),
        Case(
            "wagtailadmin_pages:revisions_revert",
            lambda c: (
                f"/admin/pages/{c.o['lesson'].pk}/revisions/"
                f"{fresh_lesson(c.o['lesson'].pk).latest_revision_id}/revert/"
            ),
            _lesson_form(),
            form_url=lambda d: (
                f"/admin/pages/{d.objs['lesson'].pk}/revisions/"
                f"{fresh_lesson(d.objs['lesson'].pk).latest_revision_id}/revert/"
            ),
            form_id="page-edit-form",
        ),
        Case("wagtailadmin_pages:delete", lambda c: f"/admin/pages/{c.o['lesson'].pk}/delete/"),
        Case(
            "wagtailadmin_pages:unpublish",
            lambda c: f"/admin/pages/{c.o['lesson'].pk}/unpublish/",
        ),
        Case(
            "wagtailadmin_pages:copy",
            lambda c: f"/admin/pages/{c.o['lesson'].pk}/copy/",
            lambda c: {
                "new_title": "Salinan Pelajaran Uji",
                "new_slug": "salinan-pelajaran-uji",
                "new_parent_page": str(c.o["module"].pk),
            },
        ),
        Case(
            "wagtailadmin_pages:move_confirm",
            lambda c: f"/admin/pages/{c.o['lesson'].pk}/move/{c.o['w_other_module'].pk}/confirm/",
            setup=_unique_lesson_slug,
        ),
        Case(
            "wagtailadmin_pages:set_page_position",
            lambda c: f"/admin/pages/{c.o['lesson'].pk}/set_position/?position=1",
        ),
        Case("wagtailadmin_pages:lock", lambda c: f"/admin/pages/{c.o['lesson'].pk}/lock/"),
        Case(
            "wagtailadmin_pages:unlock",
            lambda c: f"/admin/pages/{c.o['lesson'].pk}/unlock/",
            setup=_lock_lesson,
        ),
        Case(
            "wagtailadmin_pages:set_privacy",
            lambda c: f"/admin/pages/{c.o['lesson'].pk}/privacy/",
            lambda c: {"restriction_type": "login"},
        ),
        Case(
            "wagtailadmin_pages:revisions_unschedule",
            lambda c: (
                f"/admin/pages/{c.o['lesson'].pk}/revisions/{c.extra['revision']}/unschedule/"
            ),
            setup=_schedule_revision,
        ),
        Case(
            "wagtailadmin_pages:workflow_action",
            lambda c: (
                f"/admin/pages/workflow/action/{c.o['lesson'].pk}/approve/{c.extra['task_state']}/"
            ),
            lambda c: {"comment": "Disetujui (uji matriks)."},
            setup=_start_review,
        ),
        Case(
            "wagtailadmin_pages:convert_alias",
            lambda c: f"/admin/pages/{c.extra['alias']}/convert_alias/",
            setup=_make_alias,
        ),
    ]
    return cases


# Admin routes of our viewsets that show and change nothing (a POST, by every role, must
# write nothing), and Wagtail's page views that only show, choose or preview (a preview is
# kept in the session).
ADMIN_READ_ONLY_VIEWS = ("index", "index_results", "history", "history_results", "usage")
ADMIN_READ_ONLY: frozenset[str] = frozenset(
    {
        *(f"{ns}:{view}" for ns in ADMIN_VIEWSETS for view in ADMIN_READ_ONLY_VIEWS),
        "log-audit:inspect",
        "certificate_template:preview",
        "core_api_tokens",
        *(
            f"wagtailadmin_pages:{name}"
            for name in (
                "add_subpage",
                "choose_parent",
                "type_use",
                "type_use_results",
                "usage",
                "view_draft",
                "search",
                "search_results",
                "move",
                "preview_on_add",
                "preview_on_edit",
                "revisions_index",
                "revisions_view",
                "revisions_compare",
                "history",
                "history_results",
                "workflow_history",
                "workflow_history_detail",
                "workflow_preview",
                "collect_workflow_action_data",
                "confirm_workflow_cancellation",
            )
        ),
    }
)


def admin_read_only_url(key: str, d) -> str | None:
    """A URL to POST to for a read-only route of our viewsets (None: Wagtail's page views,
    listed but not sent)."""
    namespace, view = key.split(":", 1) if ":" in key else ("", key)
    if key == "core_api_tokens":
        return "/admin/token-api/"
    if key == "certificate_template:preview":
        return f"/admin/templat-sertifikat/preview/{d.objs['w_template'].pk}/"
    if namespace in ADMIN_VIEWSETS:
        return admin_url(namespace, view, d.objs[ADMIN_VIEWSETS[namespace]])
    return None
